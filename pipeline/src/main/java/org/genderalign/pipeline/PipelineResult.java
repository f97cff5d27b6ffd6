package org.genderalign.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a pipeline run did and found.
 *
 * @param out the output folder
 * @param stages each stage in order: skipped or ran, wall time, outputs
 * @param models model name (Base, Harmless, GenderAlign) → its folder
 * @param results {@code evaluate/results.json} (Harmless the baseline) and
 *     {@code evaluate/vs-base/results.json} (Base the baseline)
 * @param summary the plain-words summary (also in {@code summary/summary.md} and {@code .json})
 */
public record PipelineResult(Path out, List<StageRun> stages, Map<String, Path> models,
    List<Path> results, Summary summary) {

  /**
   * One stage of a run.
   *
   * @param stage its name
   * @param skipped true when its manifest matched and nothing ran
   * @param resumed true when it continued an interrupted run
   * @param seconds wall time (0 when skipped)
   * @param cpuSeconds CPU time of the process meanwhile, all threads (0 when skipped)
   * @param outputs output path relative to the stage folder → sha256
   */
  public record StageRun(String stage, boolean skipped, boolean resumed, double seconds,
      double cpuSeconds, Map<String, String> outputs) {}

  /** The stages that ran (not skipped), in order. */
  public List<String> ran() {
    return stages.stream().filter(s -> !s.skipped()).map(StageRun::stage).toList();
  }

  public StageRun stage(String name) {
    return stages.stream().filter(s -> s.stage().equals(name)).findFirst().orElseThrow();
  }
}
