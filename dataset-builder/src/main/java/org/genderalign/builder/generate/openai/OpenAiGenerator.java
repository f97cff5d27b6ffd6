package org.genderalign.builder.generate.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;
import java.util.Map;
import org.genderalign.builder.config.OpenAiConfig;
import org.genderalign.builder.generate.Answer;
import org.genderalign.builder.generate.Dialogue;
import org.genderalign.builder.generate.DialogueWriter;
import org.genderalign.builder.generate.RejectedRequest;
import org.genderalign.builder.generate.RejectedWriter;
import org.genderalign.builder.seed.Seed;
import org.genderalign.llm.ApiKey;
import org.genderalign.llm.ChatRequest;
import org.genderalign.llm.LlmEndpoint;
import org.genderalign.llm.OpenAiClient;
import org.genderalign.llm.RequestJournal;

/**
 * The {@code openai} backend. Dialogues: the project's prompt (resources {@code prompts/dialogue-*.txt})
 * asks the aligned model for one JSON object {@code {question, answer}} per dialogue index, so the
 * three dialogues of a seed are independent requests. Rejected answers: the question alone, with
 * a bare "you are the assistant" system prompt, sent to the (possibly other, unaligned) endpoint —
 * as the paper prompted Llama-2-Alpaca. Only scrubbed seed text is ever sent. The client,
 * its retries and its request journal are the {@code llm} module's ({@link OpenAiClient}).
 */
public final class OpenAiGenerator implements DialogueWriter, RejectedWriter {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final String DIALOGUE_SYSTEM = resource("dialogue-system.txt");
  static final String DIALOGUE_USER = resource("dialogue-user.txt");
  static final String REJECTED_SYSTEM = resource("rejected-system.txt");

  private final OpenAiConfig cfg;
  private final OpenAiClient client;
  private final long seed;

  /**
   * @param cfg the endpoint and request settings
   * @param client a client for {@code cfg}'s endpoint; this generator closes it
   * @param seed sent as {@code seed} with every request
   */
  public OpenAiGenerator(OpenAiConfig cfg, OpenAiClient client, long seed) {
    this.cfg = cfg;
    this.client = client;
    this.seed = seed;
  }

  /**
   * Opens a generator over its own client and journal, after the client's preflight (a key where
   * one is needed, the endpoint reachable): a build that cannot call its endpoint fails in
   * seconds with one line, not after minutes of retries.
   *
   * @param env the environment the key is read from ({@code cfg.apiKeyEnv()}, or the file named
   *     by {@code <VAR>_FILE})
   */
  public static OpenAiGenerator open(OpenAiConfig cfg, Path journal, Map<String, String> env,
      long seed) throws IOException {
    LlmEndpoint endpoint = endpoint(cfg);
    OpenAiClient client = new OpenAiClient(endpoint, ApiKey.resolve(endpoint, env),
        RequestJournal.open(journal));
    try {
      client.check();
    } catch (IOException | RuntimeException e) {
      client.close();
      throw e;
    }
    return new OpenAiGenerator(cfg, client, seed);
  }

  /** The {@code llm} endpoint of a builder endpoint config. */
  public static LlmEndpoint endpoint(OpenAiConfig cfg) {
    return LlmEndpoint.builder().baseUrl(cfg.baseUrl()).apiKeyEnv(cfg.apiKeyEnv())
        .concurrency(cfg.concurrency()).maxRetries(cfg.maxRetries())
        .initialBackoffMillis(cfg.initialBackoffMillis()).maxBackoffMillis(cfg.maxBackoffMillis())
        .timeoutSeconds(cfg.timeoutSeconds()).build();
  }

  private ChatRequest request(String system, String user) {
    return ChatRequest.of(cfg.model(), system, user, cfg.temperature(), cfg.maxTokens(), seed);
  }

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public String describe() {
    return "openai (" + cfg.baseUrl() + ", model " + cfg.model() + ", temperature " + cfg.temperature()
        + ", max_tokens " + cfg.maxTokens() + ")";
  }

  @Override
  public List<List<Dialogue>> write(List<Seed> seeds, int perSeed) throws IOException {
    List<ChatRequest> chats = new ArrayList<>();
    for (Seed s : seeds) {
      for (int k = 0; k < perSeed; k++) {
        chats.add(request(DIALOGUE_SYSTEM, DIALOGUE_USER.replace("{{seed}}", s.text())
            .replace("{{index}}", String.valueOf(k + 1)).replace("{{count}}", String.valueOf(perSeed)).strip()));
      }
    }
    List<String> contents = client.complete(chats);
    List<List<Dialogue>> out = new ArrayList<>();
    int i = 0;
    for (int si = 0; si < seeds.size(); si++) {
      List<Dialogue> ds = new ArrayList<>(perSeed);
      for (int k = 0; k < perSeed; k++) {
        ds.add(parseDialogue(k, contents.get(i++)));
      }
      out.add(ds);
    }
    return out;
  }

  /** Parses the model's {@code {question, answer}} JSON (tolerating text or code fences around it). */
  Dialogue parseDialogue(int k, String content) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("model", cfg.model());
    int a = content.indexOf('{');
    int b = content.lastIndexOf('}');
    if (a >= 0 && b > a) {
      try {
        JsonNode n = JSON.readTree(content.substring(a, b + 1));
        if (n.path("question").isTextual() && n.path("answer").isTextual()
            && !n.get("question").asText().isBlank() && !n.get("answer").asText().isBlank()) {
          return Dialogue.of(k, n.get("question").asText().strip(), n.get("answer").asText().strip(), meta);
        }
      } catch (IOException e) {
        // Fall through: counted as a generation failure.
      }
    }
    return Dialogue.failed(k, "unparseable_generation", meta);
  }

  @Override
  public List<Answer> answer(List<RejectedRequest> requests) throws IOException {
    List<ChatRequest> chats = new ArrayList<>();
    for (RejectedRequest r : requests) {
      chats.add(request(REJECTED_SYSTEM.strip(), r.question()));
    }
    List<String> contents = client.complete(chats);
    List<Answer> out = new ArrayList<>(contents.size());
    for (String c : contents) {
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("rejected_model", cfg.model());
      out.add(Answer.of(c.strip(), meta));
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    client.close();
  }

  private static String resource(String name) {
    try (InputStream in = OpenAiGenerator.class.getResourceAsStream("/org/genderalign/builder/prompts/" + name)) {
      if (in == null) {
        throw new IllegalStateException("prompt resource " + name + " missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
