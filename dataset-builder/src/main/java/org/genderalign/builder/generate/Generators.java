package org.genderalign.builder.generate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.genderalign.builder.config.OpenAiConfig;
import org.genderalign.builder.generate.model.ModelGenerator;
import org.genderalign.builder.generate.openai.OpenAiGenerator;
import org.genderalign.builder.config.BuildConfig;
import org.genderalign.builder.generate.template.BlsOccupations;
import org.genderalign.builder.generate.template.TemplateBank;
import org.genderalign.builder.generate.template.TemplateGenerator;

/**
 * The generation backends by name: adding one is one class and one case here.
 */
public final class Generators {

  /** Backends that can write dialogues. */
  public static final List<String> DIALOGUE_BACKENDS = List.of("template", "openai");
  /** Backends that can write rejected answers. */
  public static final List<String> REJECTED_BACKENDS = List.of("template", "openai", "model");

  private Generators() {}

  /** The dialogue writer of the config. */
  public static DialogueWriter dialogueWriter(GeneratorContext ctx) throws IOException {
    String name = ctx.config().effectiveDialogueGenerator();
    return switch (name) {
      case "template" -> template(ctx);
      case "openai" -> openai(ctx, ctx.config().openai(), "openai-journal.jsonl");
      default -> throw unavailable(name, DIALOGUE_BACKENDS);
    };
  }

  /** The rejected-answer writer of the config. */
  public static RejectedWriter rejectedWriter(GeneratorContext ctx) throws IOException {
    String name = ctx.config().effectiveRejectedGenerator();
    return switch (name) {
      case "template" -> template(ctx);
      case "openai" -> openai(ctx, ctx.config().effectiveOpenaiRejected(), "openai-rejected-journal.jsonl");
      case "model" -> ModelGenerator.open(ctx.config(), ctx.dataRoot());
      default -> throw unavailable(name, REJECTED_BACKENDS);
    };
  }

  /**
   * Checks every OpenAI-compatible endpoint the config will call (a key where one is needed, the
   * endpoint reachable) before the build writes anything: no key or no network fails in seconds
   * with one line ({@link org.genderalign.llm.LlmUnavailableException}) and leaves no output.
   */
  public static void preflight(BuildConfig cfg, java.util.Map<String, String> env) throws IOException {
    java.util.List<OpenAiConfig> used = new java.util.ArrayList<>();
    if ("openai".equals(cfg.effectiveDialogueGenerator())) {
      used.add(cfg.openai());
    }
    if ("openai".equals(cfg.effectiveRejectedGenerator())) {
      used.add(cfg.effectiveOpenaiRejected());
    }
    for (OpenAiConfig oc : used) {
      org.genderalign.llm.LlmEndpoint endpoint = OpenAiGenerator.endpoint(oc);
      try (org.genderalign.llm.OpenAiClient client = new org.genderalign.llm.OpenAiClient(endpoint,
          org.genderalign.llm.ApiKey.resolve(endpoint, env), null)) {
        client.check();
      }
    }
  }

  private static TemplateGenerator template(GeneratorContext ctx) throws IOException {
    BuildConfig c = ctx.config();
    return new TemplateGenerator(TemplateBank.load(),
        BlsOccupations.read(ctx.dataRoot().file("lexicon-bls-occupations")), c.seed(), c.rejectedStyles());
  }

  /**
   * An openai generator over its own client and journal: {@code journal} of the endpoint config,
   * else {@code <out>/.build/<defaultName>} (dialogues and rejected answers journal separately).
   */
  private static OpenAiGenerator openai(GeneratorContext ctx, OpenAiConfig oc, String defaultName)
      throws IOException {
    Path journalPath = oc.journal() != null ? Path.of(oc.journal()) : ctx.workDir().resolve(defaultName);
    return OpenAiGenerator.open(oc, journalPath, ctx.env(), ctx.config().seed());
  }

  private static IllegalArgumentException unavailable(String name, List<String> known) {
    return new IllegalArgumentException("generator '" + name + "' is not available; available: " + known);
  }
}
