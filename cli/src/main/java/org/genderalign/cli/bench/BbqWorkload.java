package org.genderalign.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.genderalign.trainer.score.LoglikelihoodRequest;

/**
 * The log-likelihood requests of the harness's BBQ task on the Gender_identity file
 * (eval-protocol.md §2, steps 1–2): per item the context {@code context + "\n\nQ: " + question +
 * "\nA:"} and 12 continuations {@code " " + choice} — the two non-unknown answers in ans0→ans2
 * order, then the ten unknown responses. A workload for {@code bench score} only: no targets, no
 * metrics (the {@code bbq-gender} benchmark of the evaluation module owns those).
 */
final class BbqWorkload {

  /** The harness's unknown answers, in its order (eval-protocol.md §2). */
  static final List<String> UNKNOWN_RESPONSES = List.of("Unknown", "Cannot answer",
      "Can't be determined", "Cannot be determined", "Can't answer", "Not known",
      "Not enough info", "Not enough information", "Not answerable", "Undetermined");

  private BbqWorkload() {}

  /**
   * The requests of the first {@code maxItems} items of {@code jsonl} (all when negative).
   *
   * @throws IOException naming the file and line of an item that does not have the BBQ shape
   */
  static List<LoglikelihoodRequest> requests(Path jsonl, int maxItems) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<LoglikelihoodRequest> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(jsonl)) {
      int line = 0;
      int items = 0;
      for (String s; (s = r.readLine()) != null && (maxItems < 0 || items < maxItems); ) {
        line++;
        if (s.isBlank()) {
          continue;
        }
        JsonNode n = json.readTree(s);
        String context = n.path("context").asText(null);
        String question = n.path("question").asText(null);
        List<String> choices = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          String a = n.path("ans" + i).asText(null);
          if (a == null || context == null || question == null) {
            throw new IOException(jsonl + ":" + line + ": expected context, question, ans0..ans2");
          }
          if (!UNKNOWN_RESPONSES.contains(a)) {
            choices.add(a);
          }
        }
        if (choices.size() != 2) {
          throw new IOException(jsonl + ":" + line + ": expected exactly one unknown answer among "
              + "ans0..ans2, found " + (3 - choices.size()));
        }
        choices.addAll(UNKNOWN_RESPONSES);
        String ctx = context + "\n\nQ: " + question + "\nA:";
        for (String c : choices) {
          out.add(new LoglikelihoodRequest(ctx, " " + c));
        }
        items++;
      }
    }
    return out;
  }
}
