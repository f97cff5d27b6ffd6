package org.genderalign.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.genderalign.cli.GenderAlignCli;
import org.genderalign.trainer.model.LlamaConfig;
import org.junit.jupiter.api.Test;

/**
 * {@code bench dpo}'s figures are checked for what they claim, not only for their labels: the
 * model's parameter count, tokens/s = 2·B·T / step time, the model FLOP/s of the stated formula
 * (2·matmul weights + attention, ×4 live and ×3 precomputed), the GEMM fraction and the speed-up
 * as ratios of the printed figures (to their printed precision).
 */
class BenchDpoCommandTest {

  static final Pattern FIELD = Pattern.compile("([a-z_]+)=([-0-9.]+|[A-Za-z0-9]+)");

  static Map<String, String> fields(String line) {
    Map<String, String> m = new HashMap<>();
    Matcher f = FIELD.matcher(line);
    while (f.find()) {
      m.put(f.group(1), f.group(2));
    }
    return m;
  }

  @Test
  void figuresAreConsistentWithTheModelAndEachOther() {
    int batch = 1;
    int seqLen = 32;
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = GenderAlignCli.run(new String[] {"bench", "dpo", "--batch-size", Integer.toString(batch), "--seq-len",
        Integer.toString(seqLen), "--steps", "2"}, new PrintWriter(out), new PrintWriter(err));
    assertThat(code).as(err.toString()).isZero();
    List<String> lines = out.toString().lines().toList();
    Map<String, String> head = fields(lines.get(0));
    LlamaConfig c = LlamaConfig.stories260K();
    assertThat(head).containsEntry("model", "stories260K").containsEntry("batch", "1").containsEntry("seq_len", "32")
        .containsEntry("steps", "2").containsEntry("params", Long.toString(c.parameterCount()));
    double gemm = Double.parseDouble(head.get("gemm_gflops"));
    assertThat(gemm).isPositive();

    double tokens = 2.0 * batch * seqLen;
    double matmul = c.nLayers() * (2.0 * c.dim() * c.dim() + 2.0 * c.kvDim() * c.dim() + 3.0 * c.hiddenDim() * c.dim())
        + (double) c.vocabSize() * c.dim();
    double fwdPerToken = 2.0 * matmul + 4.0 * c.nLayers() * seqLen * c.dim();
    Map<String, Double> stepS = new HashMap<>();
    for (String mode : List.of("live", "precomputed")) {
      Map<String, String> f = fields(lines.stream().filter(l -> l.startsWith("reference=" + mode + " "))
          .findFirst().orElseThrow());
      double step = Double.parseDouble(f.get("step_s"));
      assertThat(step).isPositive();
      stepS.put(mode, step);
      double tps = Double.parseDouble(f.get("tokens_per_s"));
      // printed to 4 decimals (step) and units (tokens/s): 2% covers the rounding of short steps
      assertThat(tps * step).as(mode + " tokens per step").isCloseTo(tokens, within(tokens * 0.02 + 1));
      double gflops = tokens * fwdPerToken * (mode.equals("live") ? 4 : 3) / step / 1e9;
      assertThat(Double.parseDouble(f.get("model_gflops"))).as(mode + " model GFLOP/s")
          .isCloseTo(gflops, within(gflops * 0.02 + 0.006));
      assertThat(Double.parseDouble(f.get("gemm_fraction"))).as(mode + " GEMM fraction")
          .isCloseTo(Double.parseDouble(f.get("model_gflops")) / gemm, within(0.002 + 0.06 / gemm));
      double rss = Double.parseDouble(f.get("peak_rss_mb"));
      assertThat(rss).as("peak RSS of a JVM with libtorch, MB").isBetween(100.0, 64_000.0);
    }
    double speedup = Double.parseDouble(fields(lines.get(lines.size() - 1)).get("precomputed_speedup"));
    assertThat(speedup).isCloseTo(stepS.get("live") / stepS.get("precomputed"),
        within(0.01 + stepS.get("live") / stepS.get("precomputed") * 0.03));
  }
}
