package org.genderalign.builder.config;

/**
 * The build settings a face (CLI flags, Maven parameters) can set on top of a config file; a
 * null field was not set and keeps the file's value (or the {@link BuildConfig} default).
 *
 * @param target pairs to export
 * @param generator backend for dialogues and rejected answers
 * @param rejectedGenerator a different backend for the rejected answers
 * @param model local model of the {@code model} backend
 * @param modelMaxNewTokens new tokens per answer of the {@code model} backend
 * @param modelTemperature sampling temperature of the {@code model} backend
 * @param seed random seed
 * @param mix category mix
 * @param threads worker threads
 * @param openaiBaseUrl OpenAI-compatible endpoint of the {@code openai} backend
 * @param openaiModel model name of the {@code openai} backend
 * @param rewardModel a reward model folder (or {@code self}) for the reward-margin filter, which
 *     then uses the {@code model} proxy
 */
public record BuildOverrides(Integer target, String generator, String rejectedGenerator, String model,
    Integer modelMaxNewTokens, Double modelTemperature, Long seed, String mix, Integer threads,
    String openaiBaseUrl, String openaiModel, String rewardModel) {

  /**
   * {@code base} with every set field replaced.
   *
   * @throws IllegalArgumentException ({@link ConfigException} naming the field) for a bad value
   */
  public BuildConfig applyTo(BuildConfig base) {
    BuildConfig.BuildConfigBuilder b = base.toBuilder();
    if (target != null) {
      b.target(target);
    }
    if (generator != null) {
      b.generator(generator);
    }
    if (rejectedGenerator != null) {
      b.rejectedGenerator(rejectedGenerator);
    }
    if (model != null) {
      b.model(model);
    }
    if (modelMaxNewTokens != null) {
      b.modelMaxNewTokens(modelMaxNewTokens);
    }
    if (modelTemperature != null) {
      b.modelTemperature(modelTemperature);
    }
    if (seed != null) {
      b.seed(seed);
    }
    if (mix != null) {
      b.mix(mix);
    }
    if (threads != null) {
      b.threads(threads);
    }
    if (openaiBaseUrl != null || openaiModel != null) {
      OpenAiConfig.OpenAiConfigBuilder ob = base.openai().toBuilder();
      if (openaiBaseUrl != null) {
        ob.baseUrl(openaiBaseUrl);
      }
      if (openaiModel != null) {
        ob.model(openaiModel);
      }
      b.openai(ob.build());
    }
    if (rewardModel != null) {
      b.filters(base.filters().toBuilder().rewardProxy("model").rewardModel(rewardModel).build());
    }
    return b.build();
  }
}
