package org.genderalign.trainer.optim;

/**
 * AdamW hyper-parameters (torch.optim.AdamW / Hugging Face TrainingArguments names in the CLI).
 *
 * @param learningRate peak learning rate (the schedule multiplies it)
 * @param beta1 first-moment decay
 * @param beta2 second-moment decay
 * @param epsilon added to the bias-corrected √v
 * @param weightDecay decoupled weight decay (Loshchilov &amp; Hutter): w ← w·(1 − lr·wd)
 */
public record AdamWConfig(double learningRate, double beta1, double beta2, double epsilon, double weightDecay) {

  /** TRL's DPOConfig default learning rate. */
  public static final double DEFAULT_LEARNING_RATE = 1e-6;
  public static final double DEFAULT_BETA1 = 0.9;
  public static final double DEFAULT_BETA2 = 0.999;
  public static final double DEFAULT_EPSILON = 1e-8;
  /** Hugging Face TrainingArguments' default (torch's own default is 0.01). */
  public static final double DEFAULT_WEIGHT_DECAY = 0.0;

  public AdamWConfig {
    if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be >= 0 and finite, got " + learningRate);
    }
    if (!(beta1 >= 0 && beta1 < 1)) {
      throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
    }
    if (!(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
    }
    if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
      throw new IllegalArgumentException("epsilon must be > 0, got " + epsilon);
    }
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
    }
  }

  /** Defaults with the given learning rate and weight decay. */
  public static AdamWConfig of(double learningRate, double weightDecay) {
    return new AdamWConfig(learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON, weightDecay);
  }
}
