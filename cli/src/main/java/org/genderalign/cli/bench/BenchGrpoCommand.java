package org.genderalign.cli.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.genderalign.cli.BadUsageException;
import org.genderalign.cli.GenderAlignCli;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.trainer.grpo.GrpoBenchmark;
import org.genderalign.trainer.loader.ModelLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code genderalign bench grpo}: generated and trained tokens per second, step by step. */
@Command(name = "grpo", mixinStandardHelpOptions = true,
    description = "Time a short GRPO run: per step, completion tokens sampled per second and tokens trained "
        + "(forward + backward) per second.")
public final class BenchGrpoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--model", defaultValue = ModelLoader.STORIES_260K, paramLabel = "M",
      description = "Model (default stories260K).")
  String model;

  @Option(names = "--prompts", defaultValue = "4", paramLabel = "P", description = "Prompts per step (default 4).")
  int prompts;

  @Option(names = "--num-generations", defaultValue = "8", paramLabel = "G",
      description = "Completions per prompt (default 8).")
  int generations;

  @Option(names = "--max-new-tokens", defaultValue = "64", paramLabel = "N",
      description = "Max tokens per completion (default 64).")
  int maxNewTokens;

  @Option(names = "--steps", defaultValue = "5", paramLabel = "N", description = "Steps (default 5).")
  int steps;

  @Option(names = "--lora", description = "Train LoRA adapters (rank 8) instead of every weight.")
  boolean lora;

  @Override
  public Integer call() throws Exception {
    if (prompts < 1 || generations < 2 || maxNewTokens < 1 || steps < 1) {
      throw new BadUsageException("need --prompts >= 1, --num-generations >= 2, --max-new-tokens >= 1, --steps >= 1");
    }
    DataRoot root = GenderAlignCli.root(spec).dataRoot();
    PrintWriter out = spec.commandLine().getOut();
    Path work = Files.createTempDirectory("bench-grpo");
    List<GrpoBenchmark.Step> r = GrpoBenchmark.run(() -> ModelLoader.load(model, root, ai.djl.Device.cpu()), prompts,
        generations, maxNewTokens, steps, lora, work);
    out.printf("model=%s prompts=%d generations=%d max_new_tokens=%d lora=%s threads=%s%n", model, prompts,
        generations, maxNewTokens, lora, System.getProperty("ai.djl.pytorch.num_threads", "default"));
    for (GrpoBenchmark.Step s : r) {
      out.printf("step=%d generated_tokens=%d generate_s=%.3f generated_tokens_per_s=%.0f trained_tokens=%d "
          + "train_s=%.3f trained_tokens_per_s=%.0f%n", s.step(), s.generatedTokens(), s.generateSeconds(),
          s.generatedTokensPerSecond(), s.trainedTokens(), s.trainSeconds(), s.trainedTokensPerSecond());
    }
    out.flush();
    org.genderalign.trainer.checkpoint.CheckpointManager.deleteTree(work);
    return 0;
  }
}
