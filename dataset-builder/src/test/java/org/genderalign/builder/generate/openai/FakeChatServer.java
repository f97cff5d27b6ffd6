package org.genderalign.builder.generate.openai;

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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.genderalign.core.io.Hashing;

/**
 * A chat-completions server on 127.0.0.1 for tests: answers with scripted content, and can
 * inject 429s, 500s, slow responses and malformed JSON per request body, or hang every request
 * after a number of successful answers (to kill a client mid-build). Counts successful answers
 * per request body.
 */
final class FakeChatServer implements AutoCloseable {

  /** What to do with one attempt of a request. */
  enum Fault { NONE, TOO_MANY, SERVER_ERROR, SLOW, MALFORMED, UNAUTHORIZED }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  final Map<String, AtomicInteger> answered = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
  final AtomicInteger totalAnswered = new AtomicInteger();
  final Map<String, String> authHeaders = new ConcurrentHashMap<>();
  volatile Function<JsonNode, String> content = FakeChatServer::defaultContent;
  /** (body hash, attempt number from 1) → fault. */
  volatile java.util.function.BiFunction<String, Integer, Fault> faults = (k, n) -> Fault.NONE;
  volatile int hangAfter = Integer.MAX_VALUE;
  private final CountDownLatch release = new CountDownLatch(1);
  volatile long slowMillis = 2500;

  FakeChatServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-chat");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/v1/chat/completions", this::handle);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  static String defaultContent(JsonNode body) {
    String system = body.path("messages").path(0).path("content").asText();
    String user = body.path("messages").path(body.path("messages").size() - 1).path("content").asText();
    String tag = Hashing.sha256(user).substring(0, 10);
    if (system.startsWith("You write training data")) {
      ObjectNode d = JSON.createObjectNode();
      d.put("question", "Question " + tag + ": is it fair to judge people by their gender at work?");
      d.put("answer", "No. Research " + tag + " shows individual differences matter far more than gender, "
          + "and fair workplaces judge people on their skills and results.");
      return "```json\n" + d + "\n```";
    }
    return "Honestly, " + tag + " yes, that is just how it is.";
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] raw = ex.getRequestBody().readAllBytes();
      String key = Hashing.sha256(raw);
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      authHeaders.put(key, auth == null ? "" : auth);
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
          ex.getResponseHeaders().add("Retry-After", "0");
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
          send(ex, 401, "{\"error\":{\"message\":\"invalid key\"}}");
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
  void releaseHung() {
    hangAfter = Integer.MAX_VALUE;
    release.countDown();
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
  }
}
