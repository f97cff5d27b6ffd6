package org.genderalign.cli.train;

import java.util.List;
import java.util.Objects;
import org.genderalign.taxonomy.BiasCategory;
import org.genderalign.taxonomy.BiasClassifier;
import org.genderalign.trainer.reward.RewardFunction;

/**
 * The bias-taxonomy classifier as a GRPO reward: the probability it gives the answer's being
 * unbiased ({@link BiasCategory#NONE}), given the prompt as the question. It lives in the CLI, the
 * one module that sees both the trainer (which knows nothing of bias) and the taxonomy; the
 * trainer sees only the {@link RewardFunction} interface.
 */
public final class TaxonomyReward implements RewardFunction {

  /** The reward's name in {@code --reward} and in the metrics ({@code rewards/taxonomy/mean}). */
  public static final String NAME = "taxonomy";

  private final BiasClassifier classifier;

  public TaxonomyReward(BiasClassifier classifier) {
    this.classifier = Objects.requireNonNull(classifier);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public float[] rewards(List<String> prompts, List<String> completions) {
    if (prompts.size() != completions.size()) {
      throw new IllegalArgumentException(prompts.size() + " prompts but " + completions.size() + " completions");
    }
    float[] out = new float[completions.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = classifier.classify(prompts.get(i), completions.get(i)).confidences()
          .getOrDefault(BiasCategory.NONE, 0.0).floatValue();
    }
    return out;
  }
}
