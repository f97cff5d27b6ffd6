package org.genderalign.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A pipeline small enough for a test: 60 pairs from one seed corpus, 2 SFT steps, 4 DPO steps
 * with a checkpoint after each, perplexity on 4 held-out texts per set. Also the child JVM of
 * the kill test: {@code main(out, [--announce])} runs it, printing {@code CHECKPOINT stage n}.
 */
final class TinyPipeline {

  static final List<String> SETTINGS = List.of("build.target=60", "build.sources=[\"workplace-sexism\"]",
      "base.examples=24", "base.steps=2", "base.batchSize=4", "base.maxLength=160", "base.saveSteps=1",
      "dpo.steps=4", "dpo.batchSize=2", "dpo.maxLength=128", "dpo.saveSteps=1",
      "eval.benchmarks=perplexity", "eval.limit=4", "eval.permutations=200");

  private TinyPipeline() {}

  static PipelineConfig config(Path out, String... more) {
    List<String> s = new ArrayList<>(SETTINGS);
    s.add("out=" + out);
    s.addAll(List.of(more));
    return PipelineConfigs.load(null, s);
  }

  public static void main(String[] args) throws Exception {
    boolean announce = args.length > 1 && args[1].equals("--announce");
    Pipeline.run(config(Path.of(args[0])), new PipelineListener() {
      @Override
      public void checkpointSaved(String stage, long step) {
        if (announce) {
          System.out.println("CHECKPOINT " + stage + " " + step);
          System.out.flush();
          try {
            Thread.sleep(300); // so that the parent's SIGKILL lands before the stage ends
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
    });
  }
}
