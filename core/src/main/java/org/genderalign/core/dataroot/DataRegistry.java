package org.genderalign.core.dataroot;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry of every external file the project uses (the project's {@code data/registry.json},
 * shipped inside the core jar). Lookups are by id or by relative path.
 */
public final class DataRegistry {

  private static final String RESOURCE = "registry.json";
  private static volatile DataRegistry defaultRegistry;

  private final Map<String, DataFile> byId;
  private final Map<String, DataFile> byPath;

  public DataRegistry(List<DataFile> files) {
    Map<String, DataFile> ids = new LinkedHashMap<>();
    Map<String, DataFile> paths = new LinkedHashMap<>();
    for (DataFile f : files) {
      if (ids.put(f.id(), f) != null) {
        throw new IllegalArgumentException("duplicate data file id in registry: " + f.id());
      }
      if (paths.put(f.path(), f) != null) {
        throw new IllegalArgumentException("duplicate data file path in registry: " + f.path());
      }
    }
    this.byId = Collections.unmodifiableMap(ids);
    this.byPath = Collections.unmodifiableMap(paths);
  }

  /** The registry shipped with the project. */
  public static DataRegistry load() {
    DataRegistry r = defaultRegistry;
    if (r == null) {
      try (InputStream in = DataRegistry.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("registry.json missing from the core jar (build problem)");
        }
        r = parse(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      defaultRegistry = r;
    }
    return r;
  }

  static DataRegistry parse(InputStream in) throws IOException {
    ObjectMapper om = new ObjectMapper()
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    JsonNode root = om.readTree(in);
    List<DataFile> files = new ArrayList<>();
    for (JsonNode n : root.path("files")) {
      files.add(om.treeToValue(n, DataFile.class));
    }
    return new DataRegistry(files);
  }

  public List<DataFile> files() {
    return List.copyOf(byId.values());
  }

  public Optional<DataFile> byId(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  public Optional<DataFile> byPath(String relativePath) {
    return Optional.ofNullable(byPath.get(relativePath));
  }

  /** The file with this id; an {@link IllegalArgumentException} listing known ids otherwise. */
  public DataFile require(String id) {
    DataFile f = byId.get(id);
    if (f == null) {
      throw new IllegalArgumentException("unknown data file id '" + id + "'; known ids: " + byId.keySet());
    }
    return f;
  }
}
