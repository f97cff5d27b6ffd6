package org.genderalign.cli.pipeline;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.genderalign.cli.GenderAlignCli;
import org.genderalign.pipeline.Pipeline;
import org.genderalign.pipeline.PipelineConfig;
import org.genderalign.pipeline.PipelineConfigs;
import org.genderalign.pipeline.PipelineListener;
import org.genderalign.pipeline.PipelineResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code genderalign pipeline} (alias {@code run}): the paper's experiment. Fills a
 * {@link PipelineConfig} from {@code --config}, {@code --set}, {@code --out} and
 * {@code --data-root}, and calls {@link Pipeline#run}; nothing else.
 */
@Command(name = "pipeline", aliases = "run", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Main job: verify the data, build the GenderAlign-style data set, SFT Base on "
        + "Alpaca, DPO Base on HH-RLHF harmless pairs (Harmless) and on the built pairs "
        + "(GenderAlign), evaluate all three, and summarise in plain words.",
        "Re-running skips the stages whose settings, inputs and outputs are unchanged and resumes "
            + "an interrupted one. The effective config is written to OUT/config.yaml."})
public final class PipelineCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Output folder (default: the config's out, " + PipelineConfig.DEFAULT_OUT + ").")
  String out;

  @Option(names = "--config", paramLabel = "FILE",
      description = "A YAML or JSON config (keys as in docs/pipeline.md; unnamed keys keep their "
          + "defaults), or a preset: default, paper.")
  String config;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override one setting (repeatable), e.g. --set dpo.beta=0.2 --set eval.limit=50.")
  List<String> sets;

  @Option(names = "--quiet", description = "Only the summary.")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    GenderAlignCli root = GenderAlignCli.root(spec);
    List<String> overrides = new ArrayList<>(sets == null ? List.of() : sets);
    if (out != null) {
      overrides.add("out=" + out);
    }
    if (root.dataRootOption() != null) {
      overrides.add("dataRoot=" + root.dataRootOption());
    }
    PipelineConfig cfg = PipelineConfigs.load(config, overrides); // exit 2 with one line if bad
    PrintWriter o = spec.commandLine().getOut();
    PipelineResult r = Pipeline.run(cfg, quiet ? PipelineListener.NONE : PipelineListener.printing(o));
    if (quiet) {
      r.summary().lines().forEach(o::println);
    }
    o.println("summary: " + r.out().resolve(Pipeline.SUMMARY).resolve("summary.md"));
    o.println("report:  " + r.out().resolve(Pipeline.EVALUATE).resolve("report.html"));
    o.flush();
    return 0;
  }
}
