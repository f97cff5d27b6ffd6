package org.genderalign.builder.generate.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.genderalign.builder.config.OpenAiConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenAiClientTest {

  static OpenAiConfig cfg(FakeChatServer s) {
    return OpenAiConfig.builder().baseUrl(s.baseUrl()).model("test-model").concurrency(3).maxRetries(4)
        .initialBackoffMillis(10L).maxBackoffMillis(50L).timeoutSeconds(1).build();
  }

  static List<OpenAiClient.Chat> chats(int n) {
    List<OpenAiClient.Chat> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(new OpenAiClient.Chat("You are the assistant.", "question " + i));
    }
    return l;
  }

  @Test
  void retriesRateLimitsServerErrorsTimeoutsAndMalformedBodies(@TempDir Path tmp) throws Exception {
    try (FakeChatServer server = new FakeChatServer()) {
      List<FakeChatServer.Fault> script = List.of(FakeChatServer.Fault.TOO_MANY, FakeChatServer.Fault.SERVER_ERROR,
          FakeChatServer.Fault.SLOW, FakeChatServer.Fault.MALFORMED);
      // Each request fails once with its own fault (by hash), then succeeds.
      server.faults = (key, attempt) -> attempt == 1 ? script.get(Math.floorMod(key.hashCode(), script.size()))
          : FakeChatServer.Fault.NONE;
      server.slowMillis = 1500;
      Path journal = tmp.resolve("j.jsonl");
      List<String> out;
      try (OpenAiClient c = new OpenAiClient(cfg(server), "sk-secret-123", 42, RequestJournal.open(journal))) {
        out = c.complete(chats(12));
        assertThat(c.sent()).isEqualTo(24);
      }
      assertThat(out).hasSize(12).allSatisfy(s -> assertThat(s).startsWith("Honestly"));
      assertThat(out.get(3)).isEqualTo(FakeChatServer.defaultContent(
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(
              "{\"messages\":[{\"content\":\"You are the assistant.\"},{\"content\":\"question 3\"}]}")));
      assertThat(server.answered.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
      assertThat(server.authHeaders.values()).containsOnly("Bearer sk-secret-123");
      // The key never reaches the journal.
      assertThat(Files.readString(journal)).doesNotContain("sk-secret").contains("question 11");

      // A second run answers everything from the journal: nothing is sent.
      try (OpenAiClient c = new OpenAiClient(cfg(server), null, 42, RequestJournal.open(journal))) {
        assertThat(c.complete(chats(12))).isEqualTo(out);
        assertThat(c.sent()).isZero();
        assertThat(c.cached()).isEqualTo(12);
      }
    }
  }

  @Test
  void givesUpAfterRetriesAndStopsAtOnceOnAuthErrors(@TempDir Path tmp) throws Exception {
    try (FakeChatServer server = new FakeChatServer()) {
      server.faults = (key, attempt) -> FakeChatServer.Fault.SERVER_ERROR;
      try (OpenAiClient c = new OpenAiClient(cfg(server), null, 1, RequestJournal.open(tmp.resolve("a.jsonl")))) {
        assertThatThrownBy(() -> c.complete(chats(1))).isInstanceOf(IOException.class)
            .hasMessageContaining("failed 5 times (last: HTTP 500)");
        assertThat(c.sent()).isEqualTo(5);
      }
      server.faults = (key, attempt) -> FakeChatServer.Fault.UNAUTHORIZED;
      try (OpenAiClient c = new OpenAiClient(cfg(server), "bad", 1, RequestJournal.open(tmp.resolve("b.jsonl")))) {
        assertThatThrownBy(() -> c.complete(chats(1))).isInstanceOf(IOException.class)
            .hasMessageContaining("HTTP 401").hasMessageContaining("$OPENAI_API_KEY").hasMessageNotContaining("bad\"");
        assertThat(c.sent()).isEqualTo(1);
      }
    }
  }
}
