package org.genderalign.core.format;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genderalign.core.data.PreferencePair;

/**
 * TRL preference data in TRL's <em>conversational</em> shape (the "explicit prompt" form that
 * TRL's docs recommend, docs/source/dataset_formats.md of huggingface/trl): {@code prompt} a list
 * of {@code {role, content}} messages, {@code chosen} and {@code rejected} lists holding one
 * assistant message each. {@code DPOTrainer} then applies the model's chat template itself.
 *
 * <p><b>Writing</b>, one object per line, keys in the order {@code id, prompt, chosen,
 * rejected}, then {@code category, source, seed_id} when non-null, then every other metadata
 * entry as a top-level key (as {@link TrlFormat} does). The prompt messages are the inverse of
 * how {@link TrlFormat} renders messages as text: a metadata {@code system} string becomes a
 * leading system message, and a multi-turn prompt
 * ({@code first\n\nAssistant: a\n\nHuman: second}, the HH way) becomes alternating user and
 * assistant messages. A prompt whose markers would not give alternating turns that start and end
 * with the user stays one user message — reading it back gives the same text either way.
 *
 * <p><b>Reading</b> is {@link TrlFormat}'s: all three TRL shapes (standard, conversational,
 * conversational with implicit prompt), so read → write → read is identity and the file is also
 * readable as {@code --format trl}.
 */
public final class TrlConversationalFormat implements RecordFormat<PreferencePair> {

  /** Format name. */
  public static final String NAME = "trl-conversational";
  /** Metadata key carried as the leading system message (what {@link TrlFormat} reads it into). */
  public static final String SYSTEM_KEY = "system";

  private static final String USER_MARK = "\n\nHuman: ";
  private static final String ASSISTANT_MARK = "\n\nAssistant: ";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public RecordReader<PreferencePair> reader(Path file) throws IOException {
    return new TrlFormat().reader(file);
  }

  @Override
  public RecordWriter<PreferencePair> writer(Path file) throws IOException {
    return new JsonLinesWriter<>(file) {
      @Override
      protected void writeFields(PreferencePair p) throws IOException {
        Map<String, Object> meta = new LinkedHashMap<>(p.metadata());
        String system = meta.get(SYSTEM_KEY) instanceof String s ? s : null;
        if (system != null) {
          meta.remove(SYSTEM_KEY);
        }
        gen.writeStringField("id", p.id());
        gen.writeFieldName("prompt");
        gen.writeStartArray();
        if (system != null) {
          message("system", system);
        }
        for (Messages.Message m : promptMessages(p.prompt())) {
          message(m.role(), m.content());
        }
        gen.writeEndArray();
        gen.writeFieldName("chosen");
        assistant(p.chosen());
        gen.writeFieldName("rejected");
        assistant(p.rejected());
        writeIfPresent("category", p.category());
        writeIfPresent("source", p.source());
        writeIfPresent("seed_id", p.seedId());
        writeMetadata("pair", p.id(), meta, TrlFormat.RESERVED_KEYS);
      }

      private void assistant(String content) throws IOException {
        gen.writeStartArray();
        message("assistant", content);
        gen.writeEndArray();
      }

      private void message(String role, String content) throws IOException {
        gen.writeStartObject();
        gen.writeStringField("role", role);
        gen.writeStringField("content", content);
        gen.writeEndObject();
      }
    };
  }

  /**
   * A prompt text as chat turns: split at the HH markers {@code \n\nHuman: } and
   * {@code \n\nAssistant: } when that gives user, assistant, …, user; else one user message.
   * Rendering the result the {@link TrlFormat} way gives {@code prompt} back exactly.
   */
  static List<Messages.Message> promptMessages(String prompt) {
    List<Messages.Message> turns = new ArrayList<>();
    String role = "user";
    int start = 0;
    while (true) {
      int u = prompt.indexOf(USER_MARK, start);
      int a = prompt.indexOf(ASSISTANT_MARK, start);
      int next = u < 0 ? a : a < 0 ? u : Math.min(u, a);
      if (next < 0) {
        turns.add(new Messages.Message(role, prompt.substring(start)));
        break;
      }
      turns.add(new Messages.Message(role, prompt.substring(start, next)));
      boolean isUser = next == u;
      role = isUser ? "user" : "assistant";
      start = next + (isUser ? USER_MARK : ASSISTANT_MARK).length();
    }
    for (int i = 0; i < turns.size(); i++) {
      if (!turns.get(i).role().equals(i % 2 == 0 ? "user" : "assistant")) {
        return List.of(new Messages.Message("user", prompt));
      }
    }
    if (turns.size() % 2 == 0) {
      return List.of(new Messages.Message("user", prompt)); // ends on an assistant turn
    }
    return turns;
  }
}
