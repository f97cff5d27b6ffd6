package org.genderalign.core.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.genderalign.core.data.UnpairedExample;

/**
 * TRL unpaired preference data (what {@code KTOTrainer} reads), as JSON Lines — or, when the
 * file's first character is {@code [}, one JSON array of the same objects.
 *
 * <p><b>Reading</b> accepts TRL's two shapes:
 * <ul>
 *   <li>standard: {@code {"prompt": "…", "completion": "…", "label": true}};</li>
 *   <li>conversational: {@code prompt} a list of {@code {role, content}} messages,
 *       {@code completion} a list holding the one assistant message — or, with no
 *       {@code prompt}, {@code completion} a whole conversation whose last message is the
 *       assistant's answer.</li>
 * </ul>
 * {@code label} must be a JSON boolean. Message lists become prompt text as in
 * {@link TrlFormat} (leading system messages go to metadata key {@code system}). Key {@code id}
 * fills the id (default {@code <file-stem>-<line>}, or {@code <file-stem>-<item index>} in an
 * array); every other top-level key goes to metadata as a plain Java value, so read → write →
 * read is identity.
 *
 * <p><b>Writing</b> is always the standard form, one object per line, keys in the order
 * {@code id, prompt, completion, label}, then every metadata entry as a top-level key.
 */
public final class TrlUnpairedFormat implements RecordFormat<UnpairedExample> {

  /** Format name. */
  public static final String NAME = "trl-unpaired";
  /** Top-level keys with a field of their own; metadata may not use them. */
  public static final Set<String> RESERVED_KEYS = Set.of("id", "prompt", "completion", "label");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public RecordReader<UnpairedExample> reader(Path file) throws IOException {
    return new JsonRecordReader<>(file, JsonRecordReader.Mode.EITHER,
        "TRL objects {prompt, completion, label}", TrlUnpairedFormat::parse);
  }

  @Override
  public RecordWriter<UnpairedExample> writer(Path file) throws IOException {
    return new JsonLinesWriter<>(file) {
      @Override
      protected void writeFields(UnpairedExample e) throws IOException {
        gen.writeStringField("id", e.id());
        gen.writeStringField("prompt", e.prompt());
        gen.writeStringField("completion", e.completion());
        gen.writeBooleanField("label", e.label());
        writeMetadata("example", e.id(), e.metadata(), RESERVED_KEYS);
      }
    };
  }

  /** One TRL object as an unpaired example. */
  static UnpairedExample parse(ObjectNode o, String fallbackId) throws RecordProblem {
    String id = JsonSupport.id(o, "id", fallbackId);
    JsonNode p = o.get("prompt");
    JsonNode c = o.get("completion");
    JsonNode l = o.get("label");
    if (c == null) {
      throw new RecordProblem("completion", "missing (expected a string or a list of messages)");
    }
    if (l == null) {
      throw new RecordProblem("label", "missing (expected true for a desirable completion, false otherwise)");
    }
    if (!l.isBoolean()) {
      throw new RecordProblem("label", "expected true or false, got " + JsonSupport.typeName(l));
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    String prompt;
    String completion;
    if (p == null) {
      if (!c.isArray()) {
        throw new RecordProblem("prompt", "missing (expected a string or a list of messages; only "
            + "conversational data, where completion is a whole conversation, may leave it out)");
      }
      List<Messages.Message> m = Messages.parse(c, "completion");
      completion = Messages.lastAssistant(m, "completion");
      Messages.Rendered r = Messages.render(m.subList(0, m.size() - 1), "completion");
      prompt = r.text();
      if (r.system() != null) {
        meta.put("system", r.system());
      }
    } else {
      prompt = TrlFormat.prompt(p, meta);
      completion = TrlFormat.completion(c, "completion");
    }
    return new UnpairedExample(id, prompt, completion, l.booleanValue(), TrlFormat.metadata(o, RESERVED_KEYS, meta));
  }
}
