package org.genderalign.eval.generation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.genderalign.core.io.AtomicFiles;
import org.genderalign.core.io.Hashing;
import org.genderalign.eval.benchmark.ModelUnderTest;
import org.genderalign.eval.benchmark.Progress;
import org.genderalign.trainer.data.PromptTemplate;
import org.genderalign.trainer.generate.Generation;
import org.genderalign.trainer.generate.GenerationConfig;
import org.genderalign.trainer.generate.Generator;
import org.genderalign.trainer.loader.LoadedModel;

/**
 * The shared generation step of the generation-based benchmarks: each model answers each
 * held-out prompt once, and every benchmark (and every re-run) reads the same answers.
 *
 * <p>Files, per model and prompt set: {@code predictions/<model>/generations-<set>.jsonl} (one
 * answer a line: id, prompt and its sha256, answer, finish reason, token counts, whether the
 * prompt was cut, seconds) and {@code generations-<set>.meta.json} (the settings and their key:
 * model files, template, max new tokens, stop strings, temperature, top-p, seed). An answer is
 * reused when the key matches and its prompt's sha256 is the current prompt's, so a larger
 * {@code --limit} generates only the new prompts. Answers are appended a batch at a time and
 * flushed, so a run killed mid-way keeps every finished batch; a line torn by the kill is
 * dropped (and counted) on the next run, which generates only what is missing.
 *
 * <p>Prompts are templated, tokenized with BOS, and cut at the start when they would leave less
 * than {@code min(maxNewTokens, context/2)} positions for the answer (counted:
 * {@code prompt_truncated}). They are generated in batches of similar length; each answer's
 * sampling stream is seeded by the seed and the prompt's id ({@link Generator#rowSeed}), so its
 * text depends on neither the batch nor the limit.
 */
public final class AnswerCache {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper PRETTY = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  private final Path predictionsDir;
  private final PrintWriter log;

  /**
   * @param predictionsDir the run's {@code predictions/} folder
   * @param log one-line notes (reuse, tokens/s)
   */
  public AnswerCache(Path predictionsDir, PrintWriter log) {
    this.predictionsDir = predictionsDir;
    this.log = log != null ? log : new PrintWriter(java.io.OutputStream.nullOutputStream());
  }

  /** The answers file of a model and set. */
  public Path file(String model, String set) {
    return predictionsDir.resolve(model).resolve("generations-" + set + ".jsonl");
  }

  /** Its meta file. */
  public Path metaFile(String model, String set) {
    return predictionsDir.resolve(model).resolve("generations-" + set + ".meta.json");
  }

