package org.genderalign.builder.generate;

import java.io.IOException;
import java.util.List;
import org.genderalign.builder.config.BuildConfig;
import org.genderalign.builder.generate.template.BlsOccupations;
import org.genderalign.builder.generate.template.TemplateBank;
import org.genderalign.builder.generate.template.TemplateGenerator;

/**
 * The generation backends by name: adding one is one class and one case here. {@code model}
 * writes only rejected answers; with {@code generator = model} the dialogues come from
 * {@code template}.
 */
public final class Generators {

  /** Backends that can write dialogues. */
  public static final List<String> DIALOGUE_BACKENDS = List.of("template");
  /** Backends that can write rejected answers. */
  public static final List<String> REJECTED_BACKENDS = List.of("template");

  private Generators() {}

  /** The dialogue writer of the config. */
  public static DialogueWriter dialogueWriter(GeneratorContext ctx) throws IOException {
    String name = ctx.config().effectiveDialogueGenerator();
    return switch (name) {
      case "template" -> template(ctx);
      default -> throw unavailable(name, DIALOGUE_BACKENDS);
    };
  }

  /** The rejected-answer writer of the config. */
  public static RejectedWriter rejectedWriter(GeneratorContext ctx) throws IOException {
    String name = ctx.config().effectiveRejectedGenerator();
    return switch (name) {
      case "template" -> template(ctx);
      default -> throw unavailable(name, REJECTED_BACKENDS);
    };
  }

  private static TemplateGenerator template(GeneratorContext ctx) throws IOException {
    BuildConfig c = ctx.config();
    return new TemplateGenerator(TemplateBank.load(),
        BlsOccupations.read(ctx.dataRoot().file("lexicon-bls-occupations")), c.seed(), c.rejectedStyles());
  }

  private static IllegalArgumentException unavailable(String name, List<String> known) {
    return new IllegalArgumentException("generator '" + name + "' is not available; available: " + known);
  }
}
