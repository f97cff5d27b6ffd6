package org.genderalign.cli.model;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.genderalign.cli.GenderAlignCli;
import org.genderalign.trainer.generate.Generation;
import org.genderalign.trainer.generate.GenerationConfig;
import org.genderalign.trainer.generate.Generator;
import org.genderalign.trainer.loader.LoadedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code genderalign generate}: prints the prompt and its continuation, as llama2.c's {@code run}
 * does ({@code --prompt ""} starts from BOS alone; temperature 0 is greedy). A summary line
 * (tokens, tokens/s, finish reason) goes to stderr.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Generate text from a prompt with a model (greedy at temperature 0).")
public final class GenerateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ModelChoice modelChoice;

  @Option(names = "--prompt", required = true, paramLabel = "TEXT",
      description = "The prompt; \"\" starts from BOS alone.")
  String prompt;

  @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "256",
      description = "New tokens at most (default: ${DEFAULT-VALUE}).")
  int maxTokens;

  @Option(names = "--temperature", paramLabel = "T", defaultValue = "0",
      description = "0 = greedy (default); otherwise sampling temperature.")
  float temperature;

  @Option(names = "--top-p", paramLabel = "P", defaultValue = "0.9",
      description = "Nucleus sampling mass in (0, 1] when sampling (default: ${DEFAULT-VALUE}).")
  float topP;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
      description = "Random seed for sampling (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    GenerationConfig config;
    try {
      config = GenerationConfig.defaults().toBuilder().maxTokens(maxTokens)
          .temperature(temperature).topP(topP).seed(seed).batchSize(1).build();
    } catch (IllegalArgumentException e) {
      throw org.genderalign.cli.OptionNames.badUsage(spec, java.util.Map.of("maxTokens", "--max-tokens",
          "temperature", "--temperature", "topP", "--top-p"), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (LoadedModel model = modelChoice.load(GenderAlignCli.root(spec).dataRoot())) {
      long t0 = System.nanoTime();
      Generation g = new Generator(model).generate(prompt, config);
      double s = (System.nanoTime() - t0) / 1e9;
      // prompt and continuation decoded together, so the text joins exactly as run.c prints it
      int[] all = new int[g.promptTokens().length + g.tokens().length];
      System.arraycopy(g.promptTokens(), 0, all, 0, g.promptTokens().length);
      System.arraycopy(g.tokens(), 0, all, g.promptTokens().length, g.tokens().length);
      out.println(model.tokenizer().decode(all));
      out.flush();
      err.printf("[%s: %d prompt + %d new tokens, %.1f tokens/s, finished by %s]%n",
          model.source().location(), g.promptTokens().length, g.tokens().length,
          g.tokens().length / Math.max(s, 1e-9), g.finishReason());
      err.flush();
    }
    return 0;
  }
}
