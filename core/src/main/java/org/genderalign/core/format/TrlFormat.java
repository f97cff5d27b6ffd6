package org.genderalign.core.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.genderalign.core.data.PreferencePair;

/**
 * TRL preference data (what {@code DPOTrainer} reads), as JSON Lines — or, when the file's
 * first character is {@code [}, as one JSON array of the same objects (e.g. the
 * {@code harmless-base-train-first5000-lastturn.json} mirror file).
 *
 * <p><b>Reading</b> accepts the three TRL shapes:
 * <ul>
 *   <li>standard: {@code {"prompt": "…", "chosen": "…", "rejected": "…"}};</li>
 *   <li>conversational: {@code prompt} a list of {@code {role, content}} messages,
 *       {@code chosen} / {@code rejected} lists holding the one assistant message;</li>
 *   <li>conversational with implicit prompt: no {@code prompt}; {@code chosen} and
 *       {@code rejected} are whole conversations whose last message is the assistant's answer.</li>
 * </ul>
 * A message list becomes prompt text the HH way: the first user message, then each later turn
 * as {@code \n\nAssistant: …} / {@code \n\nHuman: …}; leading system messages go to metadata
 * key {@code system}. The standard form without a prompt (TRL's "standard implicit prompt") is
 * rejected: a DPO pair needs a prompt. Keys {@code id}, {@code category}, {@code source},
 * {@code seed_id} fill those fields (id defaults to {@code <file-stem>-<line>}, or
 * {@code <file-stem>-<item index>} in an array; source defaults to {@code trl}); every other
 * top-level key goes to metadata as a plain Java value, so read → write → read is identity.
 *
 * <p><b>Writing</b> is always the standard form, one object per line, keys in the order
 * {@code id, prompt, chosen, rejected}, then {@code category, source, seed_id} when non-null,
 * then every metadata entry as a top-level key.
 */
public final class TrlFormat implements RecordFormat<PreferencePair> {

  /** Format name. */
  public static final String NAME = "trl";
  /** Source recorded for pairs whose file names none. */
  public static final String DEFAULT_SOURCE = "trl";
  /** Top-level keys with a field of their own; metadata may not use them. */
  public static final Set<String> RESERVED_KEYS =
      Set.of("id", "prompt", "chosen", "rejected", "category", "source", "seed_id");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public RecordReader<PreferencePair> reader(Path file) throws IOException {
    return new JsonRecordReader<>(file, JsonRecordReader.Mode.EITHER,
        "TRL objects {prompt, chosen, rejected}", TrlFormat::parse);
  }

  @Override
  public RecordWriter<PreferencePair> writer(Path file) throws IOException {
    return new JsonLinesWriter<>(file) {
      @Override
      protected void writeFields(PreferencePair p) throws IOException {
        gen.writeStringField("id", p.id());
        gen.writeStringField("prompt", p.prompt());
        gen.writeStringField("chosen", p.chosen());
        gen.writeStringField("rejected", p.rejected());
        writeIfPresent("category", p.category());
        writeIfPresent("source", p.source());
        writeIfPresent("seed_id", p.seedId());
        writeMetadata("pair", p.id(), p.metadata(), RESERVED_KEYS);
      }
    };
  }

  /** One TRL object as a pair. */
  static PreferencePair parse(ObjectNode o, String fallbackId) throws RecordProblem {
    String id = JsonSupport.id(o, "id", fallbackId);
    JsonNode p = o.get("prompt");
    JsonNode c = o.get("chosen");
    JsonNode r = o.get("rejected");
    if (c == null) {
      throw new RecordProblem("chosen", "missing (expected a string or a list of messages)");
    }
    if (r == null) {
      throw new RecordProblem("rejected", "missing (expected a string or a list of messages)");
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    String prompt;
    String chosen;
    String rejected;
    if (p == null) {
      if (!c.isArray() || !r.isArray()) {
        throw new RecordProblem("prompt", "missing (expected a string or a list of messages; only "
            + "conversational data, where chosen and rejected are whole conversations, may leave it out)");
      }
      List<Messages.Message> cm = Messages.parse(c, "chosen");
      List<Messages.Message> rm = Messages.parse(r, "rejected");
      chosen = Messages.lastAssistant(cm, "chosen");
      rejected = Messages.lastAssistant(rm, "rejected");
      Messages.Rendered cp = Messages.render(cm.subList(0, cm.size() - 1), "chosen");
      Messages.Rendered rp = Messages.render(rm.subList(0, rm.size() - 1), "rejected");
      prompt = cp.text();
      if (cp.system() != null) {
        meta.put("system", cp.system());
      }
      if (!cp.equals(rp)) {
        // Same policy as HH transcripts: keep the chosen side's prompt and say so.
        meta.put("prompt_mismatch", true);
        meta.put("rejected_prompt", rp.text());
      }
    } else {
      prompt = prompt(p, meta);
      chosen = completion(c, "chosen");
      rejected = completion(r, "rejected");
    }
    String category = JsonSupport.optionalString(o, "category");
    String source = JsonSupport.optionalString(o, "source");
    String seedId = JsonSupport.optionalString(o, "seed_id");
    return new PreferencePair(id, prompt, chosen, rejected, category,
        source == null ? DEFAULT_SOURCE : source, seedId, metadata(o, RESERVED_KEYS, meta));
  }

  /** An explicit prompt: a string, or a message list rendered as text (a leading system message to {@code meta}). */
  static String prompt(JsonNode p, Map<String, Object> meta) throws RecordProblem {
    if (p.isArray()) {
      Messages.Rendered rp = Messages.render(Messages.parse(p, "prompt"), "prompt");
      if (rp.system() != null) {
        meta.put("system", rp.system());
      }
      return rp.text();
    }
    if (p.isTextual()) {
      return p.textValue();
    }
    throw new RecordProblem("prompt", "expected a string or a list of messages, got " + JsonSupport.typeName(p));
  }

  /** Every top-level key but the format's own, as plain Java values, then {@code meta}. */
  static Map<String, Object> metadata(ObjectNode o, Set<String> reserved, Map<String, Object> meta) {
    Map<String, Object> extra = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!reserved.contains(e.getKey())) {
        extra.put(e.getKey(), JsonSupport.toJava(e.getValue()));
      }
    }
    extra.putAll(meta);
    return extra;
  }

  /** A completion: a string, or a list holding the assistant's message. */
  static String completion(JsonNode n, String field) throws RecordProblem {
    if (n.isTextual()) {
      return n.textValue();
    }
    if (n.isArray()) {
      List<Messages.Message> m = Messages.parse(n, field);
      if (m.size() != 1) {
        throw new RecordProblem(field, "expected a list with exactly one assistant message, got "
            + m.size() + " messages");
      }
      return Messages.lastAssistant(m, field);
    }
    throw new RecordProblem(field, "expected a string or a list of messages, got " + JsonSupport.typeName(n));
  }
}
