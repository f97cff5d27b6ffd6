package org.genderalign.core.dataroot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where external data and model files live (README, section 'Data root'). Resolution order:
 * <ol>
 *   <li>an explicit directory ({@code --data-root DIR}, or a Maven goal's parameter);</li>
 *   <li>the environment variable {@value #ENV};</li>
 *   <li>{@code data/external/} under the project root.</li>
 * </ol>
 * A relative {@code --data-root} is resolved against the current directory (the user's shell);
 * a relative {@value #ENV} or property value against the project root when it is known (system
 * property {@value #PROJECT_ROOT_PROPERTY}, set by the launcher and the Maven build), because
 * the documented setting is {@code GENDERALIGN_DATA_ROOT=../shared} relative to the project root
 * and Maven runs each module's tests in the module's own folder. Every file handed out by
 * {@link #file(String)} is first verified against the registry (size + sha256, cached).
 */
public final class DataRoot {

  /** Environment variable naming the data root. */
  public static final String ENV = "GENDERALIGN_DATA_ROOT";
  /** System property overriding the environment (used by tests and Maven goals). */
  public static final String PROPERTY = "genderalign.data.root";
  /** System property naming the project root (set by {@code ./genderalign} and the Maven build). */
  public static final String PROJECT_ROOT_PROPERTY = "genderalign.project.root";
  /** Default location under the project root. */
  public static final String DEFAULT_RELATIVE = "data/external";

  private final Path dir;
  private final String origin;
  private final DataRegistry registry;
  private final ChecksumVerifier verifier;

  public DataRoot(Path dir, String origin, DataRegistry registry, ChecksumVerifier verifier) {
    this.dir = dir.toAbsolutePath().normalize();
    this.origin = Objects.requireNonNull(origin);
    this.registry = Objects.requireNonNull(registry);
    this.verifier = Objects.requireNonNull(verifier);
  }

  /** Resolves the data root from an explicit value (may be null), the environment, or the default. */
  public static DataRoot resolve(Path explicit) {
    return resolve(explicit, System.getenv(), Path.of(""));
  }

  /** The data root from the environment or the default (no explicit value). */
  public static DataRoot fromEnvironment() {
    return resolve(null);
  }

  static DataRoot resolve(Path explicit, Map<String, String> env, Path projectRoot) {
    DataRegistry registry = DataRegistry.load();
    ChecksumVerifier verifier = ChecksumVerifier.withDefaultCache();
    if (explicit != null) {
      return new DataRoot(explicit, "--data-root", registry, verifier);
    }
    String prop = System.getProperty(PROPERTY);
    if (prop != null && !prop.isBlank()) {
      return new DataRoot(fromProjectRoot(Path.of(prop)), "-D" + PROPERTY, registry, verifier);
    }
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return new DataRoot(fromProjectRoot(Path.of(fromEnv)), ENV, registry, verifier);
    }
    String fallback = System.getProperty("genderalign.data.root.fallback");
    Path def = fallback != null ? Path.of(fallback) : projectRoot.resolve(DEFAULT_RELATIVE);
    return new DataRoot(def, "default (" + DEFAULT_RELATIVE + ")", registry, verifier);
  }

  private static Path fromProjectRoot(Path p) {
    String projectRoot = System.getProperty(PROJECT_ROOT_PROPERTY);
    if (p.isAbsolute() || projectRoot == null || projectRoot.isBlank()) {
      return p;
    }
    return Path.of(projectRoot).resolve(p);
  }

  public Path dir() {
    return dir;
  }

  /** How this root was chosen, for messages: {@code --data-root}, the env var, or default. */
  public String origin() {
    return origin;
  }

  public DataRegistry registry() {
    return registry;
  }

  /** Where the registered file would be, without checking it. */
  public Path pathOf(DataFile f) {
    return dir.resolve(f.path());
  }

  /**
   * The verified path of a registered file.
   *
   * @throws MissingDataException if it is missing or corrupt (message says how to fix it)
   */
  public Path file(String id) {
    DataFile f = registry.require(id);
    if (!Files.isDirectory(dir.resolve("data")) && !Files.isDirectory(dir.resolve("models"))) {
      throw new MissingDataException(noMirror());
    }
    VerifyResult r = verify(f);
    if (!r.ok()) {
      throw new MissingDataException(r.message());
    }
    return pathOf(f);
  }

  /** The one line for a data root that holds no mirror at all (nothing set up yet). */
  String noMirror() {
    return "no data mirror at " + dir + " [" + origin + "]: set " + ENV + " (or --data-root) to the folder "
        + "of the data mirror, or run './genderalign data fetch' to download the files there";
  }

  /** Checks one file against the registry (cached by path + size + mtime). */
  public VerifyResult verify(DataFile f) {
    Path p = pathOf(f);
    if (!Files.isRegularFile(p)) {
      return new VerifyResult(f, VerifyResult.Status.MISSING, p,
          f.description() + " (" + f.id() + ") is missing: expected " + p + " under data root "
              + dir + " [" + origin + "]; " + f.obtainHint());
    }
    return verifier.verify(f, p, dir, origin);
  }
}
