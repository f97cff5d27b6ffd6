package org.genderalign.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.genderalign.core.io.Hashing;

/**
 * A client for an OpenAI-compatible {@code /chat/completions} endpoint: at most
 * {@code concurrency} requests in flight; retries with exponential backoff and jitter on 429,
 * 408, 5xx, timeouts, connection errors and malformed response bodies (a server's
 * {@code Retry-After}, in seconds or as an HTTP date, wins when longer); the
 * {@link RequestJournal} consulted before and written after every call, so that a re-run never
 * repeats a paid request. Other 4xx statuses (a bad key, an unknown model) fail at once. The
 * key is sent only in the Authorization header and never logged, journaled or put in an
 * exception (everything the client writes or throws is {@link ApiKey#redact redacted}).
 *
 * <p>{@link #check()} is the fail-fast preflight to run before long work: a key where one is
 * needed, and one cheap request ({@code GET /models}) that the endpoint answers.
 */
public final class OpenAiClient implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Timeout of the preflight's one request. */
  static final int CHECK_TIMEOUT_SECONDS = 15;

  private final LlmEndpoint endpoint;
  private final ApiKey key;
  private final RequestJournal journal;
  private final HttpClient http;
  private final ExecutorService pool;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong cached = new AtomicLong();

  /**
   * @param endpoint where and how to call
   * @param key the API key ({@link ApiKey#none()} for servers that need none)
   * @param journal the request journal; the client closes it (null: a client used for
   *     {@link #check()} only)
   */
  public OpenAiClient(LlmEndpoint endpoint, ApiKey key, RequestJournal journal) {
    this.endpoint = endpoint;
    this.key = key == null ? ApiKey.none() : key;
    this.journal = journal;
    this.http = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(endpoint.timeoutSeconds())).build();
    this.pool = Executors.newFixedThreadPool(endpoint.concurrency(), r -> {
      Thread t = new Thread(r, "openai-client");
      t.setDaemon(true);
      return t;
    });
  }

  public LlmEndpoint endpoint() {
    return endpoint;
  }

  /** The journal key of a request: sha256 of the endpoint and the full request body. */
  public String key(ChatRequest request) {
    try {
      return Hashing.sha256(endpoint.baseUrl() + "\n" + JSON.writeValueAsString(request.body()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Fails fast, with one line, when the endpoint cannot be used: OpenAI's endpoint without a
   * key, an endpoint that cannot be reached, or one that rejects the key. Sends one cheap
   * request ({@code GET /models}, no retries); a server without that route (HTTP 404) counts as
   * reachable.
   *
   * @throws LlmUnavailableException with a one-line reason
   */
  public void check() throws LlmUnavailableException {
    String where = endpoint.baseUrl();
    if (endpoint.isOpenAi() && !key.isPresent()) {
      throw new LlmUnavailableException("no API key for " + where + ": set $"
          + endpoint.apiKeyEnv() + " (or $" + endpoint.apiKeyEnv() + "_FILE / a key file)");
    }
    HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(where + "/models"))
        .timeout(Duration.ofSeconds(Math.min(CHECK_TIMEOUT_SECONDS, endpoint.timeoutSeconds())))
        .GET();
    if (key.isPresent()) {
      rb.header("Authorization", key.bearer());
    }
    HttpResponse<String> resp;
    try {
      resp = http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new LlmUnavailableException("cannot reach " + where + ": no answer within "
          + Math.min(CHECK_TIMEOUT_SECONDS, endpoint.timeoutSeconds()) + " s");
    } catch (IOException e) {
      throw new LlmUnavailableException("cannot reach " + where + " ("
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": "
          + key.redact(e.getMessage())) + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LlmUnavailableException("interrupted while checking " + where);
    }
    int status = resp.statusCode();
    if (status == 401 || status == 403) {
      throw new LlmUnavailableException(where + " rejected the API key (HTTP " + status
          + ", key from " + key.origin() + ")");
    }
    if (status >= 500) {
      throw new LlmUnavailableException(where + " answered HTTP " + status);
    }
  }

  /** The assistant content of one request, from the journal or the endpoint. */
  public String complete(ChatRequest request) throws IOException {
    return complete(List.of(request)).get(0);
  }

  /**
   * The assistant contents of the requests, in order, from the journal or the endpoint; up to
   * {@code concurrency} at once.
   *
   * @throws IOException when a request fails after every retry or with a non-retryable status;
   *     every request answered before that is journaled, so a re-run asks only for the rest
   */
  public List<String> complete(List<ChatRequest> requests) throws IOException {
    List<Future<String>> futures = new ArrayList<>(requests.size());
    for (ChatRequest r : requests) {
      futures.add(pool.submit(() -> completeOne(r)));
    }
    List<String> out = new ArrayList<>(requests.size());
    IOException first = null;
    for (Future<String> f : futures) {
      try {
        out.add(f.get());
      } catch (ExecutionException e) {
        if (first == null) {
          first = e.getCause() instanceof IOException io ? io
              : new IOException(key.redact(String.valueOf(e.getCause().getMessage())));
        }
        out.add(null);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for the endpoint", e);
      }
    }
    if (first != null) {
      throw first;
    }
    return out;
  }

  private String completeOne(ChatRequest request) throws IOException, InterruptedException {
    String id = key(request);
    String hit = journal.get(id);
    if (hit != null) {
      cached.incrementAndGet();
      return hit;
    }
    ObjectNode body = request.body();
    String payload = JSON.writeValueAsString(body);
    String lastProblem = null;
    String retryAfter = null;
    for (int attempt = 0; attempt <= endpoint.maxRetries(); attempt++) {
      if (attempt > 0) {
        Thread.sleep(backoff(attempt, retryAfter));
      }
      retryAfter = null;
      HttpRequest.Builder rb = HttpRequest.newBuilder(
              URI.create(endpoint.baseUrl() + "/chat/completions"))
          .timeout(Duration.ofSeconds(endpoint.timeoutSeconds()))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(payload));
      if (key.isPresent()) {
        rb.header("Authorization", key.bearer());
      }
      HttpResponse<String> resp;
      try {
        sent.incrementAndGet();
        resp = http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
      } catch (HttpTimeoutException e) {
        lastProblem = "timed out after " + endpoint.timeoutSeconds() + " s";
        continue;
      } catch (IOException e) {
        lastProblem = "connection failed (" + e.getClass().getSimpleName() + ")";
        continue;
      }
      int status = resp.statusCode();
      if (status == 429 || status >= 500 || status == 408) {
        lastProblem = "HTTP " + status;
        retryAfter = resp.headers().firstValue("Retry-After").orElse(null);
        continue;
      }
      if (status != 200) {
        throw new IOException(key.redact("chat endpoint " + endpoint.baseUrl() + " answered HTTP "
            + status + " for model '" + request.model() + "'"
            + (status == 401 || status == 403 ? " (check the key from " + key.origin() + ")" : "")
            + ": " + abbreviate(resp.body())));
      }
      String content = content(resp.body());
      if (content == null) {
        lastProblem = "malformed response body: " + abbreviate(resp.body());
        continue;
      }
      journal.put(id, body, content);
      return content;
    }
    throw new IOException(key.redact("chat endpoint " + endpoint.baseUrl() + " failed "
        + (endpoint.maxRetries() + 1) + " times (last: " + lastProblem
        + "); the journal keeps every answered request, run again to resume"));
  }

  /**
   * The delay before retry {@code attempt} (from 1): {@code initial · 2^(attempt-1)}, capped,
   * with "equal jitter" (half fixed, half uniformly random, so that parallel clients spread
   * out); a longer {@code Retry-After} (seconds or an HTTP date) wins, capped at the maximum.
   */
  long backoff(int attempt, String retryAfter) {
    long exp = Math.min(endpoint.maxBackoffMillis(),
        endpoint.initialBackoffMillis() << Math.min(20, attempt - 1));
    long half = exp / 2;
    long delay = half + ThreadLocalRandom.current().nextLong(exp - half + 1);
    long server = retryAfterMillis(retryAfter);
    return Math.max(delay, Math.min(endpoint.maxBackoffMillis(), server));
  }

  /** {@code Retry-After} in milliseconds (0 when absent or unreadable). */
  static long retryAfterMillis(String retryAfter) {
    if (retryAfter == null || retryAfter.isBlank()) {
      return 0;
    }
    try {
      return Math.max(0, (long) (Double.parseDouble(retryAfter.trim()) * 1000));
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(retryAfter.trim(),
            DateTimeFormatter.RFC_1123_DATE_TIME);
        return Math.max(0, Duration.between(ZonedDateTime.now(at.getZone()), at).toMillis());
      } catch (DateTimeParseException d) {
        return 0;
      }
    }
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

  /** Requests answered from the journal. */
  public long cached() {
    return cached.get();
  }

  @Override
  public void close() throws IOException {
    pool.shutdownNow();
    if (journal != null) {
      journal.close();
    }
  }
}
