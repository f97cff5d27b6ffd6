package org.genderalign.core.format;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.genderalign.core.data.PreferencePair;

/**
 * Anthropic HH-RLHF: JSON Lines (usually gzipped) of {@code {"chosen": T, "rejected": T}}, each
 * T a whole transcript {@code \n\nHuman: …\n\nAssistant: …}.
 *
 * <p>A transcript is split at its <b>last</b> {@code \n\nAssistant:}: the prompt is the text
 * between the leading {@code \n\nHuman: } and that marker (earlier turns keep their
 * {@code \n\nAssistant: } / {@code \n\nHuman: } markers inside it); the completion is what
 * follows the marker, less one leading space. In a few rows (5 of the 2,312 harmless-base test
 * rows) chosen and rejected differ <em>before</em> the last assistant turn: the pair keeps the
 * chosen side's prompt and records {@code prompt_mismatch: true} and {@code rejected_prompt} in
 * its metadata, and the importer reports how many (never silently). The id is
 * {@code <file-stem>-<line>}, the source {@value #SOURCE}.
 *
 * <p>The writer writes the official two-key shape (re-adding the markers, and the rejected
 * side's own prompt for a mismatched pair); ids, categories and other metadata are not kept.
 */
public final class HhFormat implements RecordFormat<PreferencePair> {

  /** Format name. */
  public static final String NAME = "hh";
  /** The source recorded for HH pairs. */
  public static final String SOURCE = "hh-rlhf";
  /** Metadata flag of a pair whose chosen and rejected transcripts differ before the last turn. */
  public static final String PROMPT_MISMATCH = "prompt_mismatch";
  /** Metadata key holding the rejected transcript's own prompt in that case. */
  public static final String REJECTED_PROMPT = "rejected_prompt";

  static final String HUMAN = "\n\nHuman:";
  static final String ASSISTANT = "\n\nAssistant:";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public RecordReader<PreferencePair> reader(Path file) throws IOException {
    return new JsonRecordReader<>(file, JsonRecordReader.Mode.LINES,
        "HH-RLHF objects {chosen, rejected}", HhFormat::parse);
  }

  @Override
  public RecordWriter<PreferencePair> writer(Path file) throws IOException {
    return new JsonLinesWriter<>(file) {
      @Override
      protected void writeFields(PreferencePair p) throws IOException {
        String rejectedPrompt = p.prompt();
        if (Boolean.TRUE.equals(p.metadata().get(PROMPT_MISMATCH))
            && p.metadata().get(REJECTED_PROMPT) instanceof String s) {
          rejectedPrompt = s;
        }
        gen.writeStringField("chosen", transcript(p.prompt(), p.chosen()));
        gen.writeStringField("rejected", transcript(rejectedPrompt, p.rejected()));
      }
    };
  }

  /** {@code \n\nHuman: prompt\n\nAssistant: completion}. */
  public static String transcript(String prompt, String completion) {
    return HUMAN + " " + prompt + ASSISTANT + " " + completion;
  }

  /** A transcript split into prompt and completion. */
  record Split(String prompt, String completion) {}

  /** Splits a transcript at its last assistant turn. */
  static Split split(String t, String field) throws RecordProblem {
    int start;
    if (t.startsWith(HUMAN)) {
      start = HUMAN.length();
    } else if (t.startsWith("Human:")) {
      start = "Human:".length();
    } else {
      throw new RecordProblem(field, "expected a transcript starting with '\\n\\nHuman: ', got '"
          + excerpt(t) + "'");
    }
    if (t.startsWith(" ", start)) {
      start++;
    }
    int a = t.lastIndexOf(ASSISTANT);
    if (a < start) {
      throw new RecordProblem(field, "no '\\n\\nAssistant:' turn in the transcript (expected "
          + "'\\n\\nHuman: …\\n\\nAssistant: …')");
    }
    int c = a + ASSISTANT.length();
    if (t.startsWith(" ", c)) {
      c++;
    }
    return new Split(t.substring(start, a), t.substring(c));
  }

  static PreferencePair parse(ObjectNode o, String fallbackId) throws RecordProblem {
    Split c = split(JsonSupport.requireString(o, "chosen"), "chosen");
    Split r = split(JsonSupport.requireString(o, "rejected"), "rejected");
    Map<String, Object> meta = new LinkedHashMap<>();
    if (!c.prompt().equals(r.prompt())) {
      meta.put(PROMPT_MISMATCH, true);
      meta.put(REJECTED_PROMPT, r.prompt());
    }
    return new PreferencePair(fallbackId, c.prompt(), c.completion(), r.completion(),
        null, SOURCE, null, meta);
  }

  static String excerpt(String s) {
    String e = s.length() > 40 ? s.substring(0, 40) + "…" : s;
    return e.replace("\n", "\\n");
  }
}
