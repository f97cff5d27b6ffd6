package org.genderalign.trainer.score;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CRC32;
import org.genderalign.core.io.AtomicFiles;
import org.genderalign.core.io.Hashing;

/**
 * Log-likelihood results on disk, content-addressed: a result is found again by what determines
 * it — the model's weights ({@link ModelIdentity}), the tokenizer, and the request's tokens — so a
 * re-run, another benchmark over the same texts, or the DPO reference precompute of the same
 * pairs costs nothing. It generalises the former per-run reference log-prob cache of DPO.
 *
 * <h2>Layout</h2>
 * {@code DIR/<namespace>/} holds the results of one (model, tokenizer, {@link #VERSION}):
 * {@code namespace.json} says which, in words, and {@code seg-*.bin} files hold records. A
 * segment is immutable once written (atomically, through {@link AtomicFiles}), so processes that
 * share the folder never see half a file: each writes its own segments under unique names, and
 * each reads every segment of the namespace when it opens the cache (68k BBQ results are ~2 MiB,
 * read in milliseconds). When segments pile up (or a damaged record was found) the writer merges
 * the ones it read into one and deletes them; a reader that loses the race to such a delete just
 * recomputes what it missed.
 *
 * <h2>Segment format</h2>
 * Magic {@code GASCORE1}, the namespace's 16-byte digest, then records of {@value #RECORD_BYTES}
 * bytes (big-endian): the request key (the first 16 bytes of sha256 over namespace and tokens),
 * the float64 log-likelihood, the int32 token count, the greedy flag, and a CRC-32 of the
 * preceding 29 bytes. A record whose CRC does not match — or whose token count does not fit the
 * request — is counted in {@link #corruptRecords()} and treated as missing, so it is recomputed.
 *
 * <p>Not thread-safe: one scorer uses one instance.
 */
public final class ScoreCache {

  /**
   * What a stored number means; part of the namespace, so a change of the scoring numerics
   * starts a fresh namespace instead of mixing values.
   */
  public static final String VERSION =
      "loglikelihood-v1 (fp32 forward, fp32 log_softmax, float64 sum)";
  /** Pending results written as one segment once this many have accumulated (and at the end). */
  public static final int FLUSH_EVERY = 8192;
  /** Segments of a namespace merged into one once there are this many. */
  public static final int COMPACT_AT = 16;
  /** Bytes per record. */
  public static final int RECORD_BYTES = 33;

  private static final byte[] MAGIC = "GASCORE1".getBytes(StandardCharsets.US_ASCII);
  private static final int HEADER_BYTES = MAGIC.length + 16;
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A request's address: 128 bits of sha256(namespace, context, continuation). */
  public record Key(long hi, long lo) {}

  private final Path folder;
  private final byte[] namespace; // 16 bytes
  private final MessageDigest digest = Hashing.newDigest();
  private final Map<Key, LoglikelihoodResult> entries = new HashMap<>();
  private final Map<Key, LoglikelihoodResult> pending = new LinkedHashMap<>();
  private final Set<Path> loaded = new HashSet<>();
  private int corrupt;
  private boolean sawCorrupt;

  private ScoreCache(Path folder, byte[] namespace) {
    this.folder = folder;
    this.namespace = namespace;
  }

  /**
   * Opens (creating if needed) the namespace of {@code (modelId, tokenizerId)} under {@code dir}
   * and reads its segments.
   *
   * @param dir the cache folder ({@code --cache-dir})
   * @param modelId the weights' identity ({@link ModelIdentity})
   * @param tokenizerId the tokenizer's identity (its description)
   */
  public static ScoreCache open(Path dir, String modelId, String tokenizerId) throws IOException {
    Objects.requireNonNull(dir, "dir");
    String ns = Hashing.sha256(VERSION + "\n" + modelId + "\n" + tokenizerId);
    Path folder = dir.resolve(ns.substring(0, 32));
    Files.createDirectories(folder);
    Path about = folder.resolve("namespace.json");
    if (!Files.exists(about)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("version", VERSION);
      m.put("model", modelId);
      m.put("tokenizer", tokenizerId);
      AtomicFiles.writeString(about, JSON.writeValueAsString(m));
    }
    ScoreCache c = new ScoreCache(folder, Arrays.copyOf(java.util.HexFormat.of().parseHex(ns), 16));
    c.refresh();
    return c;
  }

