package org.genderalign.cli.model;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.genderalign.cli.BadUsageException;
import org.genderalign.cli.GenderAlignCli;
import org.genderalign.trainer.data.PromptTemplate;
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
 * does ({@code --prompt ""} starts from BOS alone; temperature 0 is greedy); with
 * {@code --prompts FILE} (one prompt a line) prints one continuation a line, generated in
 * batches. A summary line (tokens, tokens/s, finish reasons) goes to stderr.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Generate text from a prompt with a model (greedy at temperature 0).")
public final class GenerateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ModelChoice modelChoice;

  @Option(names = "--prompt", paramLabel = "TEXT",
      description = "The prompt; \"\" starts from BOS alone.")
  String prompt;

  @Option(names = "--prompts", paramLabel = "FILE",
      description = "Prompts, one a line (instead of --prompt); prints one continuation a line.")
  Path prompts;

  @Option(names = {"--max-new-tokens", "--max-tokens"}, paramLabel = "N", defaultValue = "256",
      description = "New tokens at most (default: ${DEFAULT-VALUE}).")
  int maxTokens;

  @Option(names = "--temperature", paramLabel = "T", defaultValue = "0",
      description = "0 = greedy (default); otherwise sampling temperature.")
  float temperature;

  @Option(names = "--top-p", paramLabel = "P", defaultValue = "0.9",
      description = "Nucleus sampling mass in (0, 1] when sampling (default: ${DEFAULT-VALUE}).")
  float topP;

  @Option(names = "--top-k", paramLabel = "K", defaultValue = "0",
      description = "Sample among the K most probable tokens only (default: 0 = all).")
  int topK;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
      description = "Random seed for sampling (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--template", paramLabel = "NAME", defaultValue = PromptTemplate.RAW,
      description = "Prompt format: raw (default), hh, alpaca, chatml, llama2-chat, llama3, "
          + "mistral, zephyr, or model (the checkpoint's own chat_template).")
  String template;

  @Option(names = "--stop", paramLabel = "TEXT",
      description = "A stop string (repeatable); the template's own end-of-turn strings are "
          + "added.")
  List<String> stops = new ArrayList<>();

  @Option(names = "--batch-size", paramLabel = "B", defaultValue = "8",
      description = "Prompts generated together with --prompts (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Override
  public Integer call() throws Exception {
    if ((prompt == null) == (prompts == null)) {
      throw new BadUsageException("give exactly one of --prompt TEXT or --prompts FILE");
    }
    List<String> inputs;
    if (prompts != null) {
      try {
        inputs = Files.readAllLines(prompts, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new BadUsageException("cannot read --prompts " + prompts + ": " + e.getMessage());
      }
    } else {
      inputs = List.of(prompt);
    }
    GenerationConfig config;
    try {
      // every option is checked before the model loads
      config = GenerationConfig.defaults().toBuilder().maxTokens(maxTokens)
          .temperature(temperature).topP(topP).topK(topK).seed(seed).batchSize(batchSize)
          .stopStrings(stops).build();
      if (!template.equalsIgnoreCase(PromptTemplate.MODEL)) {
        PromptTemplate.named(template);
      }
    } catch (IllegalArgumentException e) {
      throw org.genderalign.cli.OptionNames.badUsage(spec, java.util.Map.of("maxTokens", "--max-tokens",
          "temperature", "--temperature", "topP", "--top-p"), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (LoadedModel model = modelChoice.load(GenderAlignCli.root(spec).dataRoot())) {
      PromptTemplate tpl;
      try {
        tpl = PromptTemplate.named(template, model.chatTemplate().orElse(null));
      } catch (IllegalArgumentException e) {
        throw new BadUsageException(e.getMessage());
      }
      List<String> allStops = new ArrayList<>(stops);
      tpl.stopStrings().stream().filter(s -> !allStops.contains(s)).forEach(allStops::add);
      config = config.toBuilder().stopStrings(allStops).build();
      List<String> texts = inputs.stream().map(tpl::apply).toList();
      long t0 = System.nanoTime();
      List<Generation> gs = new Generator(model).generate(texts, config);
      double s = (System.nanoTime() - t0) / 1e9;
      long newTokens = 0;
      for (Generation g : gs) {
        newTokens += g.tokens().length;
        if (prompts != null) {
          out.println(g.text().replace("\n", "\\n"));
        } else if (!tpl.name().equals(PromptTemplate.RAW)) {
          out.println(g.prompt() + g.text());
        } else {
          // raw: prompt and continuation decoded together, so the text joins exactly as run.c
          // prints it
          int[] all = new int[g.promptTokens().length + g.tokens().length];
          System.arraycopy(g.promptTokens(), 0, all, 0, g.promptTokens().length);
          System.arraycopy(g.tokens(), 0, all, g.promptTokens().length, g.tokens().length);
          String full = model.tokenizer().decode(all);
          if (g.finishReason().equals(Generator.STOP)) {
            // cut the joined text where the continuation's stop string begins
            int from = Math.max(0, model.tokenizer().decode(g.promptTokens()).length() - 1);
            int cut = full.length();
            for (String stop : config.stopStrings()) {
              int at = full.indexOf(stop, from);
              cut = at >= 0 ? Math.min(cut, at) : cut;
            }
            full = full.substring(0, cut);
          }
          out.println(full);
        }
      }
      out.flush();
      String reasons = gs.size() == 1 ? "finished by " + gs.get(0).finishReason()
          : gs.size() + " prompts";
      err.printf("[%s: %d new tokens, %.1f tokens/s, %s]%n", model.source().location(), newTokens,
          newTokens / Math.max(s, 1e-9), reasons);
      err.flush();
    }
    return 0;
  }
}
