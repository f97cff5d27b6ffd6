package org.genderalign.eval.judge;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.core.io.Hashing;
import org.genderalign.eval.benchmark.Progress;

/**
 * {@code human:FILE}: rankings from people, read from an annotation sheet that
 * {@code eval --export-annotation DIR} wrote and an annotator filled ({@link AnnotationSheet}),
 * with the key beside it. The sheet is read and validated when the judge is made — before any
 * model loads — so a typo costs no generation.
 *
 * <p>A question is judged only against the answers the sheet was made from: the key's sha256 of
 * each shown answer must equal this run's answer at the same position (else the sheet is stale,
 * an error). A question of this run that the sheet does not hold, or whose row was left blank,
 * counts as missing.
 */
public final class HumanJudge implements Judge {

  private final String name;
  private final Path sheet;
  private final AnnotationSheet.Key key;
  private final Map<String, double[]> rankings;
  private final Map<String, Object> settings = new LinkedHashMap<>();

  HumanJudge(String name, Path sheet) throws IOException {
    this.name = name;
    this.sheet = sheet;
    if (!java.nio.file.Files.isRegularFile(sheet)) {
      throw new java.nio.file.NoSuchFileException(sheet.toString());
    }
    this.key = AnnotationSheet.readKey(sheet);
    this.rankings = AnnotationSheet.read(sheet, key);
    settings.put("sheet", sheet.toString());
    settings.put("sheet_sha256", Hashing.sha256(sheet));
    settings.put("key_sha256", Hashing.sha256(sheet.toAbsolutePath()
        .resolveSibling(AnnotationSheet.KEY)));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Map<String, Object> settings() {
    return settings;
  }

  /** Questions the sheet ranks (rows not left blank). */
  public long ranked() {
    return rankings.values().stream().filter(r -> r != null).count();
  }

  @Override
  public List<Judgement> judge(List<JudgeItem> items, Progress progress) {
    List<Judgement> out = new ArrayList<>();
    for (JudgeItem it : items) {
      AnnotationSheet.KeyEntry e = key.questions().get(it.id());
      if (e == null) {
        out.add(Judgement.missing("not in " + sheet.getFileName()));
        continue;
      }
      if (e.answersSha256().size() != it.k()) {
        throw InvalidInputException.ofFile(sheet.toAbsolutePath().resolveSibling(
            AnnotationSheet.KEY), "question " + it.id() + " was exported with "
            + e.answersSha256().size() + " answers, this run has " + it.k()
            + ": export a new sheet for these models");
      }
      for (int i = 0; i < it.k(); i++) {
        if (!e.answersSha256().get(i).equals(Hashing.sha256(it.answers().get(i)))) {
          throw InvalidInputException.ofFile(sheet.toAbsolutePath().resolveSibling(
              AnnotationSheet.KEY), "question " + it.id() + ": answer "
              + Blinding.label(i) + " differs from the one the sheet was exported with (other "
              + "models, generation settings or seed): export a new sheet for this run");
        }
      }
      double[] r = rankings.get(it.id());
      out.add(r == null ? Judgement.missing("left blank in " + sheet.getFileName())
          : Judgement.ok(r, 1));
    }
    return out;
  }
}
