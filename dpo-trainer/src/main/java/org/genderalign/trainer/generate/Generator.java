package org.genderalign.trainer.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.model.GenerationCache;
import org.genderalign.trainer.model.LlamaModel;
import org.genderalign.trainer.tokenizer.Tokenizer;

/**
 * Text generation, one prompt or many: the one generation path of the project (the CLI's
 * {@code generate}, the builder's {@code model} backend, evaluation and GRPO all use it).
 *
 * <ul>
 *   <li>A prompt is {@code BOS + encode(prompt)} (an empty prompt is BOS alone, as llama2.c);
 *       apply a {@link org.genderalign.trainer.data.PromptTemplate} first for chat models.</li>
 *   <li>Prompts are generated {@code batchSize} at a time, grouped by length (less padding); a
 *       batch is left-padded with per-row positions, so each prompt's tokens see exactly what
 *       they would see alone.</li>
 *   <li>Keys and values go into a preallocated {@link GenerationCache} written in place;
 *       attention reads only its filled columns; the next token is chosen on the device
 *       ({@link TokenSelector}) and only the chosen ids {@code (B)} come back to the host.</li>
 *   <li>A row ends at EOS (or BOS, which llama2.c models emit between stories) when
 *       {@code stopAtEos}, at a stop string (its text is cut just before it), at
 *       {@code maxTokens}, or at the model's context; finished rows leave the batch.</li>
 *   <li>Sampling: every row has its own random stream ({@link XorShiftRandom}, one coin per
 *       step) seeded by its own seed, so a row's text depends on its prompt and seed only,
 *       never on the batch size or on its neighbours. By default every prompt's seed is
 *       {@code config.seed()} (as run.c); GRPO-style callers that sample several completions of
 *       one prompt pass per-row seeds ({@link #rowSeed}).</li>
 * </ul>
 */
public final class Generator {

  /** Finish reasons of {@link Generation#finishReason()}. */
  public static final String EOS = "eos";
  public static final String STOP = "stop";
  public static final String LENGTH = "length";
  public static final String CONTEXT = "context";

  private final LlamaModel model;
  private final Tokenizer tokenizer;
  private final NDManager manager;

  public Generator(LoadedModel model) {
    this(model.block(), model.tokenizer(), model.manager());
  }

  /**
   * @param model the block
   * @param tokenizer its tokenizer
   * @param manager a manager on the model's device; per-call sub-managers are made from it
   */
  public Generator(LlamaModel model, Tokenizer tokenizer, NDManager manager) {
    this.model = Objects.requireNonNull(model);
    this.tokenizer = Objects.requireNonNull(tokenizer);
    this.manager = Objects.requireNonNull(manager);
  }

  /**
   * A distinct, well-mixed seed for row {@code index} of a run seeded with {@code seed}
   * (SplitMix64 of both): for sampling several different completions of one prompt.
   */
  public static long rowSeed(long seed, long index) {
    long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    return z == 0 ? 1 : z; // xorshift never leaves the all-zero state
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

  /** Generates for every prompt, each seeded with {@code config.seed()}, in input order. */
  public List<Generation> generate(List<String> prompts, GenerationConfig config) {
    long[] seeds = new long[prompts.size()];
    Arrays.fill(seeds, config.seed());
    return generate(prompts, seeds, config);
  }

  /** Generates for every prompt with its own seed ({@code seeds[i]}), in input order. */
  public List<Generation> generate(List<String> prompts, long[] seeds, GenerationConfig config) {
    List<int[]> ids = prompts.stream().map(this::promptTokens).toList();
    List<Generation> raw = generateTokens(ids, seeds, config);
    List<Generation> out = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      Generation g = raw.get(i);
      out.add(new Generation(prompts.get(i), g.promptTokens(), g.tokens(), g.text(),
          g.finishReason()));
    }
    return out;
  }

  /**
   * Generates continuations of already tokenised prompts (BOS included where wanted), in input
   * order; {@link Generation#prompt()} is the decoded prompt.
   *
   * @param prompts token ids per row (each non-empty and shorter than the model's context)
   * @param seeds each row's seed
   */
  public List<Generation> generateTokens(List<int[]> prompts, long[] seeds,
      GenerationConfig config) {
    if (seeds.length != prompts.size()) {
      throw new IllegalArgumentException(prompts.size() + " prompts but " + seeds.length
          + " seeds");
    }
    int maxSeq = model.config().maxSeqLen();
    Row[] rows = new Row[prompts.size()];
    for (int i = 0; i < rows.length; i++) {
      int[] p = prompts.get(i);
      if (p.length == 0) {
        throw new IllegalArgumentException("a prompt needs at least one token");
      }
      if (p.length > maxSeq) {
        throw new IllegalArgumentException("prompt of " + p.length
            + " tokens exceeds the model's maxSeqLen " + maxSeq);
      }
      rows[i] = new Row(p, seeds[i]);
    }
    // Batches of similar lengths pad less; results do not depend on the grouping.
    Row[] byLength = rows.clone();
    Arrays.sort(byLength, Comparator.comparingInt(r -> r.prompt.length));
    for (int start = 0; start < byLength.length; start += config.batchSize()) {
      runBatch(Arrays.asList(byLength).subList(start,
          Math.min(byLength.length, start + config.batchSize())), config);
    }
    List<Generation> out = new ArrayList<>(rows.length);
    for (Row r : rows) {
      int[] tokens = r.tokens();
      String text = r.cutText != null ? r.cutText : tokenizer.decode(tokens);
      out.add(new Generation(tokenizer.decode(r.prompt), r.prompt, tokens, text, r.reason));
    }
    return out;
  }

