package org.genderalign.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.genderalign.core.dataroot.DataRoot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new user hit (issue 12, section 5), each now one line on stderr and exit 2 before any
 * work starts — and nothing written. Options are named as the user typed them.
 */
class NewUserTest {

  @TempDir Path tmp;
  Path empty;
  Path one;
  Path dir;
  Path file;
  String root;

  @BeforeEach
  void files() throws Exception {
    empty = Files.writeString(tmp.resolve("empty.jsonl"), "");
    one = Files.writeString(tmp.resolve("one.jsonl"), "{\"prompt\":\"p\",\"chosen\":\"c\",\"rejected\":\"r\"}\n");
    dir = Files.createDirectories(tmp.resolve("adir"));
    file = Files.writeString(tmp.resolve("afile"), "x");
    root = DataRoot.fromEnvironment().dir().toString();
  }

  /** Runs the CLI; asserts exit 2, exactly one line on stderr, and that no file was written. */
  private String fails(String... args) throws Exception {
    long before = count();
    String[] full = new String[args.length + 2];
    full[0] = "--data-root";
    full[1] = root;
    System.arraycopy(args, 0, full, 2, args.length);
    CliRun r = CliRun.of(full);
    assertThat(r.code()).as("%s%n%s", String.join(" ", args), r.err()).isEqualTo(2);
    assertThat(r.err().lines()).as(r.err()).hasSize(1);
    assertThat(count()).as("files written by a failed command").isEqualTo(before);
    return r.err().strip();
  }

  private long count() throws Exception {
    try (Stream<Path> s = Files.walk(tmp)) {
      return s.count();
    }
  }

  @Test
  void anEmptyInputIsAnError() throws Exception {
    assertThat(fails("dataset", "import", "--format", "trl", "--in", empty.toString(), "--out",
        tmp.resolve("out.jsonl").toString())).isEqualTo("error: no pairs in " + empty);
    assertThat(fails("dataset", "stats", "--in", empty.toString())).isEqualTo("error: no pairs in " + empty);
    assertThat(fails("train", "dpo", "--model", "stories260K", "--data", empty.toString(), "--out",
        tmp.resolve("t").toString())).isEqualTo("error: no pairs in " + empty);
    assertThat(fails("train", "sft", "--model", "stories260K", "--data", empty.toString(), "--out",
        tmp.resolve("t").toString())).isEqualTo("error: no examples in " + empty);
    assertThat(fails("score", "--model", "stories260K", "--in", empty.toString(), "--out",
        tmp.resolve("s.jsonl").toString())).isEqualTo("error: no pairs in " + empty);
    assertThat(fails("taxonomy", "audit", "--format", "trl", "--in", empty.toString(), "--out",
        tmp.resolve("a.jsonl").toString())).isEqualTo("error: no pairs in " + empty);
  }

  @Test
  void aFolderWhereAFileIsExpectedAndAFileWhereAFolderIsExpected() throws Exception {
    String outIsDir = "error: --out " + dir + ": is a folder; expected a file name";
    assertThat(fails("dataset", "import", "--format", "trl", "--in", one.toString(), "--out", dir.toString()))
        .isEqualTo(outIsDir);
    assertThat(fails("score", "--model", "stories260K", "--in", one.toString(), "--out", dir.toString()))
        .isEqualTo(outIsDir);
    assertThat(fails("taxonomy", "audit", "--format", "trl", "--in", one.toString(), "--out", dir.toString()))
        .isEqualTo(outIsDir);
    String outIsFile = "error: --out " + file + ": is a file; expected a folder";
    assertThat(fails("train", "dpo", "--model", "stories260K", "--data", one.toString(), "--out", file.toString()))
        .isEqualTo(outIsFile);
    assertThat(fails("dataset", "build", "--out", file.toString())).isEqualTo(outIsFile);
    assertThat(fails("dataset", "import", "--format", "trl", "--in", dir.toString(), "--out",
        tmp.resolve("o.jsonl").toString())).isEqualTo("error: --in " + dir + ": is a folder; expected a file");
    assertThat(fails("dataset", "stats", "--in", dir.toString()))
        .isEqualTo("error: --in " + dir + ": is a folder; expected a file");
    assertThat(fails("train", "dpo", "--model", "stories260K", "--data", dir.toString(), "--out",
        tmp.resolve("t").toString())).isEqualTo("error: --data " + dir + ": is a folder; expected a file");
    assertThat(fails("score", "--model", "stories260K", "--in", one.toString(), "--out",
        tmp.resolve("s.jsonl").toString(), "--resume", "--batch-size", "0"))
        .isEqualTo("error: --batch-size must be at least 1, got 0");
  }

