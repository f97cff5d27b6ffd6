package org.genderalign.builder.generate.model;

import ai.djl.Device;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.genderalign.builder.config.BuildConfig;
import org.genderalign.builder.generate.Answer;
import org.genderalign.builder.generate.RejectedRequest;
import org.genderalign.builder.generate.RejectedWriter;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.trainer.data.PromptTemplate;
import org.genderalign.trainer.generate.Generation;
import org.genderalign.trainer.generate.GenerationConfig;
import org.genderalign.trainer.generate.Generator;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.loader.ModelLoader;
import org.genderalign.trainer.loader.ModelSource;

/**
 * The {@code model} backend for rejected answers: the question, in the configured prompt
 * template (the trainer's {@link PromptTemplate} registry), is continued by a local model in
 * batches through the project's one generation path ({@link Generator}). Deterministic given the build seed: every
 * prompt's sampler starts from the seed (see {@link Generator}), so an answer depends only on its
 * question, never on the batch it fell in — which keeps a resumed build (whose candidate journal
 * replays finished seeds) equal to an uninterrupted one. The model is loaded once and closed
 * with the writer.
 */
public final class ModelGenerator implements RejectedWriter {

  /** Prompts generated together: the left-padded batch of {@link Generator}. */
  public static final int DEFAULT_BATCH_SIZE = 16;

  private final LoadedModel model;
  private final Generator generator;
  private final PromptTemplate template;
  private final GenerationConfig gen;
  private final String name;
  private final String templateName;
  private final String sha256;

  /**
   * @param model the loaded model; this writer owns it and closes it
   * @param templateName prompt template name ({@code hh} or {@code raw})
   * @param gen generation settings (seed, temperature, max new tokens, batch size)
   */
  public ModelGenerator(LoadedModel model, String templateName, GenerationConfig gen) {
    this.model = model;
    this.generator = new Generator(model);
    this.template = PromptTemplate.named(templateName);
    this.templateName = templateName;
    this.gen = gen;
    this.name = model.source().location();
    this.sha256 = model.source().weightsSha256();
  }

  /** Loads the config's model on the CPU (a build is CPU work) and wraps it. */
  public static ModelGenerator open(BuildConfig cfg, DataRoot root) throws IOException {
    GenerationConfig gen = GenerationConfig.defaults().toBuilder()
        .maxTokens(cfg.modelMaxNewTokens())
        .temperature(cfg.modelTemperature().floatValue())
        .seed(cfg.seed())
        .batchSize(DEFAULT_BATCH_SIZE)
        .stopAtEos(true)
        .build();
    LoadedModel m = ModelLoader.load(cfg.model(), root, Device.cpu());
    try {
      return new ModelGenerator(m, cfg.modelPromptTemplate(), gen);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  @Override
  public String name() {
    return "model";
  }

  /** Where the model came from: format, location and the sha256 of every file read. */
  public ModelSource source() {
    return model.source();
  }

  @Override
  public String describe() {
    ModelSource s = model.source();
    return String.format(Locale.ROOT, "model (%s, %s, sha256 %s, template %s, temperature %s, max_new_tokens %d)",
        s.location(), s.format(), sha256, templateName, gen.temperature(), gen.maxTokens());
  }

  @Override
  public List<Answer> answer(List<RejectedRequest> requests) throws IOException {
    int maxSeq = model.config().maxSeqLen();
    // Prompts that leave no room for an answer are failures (counted as drops), not errors.
    List<String> prompts = new ArrayList<>();
    List<Integer> at = new ArrayList<>();
    Answer[] out = new Answer[requests.size()];
    for (int i = 0; i < requests.size(); i++) {
      String p = template.apply(requests.get(i).question());
      if (generator.promptTokens(p).length + gen.maxTokens() > maxSeq) {
        out[i] = Answer.failed("prompt_too_long", meta(null));
      } else {
        prompts.add(p);
        at.add(i);
      }
    }
    List<Generation> gs = prompts.isEmpty() ? List.of() : generator.generate(prompts, gen);
    for (int j = 0; j < gs.size(); j++) {
      Generation g = gs.get(j);
      String text = g.text().strip();
      out[at.get(j)] = text.isEmpty() ? Answer.failed("empty_generation", meta(g.finishReason()))
          : Answer.of(text, meta(g.finishReason()));
    }
    return List.of(out);
  }

  private Map<String, Object> meta(String finishReason) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rejected_model", name);
    if (finishReason != null) {
      m.put("finish_reason", finishReason);
    }
    return m;
  }

  @Override
  public void close() {
    model.close();
  }
}
