package org.genderalign.core.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.genderalign.core.data.PreferencePair;

/**
 * The GenderAlign release file ({@code GenderAlign.json}): one JSON array of
 * {@code {"count": n, "chosen": "Human: q\nAssistant: a\n", "rejected": "Human: q\n\nAssistant:a\n"}}.
 *
 * <p>The release separates question and answer differently in the two fields ({@code \nAssistant: }
 * in chosen, {@code \n\nAssistant:} with no space in rejected); the reader accepts either
 * separator in either field: it splits at the last {@code \nAssistant:}, drops one
 * {@code \n} before it if there are two, one space after it, and one trailing {@code \n} of
 * the answer. The questions of chosen and rejected must agree (an item-level error otherwise).
 * {@code count} is not unique in the release (the first upload has two 6s), so the id is
 * {@code <file-stem>-<item index>} and {@code count} is kept as metadata; other keys also go to
 * metadata, except keys named like a pair field ({@code id}, {@code prompt}, {@code category}…),
 * which are an item-level error. Source: {@value #SOURCE}.
 *
 * <p>The writer reproduces the release's style — Python {@code json.dump(indent=4,
 * ensure_ascii=False)} layout, the two different separators, {@code count} from metadata (else
 * the 1-based position) — but with {@code \n} line ends where the upload has {@code \r\n}.
 * It keeps only prompt, answers and count.
 */
public final class GenderAlignFormat implements RecordFormat<PreferencePair> {

  /** Format name. */
  public static final String NAME = "genderalign";
  /** The source recorded for pairs of the release. */
  public static final String SOURCE = "genderalign-release";
  /** Metadata key of the release's {@code count} field. */
  public static final String COUNT = "count";

  private static final String MARK = "\nAssistant:";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public RecordReader<PreferencePair> reader(Path file) throws IOException {
    return new JsonRecordReader<>(file, JsonRecordReader.Mode.ARRAY,
        "GenderAlign release: a JSON array of {count, chosen, rejected} objects", GenderAlignFormat::parse);
  }

  /** A question/answer split of one release string. */
  record Turn(String question, String answer) {}

  static Turn split(String s, String field) throws RecordProblem {
    if (!s.startsWith("Human:")) {
      throw new RecordProblem(field, "expected 'Human: <question>\\nAssistant: <answer>', got '"
          + HhFormat.excerpt(s) + "'");
    }
    int start = "Human:".length();
    if (s.startsWith(" ", start)) {
      start++;
    }
    int a = s.lastIndexOf(MARK);
    if (a < start) {
      throw new RecordProblem(field, "no '\\nAssistant:' turn (expected 'Human: <question>\\nAssistant: <answer>')");
    }
    int qEnd = a > start && s.charAt(a - 1) == '\n' ? a - 1 : a;
    int c = a + MARK.length();
    if (s.startsWith(" ", c)) {
      c++;
    }
    int end = s.endsWith("\n") && s.length() - 1 >= c ? s.length() - 1 : s.length();
    return new Turn(s.substring(start, qEnd), s.substring(c, end));
  }

  static PreferencePair parse(ObjectNode o, String fallbackId) throws RecordProblem {
    Map<String, Object> meta = new LinkedHashMap<>();
    JsonNode count = o.get(COUNT);
    if (count != null && !count.isNull()) {
      if (!count.isIntegralNumber()) {
        throw new RecordProblem(COUNT, "expected an integer, got " + JsonSupport.typeName(count));
      }
      meta.put(COUNT, JsonSupport.toJava(count));
    }
    Turn c = split(JsonSupport.requireString(o, "chosen"), "chosen");
    Turn r = split(JsonSupport.requireString(o, "rejected"), "rejected");
    if (!c.question().equals(r.question())) {
      throw new RecordProblem("rejected", "its question differs from the chosen's ('"
          + HhFormat.excerpt(r.question()) + "' vs '" + HhFormat.excerpt(c.question())
          + "'); both must answer the same question");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String k = e.getKey();
      if (!k.equals(COUNT) && !k.equals("chosen") && !k.equals("rejected")) {
        if (TrlFormat.RESERVED_KEYS.contains(k)) {
          // kept as metadata it would shadow the pair's own field in every other format
          throw new RecordProblem(k, "not a field of the GenderAlign release (count, chosen, rejected) and "
              + "named like a pair field, so it cannot be kept as metadata; rename or remove it");
        }
        meta.put(k, JsonSupport.toJava(e.getValue()));
      }
    }
    return new PreferencePair(fallbackId, c.question(), c.answer(), r.answer(), null, SOURCE, null, meta);
  }

  @Override
  public RecordWriter<PreferencePair> writer(Path file) throws IOException {
    Writer w = new BufferedWriter(
        new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), InputFiles.BUFFER);
    return new RecordWriter<>() {
      private long n;

      @Override
      public void write(PreferencePair p) throws IOException {
        Object cnt = p.metadata().get(COUNT);
        long count = cnt instanceof Number num ? num.longValue() : n + 1;
        // The release's two styles: chosen "\nAssistant: a", rejected "\n\nAssistant:a". An answer
        // that itself starts with a space gets the one space the reader drops.
        String chosen = "Human: " + p.prompt() + "\nAssistant: " + p.chosen() + "\n";
        String rejected = "Human: " + p.prompt() + "\n\nAssistant:"
            + (p.rejected().startsWith(" ") ? " " : "") + p.rejected() + "\n";
        w.write(n == 0 ? "[\n" : ",\n");
        w.write("    {\n        \"count\": " + count + ",\n        \"chosen\": ");
        w.write(JsonSupport.MAPPER.writeValueAsString(chosen));
        w.write(",\n        \"rejected\": ");
        w.write(JsonSupport.MAPPER.writeValueAsString(rejected));
        w.write("\n    }");
        n++;
      }

      @Override
      public void close() throws IOException {
        try (w) {
          w.write(n == 0 ? "[]" : "\n]");
        }
      }
    };
  }
}