  @Test
  void optionsAreCheckedUpFrontAndNamedAsTyped() throws Exception {
    String t = tmp.resolve("t").toString();
    String[] dpo = {"train", "dpo", "--model", "stories260K", "--data", one.toString(), "--out", t};
    assertThat(fails(concat(dpo, "--steps", "0"))).isEqualTo("error: --steps must be at least 1, got 0");
    assertThat(fails(concat(dpo, "--lr", "-1"))).isEqualTo("error: --lr must be >= 0 and finite, got -1.0");
    assertThat(fails(concat(dpo, "--learning-rate", "-1")))
        .isEqualTo("error: --learning-rate must be >= 0 and finite, got -1.0");
    // a value picocli itself cannot convert: named as typed too, not by the longest alias
    assertThat(fails(concat(dpo, "--lr", "abc"))).startsWith("error: Invalid value for option '--lr': 'abc'");
    assertThat(fails(concat(dpo, "--lr=abc"))).startsWith("error: Invalid value for option '--lr': 'abc'");
    assertThat(fails(concat(dpo, "--batch-size", "0"))).isEqualTo("error: --batch-size must be >= 1, got 0");
    assertThat(fails(concat(dpo, "--gradient-accumulation-steps", "0")))
        .isEqualTo("error: --gradient-accumulation-steps must be >= 1, got 0");
    assertThat(fails(concat(dpo, "--lora-rank", "0"))).isEqualTo("error: --lora-rank must be >= 1, got 0");
    assertThat(fails(concat(dpo, "--beta", "0"))).isEqualTo("error: --beta must be > 0 and finite, got 0.0");
    assertThat(fails(concat(dpo, "--loss", "kto2"))).startsWith("error: unknown --loss 'kto2'; expected one of ");
    assertThat(fails("train", "dpo", "--model", "nope.bin", "--data", one.toString(), "--out", t))
        .isEqualTo("error: --model nope.bin: no such file or folder, and not a short name (stories260K, "
            + "stories260K-gguf)");

    String b = tmp.resolve("b").toString();
    assertThat(fails("dataset", "build", "--out", b, "--rejected-generator", "model", "--generator-model", "nope"))
        .isEqualTo("error: --generator-model nope: no such file or folder, and not a short name (stories260K, "
            + "stories260K-gguf)");
    assertThat(fails("dataset", "build", "--out", b, "--rejected-generator", "modl"))
        .startsWith("error: --rejected-generator: must be one of [").endsWith("got 'modl'");
    assertThat(fails("dataset", "build", "--out", b, "--target", "0"))
        .isEqualTo("error: --target: must be between 1 and 10000000, got 0");
    assertThat(fails("dataset", "build", "--out", b, "--generator-max-new-tokens", "0"))
        .startsWith("error: --generator-max-new-tokens: ");

    assertThat(fails("generate", "--model", "stories260K", "--prompt", "hi", "--max-tokens", "-1"))
        .isEqualTo("error: --max-tokens must be >= 0: -1");
    // the main job: every setting is checked before any stage starts ("run" is the old name)
    assertThat(fails("run", "--out", tmp.resolve("r").toString(), "--set", "dpo.beta=-1"))
        .isEqualTo("error: the default config: dpo.beta must be > 0, got -1.0");
    assertThat(fails("pipeline", "--out", tmp.resolve("r").toString(), "--set", "dpo.lr=1e-4"))
        .startsWith("error: the default config: unknown setting 'dpo.lr' (valid keys of dpo: ")
        .contains("learningRate");
    assertThat(fails("pipeline", "--out", tmp.resolve("r").toString(), "--config", "nope.yaml"))
        .isEqualTo("error: config file nope.yaml not found (or give a preset: default, paper)");
    assertThat(tmp.resolve("r")).doesNotExist();
  }

  @Test
  void withoutADataMirrorOneLineSaysHowToGetOne() throws Exception {
    Path none = tmp.resolve("no-mirror");
    CliRun r = CliRun.of("--data-root", none.toString(), "generate", "--model", "stories260K", "--prompt", "Hi");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("error: no data mirror at " + none + " [--data-root]: set GENDERALIGN_DATA_ROOT "
        + "(or --data-root) to the folder of the data mirror, or run './genderalign data fetch' to download the "
        + "files there\n");
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
