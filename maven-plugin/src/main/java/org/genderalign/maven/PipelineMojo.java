package org.genderalign.maven;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.genderalign.pipeline.Pipeline;
import org.genderalign.pipeline.PipelineConfig;
import org.genderalign.pipeline.PipelineConfigs;
import org.genderalign.pipeline.PipelineListener;
import org.genderalign.pipeline.PipelineResult;

/**
 * {@code genderalign:pipeline} — the paper's experiment, as {@code ./genderalign pipeline}:
 * fills a {@link PipelineConfig} from {@code config}, {@code settings} and {@code out}, and calls
 * {@link Pipeline#run}. Stages whose settings, inputs and outputs are unchanged are skipped, so
 * binding it to a phase costs nothing on a re-run. A bad setting fails with the CLI's one line.
 *
 * <pre>{@code
 * <configuration>
 *   <config>paper</config>                       <!-- a YAML/JSON file or a preset -->
 *   <overrides><dpo.beta>0.2</dpo.beta><eval.limit>50</eval.limit></overrides>
 *   <out>${project.build.directory}/pipeline</out>
 * </configuration>
 * }</pre>
 * or {@code mvn genderalign:pipeline -Dgenderalign.config=paper -Dgenderalign.set=dpo.beta=0.2}.
 */
@Mojo(name = "pipeline", requiresProject = false, threadSafe = true)
public final class PipelineMojo extends AbstractMojo {

  /** A YAML or JSON config file, or a preset ({@code default}, {@code paper}); default: every default. */
  @Parameter(property = "genderalign.config")
  String config;

  /** Settings by key, as {@code --set key=value} (e.g. {@code <dpo.beta>0.2</dpo.beta>}). */
  @Parameter
  Map<String, String> overrides;

  /** More settings as {@code key=value} strings ({@code -Dgenderalign.set=a.b=1,c.d=2}). */
  @Parameter(property = "genderalign.set")
  List<String> set;

  /** Output folder (default: the config's {@code out}). */
  @Parameter(property = "genderalign.out")
  File out;

  /** Data root; default: {@code GENDERALIGN_DATA_ROOT}, else {@code data/external}. */
  @Parameter(property = "genderalign.dataRoot")
  File dataRoot;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    List<String> all = new ArrayList<>();
    if (overrides != null) {
      overrides.forEach((k, v) -> all.add(k + "=" + v));
    }
    if (set != null) {
      all.addAll(set);
    }
    if (out != null) {
      all.add("out=" + out.getAbsolutePath());
    }
    if (dataRoot != null) {
      all.add("dataRoot=" + dataRoot.getAbsolutePath());
    }
    PipelineResult r;
    try {
      PipelineConfig cfg = PipelineConfigs.load(config, all);
      r = Pipeline.run(cfg, new PipelineListener() {
        @Override
        public void stageStarted(String stage, boolean resume, String why) {
          getLog().info(stage + (resume ? ": resuming the interrupted run" : ": running")
              + (why == null ? "" : " (" + why + ")"));
        }

        @Override
        public void stageSkipped(String stage) {
          getLog().info(stage + ": up to date, skipped");
        }

        @Override
        public void message(String line) {
          getLog().info("  " + line);
        }
      });
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException(e.getMessage(), e); // the CLI's one line (exit 2 there)
    } catch (IOException e) {
      throw new MojoExecutionException(e.getMessage(), e);
    }
    getLog().info("summary: " + r.out().resolve(Pipeline.SUMMARY).resolve("summary.md"));
  }
}
