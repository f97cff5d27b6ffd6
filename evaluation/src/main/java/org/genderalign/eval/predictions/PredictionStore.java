package org.genderalign.eval.predictions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.genderalign.core.io.AtomicFiles;
import org.genderalign.eval.benchmark.PredictionSource;

/**
 * Prediction rows on disk: {@code <dir>/<model>/<benchmark>.jsonl} (one JSON object a line) and
 * {@code <benchmark>.meta.json} (the reuse key and what it was made from). Both are written
 * atomically, rows first: a crash leaves either the old pair or rows without a matching key,
 * never a key that vouches for partial rows.
 */
public final class PredictionStore implements PredictionSource {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper PRETTY =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;
  private final Map<String, List<JsonNode>> cache = new HashMap<>();

  public PredictionStore(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /** The rows file of a model on a benchmark. */
  public Path file(String model, String benchmark) {
    return dir.resolve(model).resolve(benchmark + ".jsonl");
  }

  /** The meta file beside it. */
  public Path metaFile(String model, String benchmark) {
    return dir.resolve(model).resolve(benchmark + ".meta.json");
  }

  /** Whether finished rows made under {@code key} are on disk. */
  public boolean has(String model, String benchmark, String key) throws IOException {
    Path meta = metaFile(model, benchmark);
    if (!Files.isRegularFile(meta) || !Files.isRegularFile(file(model, benchmark))) {
      return false;
    }
    try {
      return key.equals(JSON.readTree(meta.toFile()).path("key").asText(null));
    } catch (IOException e) {
      return false; // an unreadable meta file means: score again
    }
  }

  /** Writes rows and their meta (which gains {@code key}). */
  public void write(String model, String benchmark, String key, Map<String, Object> meta,
      List<ObjectNode> rows) throws IOException {
    Set<String> ids = new HashSet<>();
    for (ObjectNode r : rows) {
      if (!ids.add(r.path("id").asText())) {
        throw new IllegalStateException(benchmark + ": duplicate row id '" + r.path("id").asText()
            + "'");
      }
    }
    AtomicFiles.write(file(model, benchmark), tmp -> {
      try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        for (ObjectNode r : rows) {
          w.write(JSON.writeValueAsString(r));
          w.write('\n');
        }
      }
    });
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("key", key);
    m.putAll(meta);
    AtomicFiles.writeString(metaFile(model, benchmark), PRETTY.writeValueAsString(m) + "\n");
    cache.remove(model + "\u0000" + benchmark);
  }

  /** The rows of a model on a benchmark as written, or null if there is no file. */
  @Override
  public List<JsonNode> rows(String model, String benchmark) {
    return cache.computeIfAbsent(model + "\u0000" + benchmark, k -> {
      Path f = file(model, benchmark);
      if (!Files.isRegularFile(f)) {
        return null;
      }
      List<JsonNode> out = new ArrayList<>();
      try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
        String line;
        while ((line = r.readLine()) != null) {
          if (!line.isBlank()) {
            out.add(JSON.readTree(line));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return List.copyOf(out);
    });
  }
}
