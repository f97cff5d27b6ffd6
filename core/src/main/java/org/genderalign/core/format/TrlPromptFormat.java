package org.genderalign.core.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.genderalign.core.data.PromptExample;

/**
 * TRL prompt-only data (what {@code GRPOTrainer} reads), as JSON Lines — or, when the file's first
 * character is {@code [}, one JSON array of the same objects: {@code {"prompt": "…"}}, the prompt a
 * string or a list of {@code {role, content}} messages (rendered as in {@link TrlFormat}). Key
 * {@code id} fills the id (default {@code <file-stem>-<line>}); every other top-level key goes to
 * metadata. Writing is one {@code {id, prompt, …metadata}} object per line.
 */
public final class TrlPromptFormat implements RecordFormat<PromptExample> {

  /** Format name. */
  public static final String NAME = "trl-prompt";
  /** Top-level keys with a field of their own. */
  public static final Set<String> RESERVED_KEYS = Set.of("id", "prompt");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public RecordReader<PromptExample> reader(Path file) throws IOException {
    return new JsonRecordReader<>(file, JsonRecordReader.Mode.EITHER, "TRL objects {prompt}", TrlPromptFormat::parse);
  }

  @Override
  public RecordWriter<PromptExample> writer(Path file) throws IOException {
    return new JsonLinesWriter<>(file) {
      @Override
      protected void writeFields(PromptExample e) throws IOException {
        gen.writeStringField("id", e.id());
        gen.writeStringField("prompt", e.prompt());
        writeMetadata("example", e.id(), e.metadata(), RESERVED_KEYS);
      }
    };
  }

  /** One TRL object as a prompt. */
  static PromptExample parse(ObjectNode o, String fallbackId) throws RecordProblem {
    String id = JsonSupport.id(o, "id", fallbackId);
    JsonNode p = o.get("prompt");
    if (p == null) {
      throw new RecordProblem("prompt", "missing (expected a string or a list of messages)");
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    String prompt = TrlFormat.prompt(p, meta);
    return new PromptExample(id, prompt, TrlFormat.metadata(o, RESERVED_KEYS, meta));
  }
}
