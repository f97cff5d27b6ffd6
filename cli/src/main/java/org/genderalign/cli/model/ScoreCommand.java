package org.genderalign.cli.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.genderalign.cli.BadUsageException;
import org.genderalign.cli.Check;
import org.genderalign.cli.Validated;
import org.genderalign.cli.GenderAlignCli;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.format.Formats;
import org.genderalign.core.format.PairFiles;
import org.genderalign.core.format.RecordFormat;
import org.genderalign.core.format.RecordReader;
import org.genderalign.core.format.RecordWriter;
import org.genderalign.core.io.AtomicFiles;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.data.EncodedPair;
import org.genderalign.trainer.data.PairEncoder;
import org.genderalign.trainer.data.PromptTemplate;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.score.LogLikelihoodScorer;
import org.genderalign.trainer.score.PairScore;
import org.genderalign.trainer.score.ScoreCache;
import org.genderalign.trainer.score.ScorerConfig;
import org.genderalign.trainer.score.ScorerStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code genderalign score}: adds {@code chosen_logp}, {@code rejected_logp},
 * {@code chosen_tokens} and {@code rejected_tokens} to every pair (sum of the completion's token
 * log-probabilities, EOS included, given BOS + the templated prompt). Pairs whose prompt alone
 * fills {@code --max-length} are written to {@code OUT.dropped.jsonl} and counted. Output is
 * written to {@code OUT.partial} as it goes and renamed at the end; {@code --resume} keeps the
 * pairs a previous interrupted run already scored. {@code OUT.provenance.json} records the model,
 * settings and input hashes. Scores go through the project's {@link LogLikelihoodScorer}: chosen
 * and rejected share their prompt's computation, and results are kept in the content-addressed
 * score cache ({@code --cache-dir}, default {@code ~/.cache/genderalign/scores}; {@code
 * --no-cache} bypasses it), so scoring the same pairs with the same model again costs nothing.
 */
@Command(name = "score", mixinStandardHelpOptions = true,
    description = "Score preference pairs: add chosen_logp, rejected_logp, chosen_tokens, "
        + "rejected_tokens.")
public final class ScoreCommand implements Callable<Integer>, Validated {

  /** Pairs encoded and scored together before being written (and cached). */
  static final int CHUNK = 512;

  @Spec CommandSpec spec;

  @Mixin ModelChoice modelChoice;

  @Check.InputFile
  @Option(names = "--in", required = true, paramLabel = "PAIRS", description = "Input pairs.")
  Path in;

  @Check.OutputFile
  @Option(names = "--out", required = true, paramLabel = "OUT", description = "Output pairs.")
  Path out;

  @Option(names = "--format", paramLabel = "F", defaultValue = "trl",
      description = "Pair format of input and output (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--max-length", paramLabel = "N",
      description = "Tokens of prompt + completion at most (default: min(512, the model's maxSeqLen)).")
  Integer maxLength;

  @Option(names = "--template", paramLabel = "T", defaultValue = PromptTemplate.RAW,
      description = "Prompt template: raw or hh (default: ${DEFAULT-VALUE}).")
  String template;

  @Check.Min(1)
  @Option(names = "--batch-size", paramLabel = "B",
      defaultValue = "" + ScorerConfig.DEFAULT_BATCH_SIZE,
      description = "Pairs (prompt + both completions, packed in one row) per forward pass "
          + "(default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--cache-dir", paramLabel = "DIR",
      description = "Score cache folder (default: $XDG_CACHE_HOME/genderalign/scores or "
          + "~/.cache/genderalign/scores).")
  Path cacheDir;

  @Option(names = "--no-cache", description = "Neither read nor write the score cache.")
  boolean noCache;

  @Option(names = "--resume", description = "Keep pairs already scored in OUT.partial.")
  boolean resume;

  @Option(names = "--reward-model", paramLabel = "RM",
      description = "Score with a reward model instead of --model: add chosen_reward and rejected_reward (a "
          + "LlamaForSequenceClassification folder, e.g. the final/ of train reward).")
  Path rewardModel;

