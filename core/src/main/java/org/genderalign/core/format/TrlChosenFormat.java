package org.genderalign.core.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import org.genderalign.core.data.SftExample;

/**
 * A TRL preference file read as SFT examples: prompt → instruction, chosen → output (input
 * empty), id as in {@link TrlFormat}. This is how the SFT stage trains on the preferred answers
 * of a DPO data set. {@code rejected} is not needed, so files of this reader's own writer —
 * JSON Lines {@code {"id", "prompt", "chosen"}}, plus {@code "input"} when an example has one —
 * read back unchanged; an {@code input} key is read as the example's input.
 */
public final class TrlChosenFormat implements RecordFormat<SftExample> {

  /** Format name. */
  public static final String NAME = "trl-chosen";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public RecordReader<SftExample> reader(Path file) throws IOException {
    return new JsonRecordReader<>(file, JsonRecordReader.Mode.EITHER,
        "TRL objects {prompt, chosen, rejected}", TrlChosenFormat::parse);
  }

  static SftExample parse(ObjectNode o, String fallbackId) throws RecordProblem {
    String id = JsonSupport.id(o, "id", fallbackId);
    JsonNode p = o.get("prompt");
    JsonNode c = o.get("chosen");
    if (c == null) {
      throw new RecordProblem("chosen", "missing (expected a string or a list of messages)");
    }
    String prompt;
    String output;
    if (p == null) {
      if (!c.isArray()) {
        throw new RecordProblem("prompt", "missing (expected a string or a list of messages)");
      }
      java.util.List<Messages.Message> m = Messages.parse(c, "chosen");
      output = Messages.lastAssistant(m, "chosen");
      prompt = Messages.render(m.subList(0, m.size() - 1), "chosen").text();
    } else {
      if (p.isTextual()) {
        prompt = p.textValue();
      } else if (p.isArray()) {
        prompt = Messages.render(Messages.parse(p, "prompt"), "prompt").text();
      } else {
        throw new RecordProblem("prompt", "expected a string or a list of messages, got " + JsonSupport.typeName(p));
      }
      output = TrlFormat.completion(c, "chosen");
    }
    return new SftExample(id, prompt, JsonSupport.optionalString(o, "input"), output);
  }

  @Override
  public RecordWriter<SftExample> writer(Path file) throws IOException {
    return new JsonLinesWriter<>(file) {
      @Override
      protected void writeFields(SftExample e) throws IOException {
        gen.writeStringField("id", e.id());
        gen.writeStringField("prompt", e.instruction());
        if (!e.input().isEmpty()) {
          gen.writeStringField("input", e.input());
        }
        gen.writeStringField("chosen", e.output());
      }
    };
  }
}
