package org.genderalign.trainer.score;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.trainer.data.EncodedPair;
import org.genderalign.trainer.data.PairEncoder;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.model.LlamaModel;

/**
 * Log-probabilities of completions given prompts: {@code sum over the completion's tokens (EOS
 * included) of log p(token | everything before it)}, in float32. Sequences are scored in
 * right-padded batches; under the causal mask padding never influences real positions, so a
 * sequence's score does not depend on the batch it is in (up to float32 rounding: kernels may
 * sum in a different order for other shapes, ~1e-6 relative). Batches are sized so that the logits
 * stay under {@link #DEFAULT_MAX_BATCH_LOGITS} floats.
 */
public final class SequenceScorer {

  /** Upper bound on {@code B × T × V} logits per batch (~256 MiB of float32). */
  public static final long DEFAULT_MAX_BATCH_LOGITS = 64L << 20;
  /** Default sequences per batch. */
  public static final int DEFAULT_BATCH_SIZE = 16;

  private final LlamaModel model;
  private final NDManager manager;
  private final int batchSize;

  public SequenceScorer(LoadedModel model, int batchSize) {
    this(model.block(), model.manager(), batchSize);
  }

  public SequenceScorer(LlamaModel model, NDManager manager, int batchSize) {
    this.model = Objects.requireNonNull(model);
    this.manager = Objects.requireNonNull(manager);
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1: " + batchSize);
    }
    this.batchSize = batchSize;
  }

  /** One pair's scores; {@code chosenTokens}/{@code rejectedTokens} count the EOS. */
  public record PairScore(String id, float chosenLogp, float rejectedLogp, int chosenTokens,
      int rejectedTokens) {}

  /**
   * Scores encoded pairs.
   *
   * @return one score per pair, in input order
   */
  public List<PairScore> scoreEncoded(List<EncodedPair> pairs) {
    List<int[]> prompts = new ArrayList<>();
    List<int[]> completions = new ArrayList<>();
    for (EncodedPair p : pairs) {
      prompts.add(p.prompt());
      completions.add(p.chosen());
      prompts.add(p.prompt());
      completions.add(p.rejected());
    }
    float[] lp = score(prompts, completions);
    List<PairScore> out = new ArrayList<>(pairs.size());
    for (int i = 0; i < pairs.size(); i++) {
      EncodedPair p = pairs.get(i);
      out.add(new PairScore(p.id(), lp[2 * i], lp[2 * i + 1], p.chosen().length,
          p.rejected().length));
    }
    return out;
  }

  /** Encodes and scores one pair; empty when the encoder drops it. */
  public Optional<PairScore> score(PreferencePair pair, PairEncoder encoder) {
    return encoder.encode(pair).map(e -> scoreEncoded(List.of(e)).get(0));
  }

  /**
   * Sum of log p over each completion's tokens given its prompt.
   *
   * @param prompts per sequence, at least one token (usually BOS + prompt)
   * @param completions per sequence (may be empty: score 0)
   */
  public float[] score(List<int[]> prompts, List<int[]> completions) {
    if (prompts.size() != completions.size()) {
      throw new IllegalArgumentException("prompts and completions differ in number");
    }
    int n = prompts.size();
    float[] out = new float[n];
    // longest first: similar lengths share a batch (less padding); order does not change scores
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
      if (prompts.get(i).length == 0) {
        throw new IllegalArgumentException("sequence " + i + ": prompt needs at least one token");
      }
      if (prompts.get(i).length + completions.get(i).length > model.config().maxSeqLen()) {
        throw new IllegalArgumentException("sequence " + i + " has "
            + (prompts.get(i).length + completions.get(i).length)
            + " tokens, more than the model's maxSeqLen " + model.config().maxSeqLen());
      }
    }
    Arrays.sort(order, Comparator.comparingInt(
        (Integer i) -> -(prompts.get(i).length + completions.get(i).length)));
    int i = 0;
    long vocab = model.config().vocabSize();
    while (i < n) {
      int first = order[i];
      int t = prompts.get(first).length + completions.get(first).length;
      int maxRows = (int) Math.max(1, Math.min(batchSize,
          DEFAULT_MAX_BATCH_LOGITS / Math.max(1, (long) t * vocab)));
      int end = Math.min(n, i + maxRows);
      scoreBatch(Arrays.copyOfRange(order, i, end), t, prompts, completions, out);
      i = end;
    }
    return out;
  }

  private void scoreBatch(Integer[] rows, int t, List<int[]> prompts, List<int[]> completions,
      float[] out) {
    int b = rows.length;
    long[] ids = new long[b * t];
    float[] mask = new float[b * (t - 1)];
    for (int r = 0; r < b; r++) {
      int[] p = prompts.get(rows[r]);
      int[] c = completions.get(rows[r]);
      for (int j = 0; j < p.length; j++) {
        ids[r * t + j] = p[j];
      }
      for (int j = 0; j < c.length; j++) {
        ids[r * t + p.length + j] = c[j];
        // target position p.length + j is predicted by logits at p.length + j - 1
        mask[r * (t - 1) + p.length + j - 1] = 1f;
      }
    }
    if (t < 2) {
      return; // nothing to predict: every completion is empty
    }
    try (NDManager step = manager.newSubManager()) {
      NDArray in = step.create(ids, new Shape(b, t));
      NDArray logits = model.forward(new ParameterStore(step, false), new NDList(in), false, null,
          false).singletonOrThrow(); // (B, T, V)
      NDArray lp = logits.get(":, :-1, :").logSoftmax(-1); // (B, T-1, V)
      NDArray targets = in.get(":, 1:"); // (B, T-1)
      NDArray tok = lp.gather(targets.expandDims(-1), -1).squeeze(-1); // (B, T-1)
      float[] sums = tok.mul(step.create(mask, new Shape(b, t - 1))).sum(new int[] {1})
          .toFloatArray();
      for (int r = 0; r < b; r++) {
        out[rows[r]] = sums[r];
      }
    }
  }
}
