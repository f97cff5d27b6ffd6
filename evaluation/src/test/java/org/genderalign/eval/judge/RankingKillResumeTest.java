package org.genderalign.eval.judge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.genderalign.eval.EvaluationResult;
import org.genderalign.eval.Evaluator;
import org.genderalign.llm.FakeChatServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real evaluation process judged by an LLM at a loopback server is killed (SIGKILL) in the
 * middle of its judge requests and run again: no request is answered twice across both runs,
 * the answers generated before the kill are reused, the results are complete, and the API key
 * — planted in the child's environment and in a key file — reaches the server but no output
 * file, journal or log.
 */
class RankingKillResumeTest {

  static final String PLANTED = "sk-kill-test-9c2e71-never-written";

  static long journalLines(Path out) throws Exception {
    Path j = out.resolve("judges/openai_fake-judge.journal.jsonl");
    return Files.exists(j) ? Files.readAllLines(j).stream().filter(l -> l.endsWith("}")).count()
        : 0;
  }

  @Test
  void aKilledRankingResumesWithoutRepeatingARequestAndWritesNoKey(@TempDir Path tmp)
      throws Exception {
    Path out = tmp.resolve("out");
    Path keyFile = Files.writeString(tmp.resolve("judge.key"), PLANTED);
    Path childLog = tmp.resolve("child.log");
    try (FakeChatServer server = new FakeChatServer()) {
      server.content = ScriptedJudgeServer::content;
      server.hangAfter = 3;
      server.faults = (key, attempt) -> attempt == 1 && key.charAt(0) < '6'
          ? (key.charAt(1) < '8' ? FakeChatServer.Fault.TOO_MANY
              : FakeChatServer.Fault.SERVER_ERROR) : FakeChatServer.Fault.NONE;
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
          "java").toString(), "-cp", System.getProperty("java.class.path")));
      for (String key : List.of("genderalign.data.root.fallback", "genderalign.project.root",
          "genderalign.data.root")) {
        String value = System.getProperty(key);
        if (value != null) {
          cmd.add("-D" + key + "=" + value);
        }
      }
      cmd.addAll(List.of(ForkedRankingRun.class.getName(), out.toString(), server.baseUrl(),
          tmp.resolve("no-such-key-file").toString()));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(childLog.toFile());
      pb.environment().put(ForkedRankingRun.KEY_ENV, PLANTED); // the child's key: from its env
      Process p = pb.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
      while ((server.totalAnswered.get() < 3 || journalLines(out) < 3)
          && System.nanoTime() < deadline) {
        assertThat(p.isAlive()).as("child log: %s", Files.exists(childLog)
            ? Files.readString(childLog) : "").isTrue();
        Thread.sleep(100);
      }
      assertThat(journalLines(out)).isEqualTo(3);
      p.destroyForcibly(); // SIGKILL
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(Files.exists(out.resolve(EvaluationResult.RESULTS_JSON))).isFalse();
      server.releaseHung();

      // run again, in this JVM: the key now from the key file (the variable is not set here)
      StringWriter log = new StringWriter();
      EvaluationResult r = new Evaluator(new PrintWriter(log), false).run(
          ForkedRankingRun.config(out, server.baseUrl(), keyFile));
      assertThat(log.toString()).contains("a / generations genderalign-release: 6 answers reused")
          .contains("b / generations genderalign-release: 6 answers reused")
          .doesNotContain("new tokens");
      assertThat(server.answered).hasSize(6);
      assertThat(server.answered.values()).allSatisfy(n -> assertThat(n.get())
          .as("answers per request").isEqualTo(1));
      assertThat(journalLines(out)).isEqualTo(6);
      var rk = r.benchmark("ranking");
      assertThat(rk.results().get("a").metrics().get("openai:fake-judge.points").n())
          .isEqualTo(6);
      assertThat(server.authHeaders.values()).containsOnly("Bearer " + PLANTED);
      // the key is in no file of the run, and not in the child's or this run's log
      OpenAiJudgeTest.assertNoFileContains(out, PLANTED, keyFile);
      assertThat(Files.readString(childLog, StandardCharsets.ISO_8859_1)).doesNotContain(PLANTED);
      assertThat(log.toString()).doesNotContain(PLANTED);
    }
  }
}
