package org.genderalign.core.dataroot;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.genderalign.core.io.AtomicFiles;
import org.genderalign.core.io.Hashing;

/**
 * Verifies files against their registered size and sha256. Hashing 20 MB on every start would
 * be wasteful, so a verified hash is cached by (absolute path, size, mtime) in a small JSON
 * file; a changed file changes its size or mtime and is hashed again.
 */
public final class ChecksumVerifier {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path cacheFile;
  private final Map<String, String> cache = new TreeMap<>();
  private boolean loaded;

  /** A verifier with its cache at {@code cacheFile}, or no persistent cache when null. */
  public ChecksumVerifier(Path cacheFile) {
    this.cacheFile = cacheFile;
  }

  /** Cache under {@code $XDG_CACHE_HOME/genderalign} (default {@code ~/.cache/genderalign}). */
  public static ChecksumVerifier withDefaultCache() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank()
        ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return new ChecksumVerifier(base.resolve("genderalign").resolve("sha256-cache.json"));
  }

  synchronized VerifyResult verify(DataFile f, Path p, Path root, String origin) {
    try {
      long size = Files.size(p);
      if (size != f.bytes()) {
        return new VerifyResult(f, VerifyResult.Status.WRONG_SIZE, p,
            f.description() + " (" + f.id() + ") at " + p + " has " + size + " bytes, expected "
                + f.bytes() + " (truncated or a different version); " + f.obtainHint());
      }
      String key = p.toAbsolutePath() + "|" + size + "|" + Files.getLastModifiedTime(p).toMillis();
      loadCache();
      String sha = cache.get(key);
      if (sha == null) {
        sha = Hashing.sha256(p);
        cache.put(key, sha);
        saveCache();
      }
      if (!sha.equalsIgnoreCase(f.sha256())) {
        return new VerifyResult(f, VerifyResult.Status.WRONG_HASH, p,
            f.description() + " (" + f.id() + ") at " + p + " is corrupt: sha256 " + sha
                + ", expected " + f.sha256() + "; " + f.obtainHint());
      }
      return new VerifyResult(f, VerifyResult.Status.OK, p, "");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  private void loadCache() {
    if (loaded) {
      return;
    }
    loaded = true;
    if (cacheFile == null || !Files.isRegularFile(cacheFile)) {
      return;
    }
    try {
      cache.putAll(JSON.readValue(cacheFile.toFile(), new TypeReference<Map<String, String>>() {}));
    } catch (IOException e) {
      // A corrupt cache only costs a re-hash; never fail verification because of it.
      cache.clear();
    }
  }

  private void saveCache() {
    if (cacheFile == null) {
      return;
    }
    try {
      AtomicFiles.writeString(cacheFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(cache));
    } catch (IOException | RuntimeException e) {
      // Read-only home or full disk: verification still works, just without the cache.
    }
  }
}
