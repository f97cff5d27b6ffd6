package org.genderalign.trainer.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.IntConsumer;
import org.genderalign.trainer.generate.Generation;
import org.genderalign.trainer.generate.GenerationConfig;
import org.genderalign.trainer.generate.Sampler;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.model.KvCache;
import org.genderalign.trainer.model.LlamaModel;
import org.genderalign.trainer.tokenizer.Tokenizer;

/**
 * The generator as it was before issue #11, kept only as the baseline of
 * {@link GenerationBenchmark} so that its speed-up stays reproducible: it copies the whole
 * vocabulary's logits to the host every step, samples there, and grows the KV cache by
 * concatenation ({@link KvCache}). Use {@link org.genderalign.trainer.generate.Generator}.
 *
 * <p>Text generation with a KV cache, one prompt or a batch. A prompt is {@code BOS + encode(prompt)}
 * (an empty prompt is BOS alone, as llama2.c). A batch is left-padded with an attention mask and
 * per-row positions, so that each prompt's tokens see exactly what they would see alone; each
 * prompt's sampler starts from the same seed, so results do not depend on the batching.
 */
public final class LegacyGenerator {

  private final LlamaModel model;
  private final Tokenizer tokenizer;
  private final NDManager manager;

  public LegacyGenerator(LoadedModel model) {
    this(model.block(), model.tokenizer(), model.manager());
  }

  /**
   * @param model the block
   * @param tokenizer its tokenizer
   * @param manager a manager on the model's device; per-call sub-managers are made from it
   */
  public LegacyGenerator(LlamaModel model, Tokenizer tokenizer, NDManager manager) {
    this.model = Objects.requireNonNull(model);
    this.tokenizer = Objects.requireNonNull(tokenizer);
    this.manager = Objects.requireNonNull(manager);
  }

  /** BOS (if any) + the prompt's tokens. */
  public int[] promptTokens(String prompt) {
    int[] p = tokenizer.encode(prompt);
    if (tokenizer.bosId() < 0) {
      if (p.length == 0) {
        throw new IllegalArgumentException("empty prompt and the tokenizer has no BOS");
      }
      return p;
    }
    int[] out = new int[p.length + 1];
    out[0] = tokenizer.bosId();
    System.arraycopy(p, 0, out, 1, p.length);
    return out;
  }

  /** Generates for one prompt. */
  public Generation generate(String prompt, GenerationConfig config) {
    return generate(List.of(prompt), config).get(0);
  }

  /** Generates for every prompt, {@code config.batchSize()} at a time, in input order. */
  public List<Generation> generate(List<String> prompts, GenerationConfig config) {
    List<Generation> out = new ArrayList<>(prompts.size());
    for (int start = 0; start < prompts.size(); start += config.batchSize()) {
      List<String> batch = prompts.subList(start, Math.min(prompts.size(),
          start + config.batchSize()));
      List<int[]> ids = batch.stream().map(this::promptTokens).toList();
      List<int[]> gen = new ArrayList<>();
      List<String> reasons = new ArrayList<>();
      generateIds(ids, config, gen, reasons, null);
      for (int i = 0; i < batch.size(); i++) {
        out.add(new Generation(batch.get(i), ids.get(i), gen.get(i),
            tokenizer.decode(gen.get(i)), reasons.get(i)));
      }
    }
    return out;
  }

