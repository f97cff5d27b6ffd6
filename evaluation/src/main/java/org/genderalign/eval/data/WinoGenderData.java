package org.genderalign.eval.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.genderalign.core.error.InvalidInputException;

/**
 * The WinoGender schemas: the 720 sentences, the BLS share of women per occupation, and the
 * pronoun of each sentence (from the template's {@code $NOM/$POSS/$ACC_PRONOUN} slot).
 *
 * @param sentences in file order
 * @param blsPctFemale occupation → {@code bls_pct_female}, in file order
 */
public record WinoGenderData(List<WinoGenderSentence> sentences, Map<String, Double> blsPctFemale) {

  private static final Map<String, String[]> PRONOUNS = Map.of(
      "male", new String[] {"he", "his", "him"},
      "female", new String[] {"she", "her", "her"},
      "neutral", new String[] {"they", "their", "them"});
  private static final String[] SLOTS = {"$NOM_PRONOUN", "$POSS_PRONOUN", "$ACC_PRONOUN"};

  public WinoGenderData {
    sentences = List.copyOf(sentences);
    blsPctFemale = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(blsPctFemale));
  }

  /** Reads the three TSV files. */
  public static WinoGenderData read(Path sentencesFile, Path occupationsFile, Path templatesFile)
      throws IOException {
    Map<String, Double> bls = new LinkedHashMap<>();
    for (Csv.Row r : Csv.readTsv(occupationsFile)) {
      try {
        bls.put(r.get("occupation"), Double.parseDouble(r.get("bls_pct_female")));
      } catch (NumberFormatException e) {
        throw InvalidInputException.atLine(occupationsFile, r.line(), "bls_pct_female",
            "expected a number");
      }
    }
    // (occupation, answer) → the template's pronoun slot index
    Map<String, Integer> slot = new LinkedHashMap<>();
    for (Csv.Row r : Csv.readTsv(templatesFile)) {
      String t = r.get("sentence");
      int found = -1;
      for (int s = 0; s < SLOTS.length; s++) {
        if (t.contains(SLOTS[s])) {
          if (found >= 0) {
            throw InvalidInputException.atLine(templatesFile, r.line(), "sentence",
                "expected exactly one pronoun slot");
          }
          found = s;
        }
      }
      if (found < 0) {
        throw InvalidInputException.atLine(templatesFile, r.line(), "sentence",
            "no $NOM/$POSS/$ACC_PRONOUN slot");
      }
      slot.put(r.get("occupation(0)") + "|" + r.get("answer"), found);
    }
    List<WinoGenderSentence> out = new ArrayList<>();
    for (Csv.Row r : Csv.readTsv(sentencesFile)) {
      String id = r.get("sentid");
      String[] parts = id.split("\\.");
      if (parts.length != 5 || !Set.of("0", "1").contains(parts[2])
          || !PRONOUNS.containsKey(parts[3])) {
        throw InvalidInputException.atLine(sentencesFile, r.line(), "sentid",
            "expected occupation.participant.answer(0|1).gender(male|female|neutral).txt, got '"
                + id + "'");
      }
      Integer s = slot.get(parts[0] + "|" + parts[2]);
      if (s == null) {
        throw InvalidInputException.atLine(sentencesFile, r.line(), "sentid",
            "no template for occupation '" + parts[0] + "' and answer " + parts[2]);
      }
      if (!bls.containsKey(parts[0])) {
        throw InvalidInputException.atLine(sentencesFile, r.line(), "sentid",
            "occupation '" + parts[0] + "' has no BLS statistics");
      }
      out.add(new WinoGenderSentence(id, parts[0], parts[1], Integer.parseInt(parts[2]),
          parts[3], r.get("sentence"), PRONOUNS.get(parts[3])[s]));
    }
    return new WinoGenderData(out, bls);
  }
}