  /** Options and input checked before the model is loaded: an empty file is an error. */
  @Override
  public void validate() {
    try {
      PairFiles.requireRecords(in, Formats.pairs(format), "pairs");
      PromptTemplate.named(template);
    } catch (IllegalArgumentException e) {
      throw new BadUsageException(e.getMessage());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    if (noCache && cacheDir != null) {
      throw new BadUsageException("--no-cache and --cache-dir exclude each other");
    }
  }

  @Override
  public Integer call() throws Exception {
    if (rewardModel != null) {
      return new RewardScoring(this).call();
    }
    RecordFormat<PreferencePair> fmt = Formats.pairs(format);
    PromptTemplate tpl = PromptTemplate.named(template);
    Path cache = noCache ? null : cacheDir != null ? cacheDir : ScoreCache.defaultDir();
    PrintWriter err = spec.commandLine().getErr();
    DataRoot root = GenderAlignCli.root(spec).dataRoot();
    Path partial = out.resolveSibling(out.getFileName() + ".partial");
    Path dropped = out.resolveSibling(out.getFileName() + ".dropped.jsonl");
    try (LoadedModel model = modelChoice.load(root)) {
      int maxLen = maxLength != null ? maxLength : Math.min(512, model.config().maxSeqLen());
      if (maxLen < 2 || maxLen > model.config().maxSeqLen()) {
        throw new BadUsageException("--max-length must be in [2, " + model.config().maxSeqLen()
            + "] for this model");
      }
      PairEncoder encoder = new PairEncoder(model.tokenizer(), tpl, maxLen);
      LogLikelihoodScorer scorer = new LogLikelihoodScorer(model,
          new ScorerConfig(batchSize, cache));

      List<PreferencePair> kept = new ArrayList<>();
      Set<String> done = new HashSet<>();
      if (resume && !Files.isRegularFile(partial)) {
        err.println("resume: no " + partial.getFileName() + " from an interrupted run; scoring from the start");
        err.flush();
      }
      if (resume && Files.isRegularFile(partial)) {
        try (RecordReader<PreferencePair> r = fmt.reader(partial)) {
          while (true) {
            PreferencePair p;
            try {
              p = r.next();
            } catch (org.genderalign.core.error.InvalidInputException e) {
              if (!e.recoverable()) {
                break;
              }
              continue; // a line cut short by the interruption: scored again below
            }
            if (p == null) {
              break;
            }
            kept.add(p);
            done.add(p.id());
          }
        }
      }
      int scored = 0;
      int nDropped = 0;
      int truncated = 0;
      Path droppedPartial = dropped.resolveSibling(dropped.getFileName() + ".partial");
      try {
      try (RecordReader<PreferencePair> reader = fmt.reader(in);
          RecordWriter<PreferencePair> writer = fmt.writer(partial);
          RecordWriter<PreferencePair> dropWriter = Formats.pairs("trl").writer(droppedPartial);
          ProgressBar bar = bar()) {
        for (PreferencePair p : kept) {
          writer.write(p);
        }
        List<PreferencePair> chunk = new ArrayList<>();
        for (PreferencePair p; (p = reader.next()) != null; ) {
          if (done.contains(p.id())) {
            continue;
          }
          chunk.add(p);
          if (chunk.size() == CHUNK) {
            int[] counts = flush(chunk, encoder, scorer, writer, dropWriter, maxLen);
            scored += counts[0];
            nDropped += counts[1];
            truncated += counts[2];
            step(bar, chunk.size());
            chunk.clear();
          }
        }
        int[] counts = flush(chunk, encoder, scorer, writer, dropWriter, maxLen);
        scored += counts[0];
        nDropped += counts[1];
        truncated += counts[2];
        step(bar, chunk.size());
      }
      } catch (java.io.IOException e) {
        IOException refused = AtomicFiles.asOutputFailure(e, partial, partial);
        if (refused != e) { // a full disk or a read-only folder while scoring
          throw new org.genderalign.core.io.OutputException(partial, e, "what was scored so far is kept there; "
              + "free some space and re-run with --resume to continue");
        }
        throw e;
      }
      ScoreConfig cfg = new ScoreConfig(model.source().location(), format, template, maxLen, batchSize,
          "sum over completion tokens and EOS of log p(token | prefix): float32 forward and log_softmax, "
              + "float64 sum", cache == null ? null : cache.toString());
      Provenance prov = Provenance.of("score", cfg, null).withInput(in.getFileName().toString(), in);
      for (Map.Entry<String, String> e : model.source().files().entrySet()) {
        prov = prov.withInputHash("model:" + e.getKey(), e.getValue());
      }
      // the scores, the dropped pairs and the provenance appear together, or not at all
      try (AtomicFiles.Batch batch = AtomicFiles.batch()) {
        batch.writeString(out.resolveSibling(out.getFileName() + ".provenance.json"),
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(prov));
        if (nDropped > 0) {
          Files.move(droppedPartial, batch.add(dropped), StandardCopyOption.REPLACE_EXISTING);
        } else {
          Files.deleteIfExists(droppedPartial);
          batch.deleteOnCommit(dropped);
        }
        Files.move(partial, batch.add(out), StandardCopyOption.REPLACE_EXISTING);
        batch.commit();
      }
      err.printf("scored %d pairs (%d resumed), %d truncated, %d dropped%s%n",
          scored + kept.size(), kept.size(), truncated, nDropped,
          nDropped > 0 ? " (prompt fills --max-length " + maxLen + "; written to " + dropped + ")"
              : "");
      ScorerStats st = scorer.stats();
      err.printf("%s; cache: %s%n", st.summary(),
          cache == null ? "off (--no-cache)" : st.cacheHits() + " hits in " + cache);
      err.flush();
    }
    return 0;
  }

  private static int[] flush(List<PreferencePair> chunk, PairEncoder encoder,
      LogLikelihoodScorer scorer, RecordWriter<PreferencePair> writer,
      RecordWriter<PreferencePair> dropWriter, int maxLen) throws java.io.IOException {
    List<EncodedPair> enc = new ArrayList<>();
    List<PreferencePair> src = new ArrayList<>();
    int dropped = 0;
    int truncated = 0;
    for (PreferencePair p : chunk) {
      var e = encoder.encode(p);
      if (e.isEmpty()) {
        dropWriter.write(p.withMetadata("drop_reason", "prompt fills max length " + maxLen));
        dropped++;
      } else {
        enc.add(e.get());
        src.add(p);
        truncated += e.get().truncated() ? 1 : 0;
      }
    }
    List<PairScore> scores = scorer.scorePairs(enc, n -> {});
    for (int i = 0; i < src.size(); i++) {
      PairScore s = scores.get(i);
      writer.write(src.get(i)
          .withMetadata("chosen_logp", s.chosenLogp())
          .withMetadata("rejected_logp", s.rejectedLogp())
          .withMetadata("chosen_tokens", s.chosenTokens())
          .withMetadata("rejected_tokens", s.rejectedTokens()));
    }
    return new int[] {src.size(), dropped, truncated};
  }

  private static ProgressBar bar() {
    if (System.console() == null) {
      return null;
    }
    return new ProgressBarBuilder().setTaskName("score").setInitialMax(-1)
        .setUnit(" pairs", 1).setUpdateIntervalMillis(500)
        .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
  }

  private static void step(ProgressBar bar, int n) {
    if (bar != null) {
      bar.stepBy(n);
    }
  }

  /**
   * What a scoring ran with, for its provenance.
   *
   * @param model the model as named (short name or path)
   * @param format pair format of input and output
   * @param template prompt template
   * @param maxLength tokens of prompt + completion at most
   * @param batchSize pairs per forward pass
   * @param logp what {@code chosen_logp} / {@code rejected_logp} are
   * @param cacheDir the score cache folder, or null with {@code --no-cache}
   */
  record ScoreConfig(String model, String format, String template, int maxLength, int batchSize, String logp,
      String cacheDir) {}
}
