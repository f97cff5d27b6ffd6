package org.genderalign.builder.seed;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genderalign.core.dataroot.DataRoot;

/** Loads every configured seed source and user file, in config order. */
public final class SeedLoader {

  private SeedLoader() {}

  /**
   * The raw seeds and, per input, its identity (data-root id or user file path → sha256).
   *
   * @param seeds raw seeds in order
   * @param inputHashes input name → sha256
   * @param sources source id → the source (for licences in the card)
   */
  public record Loaded(List<Seed> seeds, Map<String, String> inputHashes, Map<String, SeedSource> sources) {}

  public static Loaded load(DataRoot root, List<String> sourceIds, List<String> userFiles) throws IOException {
    List<Seed> all = new ArrayList<>();
    Map<String, String> hashes = new LinkedHashMap<>();
    Map<String, SeedSource> sources = new LinkedHashMap<>();
    for (String id : sourceIds) {
      SeedSource src = SeedSources.byId(id);
      sources.put(id, src);
      all.addAll(src.load(root));
      for (String fileId : src.dataFileIds()) {
        hashes.put(fileId, root.registry().require(fileId).sha256());
      }
    }
    for (String f : userFiles) {
      Path p = Path.of(f);
      all.addAll(UserSeedFiles.load(p));
      hashes.put("user:" + p.getFileName(), org.genderalign.core.io.Hashing.sha256(p));
    }
    return new Loaded(all, hashes, sources);
  }
}
