package org.genderalign.core.dataroot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.genderalign.core.io.Hashing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataRootTest {

  private static final String FALLBACK = "genderalign.data.root.fallback";

  @TempDir Path tmp;
  private String savedProperty;
  private String savedFallback;

  @BeforeEach
  void saveProperties() {
    savedProperty = System.clearProperty(DataRoot.PROPERTY);
    savedFallback = System.clearProperty(FALLBACK);
  }

  @AfterEach
  void restoreProperties() {
    restore(DataRoot.PROPERTY, savedProperty);
    restore(FALLBACK, savedFallback);
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }

  @Test
  void resolutionOrderExplicitThenPropertyThenEnvironmentThenDefault() {
    Map<String, String> env = Map.of(DataRoot.ENV, "/env/root");
    Path project = Path.of("/project");
    System.setProperty(DataRoot.PROPERTY, "/prop/root");
    DataRoot explicit = DataRoot.resolve(Path.of("/explicit"), env, project);
    assertThat(explicit.dir()).isEqualTo(Path.of("/explicit"));
    assertThat(explicit.origin()).isEqualTo("--data-root");

    DataRoot prop = DataRoot.resolve(null, env, project);
    assertThat(prop.dir()).isEqualTo(Path.of("/prop/root"));
    assertThat(prop.origin()).isEqualTo("-Dgenderalign.data.root");

    System.clearProperty(DataRoot.PROPERTY);
    DataRoot fromEnv = DataRoot.resolve(null, env, project);
    assertThat(fromEnv.dir()).isEqualTo(Path.of("/env/root"));
    assertThat(fromEnv.origin()).isEqualTo("GENDERALIGN_DATA_ROOT");

    DataRoot blankEnv = DataRoot.resolve(null, Map.of(DataRoot.ENV, "  "), project);
    assertThat(blankEnv.dir()).isEqualTo(Path.of("/project/data/external"));
    assertThat(blankEnv.origin()).isEqualTo("default (data/external)");

    System.setProperty(FALLBACK, "/launcher/data/external");
    assertThat(DataRoot.resolve(null, Map.of(), project).dir()).isEqualTo(Path.of("/launcher/data/external"));
  }

  @Test
  void relativeRootsResolveAgainstTheCurrentDirectory() {
    DataRoot r = DataRoot.resolve(Path.of("rel/dir"), Map.of(), Path.of("/p"));
    assertThat(r.dir()).isEqualTo(Path.of("").toAbsolutePath().resolve("rel/dir"));
  }

  @Test
  void aRelativeEnvironmentValueResolvesAgainstTheProjectRoot() {
    String old = System.getProperty(DataRoot.PROJECT_ROOT_PROPERTY);
    try {
      System.setProperty(DataRoot.PROJECT_ROOT_PROPERTY, "/work/project");
      DataRoot r = DataRoot.resolve(null, Map.of(DataRoot.ENV, "../shared"), Path.of("/ignored"));
      // CI's setting GENDERALIGN_DATA_ROOT=../shared means beside the project, whatever module
      // folder Maven runs the tests in.
      assertThat(r.dir()).isEqualTo(Path.of("/work/shared"));
      assertThat(DataRoot.resolve(null, Map.of(DataRoot.ENV, "/abs/root"), Path.of("/x")).dir())
          .isEqualTo(Path.of("/abs/root"));
      System.clearProperty(DataRoot.PROJECT_ROOT_PROPERTY);
      assertThat(DataRoot.resolve(null, Map.of(DataRoot.ENV, "rel"), Path.of("/x")).dir())
          .isEqualTo(Path.of("").toAbsolutePath().resolve("rel"));
    } finally {
      if (old == null) {
        System.clearProperty(DataRoot.PROJECT_ROOT_PROPERTY);
      } else {
        System.setProperty(DataRoot.PROJECT_ROOT_PROPERTY, old);
      }
    }
  }

  // --- verification -----------------------------------------------------------------------

  private DataFile registered(Path rootDir, String rel, byte[] content) throws Exception {
    Path p = rootDir.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.write(p, content);
    return new DataFile("thing", rel, content.length, Hashing.sha256(content), "MIT", "A thing", "src",
        "https://example.org/thing", null);
  }

  private DataRoot root(Path dir, DataFile f, Path cache) {
    return new DataRoot(dir, "test", new DataRegistry(List.of(f)), new ChecksumVerifier(cache));
  }

  @Test
  void aRootWithoutAnyMirrorIsOneLineSayingHowToGetOne() throws Exception {
    Path dir = tmp.resolve("root");
    DataFile f = registered(dir, "data/thing.json", "hello".getBytes());
    DataRoot none = root(tmp.resolve("nowhere"), f, null);
    assertThatThrownBy(() -> none.file("thing")).isInstanceOf(MissingDataException.class)
        .hasMessage("no data mirror at " + tmp.resolve("nowhere") + " [test]: set GENDERALIGN_DATA_ROOT "
            + "(or --data-root) to the folder of the data mirror, or run './genderalign data fetch' to download "
            + "the files there");
    Files.createDirectories(tmp.resolve("empty"));
    assertThatThrownBy(() -> root(tmp.resolve("empty"), f, null).file("thing"))
        .hasMessageStartingWith("no data mirror at ");
    assertThat(root(dir, f, null).file("thing")).isEqualTo(dir.resolve("data/thing.json"));
  }

  @Test
  void okFileIsHandedOut() throws Exception {
    Path dir = tmp.resolve("root");
    DataFile f = registered(dir, "data/x/thing.json", "hello".getBytes());
    DataRoot r = root(dir, f, tmp.resolve("cache.json"));
    assertThat(r.verify(f).ok()).isTrue();
    assertThat(r.file("thing")).isEqualTo(dir.resolve("data/x/thing.json"));
  }

  @Test
  void missingWrongSizeAndWrongHashSayWhatAndHowToFix() throws Exception {
    Path dir = tmp.resolve("root");
    DataFile f = registered(dir, "data/thing.json", "hello".getBytes());
    DataRoot r = root(dir, f, null);
    String hint = "run './genderalign data fetch --only thing' (downloads https://example.org/thing), or point "
        + "--data-root / GENDERALIGN_DATA_ROOT at a mirror that has data/thing.json";
    Path p = dir.resolve("data/thing.json");

    Files.writeString(p, "hell");
    VerifyResult size = r.verify(f);
    assertThat(size.status()).isEqualTo(VerifyResult.Status.WRONG_SIZE);
    assertThat(size.message()).isEqualTo("A thing (thing) at " + p + " has 4 bytes, expected 5 "
        + "(truncated or a different version); " + hint);

    Files.writeString(p, "jello");
    VerifyResult hash = r.verify(f);
    assertThat(hash.status()).isEqualTo(VerifyResult.Status.WRONG_HASH);
    assertThat(hash.message()).isEqualTo("A thing (thing) at " + p + " is corrupt: sha256 "
        + Hashing.sha256("jello") + ", expected " + Hashing.sha256("hello") + "; " + hint);
    assertThatThrownBy(() -> r.file("thing")).isInstanceOf(MissingDataException.class).hasMessage(hash.message());

    Files.delete(p);
    VerifyResult missing = r.verify(f);
    assertThat(missing.status()).isEqualTo(VerifyResult.Status.MISSING);
    assertThat(missing.message()).isEqualTo("A thing (thing) is missing: expected " + p + " under data root "
        + dir + " [test]; " + hint);
    assertThatThrownBy(() -> r.file("thing")).isInstanceOf(MissingDataException.class).hasMessage(missing.message());
  }

  @Test
  void verifiedHashIsCachedByPathSizeAndMtime() throws Exception {
    Path dir = tmp.resolve("root");
    DataFile f = registered(dir, "data/thing.json", "hello".getBytes());
    Path cache = tmp.resolve("cache/sha256-cache.json");
    assertThat(root(dir, f, cache).verify(f).ok()).isTrue();
    assertThat(cache).exists();
    String json = Files.readString(cache);
    assertThat(json).contains(Hashing.sha256("hello"));

    // A fresh verifier trusts the cache entry: a poisoned entry for the same path/size/mtime is
    // believed (proof the file was not hashed again) ...
    Files.writeString(cache, json.replace(Hashing.sha256("hello"), "0".repeat(64)));
    assertThat(root(dir, f, cache).verify(f).status()).isEqualTo(VerifyResult.Status.WRONG_HASH);
    // ... until the file's mtime changes, which forces a re-hash.
    Path p = dir.resolve("data/thing.json");
    Files.setLastModifiedTime(p, FileTime.fromMillis(Files.getLastModifiedTime(p).toMillis() + 5000));
    assertThat(root(dir, f, cache).verify(f).ok()).isTrue();
  }

  @Test
  void corruptCacheOnlyCostsARehash() throws Exception {
    Path dir = tmp.resolve("root");
    DataFile f = registered(dir, "data/thing.json", "hello".getBytes());
    Path cache = tmp.resolve("cache.json");
    Files.writeString(cache, "{not json");
    assertThat(root(dir, f, cache).verify(f).ok()).isTrue();
    assertThat(Files.readString(cache)).contains(Hashing.sha256("hello"));
  }

  @Test
  void theMirrorVerifies() {
    restore(DataRoot.PROPERTY, savedProperty);
    restore(FALLBACK, savedFallback);
    DataRoot env = DataRoot.fromEnvironment();
    for (String id : List.of("genderalign-partial", "hh-rlhf-harmless-test", "alpaca-5000")) {
      assertThat(env.verify(env.registry().require(id)).ok()).as(id).isTrue();
    }
  }
}
