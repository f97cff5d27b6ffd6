package org.genderalign.builder.generate.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.genderalign.builder.config.OpenAiConfig;
import org.genderalign.core.io.Hashing;

/**
 * A client for an OpenAI-compatible {@code /chat/completions} endpoint: at most
 * {@code concurrency} requests in flight, retries with exponential backoff on 429, 5xx, timeouts,
 * connection errors and malformed response bodies (a server's {@code Retry-After} wins when
 * longer), and the {@link RequestJournal} consulted before and written after every call. Other
 * 4xx statuses (a bad key, an unknown model) stop the build at once. The key is sent only in the
 * Authorization header and never logged or journaled.
 */
public final class OpenAiClient implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One chat request: a system and a user message. */
  public record Chat(String system, String user) {}

  private final OpenAiConfig cfg;
  private final String apiKey;
  private final long seed;
  private final RequestJournal journal;
  private final HttpClient http;
  private final ExecutorService pool;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong cached = new AtomicLong();

  /**
   * @param cfg endpoint settings
   * @param apiKey the key, or null/empty for servers that need none
   * @param seed sent as {@code seed} for servers that support reproducible sampling
   * @param journal the request journal
   */
  public OpenAiClient(OpenAiConfig cfg, String apiKey, long seed, RequestJournal journal) {
    this.cfg = cfg;
    this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
    this.seed = seed;
    this.journal = journal;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(cfg.timeoutSeconds())).build();
    this.pool = Executors.newFixedThreadPool(cfg.concurrency(), r -> {
      Thread t = new Thread(r, "openai-client");
      t.setDaemon(true);
      return t;
    });
  }

  /** The request body of a chat (also the journal's identity of the request). */
  public ObjectNode body(Chat chat) {
    ObjectNode b = JSON.createObjectNode();
    b.put("model", cfg.model());
    ArrayNode msgs = b.putArray("messages");
    if (chat.system() != null) {
      msgs.addObject().put("role", "system").put("content", chat.system());
    }
    msgs.addObject().put("role", "user").put("content", chat.user());
    b.put("temperature", cfg.temperature());
    b.put("max_tokens", cfg.maxTokens());
    b.put("seed", seed);
    return b;
  }

  /** The journal key of a chat. */
  public String key(Chat chat) {
    try {
      return Hashing.sha256(cfg.baseUrl() + "\n" + JSON.writeValueAsString(body(chat)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The assistant contents of the chats, in order, from the journal or the endpoint.
   *
   * @throws IOException when a request fails after every retry or with a non-retryable status
   */
  public List<String> complete(List<Chat> chats) throws IOException {
    List<Future<String>> futures = new ArrayList<>(chats.size());
    for (Chat c : chats) {
      futures.add(pool.submit(() -> completeOne(c)));
    }
    List<String> out = new ArrayList<>(chats.size());
    IOException first = null;
    for (Future<String> f : futures) {
      try {
        out.add(f.get());
      } catch (ExecutionException e) {
        if (first == null) {
          first = e.getCause() instanceof IOException io ? io : new IOException(e.getCause().getMessage(), e.getCause());
        }
        out.add(null);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for the endpoint", e);
      }
    }
    if (first != null) {
      // Every successful response of this batch is journaled; a resumed build asks only for the rest.
      throw first;
    }
    return out;
  }

  private String completeOne(Chat chat) throws IOException, InterruptedException {
    String key = key(chat);
    String hit = journal.get(key);
    if (hit != null) {
      cached.incrementAndGet();
      return hit;
    }
    ObjectNode body = body(chat);
    String payload = JSON.writeValueAsString(body);
    String lastProblem = null;
    for (int attempt = 0; attempt <= cfg.maxRetries(); attempt++) {
      if (attempt > 0) {
        Thread.sleep(backoff(attempt, lastRetryAfter.get()));
      }
      lastRetryAfter.remove();
      HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(cfg.baseUrl() + "/chat/completions"))
          .timeout(Duration.ofSeconds(cfg.timeoutSeconds()))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(payload));
      if (apiKey != null) {
        rb.header("Authorization", "Bearer " + apiKey);
      }
      HttpResponse<String> resp;
      try {
        sent.incrementAndGet();
        resp = http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
      } catch (HttpTimeoutException e) {
        lastProblem = "timed out after " + cfg.timeoutSeconds() + " s";
        continue;
      } catch (IOException e) {
        lastProblem = "connection failed (" + e.getClass().getSimpleName() + ")";
        continue;
      }
      int status = resp.statusCode();
      if (status == 429 || status >= 500 || status == 408) {
        lastProblem = "HTTP " + status;
        resp.headers().firstValue("Retry-After").ifPresent(v -> lastRetryAfter.set(v));
        continue;
      }
      if (status != 200) {
        throw new IOException("chat endpoint " + cfg.baseUrl() + " answered HTTP " + status + " for model '"
            + cfg.model() + "'" + (status == 401 || status == 403 ? " (check the key in $" + cfg.apiKeyEnv() + ")" : "")
            + ": " + abbreviate(resp.body()));
      }
      String content = content(resp.body());
      if (content == null) {
        lastProblem = "malformed response body: " + abbreviate(resp.body());
        continue;
      }
      journal.put(key, body, content);
      return content;
    }
    throw new IOException("chat endpoint " + cfg.baseUrl() + " failed " + (cfg.maxRetries() + 1)
        + " times (last: " + lastProblem + "); the journal keeps every answered request, run again with --resume");
  }

  private final ThreadLocal<String> lastRetryAfter = new ThreadLocal<>();

  private long backoff(int attempt, String retryAfter) {
    long exp = Math.min(cfg.maxBackoffMillis(), cfg.initialBackoffMillis() << Math.min(20, attempt - 1));
    if (retryAfter != null) {
      try {
        exp = Math.max(exp, Math.min(cfg.maxBackoffMillis(), (long) (Double.parseDouble(retryAfter.trim()) * 1000)));
      } catch (NumberFormatException e) {
        // An HTTP-date Retry-After: keep the exponential delay.
      }
    }
    return exp;
  }

  /** {@code choices[0].message.content} of a completion body, or null if malformed. */
  static String content(String body) {
    try {
      JsonNode n = JSON.readTree(body);
      JsonNode c = n == null ? null : n.path("choices").path(0).path("message").path("content");
      return c != null && c.isTextual() ? c.asText() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String abbreviate(String s) {
    String t = s == null ? "" : s.replaceAll("\\s+", " ");
    return t.length() > 200 ? t.substring(0, 200) + "…" : t;
  }

  /** Requests sent over HTTP (retries included). */
  public long sent() {
    return sent.get();
  }

  /** Chats answered from the journal. */
  public long cached() {
    return cached.get();
  }

  @Override
  public void close() throws IOException {
    pool.shutdownNow();
    journal.close();
  }
}
