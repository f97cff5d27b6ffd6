package org.genderalign.eval.judge;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.genderalign.core.dataroot.DataRoot;

/**
 * What a judge may use besides the items.
 *
 * @param dataRoot the data root (the taxonomy classifier's lexicons)
 * @param options the judge options
 * @param workDir where judges keep their files (journals, raw replies): the run's
 *     {@code judges/} folder
 * @param seed the run's seed (LLM judges send it with every request)
 * @param env the environment API keys are read from
 * @param log one-line notes
 */
public record JudgeContext(DataRoot dataRoot, JudgeOptions options, Path workDir, long seed,
    Map<String, String> env, PrintWriter log) {

  public JudgeContext {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(workDir, "workDir");
    env = env == null ? Map.of() : env;
    log = log == null ? new PrintWriter(java.io.OutputStream.nullOutputStream()) : log;
  }
}