  /**
   * Generates continuations of already tokenised prompts (one batch).
   *
   * @param prompts token ids per row (non-empty)
   * @param config generation settings (its batchSize is ignored here)
   * @param tokensOut receives each row's generated tokens (stop token excluded)
   * @param reasonsOut receives each row's finish reason
   * @param onToken if not null, called with every token of row 0 as it is produced (streaming)
   */
  public void generateIds(List<int[]> prompts, GenerationConfig config, List<int[]> tokensOut,
      List<String> reasonsOut, IntConsumer onToken) {
    int b = prompts.size();
    int maxPrompt = 0;
    for (int[] p : prompts) {
      if (p.length == 0) {
        throw new IllegalArgumentException("a prompt needs at least one token");
      }
      maxPrompt = Math.max(maxPrompt, p.length);
    }
    int maxSeq = model.config().maxSeqLen();
    if (maxPrompt > maxSeq) {
      throw new IllegalArgumentException("prompt of " + maxPrompt
          + " tokens exceeds the model's maxSeqLen " + maxSeq);
    }
    int steps = Math.min(config.maxTokens(), maxSeq - maxPrompt);
    Sampler[] samplers = new Sampler[b];
    int[][] generated = new int[b][config.maxTokens()];
    int[] counts = new int[b];
    String[] reasons = new String[b];
    for (int i = 0; i < b; i++) {
      samplers[i] = new Sampler(config.temperature(), config.topP(), config.seed());
    }
    boolean padded = prompts.stream().anyMatch(p -> p.length != prompts.get(0).length);
    int pad = 0;
    try (NDManager gm = manager.newSubManager(); KvCache cache = model.newCache(gm)) {
      ParameterStore ps = new ParameterStore(gm, false);
      // left-padded prompt block, its mask and per-row positions
      long[] ids = new long[b * maxPrompt];
      long[] mask = new long[b * maxPrompt];
      long[] pos = new long[b * maxPrompt];
      int[] nextPos = new int[b];
      for (int r = 0; r < b; r++) {
        int[] p = prompts.get(r);
        int off = maxPrompt - p.length;
        for (int j = 0; j < maxPrompt; j++) {
          int k = r * maxPrompt + j;
          ids[k] = j < off ? pad : p[j - off];
          mask[k] = j < off ? 0 : 1;
          pos[k] = j < off ? 0 : j - off;
        }
        nextPos[r] = p.length;
      }
      long[] fullMask = mask;
      int width = maxPrompt;
      float[][] logits;
      try (NDManager step = gm.newSubManager()) {
        NDList in = new NDList(step.create(ids, new Shape(b, maxPrompt)));
        if (padded) {
          in.add(step.create(mask, new Shape(b, maxPrompt)));
          in.add(step.create(pos, new Shape(b, maxPrompt)));
        }
        logits = rows(model.forward(ps, in, false, cache, true).singletonOrThrow(), b);
      }
      boolean[] done = new boolean[b];
      int live = b;
      for (int t = 0; t < steps && live > 0; t++) {
        long[] next = new long[b];
        for (int r = 0; r < b; r++) {
          if (done[r]) {
            next[r] = pad;
            continue;
          }
          int tok = samplers[r].sample(logits[r]);
          next[r] = tok;
          if (config.stopAtEos() && (tok == tokenizer.eosId() || tok == tokenizer.bosId())) {
            done[r] = true;
            reasons[r] = "eos";
            live--;
            continue;
          }
          generated[r][counts[r]++] = tok;
          if (r == 0 && onToken != null) {
            onToken.accept(tok);
          }
        }
        if (live == 0 || t == steps - 1) {
          break;
        }
        // one new column: finished rows feed a masked pad
        long[] newMask = new long[b * (width + 1)];
        long[] newPos = new long[b];
        for (int r = 0; r < b; r++) {
          System.arraycopy(fullMask, r * width, newMask, r * (width + 1), width);
          newMask[r * (width + 1) + width] = done[r] ? 0 : 1;
          newPos[r] = Math.min(nextPos[r]++, maxSeq - 1);
        }
        fullMask = newMask;
        width++;
        try (NDManager step = gm.newSubManager()) {
          NDList in = new NDList(step.create(next, new Shape(b, 1)));
          if (padded || live < b) {
            in.add(step.create(fullMask, new Shape(b, width)));
            in.add(step.create(newPos, new Shape(b, 1)));
          }
          logits = rows(model.forward(ps, in, false, cache, true).singletonOrThrow(), b);
        }
      }
    }
    for (int r = 0; r < b; r++) {
      if (reasons[r] == null) {
        reasons[r] = counts[r] >= config.maxTokens() ? "length" : "context";
      }
      tokensOut.add(Arrays.copyOf(generated[r], counts[r]));
      reasonsOut.add(reasons[r]);
    }
  }

  /** {@code (B, 1, V)} float32 logits → one float[] per row. */
  private static float[][] rows(NDArray logits, int b) {
    float[] flat = logits.toType(DataType.FLOAT32, false).toFloatArray();
    int v = flat.length / b;
    float[][] out = new float[b][];
    for (int r = 0; r < b; r++) {
      out[r] = Arrays.copyOfRange(flat, r * v, (r + 1) * v);
    }
    return out;
  }
}
