package org.genderalign.builder.generate.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.genderalign.builder.pipeline.BuildResult;
import org.genderalign.builder.pipeline.DatasetBuilder;
import org.genderalign.core.io.Hashing;
import org.genderalign.llm.FakeChatServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real build process in the middle of its chat requests and resumes it: every request
 * body is answered by the server exactly once across both runs, and the resumed build equals an
 * uninterrupted one byte for byte.
 */
class OpenAiBuildResumeTest {

  static long journalLines(Path work) throws IOException {
    long n = 0;
    for (String f : List.of("openai-journal.jsonl", "openai-rejected-journal.jsonl")) {
      Path p = work.resolve(f);
      if (Files.exists(p)) {
        n += Files.readAllLines(p).stream().filter(l -> l.endsWith("}")).count();
      }
    }
    return n;
  }

  @Test
  void killedBuildResumesWithoutRepeatingARequest(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("killed");
    try (FakeChatServer server = new FakeChatServer()) {
      server.content = BuilderChatContent::content;
      server.hangAfter = 20;
      // Some requests meet a 429 or a 500 first: retries must not double-count either.
      server.faults = (key, attempt) -> attempt == 1 && key.charAt(0) < '4'
          ? (key.charAt(1) < '8' ? FakeChatServer.Fault.TOO_MANY : FakeChatServer.Fault.SERVER_ERROR)
          : FakeChatServer.Fault.NONE;
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path")));
      // The child must find the data root exactly as this JVM does (a relative
      // GENDERALIGN_DATA_ROOT resolves against the project root).
      for (String key : List.of("genderalign.data.root.fallback", "genderalign.project.root",
          "genderalign.data.root")) {
        String value = System.getProperty(key);
        if (value != null) {
          cmd.add("-D" + key + "=" + value);
        }
      }
      cmd.addAll(List.of(ForkedOpenAiBuild.class.getName(), out.toString(), server.baseUrl(), "false"));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile())
          .start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while ((server.totalAnswered.get() < 20 || journalLines(out.resolve(".build")) < 20) && System.nanoTime() < deadline) {
        assertThat(p.isAlive()).as("child log: %s", tmp.resolve("child.log")).isTrue();
        Thread.sleep(50);
      }
      assertThat(journalLines(out.resolve(".build"))).isEqualTo(20);
      p.destroyForcibly();
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      server.releaseHung();

      BuildResult r = DatasetBuilder.build(ForkedOpenAiBuild.config(server.baseUrl()),
          ForkedOpenAiBuild.options(out, true));
      assertThat(r.total()).isEqualTo(12);
      assertThat(server.answered.values()).allSatisfy(n -> assertThat(n.get()).as("answers per request").isEqualTo(1));
      assertThat(journalLines(out.resolve(".build"))).isEqualTo(server.totalAnswered.get());
      // the key reached the server, and no file the build wrote
      assertThat(server.authHeaders.values()).containsOnly("Bearer sk-test-never-logged");
      try (java.util.stream.Stream<Path> files = Files.walk(out)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          assertThat(Files.readString(f)).as(f.toString()).doesNotContain("sk-test");
        }
      }
      assertThat(Files.readString(tmp.resolve("child.log"))).doesNotContain("sk-test");

      // The same build without a kill gives the same files.
      Path straight = tmp.resolve("straight");
      int before = server.totalAnswered.get();
      DatasetBuilder.build(ForkedOpenAiBuild.config(server.baseUrl()), ForkedOpenAiBuild.options(straight, false));
      assertThat(server.totalAnswered.get() - before).isEqualTo(before);
      for (String f : List.of("train.jsonl", "test.jsonl", "genderalign.json", "stats.json", "README.md")) {
        assertThat(Hashing.sha256(out.resolve(f))).as(f).isEqualTo(Hashing.sha256(straight.resolve(f)));
      }
      // Re-running into the same folder (no --resume) pays for nothing: the journal answers.
      int again = server.totalAnswered.get();
      DatasetBuilder.build(ForkedOpenAiBuild.config(server.baseUrl()), ForkedOpenAiBuild.options(straight, false));
      assertThat(server.totalAnswered.get()).isEqualTo(again);
    }
  }

}
