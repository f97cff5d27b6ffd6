package org.genderalign.trainer.sft;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.data.SftExample;
import org.genderalign.trainer.tokenizer.Tokenizer;

/**
 * Tokenises SFT examples: prompt and completion separately (tokenising them as one string can
 * move the boundary), BOS once at the start if the tokenizer has one, EOS after the completion;
 * truncation keeps the start up to {@code maxLength}; an example whose prompt alone fills
 * {@code maxLength} (or whose completion is empty) is dropped and its id recorded.
 */
public final class SftEncoder {

  /** The Alpaca prompt with an input (Taori et al. 2023). */
  public static final String ALPACA_WITH_INPUT = "Below is an instruction that describes a task, paired with "
      + "an input that provides further context. Write a response that appropriately completes the request.\n\n"
      + "### Instruction:\n%s\n\n### Input:\n%s\n\n### Response:\n";
  /** The Alpaca prompt without an input. */
  public static final String ALPACA_NO_INPUT = "Below is an instruction that describes a task. "
      + "Write a response that appropriately completes the request.\n\n### Instruction:\n%s\n\n### Response:\n";

  private final Tokenizer tokenizer;
  private final int maxLength;

  /** Why an example was dropped: its prompt alone fills the length, or nothing is left to learn. */
  public static final String PROMPT_FILLS_MAX_LENGTH = "prompt fills max length";
  /** Why an example was dropped: no completion token to score. */
  public static final String EMPTY_COMPLETION = "empty completion";

  /**
   * Encoded examples and the ids of those dropped.
   *
   * @param kept the examples that train
   * @param droppedIds the ids of the others, in input order
   * @param dropReasons id → why it was dropped ({@link #PROMPT_FILLS_MAX_LENGTH}, {@link #EMPTY_COMPLETION})
   */
  public record Encoded(List<SftTokens> kept, List<String> droppedIds, java.util.Map<String, String> dropReasons) {
    /** How many were dropped for each reason. */
    public java.util.Map<String, Long> dropCounts() {
      java.util.Map<String, Long> m = new java.util.TreeMap<>();
      dropReasons.values().forEach(r -> m.merge(r, 1L, Long::sum));
      return m;
    }
  }

  public SftEncoder(Tokenizer tokenizer, int maxLength) {
    if (maxLength < 2) {
      throw new IllegalArgumentException("maxLength must be >= 2, got " + maxLength);
    }
    this.tokenizer = tokenizer;
    this.maxLength = maxLength;
  }

  /** Alpaca records: the Alpaca prompt template, the output as completion. */
  public Encoded encodeAlpaca(List<SftExample> examples) {
    List<SftTokens> kept = new ArrayList<>();
    java.util.Map<String, String> dropped = new java.util.LinkedHashMap<>();
    for (SftExample e : examples) {
      String prompt = e.input().isBlank() ? String.format(ALPACA_NO_INPUT, e.instruction())
          : String.format(ALPACA_WITH_INPUT, e.instruction(), e.input());
      add(e.id(), prompt, e.output(), kept, dropped);
    }
    return new Encoded(kept, List.copyOf(dropped.keySet()), dropped);
  }

  /**
   * Prompt-completion records used as they are (e.g. {@code trl-chosen}): the instruction (and
   * its input, after a blank line, when there is one) is the prompt, the output the completion.
   */
  public Encoded encodeRaw(List<SftExample> examples) {
    List<SftTokens> kept = new ArrayList<>();
    java.util.Map<String, String> dropped = new java.util.LinkedHashMap<>();
    for (SftExample e : examples) {
      add(e.id(), e.input().isBlank() ? e.instruction() : e.instruction() + "\n\n" + e.input(), e.output(),
          kept, dropped);
    }
    return new Encoded(kept, List.copyOf(dropped.keySet()), dropped);
  }

  /** Preference pairs: prompt as is, the chosen answer as completion (SFT on the preferred side). */
  public Encoded encodeChosen(List<PreferencePair> pairs) {
    List<SftTokens> kept = new ArrayList<>();
    java.util.Map<String, String> dropped = new java.util.LinkedHashMap<>();
    for (PreferencePair p : pairs) {
      add(p.id(), p.prompt(), p.chosen(), kept, dropped);
    }
    return new Encoded(kept, List.copyOf(dropped.keySet()), dropped);
  }

  private void add(String id, String prompt, String completion, List<SftTokens> kept,
      java.util.Map<String, String> dropped) {
    int[] p = tokenizer.encode(prompt);
    if (tokenizer.bosId() >= 0) {
      int[] q = new int[p.length + 1];
      q[0] = tokenizer.bosId();
      System.arraycopy(p, 0, q, 1, p.length);
      p = q;
    }
    int[] c = tokenizer.encode(completion);
    if (tokenizer.eosId() >= 0) {
      c = Arrays.copyOf(c, c.length + 1);
      c[c.length - 1] = tokenizer.eosId();
    }
    if (p.length >= maxLength || c.length == 0) {
      dropped.put(id, c.length == 0 ? EMPTY_COMPLETION : PROMPT_FILLS_MAX_LENGTH);
      return;
    }
    if (p.length + c.length > maxLength) {
      c = Arrays.copyOf(c, maxLength - p.length);
    }
    SftTokens t = new SftTokens(id, p, c);
    if (t.scoredTokens() == 0) {
      dropped.put(id, EMPTY_COMPLETION);
      return;
    }
    kept.add(t);
  }
}
