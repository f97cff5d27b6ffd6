package org.genderalign.trainer.reward;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.trainer.data.PairEncoder;
import org.genderalign.trainer.data.PromptTemplate;

/**
 * A {@link RewardModel} as a {@link RewardFunction}: encodes each (prompt, completion) as
 * training did — BOS + templated prompt, then the completion + EOS, tokenised apart and
 * concatenated ({@link PairEncoder}) — and scores in length-sorted batches. A sequence longer
 * than {@code maxLength} keeps its first {@code maxLength} tokens (the reward of a truncated
 * answer; {@link #truncated} says which were).
 *
 * <p>For GRPO, {@link #rewardsOfTokens} takes prompt and completion ids as the generator made
 * them (no re-tokenisation).
 */
public final class RewardScorer implements RewardFunction {

  private final RewardModel model;
  private final String template;
  private final PairEncoder encoder;
  private final int batchSize;
  private final String name;

  /**
   * @param model the reward model (not closed by this scorer)
   * @param template the name of the {@link PromptTemplate} that makes prompts model text (normally
   *     {@code model.encoding()}'s)
   * @param maxLength longest sequence scored, in tokens
   * @param batchSize rows per forward pass
   */
  public RewardScorer(RewardModel model, String template, int maxLength, int batchSize) {
    this.model = Objects.requireNonNull(model);
    this.template = Objects.requireNonNull(template);
    this.encoder = new PairEncoder(model.tokenizer(), PromptTemplate.named(template), maxLength);
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1: " + batchSize);
    }
    this.batchSize = batchSize;
    this.name = "reward_model";
  }

  /**
   * A scorer with the template and maximum length the model was trained with ({@code raw} and
   * min(512, the model's context) when it does not say).
   */
  public static RewardScorer of(RewardModel model, int batchSize) {
    RewardModel.Encoding e = model.encoding();
    int ctx = model.block().config().maxSeqLen();
    return new RewardScorer(model, e.promptTemplate() == null ? PromptTemplate.RAW : e.promptTemplate(),
        e.maxLength() == null ? Math.min(PairEncoder.DEFAULT_MAX_LENGTH, ctx)
        : Math.min(e.maxLength(), ctx), batchSize);
  }

  @Override
  public String name() {
    return name;
  }

  public RewardModel model() {
    return model;
  }

  public int maxLength() {
    return encoder.maxLength();
  }

  /** The prompt template's name. */
  public String template() {
    return template;
  }

  @Override
  public float[] rewards(List<String> prompts, List<String> completions) {
    if (prompts.size() != completions.size()) {
      throw new IllegalArgumentException(prompts.size() + " prompts but " + completions.size() + " completions");
    }
    List<int[]> p = new ArrayList<>(prompts.size());
    List<int[]> c = new ArrayList<>(prompts.size());
    for (int i = 0; i < prompts.size(); i++) {
      p.add(encoder.encodePrompt(prompts.get(i)));
      c.add(encoder.encodeCompletion(completions.get(i)));
    }
    return rewardsOfTokens(p, c);
  }

  /**
   * Rewards of completions given as token ids.
   *
   * @param prompts BOS (if any) + prompt ids, per completion
   * @param completions completion ids (+ EOS if the completion ended), same size
   */
  public float[] rewardsOfTokens(List<int[]> prompts, List<int[]> completions) {
    if (prompts.size() != completions.size()) {
      throw new IllegalArgumentException(prompts.size() + " prompts but " + completions.size() + " completions");
    }
    List<int[]> seqs = new ArrayList<>(prompts.size());
    for (int i = 0; i < prompts.size(); i++) {
      seqs.add(sequence(prompts.get(i), completions.get(i)));
    }
    return model.rewards(seqs, batchSize);
  }

  /** Whether prompt + completion is longer than {@code maxLength} (its reward reads a cut sequence). */
  public boolean truncated(int[] prompt, int[] completion) {
    return prompt.length + completion.length > encoder.maxLength();
  }

  /** One pair's rewards. */
  public record PairReward(String id, float chosen, float rejected, boolean truncated) {
    public float margin() {
      return chosen - rejected;
    }
  }

  /** The rewards of every pair's chosen and rejected answer, in input order. */
  public List<PairReward> scorePairs(List<PreferencePair> pairs) {
    List<int[]> seqs = new ArrayList<>(2 * pairs.size());
    boolean[] cut = new boolean[pairs.size()];
    for (int i = 0; i < pairs.size(); i++) {
      PreferencePair p = pairs.get(i);
      int[] prompt = encoder.encodePrompt(p.prompt());
      int[] c = encoder.encodeCompletion(p.chosen());
      int[] r = encoder.encodeCompletion(p.rejected());
      cut[i] = truncated(prompt, c) || truncated(prompt, r);
      seqs.add(sequence(prompt, c));
      seqs.add(sequence(prompt, r));
    }
    float[] v = seqs.isEmpty() ? new float[0] : model.rewards(seqs, batchSize);
    List<PairReward> out = new ArrayList<>(pairs.size());
    for (int i = 0; i < pairs.size(); i++) {
      out.add(new PairReward(pairs.get(i).id(), v[2 * i], v[2 * i + 1], cut[i]));
    }
    return out;
  }

  private int[] sequence(int[] prompt, int[] completion) {
    int n = Math.min(encoder.maxLength(), prompt.length + completion.length);
    int[] s = Arrays.copyOf(prompt, n);
    if (n > prompt.length) {
      System.arraycopy(completion, 0, s, prompt.length, n - prompt.length);
    }
    if (s.length == 0) {
      throw new IllegalArgumentException("empty prompt and completion (the tokenizer has no BOS)");
    }
    return s;
  }
}
