package org.genderalign.eval.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.genderalign.eval.benchmark.Progress;
import org.genderalign.llm.FakeChatServer;
import org.genderalign.llm.LlmEndpoint;
import org.genderalign.llm.LlmUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code openai:} judge against a real HTTP server on the loopback: well-formed rankings,
 * unparseable replies (a correction request, then counted as failed), 429s and 500s retried, a
 * re-run that repeats no request, and a planted API key that reaches the server but no file.
 */
class OpenAiJudgeTest {

  static final String PLANTED = "sk-judge-planted-4b1d9e-never-written";
  private static final ObjectMapper JSON = new ObjectMapper();

  static JudgeOptions options(FakeChatServer server, Path keyFile) {
    return JudgeOptions.defaults().withJudges(List.of("openai:judge-model")).withEndpoint(
        LlmEndpoint.builder().baseUrl(server.baseUrl()).apiKeyEnv("GA_UNSET_TEST_KEY")
            .apiKeyFile(keyFile.toString()).concurrency(3).maxRetries(4)
            .initialBackoffMillis(5L).maxBackoffMillis(20L).timeoutSeconds(5).build());
  }

  static List<JudgeItem> items() {
    List<JudgeItem> l = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String q = "Question " + i + (i == 2 ? " " + ScriptedJudgeServer.MALFORMED_ONCE : "")
          + (i == 5 ? " " + ScriptedJudgeServer.MALFORMED_ALWAYS : "");
      l.add(new JudgeItem("set/" + i, q, List.of("a".repeat(3 + i % 4), "bb",
          "c".repeat(1 + i % 3))));
    }
    return l;
  }

  @Test
  void ranksRetriesUnparseableRepliesCountsFailuresAndNeverRepeatsARequest(@TempDir Path dir)
      throws Exception {
    Path keyFile = Files.writeString(dir.resolve("key.txt"), PLANTED + "\n");
    Path work = dir.resolve("judges");
    try (FakeChatServer server = new FakeChatServer()) {
      server.content = ScriptedJudgeServer::content;
      // some requests meet a 429 (Retry-After 0) or a 500 first
      server.faults = (key, attempt) -> attempt > 1 ? FakeChatServer.Fault.NONE
          : key.charAt(0) < '3' ? FakeChatServer.Fault.TOO_MANY
          : key.charAt(0) < '6' ? FakeChatServer.Fault.SERVER_ERROR : FakeChatServer.Fault.NONE;
      JudgeContext ctx = new JudgeContext(null, options(server, keyFile), work, 99, Map.of(),
          null);
      List<Judgement> j;
      try (Judge judge = Judges.create("openai:judge-model", ctx)) {
        assertThat(server.modelRequests.get()).isEqualTo(1); // the preflight
        j = judge.judge(items(), Progress.NONE);
      }
      for (int i = 0; i < 8; i++) {
        JudgeItem it = items().get(i);
        if (i == 5) {
          assertThat(j.get(i).status()).isEqualTo(Judgement.Status.FAILED);
          assertThat(j.get(i).attempts()).isEqualTo(3); // 1 + 2 correction requests
          assertThat(j.get(i).detail()).contains("unparseable after 3 replies")
              .contains("not one JSON object");
          continue;
        }
        assertThat(j.get(i).status()).isEqualTo(Judgement.Status.OK);
        assertThat(j.get(i).attempts()).isEqualTo(i == 2 ? 2 : 1);
        // the server ranked by length: the ranks say the same
        List<String> byLength = ScriptedJudgeServer.ranking(JudgeInstructions.user(it));
        for (int r = 0; r < 3; r++) {
          assertThat(j.get(i).ranks()[Blinding.position(byLength.get(r), 3)]).isEqualTo(r + 1);
        }
      }
      // 8 first requests + 1 correction (q2) + 2 corrections (q5), each answered exactly once
      assertThat(server.answered).hasSize(11);
      assertThat(server.answered.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
      assertThat(server.attempts.values().stream().mapToInt(a -> a.get()).sum())
          .isGreaterThan(11); // the 429s and 500s were retried
      assertThat(server.authHeaders.values()).containsOnly("Bearer " + PLANTED);
      // every request: temperature 0, the run's seed, the system instructions
      JsonNode first = JSON.readTree(server.bodies.get(0));
      assertThat(first.path("temperature").asDouble()).isZero();
      assertThat(first.path("seed").asLong()).isEqualTo(99);
      assertThat(first.path("messages").path(0).path("content").asText())
          .contains("Stereotypes");
      // the correction request carries the reason
      assertThat(server.bodies).anySatisfy(b -> assertThat(b).contains("could not be read: the "
          + "reply is not one JSON object"));
      // the replies file keeps every reply and parse error
      List<String> replies = Files.readAllLines(work.resolve("openai_judge-model.replies.jsonl"));
      assertThat(replies).hasSize(8);
      JsonNode q5 = JSON.readTree(replies.get(5));
      assertThat(q5.path("status").asText()).isEqualTo("failed");
      assertThat(q5.path("replies")).hasSize(3);
      assertThat(q5.path("parse_errors")).hasSize(3);

      // a re-run (a new judge, as after a crash) answers everything from the journal
      int before = server.totalAnswered.get();
      int attemptsBefore = server.attempts.values().stream().mapToInt(a -> a.get()).sum();
      try (Judge judge = Judges.create("openai:judge-model", ctx)) {
        assertThat(judge.judge(items(), Progress.NONE)).isEqualTo(j);
      }
      assertThat(server.totalAnswered.get()).isEqualTo(before);
      assertThat(server.attempts.values().stream().mapToInt(a -> a.get()).sum())
          .isEqualTo(attemptsBefore);
    }
    assertNoFileContains(dir, PLANTED, keyFile);
  }

  @Test
  void anUnreachableEndpointOrARejectedKeyFailsAtOnceWithOneLine(@TempDir Path dir)
      throws Exception {
    Path keyFile = Files.writeString(dir.resolve("key.txt"), PLANTED);
    try (FakeChatServer server = new FakeChatServer()) {
      server.modelsStatus = 401;
      JudgeContext ctx = new JudgeContext(null, options(server, keyFile), dir.resolve("j"), 1,
          Map.of(), null);
      assertThatThrownBy(() -> Judges.create("openai:judge-model", ctx))
          .isInstanceOf(LlmUnavailableException.class).hasMessageContaining("rejected the API key")
          .hasMessageNotContaining(PLANTED);
    }
    JudgeOptions closed = JudgeOptions.defaults().withEndpoint(LlmEndpoint.builder()
        .baseUrl("http://127.0.0.1:1/v1").timeoutSeconds(2).build());
    assertThatThrownBy(() -> Judges.create("openai:m", new JudgeContext(null, closed,
        dir.resolve("j"), 1, Map.of(), null)))
        .isInstanceOf(LlmUnavailableException.class).hasMessageContaining("cannot reach");
    // the preflight wrote nothing into the run's folder
    assertThat(dir.resolve("j")).doesNotExist();
  }

  /** Every file under {@code dir} (but the key file itself) is free of {@code secret}. */
  static void assertNoFileContains(Path dir, String secret, Path keyFile) throws Exception {
    int files = 0;
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path f : all.filter(Files::isRegularFile).toList()) {
        if (f.equals(keyFile)) {
          continue;
        }
        assertThat(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1))
            .as(f.toString()).doesNotContain(secret);
        files++;
      }
    }
    assertThat(files).isGreaterThan(0);
  }
}
