package org.genderalign.eval.judge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genderalign.core.io.AtomicFiles;
import org.genderalign.eval.benchmark.Progress;
import org.genderalign.llm.ApiKey;
import org.genderalign.llm.ChatMessage;
import org.genderalign.llm.ChatRequest;
import org.genderalign.llm.LlmEndpoint;
import org.genderalign.llm.OpenAiClient;
import org.genderalign.llm.RequestJournal;

/**
 * {@code openai:MODEL}: an LLM behind any OpenAI-compatible endpoint ranks the answers, following
 * the project's {@link JudgeInstructions}, at temperature 0 with the run's seed.
 *
 * <p>Every request goes through the {@code llm} module's {@link OpenAiClient}: bounded
 * concurrency, retries with backoff on 429/5xx/timeouts, and its {@link RequestJournal}
 * ({@code judges/<judge>.journal.jsonl}), so a re-run — after a kill too — repeats no request. A
 * reply the strict {@link RankingParser} rejects is answered with a correction request (the
 * conversation so far plus the reason; a new request, journaled as well) up to
 * {@code parseRetries} times; then the question counts as failed, with the reason, and is
 * reported. Every reply, parse error and attempt count is kept in
 * {@code judges/<judge>.replies.jsonl}. The API key comes from the endpoint's environment
 * variable or key file only, and every text written is redacted of it.
 */
public final class OpenAiJudge implements Judge {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Judges answer deterministically. */
  public static final double TEMPERATURE = 0.0;

  private final String name;
  private final String model;
  private final LlmEndpoint endpoint;
  private final ApiKey key;
  private final Path workDir;
  private final int parseRetries;
  private final int maxTokens;
  private final long seed;

  OpenAiJudge(String name, String model, LlmEndpoint endpoint, ApiKey key, Path workDir,
      int parseRetries, int maxTokens, long seed) {
    this.name = name;
    this.model = model;
    this.endpoint = endpoint;
    this.key = key;
    this.workDir = workDir;
    this.parseRetries = parseRetries;
    this.maxTokens = maxTokens;
    this.seed = seed;
  }

  /**
   * The judge of a spec, after a fail-fast preflight of the endpoint (a key where one is needed,
   * one {@code GET /models}).
   *
   * @throws org.genderalign.llm.LlmUnavailableException with one line when it cannot be used
   */
  static OpenAiJudge create(String spec, String model, JudgeContext ctx) throws IOException {
    JudgeOptions o = ctx.options();
    ApiKey key = ApiKey.resolve(o.endpoint(), ctx.env());
    OpenAiJudge j = new OpenAiJudge(spec, model, o.endpoint(), key, ctx.workDir(),
        o.parseRetries(), o.maxTokens(), ctx.seed());
    // the preflight sends no chat request, so it needs no journal of the run (and writes none)
    Path scratch = java.nio.file.Files.createTempFile("genderalign-preflight", ".jsonl");
    try (OpenAiClient c = new OpenAiClient(o.endpoint(), key, RequestJournal.open(scratch))) {
      c.check();
    } finally {
      java.nio.file.Files.deleteIfExists(scratch);
    }
    return j;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Map<String, Object> settings() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", model);
    m.put("endpoint", endpoint.baseUrl());
    m.put("instructions", JudgeInstructions.fingerprint());
    m.put("temperature", TEMPERATURE);
    m.put("max_tokens", maxTokens);
    m.put("seed", seed);
    m.put("parse_retries", parseRetries);
    return m;
  }

  /** The journal file. */
  public Path journalFile() {
    return workDir.resolve(Judges.fileName(name) + ".journal.jsonl");
  }

  /** The file of every reply and parse error. */
  public Path repliesFile() {
    return workDir.resolve(Judges.fileName(name) + ".replies.jsonl");
  }

  @Override
  public List<Judgement> judge(List<JudgeItem> items, Progress progress) throws IOException {
    int n = items.size();
    List<List<ChatMessage>> conversations = new ArrayList<>();
    List<List<String>> replies = new ArrayList<>();
    List<List<String>> problems = new ArrayList<>();
    Judgement[] out = new Judgement[n];
    for (JudgeItem it : items) {
      conversations.add(new ArrayList<>(List.of(ChatMessage.system(JudgeInstructions.system(
          it.k())), ChatMessage.user(JudgeInstructions.user(it)))));
      replies.add(new ArrayList<>());
      problems.add(new ArrayList<>());
    }
    progress.start("judge " + name, n);
    try (OpenAiClient client = new OpenAiClient(endpoint, key, RequestJournal.open(
        journalFile()))) {
      // round 0 asks every question; round r > 0 asks the ones whose reply did not parse
      List<Integer> open = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        open.add(i);
      }
      for (int round = 0; round <= parseRetries && !open.isEmpty(); round++) {
        List<ChatRequest> requests = new ArrayList<>();
        for (int i : open) {
          requests.add(new ChatRequest(model, conversations.get(i), TEMPERATURE, maxTokens, seed));
        }
        List<String> answers = client.complete(requests);
        List<Integer> still = new ArrayList<>();
        for (int q = 0; q < open.size(); q++) {
          int i = open.get(q);
          String reply = answers.get(q);
          replies.get(i).add(key.redact(reply));
          int k = items.get(i).k();
          try {
            out[i] = Judgement.ok(RankingParser.ranks(RankingParser.parse(reply, k)), round + 1);
            progress.step(1);
          } catch (RankingParser.Unparseable e) {
            problems.get(i).add(e.getMessage());
            if (round == parseRetries) {
              out[i] = Judgement.failed(round + 1, "unparseable after " + (round + 1)
                  + " replies: " + e.getMessage());
              progress.step(1);
            } else {
              conversations.get(i).add(ChatMessage.assistant(reply));
              conversations.get(i).add(ChatMessage.user(JudgeInstructions.correction(
                  e.getMessage(), k)));
              still.add(i);
            }
          }
        }
        open = still;
      }
    }
    writeReplies(items, out, replies, problems);
    return List.of(out);
  }

  private void writeReplies(List<JudgeItem> items, Judgement[] out, List<List<String>> replies,
      List<List<String>> problems) throws IOException {
    AtomicFiles.write(repliesFile(), tmp -> {
      try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        for (int i = 0; i < items.size(); i++) {
          ObjectNode o = JSON.createObjectNode();
          o.put("id", items.get(i).id());
          o.put("status", out[i].status().name().toLowerCase(java.util.Locale.ROOT));
          o.put("attempts", out[i].attempts());
          if (out[i].ranks() != null) {
            ArrayNode r = o.putArray("ranks");
            for (double v : out[i].ranks()) {
              r.add(v);
            }
          }
          ArrayNode rep = o.putArray("replies");
          replies.get(i).forEach(rep::add);
          ArrayNode pr = o.putArray("parse_errors");
          problems.get(i).forEach(p -> pr.add(key.redact(p)));
          w.write(key.redact(JSON.writeValueAsString(o)));
          w.write('\n');
        }
      }
    });
  }
}
