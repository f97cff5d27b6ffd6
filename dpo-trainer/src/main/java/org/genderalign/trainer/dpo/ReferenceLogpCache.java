package org.genderalign.trainer.dpo;

import org.genderalign.trainer.data.EncodedPair;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.genderalign.core.io.Hashing;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.checkpoint.CheckpointManager;
import org.genderalign.trainer.checkpoint.TensorFile;

/**
 * Reference log-probs on disk, so that they are computed once and reused by later runs (TRL's
 * {@code precompute_ref_log_probs}, which users miss the save/reload of). An entry is keyed by
 * (model hash, data hash, tokenisation settings); the data hash covers the token ids after
 * truncation, so any change of data, tokenizer or max length is a different entry. Entries are
 * folders written atomically: {@code values.tensors}, {@code entry.json} (ids, key, provenance).
 */
public final class ReferenceLogpCache {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;

  /**
   * What identifies a set of reference log-probs.
   *
   * @param modelHash sha256 identifying the reference weights
   * @param dataHash sha256 of the tokenised, truncated pairs ({@link #hashPairs})
   * @param tokenization the tokenisation settings in words (tokenizer id, max length, BOS/EOS)
   */
  public record Key(String modelHash, String dataHash, String tokenization) {
    /** The entry's folder name. */
    public String digest() {
      return Hashing.sha256(modelHash + "\n" + dataHash + "\n" + tokenization).substring(0, 32);
    }
  }

  public ReferenceLogpCache(Path dir) {
    this.dir = dir;
  }

  /** The default cache folder: {@code $XDG_CACHE_HOME/genderalign/ref-logps} or {@code ~/.cache/…}. */
  public static Path defaultDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("genderalign").resolve("ref-logps");
  }

  public Path dir() {
    return dir;
  }

  /** sha256 over ids and token ids of the pairs, in order. */
  public static String hashPairs(List<EncodedPair> pairs) {
    var md = Hashing.newDigest();
    for (EncodedPair p : pairs) {
      md.update(p.id().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      for (int[] part : new int[][] {p.prompt(), p.chosen(), p.rejected()}) {
        md.update((byte) 0);
        for (int t : part) {
          md.update(new byte[] {(byte) (t >>> 24), (byte) (t >>> 16), (byte) (t >>> 8), (byte) t});
        }
      }
      md.update((byte) '\n');
    }
    return java.util.HexFormat.of().formatHex(md.digest());
  }

  /** The cached values for {@code key}, if present and complete. */
  public Optional<ReferenceLogps> load(Key key) throws IOException {
    Path entry = dir.resolve(key.digest());
    Path json = entry.resolve("entry.json");
    if (!Files.isRegularFile(json)) {
      return Optional.empty();
    }
    Map<?, ?> meta = JSON.readValue(json.toFile(), Map.class);
    if (!key.modelHash().equals(meta.get("modelHash")) || !key.dataHash().equals(meta.get("dataHash"))
        || !key.tokenization().equals(meta.get("tokenization"))) {
      return Optional.empty(); // a digest collision or a hand-edited entry: recompute
    }
    @SuppressWarnings("unchecked")
    List<String> ids = (List<String>) meta.get("ids");
    try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
      Map<String, NDArray> t = TensorFile.read(entry.resolve("values.tensors"), m, null);
      return Optional.of(new ReferenceLogps(ids, t.get("chosen").toFloatArray(), t.get("rejected").toFloatArray()));
    }
  }

  /** Stores the values for {@code key} atomically (replacing an older entry). */
  public Path store(Key key, ReferenceLogps values, Provenance provenance) throws IOException {
    Files.createDirectories(dir);
    Path entry = dir.resolve(key.digest());
    Path tmp = Files.createTempDirectory(dir, ".tmp-" + key.digest());
    try {
      try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
        Map<String, NDArray> t = new LinkedHashMap<>();
        t.put("chosen", m.create(values.chosen()));
        t.put("rejected", m.create(values.rejected()));
        TensorFile.write(tmp.resolve("values.tensors"), t);
      }
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("modelHash", key.modelHash());
      meta.put("dataHash", key.dataHash());
      meta.put("tokenization", key.tokenization());
      meta.put("pairs", values.ids().size());
      meta.put("provenance", provenance);
      meta.put("ids", values.ids());
      JSON.writeValue(tmp.resolve("entry.json").toFile(), meta);
      CheckpointManager.deleteTree(entry);
      try {
        Files.move(tmp, entry, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, entry);
      }
    } finally {
      CheckpointManager.deleteTree(tmp);
    }
    return entry;
  }
}
