package org.genderalign.core.format;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.data.SftExample;
import org.genderalign.core.data.UnpairedExample;

/**
 * The registry of formats by the name users type. Preference pairs: {@code genderalign}
 * ({@link GenderAlignFormat}), {@code hh} ({@link HhFormat}), {@code trl} ({@link TrlFormat}),
 * {@code csv} ({@link CsvFormat}), {@code trl-conversational} ({@link TrlConversationalFormat}:
 * written in TRL's conversational shape). SFT examples: {@code alpaca} ({@link AlpacaFormat}),
 * {@code trl-chosen} ({@link TrlChosenFormat}). Unpaired (binary-feedback) examples:
 * {@code trl-unpaired} ({@link TrlUnpairedFormat}); any pair format can also be read as unpaired
 * examples derived from its pairs ({@link #readUnpaired}). Adding a format is one class and one
 * line here.
 */
public final class Formats {

  private static final Map<String, Supplier<RecordFormat<PreferencePair>>> PAIRS = new LinkedHashMap<>();
  private static final Map<String, Supplier<RecordFormat<SftExample>>> SFT = new LinkedHashMap<>();
  private static final Map<String, Supplier<RecordFormat<UnpairedExample>>> UNPAIRED = new LinkedHashMap<>();

  static {
    PAIRS.put(GenderAlignFormat.NAME, GenderAlignFormat::new);
    PAIRS.put(HhFormat.NAME, HhFormat::new);
    PAIRS.put(TrlFormat.NAME, TrlFormat::new);
    PAIRS.put(CsvFormat.NAME, CsvFormat::new);
    PAIRS.put(TrlConversationalFormat.NAME, TrlConversationalFormat::new);
    SFT.put(AlpacaFormat.NAME, AlpacaFormat::new);
    SFT.put(TrlChosenFormat.NAME, TrlChosenFormat::new);
    UNPAIRED.put(TrlUnpairedFormat.NAME, TrlUnpairedFormat::new);
  }

  private Formats() {}

  /**
   * The preference-pair format called {@code name}.
   *
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static RecordFormat<PreferencePair> pairs(String name) {
    Supplier<RecordFormat<PreferencePair>> f = PAIRS.get(name);
    if (f == null) {
      throw new IllegalArgumentException("unknown preference-pair format '" + name + "'; known: "
          + String.join(", ", PAIRS.keySet())
          + (SFT.containsKey(name) ? " ('" + name + "' is an SFT format)" : ""));
    }
    return f.get();
  }

  /**
   * The SFT format called {@code name}.
   *
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static RecordFormat<SftExample> sft(String name) {
    Supplier<RecordFormat<SftExample>> f = SFT.get(name);
    if (f == null) {
      throw new IllegalArgumentException("unknown SFT format '" + name + "'; known: "
          + String.join(", ", SFT.keySet())
          + (PAIRS.containsKey(name) ? " ('" + name + "' is a preference-pair format)" : ""));
    }
    return f.get();
  }

  /**
   * The unpaired-example format called {@code name}.
   *
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static RecordFormat<UnpairedExample> unpaired(String name) {
    Supplier<RecordFormat<UnpairedExample>> f = UNPAIRED.get(name);
    if (f == null) {
      throw new IllegalArgumentException("unknown unpaired format '" + name + "'; known: "
          + String.join(", ", UNPAIRED.keySet())
          + (PAIRS.containsKey(name) ? " ('" + name + "' is a preference-pair format: its pairs can be unpaired)" : ""));
    }
    return f.get();
  }

  /**
   * Unpaired examples from {@code file}: read directly when {@code format} names an unpaired
   * format, else derived from the pairs of the pair format it names — each pair giving a
   * desirable and an undesirable example ({@link UnpairedExample#fromPair}), as TRL's
   * {@code unpair_preference_dataset} does. Fails fast on the first bad record.
   *
   * @throws IllegalArgumentException when {@code format} names neither kind
   */
  public static java.util.List<UnpairedExample> readUnpaired(java.nio.file.Path file, String format)
      throws java.io.IOException {
    if (UNPAIRED.containsKey(format)) {
      return PairFiles.readAll(file, unpaired(format));
    }
    if (PAIRS.containsKey(format)) {
      return UnpairedExample.fromPairs(PairFiles.readAll(file, pairs(format)));
    }
    throw new IllegalArgumentException("unknown format '" + format + "' for unpaired examples; known: "
        + String.join(", ", UNPAIRED.keySet()) + ", or a preference-pair format to unpair ("
        + String.join(", ", PAIRS.keySet()) + ")");
  }

  /**
   * Prompts from {@code file}: {@link TrlPromptFormat} ({@code trl-prompt}) read directly, or the
   * prompts of the pairs of the pair format {@code format} names (one per pair, under its id).
   *
   * @throws IllegalArgumentException when {@code format} names neither
   */
  public static java.util.List<org.genderalign.core.data.PromptExample> readPrompts(java.nio.file.Path file,
      String format) throws java.io.IOException {
    if (TrlPromptFormat.NAME.equals(format)) {
      return PairFiles.readAll(file, new TrlPromptFormat());
    }
    if (PAIRS.containsKey(format)) {
      return PairFiles.readAll(file, pairs(format)).stream()
          .map(org.genderalign.core.data.PromptExample::fromPair).toList();
    }
    throw new IllegalArgumentException("unknown format '" + format + "' for prompts; known: " + TrlPromptFormat.NAME
        + ", or a preference-pair format whose prompts are used (" + String.join(", ", PAIRS.keySet()) + ")");
  }

  /** Names of the unpaired-example formats, in registration order. */
  public static Set<String> unpairedFormatNames() {
    return Collections.unmodifiableSet(UNPAIRED.keySet());
  }

  /** Names of the preference-pair formats, in registration order. */
  public static Set<String> pairFormatNames() {
    return Collections.unmodifiableSet(PAIRS.keySet());
  }

  /** Names of the SFT formats, in registration order. */
  public static Set<String> sftFormatNames() {
    return Collections.unmodifiableSet(SFT.keySet());
  }
}
