package org.genderalign.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.genderalign.core.error.InvalidInputException;

/**
 * {@value #FILE}: the size and sha256 of every file of a folder (a checkpoint, a saved model),
 * written last, so that a damaged or truncated file is found before it is trusted:
 * {@code {"manifest": 1, "files": {"rel/path": {"bytes": n, "sha256": "…"}, …}}}.
 *
 * <p>Paths are relative, with {@code /}, sorted; the manifest does not list itself. Reading a
 * manifest validates it like any other input: an entry must be a plain relative path inside
 * the folder, a non-negative size and 64 hex digits.
 */
public final class FolderManifest {

  /** The manifest's file name. */
  public static final String FILE = "manifest.json";
  /** The format version written. */
  public static final int VERSION = 1;
  /** Largest manifest read (a checkpoint lists a handful of files). */
  public static final long MAX_BYTES = 16L << 20;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** One listed file. */
  public record Entry(long bytes, String sha256) {}

  private FolderManifest() {}

  /**
   * Hashes every file under {@code dir} (except the manifest itself) and writes the manifest
   * atomically; returns what it listed.
   */
  public static Map<String, Entry> write(Path dir) throws IOException {
    Map<String, Entry> files = new TreeMap<>();
    List<Path> all;
    try (Stream<Path> s = Files.walk(dir)) {
      all = s.filter(Files::isRegularFile).toList();
    }
    for (Path f : all) {
      String rel = relative(dir, f);
      if (rel.equals(FILE)) {
        continue;
      }
      files.put(rel, new Entry(Files.size(f), Hashing.sha256(f)));
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("manifest", VERSION);
    doc.put("files", files);
    AtomicFiles.writeString(dir.resolve(FILE), JSON.writeValueAsString(doc) + "\n");
    return Collections.unmodifiableMap(files);
  }

  /**
   * The entries of {@code dir}'s manifest.
   *
   * @throws InvalidInputException when the manifest is missing or malformed
   */
  public static Map<String, Entry> read(Path dir) throws IOException {
    Path f = dir.resolve(FILE);
    if (!Files.isRegularFile(f)) {
      throw InvalidInputException.ofFile(f, "missing (the folder was not written completely)");
    }
    if (Files.size(f) > MAX_BYTES) {
      throw InvalidInputException.ofFile(f, "manifest of " + Files.size(f) + " bytes (at most " + MAX_BYTES + ")");
    }
    JsonNode root;
    try {
      root = JSON.readTree(f.toFile());
    } catch (IOException e) {
      throw InvalidInputException.ofFile(f, "not valid JSON");
    }
    if (root == null || !root.isObject() || root.path("manifest").asInt(-1) != VERSION
        || !root.path("files").isObject()) {
      throw InvalidInputException.ofFile(f, "expected {\"manifest\": " + VERSION + ", \"files\": {path: {bytes, sha256}}}");
    }
    Map<String, Entry> out = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("files").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String rel = e.getKey();
      if (!safeRelative(rel)) {
        throw InvalidInputException.ofFile(f, "entry '" + abbreviate(rel) + "' is not a plain relative path inside the folder");
      }
      JsonNode bytes = e.getValue().path("bytes");
      JsonNode sha = e.getValue().path("sha256");
      if (!bytes.isIntegralNumber() || !bytes.canConvertToLong() || bytes.longValue() < 0) {
        throw InvalidInputException.ofFile(f, "entry " + rel + ": 'bytes' must be a non-negative integer");
      }
      if (!sha.isTextual() || !sha.textValue().matches("[0-9a-f]{64}")) {
        throw InvalidInputException.ofFile(f, "entry " + rel + ": 'sha256' must be 64 lowercase hex digits");
      }
      out.put(rel, new Entry(bytes.longValue(), sha.textValue()));
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * What is wrong with {@code dir} against its manifest: a missing or unreadable manifest, a
   * listed file that is missing, of another size (truncated) or another sha256 (corrupted).
   * Empty when every listed file is intact.
   */
  public static List<String> problems(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    Map<String, Entry> files;
    try {
      files = read(dir);
    } catch (InvalidInputException e) {
      out.add(FILE + ": " + e.problem());
      return out;
    }
    for (Map.Entry<String, Entry> e : files.entrySet()) {
      Path f = dir.resolve(e.getKey());
      if (!Files.isRegularFile(f)) {
        out.add(e.getKey() + ": missing");
        continue;
      }
      long size = Files.size(f);
      if (size != e.getValue().bytes()) {
        out.add(e.getKey() + ": " + size + " bytes, the manifest says " + e.getValue().bytes()
            + (size < e.getValue().bytes() ? " (truncated)" : ""));
        continue;
      }
      if (!Hashing.sha256(f).equals(e.getValue().sha256())) {
        out.add(e.getKey() + ": sha256 differs from the manifest (corrupted)");
      }
    }
    return out;
  }

  /**
   * Checks {@code dir} against its manifest.
   *
   * @throws InvalidInputException naming the first damaged file
   */
  public static void verify(Path dir) throws IOException {
    List<String> p = problems(dir);
    if (!p.isEmpty()) {
      throw InvalidInputException.ofFile(dir, "damaged: " + String.join("; ", p));
    }
  }

  private static String relative(Path dir, Path f) {
    return dir.relativize(f).toString().replace(java.io.File.separatorChar, '/');
  }

  private static boolean safeRelative(String rel) {
    if (rel.isEmpty() || rel.length() > 1024 || rel.startsWith("/") || rel.contains("\\") || rel.contains("\0")) {
      return false;
    }
    for (String part : rel.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        return false;
      }
    }
    return true;
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "…";
  }
}