  /** The default folder: {@code $XDG_CACHE_HOME/genderalign/scores} or {@code ~/.cache/genderalign/scores}. */
  public static Path defaultDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
        : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("genderalign").resolve("scores");
  }

  /** This namespace's folder. */
  public Path folder() {
    return folder;
  }

  /** Results known (read or stored). */
  public int size() {
    return entries.size();
  }

  /** Damaged records met so far (bad CRC, bad header, or a token count that does not fit). */
  public int corruptRecords() {
    return corrupt;
  }

  /** The key of a request in this namespace. */
  public Key key(TokenRequest r) {
    MessageDigest md = digest;
    md.reset();
    md.update(namespace);
    ByteBuffer b = ByteBuffer.allocate(4 * (r.length() + 2));
    b.putInt(r.context().length);
    for (int t : r.context()) {
      b.putInt(t);
    }
    b.putInt(r.continuation().length);
    for (int t : r.continuation()) {
      b.putInt(t);
    }
    md.update(b.array());
    ByteBuffer h = ByteBuffer.wrap(md.digest());
    return new Key(h.getLong(), h.getLong());
  }

  /**
   * The stored result of {@code request}, or null. A stored token count that differs from the
   * request's continuation marks a damaged record: it is counted and treated as missing.
   */
  public LoglikelihoodResult get(Key key, TokenRequest request) {
    LoglikelihoodResult r = entries.get(key);
    if (r != null && r.tokens() != request.continuation().length) {
      entries.remove(key);
      corrupt++;
      sawCorrupt = true;
      return null;
    }
    return r;
  }

  /** Records a computed result; written at the next {@link #flush} (automatically every {@value #FLUSH_EVERY}). */
  public void put(Key key, LoglikelihoodResult result) throws IOException {
    entries.put(key, result);
    pending.put(key, result);
    if (pending.size() >= FLUSH_EVERY) {
      flush();
    }
  }

  /**
   * Writes pending results as a new segment (atomically), then merges this process's segments
   * into one if they pile up or a damaged record was met.
   */
  public void flush() throws IOException {
    if (pending.isEmpty()) {
      return;
    }
    Path seg = writeSegment(pending);
    pending.clear();
    loaded.add(seg);
    if (loaded.size() >= COMPACT_AT || sawCorrupt) {
      compact();
    }
  }

  /** Reads segments written since the last look (by this or another process). */
  public void refresh() throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder, "seg-*.bin")) {
      ds.forEach(files::add);
    }
    files.sort(null);
    for (Path f : files) {
      if (!loaded.contains(f)) {
        read(f);
      }
    }
  }

  private void read(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return; // merged away by another process meanwhile: its records are in the merged segment
    }
    loaded.add(file);
    if (bytes.length < HEADER_BYTES
        || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
        || !Arrays.equals(bytes, MAGIC.length, HEADER_BYTES, namespace, 0, 16)) {
      corrupt++;
      sawCorrupt = true;
      return;
    }
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
    CRC32 crc = new CRC32();
    int n = (bytes.length - HEADER_BYTES) / RECORD_BYTES;
    if ((bytes.length - HEADER_BYTES) % RECORD_BYTES != 0) {
      corrupt++; // a cut-off tail (should not happen with atomic writes)
      sawCorrupt = true;
    }
    for (int i = 0; i < n; i++) {
      int off = HEADER_BYTES + i * RECORD_BYTES;
      crc.reset();
      crc.update(bytes, off, RECORD_BYTES - 4);
      if ((int) crc.getValue() != b.getInt(off + RECORD_BYTES - 4)) {
        corrupt++;
        sawCorrupt = true;
        continue;
      }
      Key k = new Key(b.getLong(off), b.getLong(off + 8));
      double ll = b.getDouble(off + 16);
      int tokens = b.getInt(off + 24);
      byte greedy = bytes[off + 28];
      if (tokens < 0 || greedy > 1 || greedy < 0) {
        corrupt++;
        sawCorrupt = true;
        continue;
      }
      entries.putIfAbsent(k, new LoglikelihoodResult(ll, tokens, greedy == 1));
    }
  }

  private Path writeSegment(Map<Key, LoglikelihoodResult> records) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + records.size() * RECORD_BYTES);
    b.put(MAGIC).put(namespace);
    CRC32 crc = new CRC32();
    for (Map.Entry<Key, LoglikelihoodResult> e : records.entrySet()) {
      int off = b.position();
      LoglikelihoodResult r = e.getValue();
      b.putLong(e.getKey().hi()).putLong(e.getKey().lo()).putDouble(r.logLikelihood())
          .putInt(r.tokens()).put((byte) (r.greedy() ? 1 : 0));
      crc.reset();
      crc.update(b.array(), off, RECORD_BYTES - 4);
      b.putInt((int) crc.getValue());
    }
    Path seg = folder.resolve(String.format("seg-%016x%016x.bin", System.nanoTime(),
        RANDOM.nextLong()));
    AtomicFiles.writeBytes(seg, b.array());
    return seg;
  }

  /**
   * Merges every segment this instance has read or written into one new segment (written before
   * the old ones are deleted, so a concurrent reader always finds each record somewhere).
   */
  private void compact() throws IOException {
    Path merged = writeSegment(entries);
    for (Path f : loaded) {
      Files.deleteIfExists(f);
    }
    loaded.clear();
    loaded.add(merged);
    sawCorrupt = false;
  }
}
