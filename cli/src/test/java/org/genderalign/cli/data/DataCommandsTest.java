package org.genderalign.cli.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.genderalign.cli.CliRun;
import org.genderalign.core.dataroot.DataRegistry;
import org.genderalign.core.dataroot.DataRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataCommandsTest {

  @TempDir Path tmp;

  @Test
  void verifyPassesOnTheMirror() {
    Path root = DataRoot.fromEnvironment().dir();
    CliRun r = CliRun.of("--data-root", root.toString(), "data", "verify");
    int n = DataRegistry.load().files().size();
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("data root: " + root + "  [--data-root]")
        .contains(n + " files: " + n + " ok, 0 missing or corrupt");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void verifyOnAnEmptyRootExitsTwoAndSaysHowToFix() {
    CliRun r = CliRun.of("--data-root", tmp.toString(), "data", "verify", "--only", "genderalign-partial,alpaca-5000");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).contains("genderalign-partial  missing").contains("2 files: 0 ok, 2 missing or corrupt");
    assertThat(r.err().lines()).hasSize(2);
    assertThat(r.err()).contains("error: ").contains("(genderalign-partial) is missing: expected "
        + tmp.resolve("data/genderalign/GenderAlign.partial-101.json"))
        .contains("mirror that has data/genderalign/GenderAlign.partial-101.json");
  }

  @Test
  void unknownIdIsBadUsage() {
    CliRun r = CliRun.of("data", "verify", "--only", "nope");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: unknown data file id 'nope'").doesNotContain("Exception");
  }

  @Test
  void verifyFindsACorruptFile() throws Exception {
    Path p = tmp.resolve("data/genderalign/GenderAlign.partial-101.json");
    Files.createDirectories(p.getParent());
    Files.writeString(p, "[]");
    CliRun r = CliRun.of("--data-root", tmp.toString(), "data", "verify", "--only", "genderalign-partial");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).contains("wrong_size");
    assertThat(r.err()).contains("has 2 bytes, expected 83828 (truncated or a different version)");
  }

  @Test
  void fetchFailsClearlyOffline() {
    CliRun r = CliRun.of("data", "fetch", "--dest", tmp.toString(), "--only", "alpaca-license", "--timeout", "5");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("error: cannot download alpaca-license from "
        + "https://raw.githubusercontent.com/tatsu-lab/stanford_alpaca/main/DATA_LICENSE")
        .contains("no internet access? copy the file to " + tmp.resolve("data/alpaca/DATA_LICENSE"));
    assertThat(r.out()).contains("fetch: 0 already present, 0 downloaded, 1 failed");
    assertThat(tmp.resolve("data/alpaca/DATA_LICENSE")).doesNotExist();
  }

  @Test
  void fetchOfAFileWithoutDownloadSaysHowToObtainIt() {
    CliRun r = CliRun.of("data", "fetch", "--dest", tmp.toString(), "--only", "alpaca-5000");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: alpaca-5000: no direct download; derived or re-exported file");
  }
}
