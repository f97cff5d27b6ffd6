package org.genderalign.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.genderalign.core.io.AtomicFiles;
import org.genderalign.core.io.Hashing;

/**
 * What a finished stage wrote into {@code <out>/<stage>/manifest.json} (last, atomically): a
 * stage folder without one was interrupted.
 *
 * @param stage the stage's name
 * @param configHash sha256 of the stage's config section as canonical JSON
 * @param inputs input name → sha256 (data files, upstream outputs)
 * @param outputs output path relative to the stage folder → sha256
 * @param tool the project version (compared) and git revision (recorded)
 * @param startedAt ISO-8601 instant
 * @param finishedAt ISO-8601 instant
 */
public record StageManifest(String stage, String configHash, Map<String, String> inputs,
    Map<String, String> outputs, Tool tool, String startedAt, String finishedAt) {

  public static final String FILE = "manifest.json";
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  /** The tool that wrote a manifest. */
  public record Tool(String version, String gitRevision) {}

  public StageManifest {
    inputs = new TreeMap<>(inputs);
    outputs = new TreeMap<>(outputs);
  }

  /** The manifest in {@code stageDir}, or null when there is none (never run, or interrupted). */
  public static StageManifest read(Path stageDir) throws IOException {
    Path f = stageDir.resolve(FILE);
    if (!Files.isRegularFile(f)) {
      return null;
    }
    try {
      return JSON.readValue(f.toFile(), StageManifest.class);
    } catch (IOException e) {
      return null; // unreadable: treated as absent, so the stage runs again
    }
  }

  void write(Path stageDir) throws IOException {
    AtomicFiles.writeString(stageDir.resolve(FILE), JSON.writeValueAsString(this) + "\n");
  }

  /**
   * Why this manifest does not let the stage be skipped now, or null when it does: the same
   * config hash, inputs and tool version, and every output still on disk with its hash.
   */
  String staleReason(String configHash, Map<String, String> inputs, String version, Path stageDir)
      throws IOException {
    if (!this.configHash.equals(configHash)) {
      return "its settings changed";
    }
    if (!this.inputs.equals(new TreeMap<>(inputs))) {
      for (Map.Entry<String, String> e : new TreeMap<>(inputs).entrySet()) {
        if (!e.getValue().equals(this.inputs.get(e.getKey()))) {
          return "input " + e.getKey() + " changed";
        }
      }
      return "its inputs changed";
    }
    if (tool == null || !version.equals(tool.version())) {
      return "the tool version changed";
    }
    for (Map.Entry<String, String> e : outputs.entrySet()) {
      Path f = stageDir.resolve(e.getKey());
      if (!Files.isRegularFile(f)) {
        return "output " + e.getKey() + " is missing";
      }
      if (!Hashing.sha256(f).equals(e.getValue())) {
        return "output " + e.getKey() + " was modified";
      }
    }
    return null;
  }
}
