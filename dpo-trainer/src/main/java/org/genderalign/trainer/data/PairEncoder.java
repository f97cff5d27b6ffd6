package org.genderalign.trainer.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.trainer.tokenizer.Tokenizer;

/**
 * Tokenises preference pairs as dpo-reference.md prescribes: the prompt (after the
 * {@link PromptTemplate}) once and each completion on its own, then concatenated, so that the
 * prompt/completion boundary never moves; BOS once at the start of the prompt if the tokenizer
 * has one; EOS after each completion if it has one. Sequences are truncated to {@code maxLength}
 * keeping their start; a pair whose prompt alone fills {@code maxLength} (no completion token
 * would remain) is dropped and counted, never trained on with an empty mask.
 */
public final class PairEncoder {

  /** Default maximum sequence length (prompt + completion) in tokens. */
  public static final int DEFAULT_MAX_LENGTH = 512;

  private final Tokenizer tokenizer;
  private final PromptTemplate template;
  private final int maxLength;

  /**
   * @param tokenizer the model's tokenizer
   * @param template how prompts become model text
   * @param maxLength maximum tokens of prompt + completion (≥ 2)
   */
  public PairEncoder(Tokenizer tokenizer, PromptTemplate template, int maxLength) {
    this.tokenizer = Objects.requireNonNull(tokenizer);
    this.template = Objects.requireNonNull(template);
    if (maxLength < 2) {
      throw new IllegalArgumentException("maxLength must be at least 2: " + maxLength);
    }
    this.maxLength = maxLength;
  }

  /** An encoder with the {@link PromptTemplate#DEFAULT raw} template. */
  public PairEncoder(Tokenizer tokenizer, int maxLength) {
    this(tokenizer, PromptTemplate.DEFAULT, maxLength);
  }

  public int maxLength() {
    return maxLength;
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  public PromptTemplate template() {
    return template;
  }

  /** BOS (if any) + the templated prompt's tokens, untruncated. */
  public int[] encodePrompt(String prompt) {
    int[] p = tokenizer.encode(template.apply(prompt));
    if (tokenizer.bosId() < 0) {
      return p;
    }
    int[] out = new int[p.length + 1];
    out[0] = tokenizer.bosId();
    System.arraycopy(p, 0, out, 1, p.length);
    return out;
  }

  /** A completion's tokens + EOS (if any), untruncated. */
  public int[] encodeCompletion(String completion) {
    int[] c = tokenizer.encode(completion);
    if (tokenizer.eosId() < 0) {
      return c;
    }
    int[] out = Arrays.copyOf(c, c.length + 1);
    out[c.length] = tokenizer.eosId();
    return out;
  }

  /** The pair tokenised and truncated, or empty when its prompt alone fills maxLength. */
  public Optional<EncodedPair> encode(PreferencePair pair) {
    return encode(pair.id(), pair.prompt(), pair.chosen(), pair.rejected());
  }

  /** As {@link #encode(PreferencePair)} from the parts. */
  public Optional<EncodedPair> encode(String id, String prompt, String chosen, String rejected) {
    int[] p = encodePrompt(prompt);
    if (p.length >= maxLength) {
      return Optional.empty();
    }
    int room = maxLength - p.length;
    int[] c = encodeCompletion(chosen);
    int[] r = encodeCompletion(rejected);
    boolean truncated = c.length > room || r.length > room;
    return Optional.of(new EncodedPair(id, p, Arrays.copyOf(c, Math.min(room, c.length)),
        Arrays.copyOf(r, Math.min(room, r.length)), truncated));
  }

  /** Encodes every pair; dropped ones are listed by id in the result. */
  public Result encodeAll(List<PreferencePair> pairs) {
    List<EncodedPair> kept = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    int truncated = 0;
    for (PreferencePair pair : pairs) {
      Optional<EncodedPair> e = encode(pair);
      if (e.isPresent()) {
        kept.add(e.get());
        truncated += e.get().truncated() ? 1 : 0;
      } else {
        dropped.add(pair.id());
      }
    }
    return new Result(List.copyOf(kept), List.copyOf(dropped), truncated);
  }

  /**
   * What {@link #encodeAll} produced.
   *
   * @param pairs the encoded pairs, in input order
   * @param droppedIds ids of pairs whose prompt alone filled maxLength
   * @param truncatedCount how many kept pairs lost completion tokens
   */
  public record Result(List<EncodedPair> pairs, List<String> droppedIds, int truncatedCount) {}
}
