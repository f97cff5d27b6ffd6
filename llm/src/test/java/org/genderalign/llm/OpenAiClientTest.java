package org.genderalign.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a real HTTP server on the loopback: retries on 429/500/timeouts/malformed
 * bodies with backoff (and the server's Retry-After), the journal that makes a restarted client
 * repeat no request, the journal key covering every request field, the preflight, and a planted
 * key that never reaches a file or an exception.
 */
class OpenAiClientTest {

  static final String PLANTED = "sk-planted-7f3a9c-never-written";

  static LlmEndpoint endpoint(FakeChatServer s) {
    return LlmEndpoint.builder().baseUrl(s.baseUrl()).concurrency(3).maxRetries(4)
        .initialBackoffMillis(10L).maxBackoffMillis(50L).timeoutSeconds(1).build();
  }

  static List<ChatRequest> requests(int n) {
    List<ChatRequest> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(ChatRequest.of("test-model", "You are the assistant.", "question " + i, 0.7, 64, 42L));
    }
    return l;
  }

  @Test
  void retriesRateLimitsServerErrorsTimeoutsAndMalformedBodiesAndARestartRepeatsNothing(
      @TempDir Path tmp) throws Exception {
    try (FakeChatServer server = new FakeChatServer()) {
      List<FakeChatServer.Fault> script = List.of(FakeChatServer.Fault.TOO_MANY,
          FakeChatServer.Fault.SERVER_ERROR, FakeChatServer.Fault.SLOW,
          FakeChatServer.Fault.MALFORMED);
      // each request fails once with its own fault (by hash), then succeeds
      server.faults = (key, attempt) -> attempt == 1
          ? script.get(Math.floorMod(key.hashCode(), script.size())) : FakeChatServer.Fault.NONE;
      server.slowMillis = 1500;
      Path journal = tmp.resolve("j.jsonl");
      List<String> out;
      try (OpenAiClient c = new OpenAiClient(endpoint(server), ApiKey.of(PLANTED),
          RequestJournal.open(journal))) {
        out = c.complete(requests(12));
        assertThat(c.sent()).isEqualTo(24);
      }
      assertThat(out).hasSize(12).allSatisfy(s -> assertThat(s).startsWith("Honestly"));
      assertThat(out.get(3)).isEqualTo("Honestly, " + FakeChatServer.tag("question 3")
          + " yes, that is just how it is.");
      assertThat(server.answered.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
      assertThat(server.authHeaders.values()).containsOnly("Bearer " + PLANTED);
      assertThat(Files.readString(journal)).doesNotContain(PLANTED).contains("question 11");

      // a restarted client (a new process would do the same) answers everything from the journal
      try (OpenAiClient c = new OpenAiClient(endpoint(server), ApiKey.none(),
          RequestJournal.open(journal))) {
        assertThat(c.complete(requests(12))).isEqualTo(out);
        assertThat(c.sent()).isZero();
        assertThat(c.cached()).isEqualTo(12);
      }
    }
  }

  @Test
  void backoffGrowsExponentiallyAndHonoursRetryAfter(@TempDir Path tmp) throws Exception {
    try (FakeChatServer server = new FakeChatServer()) {
      LlmEndpoint e = endpoint(server).toBuilder().initialBackoffMillis(40L).maxBackoffMillis(2000L)
          .build();
      server.faults = (key, attempt) -> attempt <= 3 ? FakeChatServer.Fault.SERVER_ERROR
          : FakeChatServer.Fault.NONE;
      try (OpenAiClient c = new OpenAiClient(e, ApiKey.none(), RequestJournal.open(tmp.resolve("a")))) {
        c.complete(requests(1));
      }
      List<Long> t = server.arrivals.values().iterator().next();
      assertThat(t).hasSize(4);
      // retry n waits at least half of 40·2^(n-1) ms: 20, 40, 80
      for (int n = 1; n <= 3; n++) {
        assertThat((t.get(n) - t.get(n - 1)) / 1e6).as("gap %d", n)
            .isGreaterThanOrEqualTo(20.0 * (1 << (n - 1)));
      }
      // a 429 with Retry-After: 1 waits a second although the backoff is 40 ms
      server.arrivals.clear();
      server.retryAfter = "1";
      server.faults = (key, attempt) -> attempt == 1 ? FakeChatServer.Fault.TOO_MANY
          : FakeChatServer.Fault.NONE;
      try (OpenAiClient c = new OpenAiClient(e, ApiKey.none(), RequestJournal.open(tmp.resolve("b")))) {
        c.complete(List.of(ChatRequest.of("m", null, "retry after", 0, 8, null)));
      }
      List<Long> r = server.arrivals.values().iterator().next();
      assertThat((r.get(1) - r.get(0)) / 1e6).isGreaterThanOrEqualTo(950.0);
      // the jittered delay stays within [exp/2, exp] and the cap
      try (OpenAiClient c = new OpenAiClient(e, ApiKey.none(), RequestJournal.open(tmp.resolve("c")))) {
        for (int i = 0; i < 200; i++) {
          assertThat(c.backoff(3, null)).isBetween(80L, 160L);
          assertThat(c.backoff(30, null)).isBetween(1000L, 2000L);
          assertThat(c.backoff(1, "100")).isEqualTo(2000L);
        }
      }
      assertThat(OpenAiClient.retryAfterMillis("2.5")).isEqualTo(2500);
      assertThat(OpenAiClient.retryAfterMillis("Wed, 21 Oct 2015 07:28:00 GMT")).isZero();
      assertThat(OpenAiClient.retryAfterMillis("soon")).isZero();
    }
  }

  @Test
  void everyRequestFieldIsPartOfTheJournalKey(@TempDir Path tmp) throws Exception {
    try (FakeChatServer server = new FakeChatServer();
        OpenAiClient c = new OpenAiClient(endpoint(server), ApiKey.none(),
            RequestJournal.open(tmp.resolve("j")))) {
      ChatRequest base = ChatRequest.of("judge-a", "sys", "rank these", 0.0, 100, 1L);
      List<ChatRequest> variants = List.of(base,
          ChatRequest.of("judge-b", "sys", "rank these", 0.0, 100, 1L),
          ChatRequest.of("judge-a", "sys", "rank these", 0.5, 100, 1L),
          ChatRequest.of("judge-a", "sys", "rank these", 0.0, 101, 1L),
          ChatRequest.of("judge-a", "sys", "rank these", 0.0, 100, 2L),
          ChatRequest.of("judge-a", "sys", "rank these", 0.0, 100, null),
          ChatRequest.of("judge-a", "other", "rank these", 0.0, 100, 1L));
      assertThat(variants.stream().map(c::key).distinct()).hasSize(variants.size());
      c.complete(variants);
      c.complete(variants);
      assertThat(c.sent()).isEqualTo(variants.size());
      assertThat(c.cached()).isEqualTo(variants.size());
      assertThat(server.bodies.get(0)).contains("\"model\"").contains("\"temperature\"")
          .contains("\"max_tokens\"");
    }
  }

  @Test
  void givesUpAfterRetriesAndStopsAtOnceOnAuthErrors(@TempDir Path tmp) throws Exception {
    try (FakeChatServer server = new FakeChatServer()) {
      server.faults = (key, attempt) -> FakeChatServer.Fault.SERVER_ERROR;
      try (OpenAiClient c = new OpenAiClient(endpoint(server), ApiKey.none(),
          RequestJournal.open(tmp.resolve("a.jsonl")))) {
        assertThatThrownBy(() -> c.complete(requests(1))).isInstanceOf(IOException.class)
            .hasMessageContaining("failed 5 times (last: HTTP 500)");
        assertThat(c.sent()).isEqualTo(5);
      }
      server.faults = (key, attempt) -> FakeChatServer.Fault.UNAUTHORIZED;
      ApiKey key = ApiKey.resolve(endpoint(server), Map.of("OPENAI_API_KEY", PLANTED));
      try (OpenAiClient c = new OpenAiClient(endpoint(server), key,
          RequestJournal.open(tmp.resolve("b.jsonl")))) {
        assertThatThrownBy(() -> c.complete(requests(1))).isInstanceOf(IOException.class)
            .hasMessageContaining("HTTP 401").hasMessageContaining("$OPENAI_API_KEY")
            .hasMessageNotContaining(PLANTED);
        assertThat(c.sent()).isEqualTo(1);
      }
    }
  }

  @Test
  void preflightFailsFastWithOneLine(@TempDir Path tmp) throws Exception {
    try (FakeChatServer server = new FakeChatServer()) {
      try (OpenAiClient c = new OpenAiClient(endpoint(server), ApiKey.of(PLANTED),
          RequestJournal.open(tmp.resolve("a")))) {
        c.check();
        assertThat(server.modelRequests.get()).isEqualTo(1);
        assertThat(server.authHeaders.get("GET /models")).isEqualTo("Bearer " + PLANTED);
        server.modelsStatus = 401;
        assertThatThrownBy(c::check).isInstanceOf(LlmUnavailableException.class)
            .hasMessageContaining("rejected the API key (HTTP 401, key from given)")
            .hasMessageNotContaining(PLANTED);
        server.modelsStatus = 404; // a server without /models is still reachable
        c.check();
      }
      assertThat(server.totalAnswered.get()).isZero();
    }
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    LlmEndpoint nowhere = LlmEndpoint.builder().baseUrl("http://127.0.0.1:" + closedPort + "/v1")
        .build();
    try (OpenAiClient c = new OpenAiClient(nowhere, ApiKey.none(), RequestJournal.open(tmp.resolve("b")))) {
      assertThatThrownBy(c::check).isInstanceOf(LlmUnavailableException.class)
          .hasMessageStartingWith("cannot reach http://127.0.0.1:" + closedPort + "/v1")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
    try (OpenAiClient c = new OpenAiClient(LlmEndpoint.defaults(), ApiKey.resolve(
        LlmEndpoint.defaults(), Map.of()), RequestJournal.open(tmp.resolve("c")))) {
      assertThatThrownBy(c::check).isInstanceOf(LlmUnavailableException.class)
          .hasMessage("no API key for https://api.openai.com/v1: set $OPENAI_API_KEY (or "
              + "$OPENAI_API_KEY_FILE / a key file)");
    }
  }

  @Test
  void keysComeFromTheEnvironmentOrAKeyFileAndNeverReachAWrittenFile(@TempDir Path tmp)
      throws Exception {
    Path keyFile = tmp.resolve("secrets/key.txt");
    Files.createDirectories(keyFile.getParent());
    Files.writeString(keyFile, PLANTED + "\n");
    LlmEndpoint withFile = LlmEndpoint.builder().apiKeyFile(keyFile.toString()).build();
    assertThat(ApiKey.resolve(withFile, Map.of()).origin()).isEqualTo("file " + keyFile);
    assertThat(ApiKey.resolve(withFile, Map.of("OPENAI_API_KEY", "sk-env")).origin())
        .isEqualTo("$OPENAI_API_KEY");
    assertThat(ApiKey.resolve(LlmEndpoint.defaults(), Map.of("OPENAI_API_KEY_FILE",
        keyFile.toString())).origin()).isEqualTo("file " + keyFile);
    assertThat(ApiKey.resolve(LlmEndpoint.defaults(), Map.of()).isPresent()).isFalse();
    assertThat(ApiKey.of(PLANTED).toString()).isEqualTo("***");
    Path missing = tmp.resolve("nope.txt");
    assertThatThrownBy(() -> ApiKey.resolve(LlmEndpoint.builder().apiKeyFile(missing.toString())
        .build(), Map.of())).hasMessageContaining(missing.toString());

    Path out = tmp.resolve("out");
    List<String> thrown = new ArrayList<>();
    try (FakeChatServer server = new FakeChatServer()) {
      // the server echoes the request body in its answers (the journal stores them)
      server.content = body -> "echo " + body;
      LlmEndpoint ep = endpoint(server).toBuilder().apiKeyFile(keyFile.toString()).build();
      ApiKey key = ApiKey.resolve(ep, Map.of());
      try (OpenAiClient c = new OpenAiClient(ep, key,
          RequestJournal.open(out.resolve("journal.jsonl")))) {
        c.complete(requests(3));
        server.faults = (k, attempt) -> FakeChatServer.Fault.UNAUTHORIZED;
        try {
          c.complete(List.of(ChatRequest.of("m", null, "rejected", 0, 8, null)));
        } catch (IOException e) {
          thrown.add(e.getMessage());
        }
        server.modelsStatus = 403;
        try {
          c.check();
        } catch (IOException e) {
          thrown.add(e.getMessage());
        }
        Files.writeString(out.resolve("provenance.json"),
            new ObjectMapper().writeValueAsString(c.endpoint()));
      }
      assertThat(server.authHeaders.values()).contains("Bearer " + PLANTED);
    }
    // the 401 answer names the key; the client's exception shows it redacted
    assertThat(thrown).hasSize(2).allSatisfy(m -> assertThat(m).doesNotContain(PLANTED));
    assertThat(thrown.get(0)).contains("Incorrect API key provided: ***");
    try (Stream<Path> files = Files.walk(out)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(f)).as(f.toString()).doesNotContain(PLANTED);
      }
    }
    assertThat(Files.readString(out.resolve("provenance.json"))).contains("apiKeyFile");
  }
}