  private void runBatch(List<Row> batch, GenerationConfig config) {
    int b = batch.size();
    int width = batch.stream().mapToInt(r -> r.prompt.length).max().orElseThrow();
    int steps = Math.min(config.maxTokens(), model.config().maxSeqLen() - width);
    if (steps <= 0) {
      batch.forEach(r -> r.reason = config.maxTokens() == 0 ? LENGTH : CONTEXT);
      return;
    }
    // the last chosen token is never fed back, so it needs no column
    int capacity = width + steps - 1;
    DataType type = model.tokEmbeddings().getArray().getDataType();
    try (NDManager gm = manager.newSubManager();
        GenerationCache cache = new GenerationCache(gm, model.config(), b, capacity, type)) {
      TokenSelector selector = new TokenSelector(gm, config);
      // the left-padded prompt block, its key-padding flags and per-row positions
      long[] ids = new long[b * width];
      long[] keep = new long[b * width];
      long[] pos = new long[b * width];
      for (int r = 0; r < b; r++) {
        int[] p = batch.get(r).prompt;
        int off = width - p.length;
        for (int j = 0; j < width; j++) {
          int k = r * width + j;
          ids[k] = j < off ? 0 : p[j - off];
          keep[k] = j < off ? 0 : 1;
          pos[k] = j < off ? 0 : j - off;
        }
      }
      cache.setKeyPadding(keep, width);
      List<Row> live = new ArrayList<>(batch);
      long[] chosen;
      try (NDManager step = gm.newSubManager()) {
        NDArray logits = model.forwardCached(step.create(ids, new Shape(b, width)),
            step.create(pos, new Shape(b, width)), cache); // (B, V)
        chosen = choose(selector, logits, live);
      }
      for (int t = 0; t < steps; t++) {
        List<Row> next = new ArrayList<>(live.size());
        long[] kept = new long[live.size()];
        for (int i = 0; i < live.size(); i++) {
          Row r = live.get(i);
          if (r.accept((int) chosen[i], config, t == steps - 1)) {
            kept[next.size()] = i;
            next.add(r);
          }
        }
        if (next.isEmpty()) {
          break;
        }
        if (next.size() < live.size()) {
          cache.keepRows(Arrays.copyOf(kept, next.size())); // finished rows leave the batch
        }
        live = next;
        long[] in = new long[live.size()];
        long[] at = new long[live.size()];
        for (int i = 0; i < in.length; i++) {
          Row r = live.get(i);
          in[i] = r.last();
          at[i] = r.prompt.length + r.count - 1L;
        }
        if (selector.samples()) {
          try (NDManager step = gm.newSubManager()) {
            chosen = choose(selector, model.forwardCached(in, at, cache, step), live);
          }
        } else {
          chosen = model.forwardCachedGreedy(in, at, cache); // argmax inside the step
        }
      }
    }
  }

  /** Each live row's next token from {@code logits (B, V)}: one coin per row when sampling. */
  private static long[] choose(TokenSelector selector, NDArray logits, List<Row> live) {
    float[] coins = null;
    if (selector.samples()) {
      coins = new float[live.size()];
      for (int i = 0; i < coins.length; i++) {
        coins[i] = live.get(i).random.nextFloat();
      }
    }
    return selector.select(logits, coins).toLongArray(); // (B) to the host
  }

  /** One sequence's state: its prompt, random stream, tokens so far and how it ended. */
  private final class Row {
    final int[] prompt;
    final XorShiftRandom random;
    int[] generated = new int[16];
    int count;
    String reason;
    String cutText;

    Row(int[] prompt, long seed) {
      this.prompt = prompt;
      this.random = new XorShiftRandom(seed);
    }

    int last() {
      return generated[count - 1];
    }

    int[] tokens() {
      return Arrays.copyOf(generated, count);
    }

    /** Takes the chosen token; false when the row has finished (its reason set). */
    boolean accept(int token, GenerationConfig config, boolean lastStep) {
      if (config.stopAtEos() && (token == tokenizer.eosId() || token == tokenizer.bosId())) {
        reason = EOS;
        return false;
      }
      if (count == generated.length) {
        generated = Arrays.copyOf(generated, count * 2);
      }
      generated[count++] = token;
      if (!config.stopStrings().isEmpty()) {
        // Decode the whole continuation: a stop string may span tokens, and byte tokens may
        // only become text together.
        String text = tokenizer.decode(tokens());
        int cut = -1;
        for (String s : config.stopStrings()) {
          int at = text.indexOf(s);
          if (at >= 0 && (cut < 0 || at < cut)) {
            cut = at;
          }
        }
        if (cut >= 0) {
          cutText = text.substring(0, cut);
          reason = STOP;
          return false;
        }
      }
      if (count >= config.maxTokens()) {
        reason = LENGTH;
        return false;
      }
      if (lastStep) {
        reason = CONTEXT;
        return false;
      }
      return true;
    }
  }
}
