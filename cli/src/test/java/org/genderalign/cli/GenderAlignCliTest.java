package org.genderalign.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.genderalign.core.provenance.BuildInfo;
import org.junit.jupiter.api.Test;

class GenderAlignCliTest {

  @Test
  void versionNamesTheBuildAndJava() {
    CliRun r = CliRun.of("--version");
    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("genderalign " + BuildInfo.version() + " (git ")
        .contains("Java " + System.getProperty("java.version"));
    assertThat(BuildInfo.version()).isNotEqualTo("unknown");
  }

  @Test
  void unknownOptionIsBadUsage() {
    CliRun r = CliRun.of("--frobnicate");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: Unknown option: '--frobnicate'").contains("(see 'genderalign --help')");
    assertThat(r.err().lines()).hasSize(1);
    CliRun sub = CliRun.of("dataset", "import", "--format", "hh", "--in", "x", "--out", "y", "--bogus");
    assertThat(sub.code()).isEqualTo(2);
    assertThat(sub.err()).contains("Unknown option: '--bogus'").contains("genderalign dataset import --help");
  }

  @Test
  void helpListsTheCommandGroups() {
    CliRun r = CliRun.of("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("data").contains("dataset");
  }
}