  /**
   * The settings that make an answer what it is (everything but the model files), as recorded.
   *
   * @param template the resolved template name
   */
  public static Map<String, Object> settings(GenerationOptions o, String template) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("template", template);
    m.put("max_new_tokens", o.maxNewTokens());
    m.put("stop_strings", o.stopStrings());
    m.put("stop_at_eos", true);
    m.put("temperature", o.temperature());
    m.put("top_p", o.temperature() == 0 ? null : GenerationOptions.DEFAULT_TOP_P);
    m.put("seed", o.seed());
    m.put("generator", Generator.class.getName());
    return m;
  }

  /**
   * The answers of {@code model} to every prompt of {@code sets}, in set and prompt order:
   * reused where cached, generated (and appended to the cache) where not.
   *
   * @param template the resolved template name
   */
  public Map<String, List<Answer>> answers(ModelUnderTest model, Map<String, PromptSet> sets,
      GenerationOptions options, String template, Progress progress) throws IOException {
    Map<String, List<Answer>> out = new LinkedHashMap<>();
    for (PromptSet set : sets.values()) {
      out.put(set.name(), answers(model, set, options, template, progress));
    }
    return out;
  }

  private List<Answer> answers(ModelUnderTest model, PromptSet set, GenerationOptions options,
      String template, Progress progress) throws IOException {
    Map<String, Object> settings = settings(options, template);
    Map<String, Object> keyed = new LinkedHashMap<>(settings);
    keyed.put("model_files", new TreeMap<>(model.fileHashes()));
    String key = Hashing.sha256(JSON.writeValueAsString(keyed));
    Path file = file(model.name(), set.name());
    Path meta = metaFile(model.name(), set.name());
    Map<String, JsonNode> cached = new HashMap<>();
    int torn = 0;
    if (key.equals(readKey(meta)) && Files.isRegularFile(file)) {
      List<String> good = new ArrayList<>();
      byte[] bytes = Files.readAllBytes(file);
      for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = parse(line);
        if (n == null) {
          torn++;
          continue;
        }
        cached.put(n.get("id").asText(), n);
        good.add(line);
      }
      if (torn > 0 || (bytes.length > 0 && bytes[bytes.length - 1] != '\n')) {
        // a kill tore the last line: keep only whole answers, then append after them
        AtomicFiles.writeString(file, good.isEmpty() ? "" : String.join("\n", good) + "\n");
      }
    } else {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("key", key);
      m.put("model", model.spec());
      m.put("model_files", new TreeMap<>(model.fileHashes()));
      m.put("set", set.name());
      m.put("settings", settings);
      Files.deleteIfExists(file);
      AtomicFiles.writeString(meta, PRETTY.writeValueAsString(m) + "\n");
      AtomicFiles.writeString(file, "");
    }
    // which prompts still need an answer (a cached answer to a changed prompt does not count)
    List<Prompt> todo = new ArrayList<>();
    for (Prompt p : set.prompts()) {
      JsonNode c = cached.get(p.id());
      if (c == null || !c.path("prompt_sha256").asText().equals(Hashing.sha256(p.text()))) {
        todo.add(p);
      }
    }
    if (!todo.isEmpty()) {
      generate(model, set.name(), todo, options, template, file, cached, progress);
    }
    int reused = set.prompts().size() - todo.size();
    if (reused > 0 || torn > 0) {
      log.printf("%s / generations %s: %d answers reused from %s%s%n", model.name(), set.name(),
          reused, file.getFileName(), torn > 0 ? " (" + torn + " torn line(s) dropped)" : "");
      log.flush();
    }
    List<Answer> out = new ArrayList<>();
    for (Prompt p : set.prompts()) {
      out.add(answer(p, cached.get(p.id())));
    }
    return out;
  }

  private void generate(ModelUnderTest model, String setName, List<Prompt> todo,
      GenerationOptions options, String template, Path file, Map<String, JsonNode> cached,
      Progress progress) throws IOException {
    LoadedModel m = model.model();
    PromptTemplate t = PromptTemplate.named(template, m.chatTemplate().orElse(null));
    List<String> stops = new ArrayList<>(t.stopStrings());
    options.stopStrings().stream().filter(s -> !stops.contains(s)).forEach(stops::add);
    GenerationConfig config = GenerationConfig.greedy(options.maxNewTokens()).toBuilder()
        .temperature(options.temperature()).topP(GenerationOptions.DEFAULT_TOP_P)
        .seed(options.seed()).batchSize(options.batchSize()).stopStrings(stops).build();
    Generator g = new Generator(m);
    int maxSeq = m.config().maxSeqLen();
    int budget = Math.max(2, maxSeq - Math.min(options.maxNewTokens(), maxSeq / 2));
    boolean bos = m.tokenizer().bosId() >= 0;
    // tokenize everything first, then generate in batches of similar length (less padding)
    List<Job> jobs = new ArrayList<>();
    for (Prompt p : todo) {
      int[] ids = g.promptTokens(t.apply(p.text()));
      boolean cut = ids.length > budget;
      if (cut) {
        int[] kept = new int[budget];
        int head = bos ? 1 : 0;
        System.arraycopy(ids, 0, kept, 0, head);
        System.arraycopy(ids, ids.length - (budget - head), kept, head, budget - head);
        ids = kept;
      }
      jobs.add(new Job(p, ids, cut, Generator.rowSeed(options.seed(), idSeed(p.key()))));
    }
    jobs.sort(Comparator.comparingInt(j -> j.ids.length));
    progress.start("generate " + model.name() + " " + setName, jobs.size());
    long tokens = 0;
    long t0 = System.nanoTime();
    for (int start = 0; start < jobs.size(); start += options.batchSize()) {
      List<Job> batch = jobs.subList(start, Math.min(jobs.size(), start + options.batchSize()));
      long b0 = System.nanoTime();
      List<Generation> gens = g.generateTokens(batch.stream().map(j -> j.ids).toList(),
          batch.stream().mapToLong(j -> j.seed).toArray(), config);
      double share = (System.nanoTime() - b0) / 1e9 / batch.size();
      StringBuilder lines = new StringBuilder();
      for (int i = 0; i < batch.size(); i++) {
        Job j = batch.get(i);
        Generation gen = gens.get(i);
        ObjectNode row = JSON.createObjectNode();
        row.put("id", j.prompt.id());
        row.put("prompt_sha256", Hashing.sha256(j.prompt.text()));
        row.put("prompt", j.prompt.text());
        row.put("answer", gen.text());
        row.put("finish_reason", gen.finishReason());
        row.put("prompt_tokens", j.ids.length);
        row.put("new_tokens", gen.tokens().length);
        row.put("prompt_truncated", j.cut);
        row.put("seconds", share);
        tokens += gen.tokens().length;
        cached.put(j.prompt.id(), row);
        lines.append(JSON.writeValueAsString(row)).append('\n');
      }
      // one append per batch: a kill loses at most the batch in flight
      Files.writeString(file, lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      progress.step(batch.size());
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    log.printf(Locale.ROOT, "%s / generations %s: %d answers, %d new tokens in %.1f s (%.0f "
        + "tokens/s)%n", model.name(), setName, jobs.size(), tokens, secs,
        secs > 0 ? tokens / secs : 0.0);
    log.flush();
  }

  private record Job(Prompt prompt, int[] ids, boolean cut, long seed) {}

  /** A stable 64-bit number of a prompt key (its sha256's first 16 hex digits). */
  static long idSeed(String key) {
    return Long.parseUnsignedLong(Hashing.sha256(key).substring(0, 16), 16);
  }

  private static Answer answer(Prompt p, JsonNode n) {
    return new Answer(p, n.path("answer").asText(), n.path("finish_reason").asText(),
        n.path("prompt_tokens").asInt(), n.path("new_tokens").asInt(),
        n.path("prompt_truncated").asBoolean(), n.path("seconds").asDouble());
  }

  private static String readKey(Path meta) {
    if (!Files.isRegularFile(meta)) {
      return null;
    }
    try {
      return JSON.readTree(meta.toFile()).path("key").asText(null);
    } catch (IOException e) {
      return null; // unreadable: generate again
    }
  }

  /** A whole answer line, or null (torn by a kill, or not an answer). */
  private static JsonNode parse(String line) {
    try {
      JsonNode n = JSON.readTree(line);
      return n != null && n.hasNonNull("id") && n.hasNonNull("prompt_sha256")
          && n.hasNonNull("answer") && n.hasNonNull("finish_reason") ? n : null;
    } catch (IOException e) {
      return null;
    }
  }
}
