package org.genderalign.core.provenance;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.genderalign.core.io.Hashing;

/**
 * Where an artifact came from, written next to every data set, checkpoint and report so that a
 * result can be traced and re-run: the tool and its git revision, the exact config, the sha256
 * of every input, the seed, library versions and the time.
 *
 * @param tool what produced it, e.g. {@code dataset build}
 * @param version project version
 * @param gitRevision git commit the code was built from ({@code -dirty} if uncommitted)
 * @param createdAt ISO-8601 instant
 * @param seed random seed, or null when none applies
 * @param config the full configuration as a JSON-able object (a record or a map)
 * @param inputs input name → sha256
 * @param libraries library → version of everything on the class path ({@code group:artifact},
 *     and {@code java}), collected by {@link Libraries}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Provenance(
    String tool,
    String version,
    String gitRevision,
    String createdAt,
    Long seed,
    Object config,
    Map<String, String> inputs,
    Map<String, String> libraries) {

  public Provenance {
    inputs = inputs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    libraries = libraries == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(libraries));
  }

  /**
   * Starts a provenance record for {@code tool} with the build's version, revision, now, and the
   * version of every library on the class path ({@link Libraries#versions()}).
   *
   * @param config the tool's configuration: a record (or a tree of records), serialised by Jackson
   */
  public static Provenance of(String tool, Object config, Long seed) {
    return new Provenance(tool, BuildInfo.version(), BuildInfo.gitRevision(),
        Instant.now().toString(), seed, config, Map.of(), Libraries.versions());
  }

  /** A copy with one more input, hashed now. */
  public Provenance withInput(String name, Path file) throws IOException {
    return withInputHash(name, Hashing.sha256(file));
  }

  /** A copy with one more input whose sha256 is already known. */
  public Provenance withInputHash(String name, String sha256) {
    Map<String, String> m = new LinkedHashMap<>(inputs);
    m.put(name, sha256);
    return new Provenance(tool, version, gitRevision, createdAt, seed, config, m, libraries);
  }

  /** A copy with one more library version. */
  public Provenance withLibrary(String name, String libVersion) {
    Map<String, String> m = new LinkedHashMap<>(libraries);
    m.put(name, libVersion);
    return new Provenance(tool, version, gitRevision, createdAt, seed, config, inputs, m);
  }

  /**
   * A copy with a fixed creation time, for artifacts that must be byte-identical across runs
   * with the same seed and inputs (the time then lives in a separate, non-hashed file).
   */
  public Provenance withCreatedAt(String instant) {
    return new Provenance(tool, version, gitRevision, instant, seed, config, inputs, libraries);
  }
}
