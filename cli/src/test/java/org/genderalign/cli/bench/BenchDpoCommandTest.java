package org.genderalign.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.genderalign.cli.GenderAlignCli;
import org.junit.jupiter.api.Test;

class BenchDpoCommandTest {

  @Test
  void printsFiguresForBothReferenceModes() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = GenderAlignCli.run(new String[] {"bench", "dpo", "--batch-size", "1", "--seq-len", "16", "--steps", "1"},
        new PrintWriter(out), new PrintWriter(err));
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("reference=live tokens_per_s=", "reference=precomputed tokens_per_s=",
        "gemm_fraction=", "peak_rss_mb=", "precomputed_speedup=");
  }
}
