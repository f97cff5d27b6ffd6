package org.genderalign.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * A persistent map from request key (sha256 of endpoint + request body) to the response content,
 * one JSON line per answered request, appended and flushed as soon as a response arrives. It is
 * a cache across runs: a request found here is never sent again. The API key is never part of a
 * request body, so it never reaches this file. A line torn by a kill is ignored. Thread-safe.
 */
public final class RequestJournal implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> responses = new HashMap<>();
  private final BufferedWriter writer;

  private RequestJournal(BufferedWriter writer) {
    this.writer = writer;
  }

  /** Opens (creating) the journal and reads what earlier runs stored. */
  public static RequestJournal open(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Map<String, String> loaded = new HashMap<>();
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        try {
          JsonNode n = JSON.readTree(line);
          if (n != null && n.hasNonNull("key") && n.hasNonNull("content")) {
            loaded.put(n.get("key").asText(), n.get("content").asText());
          }
        } catch (IOException e) {
          // A torn last line: that request is simply sent again.
        }
      }
      // Start the next entry on a fresh line even after a torn one.
      if (Files.size(file) > 0) {
        byte[] all = Files.readAllBytes(file);
        if (all[all.length - 1] != '\n') {
          Files.writeString(file, "\n", StandardOpenOption.APPEND);
        }
      }
    }
    RequestJournal j = new RequestJournal(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND));
    j.responses.putAll(loaded);
    return j;
  }

  /** The stored response content of a request, or null. */
  public synchronized String get(String key) {
    return responses.get(key);
  }

  /** Stores a response and flushes it to the OS before returning. */
  public synchronized void put(String key, JsonNode request, String content) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("key", key);
    n.set("request", request);
    n.put("content", content);
    writer.write(JSON.writeValueAsString(n));
    writer.write('\n');
    writer.flush();
    responses.put(key, content);
  }

  public synchronized int size() {
    return responses.size();
  }

  @Override
  public synchronized void close() throws IOException {
    writer.close();
  }
}
