package org.genderalign.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.genderalign.core.io.Hashing;

/**
 * An OpenAI-compatible chat-completions server on 127.0.0.1 for tests (in the {@code llm}
 * test-jar, for every module that talks to an endpoint: the builder, the judges): answers with
 * scripted content ({@link #content}), and can inject 429s (with {@code Retry-After}), 500s,
 * slow responses, malformed JSON and 401s per request body and attempt ({@link #faults}), or
 * hang every request after a number of successful answers (to kill a client mid-run). Counts
 * successful answers and attempts per request body, keeps every Authorization header and every
 * request body, and answers {@code GET /v1/models} (the preflight).
 */
public final class FakeChatServer implements AutoCloseable {

  /** What to do with one attempt of a request. */
  public enum Fault { NONE, TOO_MANY, SERVER_ERROR, SLOW, MALFORMED, UNAUTHORIZED }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  /** Successful answers per request body (sha256 of the raw body). */
  public final Map<String, AtomicInteger> answered = new ConcurrentHashMap<>();
  /** Attempts per request body. */
  public final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
  public final AtomicInteger totalAnswered = new AtomicInteger();
  /** The Authorization header of every request body ("" when none). */
  public final Map<String, String> authHeaders = new ConcurrentHashMap<>();
  /** Arrival times (nanoTime) of every attempt, per request body. */
  public final Map<String, List<Long>> arrivals = new ConcurrentHashMap<>();
  /** Every raw request body received. */
  public final List<String> bodies = new CopyOnWriteArrayList<>();
  /** GET /v1/models requests received. */
  public final AtomicInteger modelRequests = new AtomicInteger();
  /** The assistant content for a request body. */
  public volatile Function<JsonNode, String> content = FakeChatServer::defaultContent;
  /** (body hash, attempt number from 1) → fault. */
  public volatile BiFunction<String, Integer, Fault> faults = (k, n) -> Fault.NONE;
  /** The Retry-After header of a TOO_MANY answer (seconds). */
  public volatile String retryAfter = "0";
  /** Status of GET /v1/models. */
  public volatile int modelsStatus = 200;
  public volatile int hangAfter = Integer.MAX_VALUE;
  private final CountDownLatch release = new CountDownLatch(1);
  public volatile long slowMillis = 2500;

  public FakeChatServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-chat");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/v1/chat/completions", this::handle);
    server.createContext("/v1/models", ex -> {
      try (ex) {
        modelRequests.incrementAndGet();
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        authHeaders.put("GET /models", auth == null ? "" : auth);
        send(ex, modelsStatus, "{\"object\":\"list\",\"data\":[{\"id\":\"fake\"}]}");
      }
    });
    server.start();
  }

  /** {@code http://127.0.0.1:PORT/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** The default content: a sentence tagged with a hash of the last message. */
  public static String defaultContent(JsonNode body) {
    JsonNode msgs = body.path("messages");
    String user = msgs.path(msgs.size() - 1).path("content").asText();
    return "Honestly, " + tag(user) + " yes, that is just how it is.";
  }

  /** A short, stable tag of a text (the first 10 hex digits of its sha256). */
  public static String tag(String text) {
    return Hashing.sha256(text).substring(0, 10);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] raw = ex.getRequestBody().readAllBytes();
      String key = Hashing.sha256(raw);
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      authHeaders.put(key, auth == null ? "" : auth);
      bodies.add(new String(raw, StandardCharsets.UTF_8));
      arrivals.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(System.nanoTime());
      int attempt = attempts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      if (totalAnswered.get() >= hangAfter) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return;
      }
      Fault f = faults.apply(key, attempt);
      switch (f) {
        case TOO_MANY -> {
          ex.getResponseHeaders().add("Retry-After", retryAfter);
          send(ex, 429, "{\"error\":{\"message\":\"rate limited\"}}");
          return;
        }
        case SERVER_ERROR -> {
          send(ex, 500, "{\"error\":{\"message\":\"boom\"}}");
          return;
        }
        case MALFORMED -> {
          send(ex, 200, "{\"choices\": [ {\"message\": ");
          return;
        }
        case UNAUTHORIZED -> {
          // as OpenAI does, the error names the key it got (here in full, the worst case)
          send(ex, 401, "{\"error\":{\"message\":\"Incorrect API key provided: "
              + (auth == null ? "" : auth.replace("Bearer ", "")) + "\"}}");
          return;
        }
        case SLOW -> {
          try {
            Thread.sleep(slowMillis);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          // The client has given up by now; this answer is never seen, so it does not count.
          send(ex, 200, completion("too late"));
          return;
        }
        default -> { }
      }
      JsonNode body = JSON.readTree(raw);
      String out = completion(content.apply(body));
      synchronized (this) {
        answered.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        totalAnswered.incrementAndGet();
      }
      send(ex, 200, out);
    }
  }

  private static String completion(String content) {
    ObjectNode r = JSON.createObjectNode();
    r.put("id", "chatcmpl-test");
    r.put("object", "chat.completion");
    ObjectNode choice = r.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", content);
    choice.put("finish_reason", "stop");
    return r.toString();
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(b);
    }
  }

  /** Lets hanging requests go (they end without an answer). */
  public void releaseHung() {
    hangAfter = Integer.MAX_VALUE;
    release.countDown();
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
  }
}
