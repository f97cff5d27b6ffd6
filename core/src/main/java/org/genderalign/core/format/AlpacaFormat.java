package org.genderalign.core.format;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import org.genderalign.core.data.SftExample;

/**
 * Stanford Alpaca SFT data: {@code {"instruction", "input", "output"}} objects, read from one
 * JSON array (the original {@code alpaca_data.json}) or from JSON Lines — the first character
 * decides. {@code input} may be absent or null (empty); an optional {@code id} (string or
 * integer) is kept, else the id is {@code <file-stem>-<item index>} / {@code <file-stem>-<line>};
 * other keys are ignored.
 *
 * <p>The writer writes JSON Lines {@code {"id", "instruction", "input", "output"}}, which this
 * reader reads back unchanged.
 */
public final class AlpacaFormat implements RecordFormat<SftExample> {

  /** Format name. */
  public static final String NAME = "alpaca";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public RecordReader<SftExample> reader(Path file) throws IOException {
    return new JsonRecordReader<>(file, JsonRecordReader.Mode.EITHER,
        "Alpaca objects {instruction, input, output}", AlpacaFormat::parse);
  }

  static SftExample parse(ObjectNode o, String fallbackId) throws RecordProblem {
    String id = JsonSupport.id(o, "id", fallbackId);
    String instruction = JsonSupport.requireString(o, "instruction");
    String input = JsonSupport.optionalString(o, "input");
    String output = JsonSupport.requireString(o, "output");
    return new SftExample(id, instruction, input, output);
  }

  @Override
  public RecordWriter<SftExample> writer(Path file) throws IOException {
    return new JsonLinesWriter<>(file) {
      @Override
      protected void writeFields(SftExample e) throws IOException {
        gen.writeStringField("id", e.id());
        gen.writeStringField("instruction", e.instruction());
        gen.writeStringField("input", e.input());
        gen.writeStringField("output", e.output());
      }
    };
  }
}
