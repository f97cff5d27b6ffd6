package org.genderalign.builder.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import lombok.Builder;

/**
 * Settings of the candidate filters. Every filter counts what it drops and why.
 *
 * @param minPromptChars shortest prompt kept
 * @param maxPromptChars longest prompt kept
 * @param minAnswerChars shortest chosen answer kept (rejected answers may be short: a curt
 *     unhelpful answer is a legitimate rejected answer, but an empty one is not)
 * @param maxAnswerChars longest answer (chosen or rejected) kept
 * @param nearDuplicateThreshold word-shingle Jaccard similarity at or above which two prompts
 *     count as near-duplicates (the later one is dropped; the split never separates them)
 * @param dropBiasedChosen drop pairs whose chosen answer the taxonomy flags as biased
 * @param biasedChosenMinConfidence confidence the taxonomy needs before a chosen answer counts
 *     as biased
 * @param rewardProxy reward proxy of the reward-guided filter: {@code heuristic} (the offline
 *     default), {@code model} (a trained reward model, see {@code rewardModel}) or {@code none}
 * @param rewardMargin minimum reward(chosen) − reward(rejected) for a pair to be kept, rewards in
 *     [0, 1] (a reward model's score r enters as σ(r))
 * @param rewardModel with {@code rewardProxy} {@code model}: a reward model folder (Hugging Face
 *     {@code LlamaForSequenceClassification}, e.g. {@code train reward}'s {@code final/}), or
 *     {@code self} to cross-fit one on the candidates themselves; setting it alone implies
 *     {@code rewardProxy} {@code model}
 * @param selfReward training settings of {@code self} (filled with defaults only then)
 */
@Builder(toBuilder = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FilterConfig(
    Integer minPromptChars,
    Integer maxPromptChars,
    Integer minAnswerChars,
    Integer maxAnswerChars,
    Double nearDuplicateThreshold,
    Boolean dropBiasedChosen,
    Double biasedChosenMinConfidence,
    String rewardProxy,
    Double rewardMargin,
    String rewardModel,
    SelfRewardConfig selfReward) {

  public static final int DEFAULT_MIN_PROMPT_CHARS = 15;
  public static final int DEFAULT_MAX_PROMPT_CHARS = 1000;
  public static final int DEFAULT_MIN_ANSWER_CHARS = 40;
  public static final int DEFAULT_MAX_ANSWER_CHARS = 4000;
  /** Prompts sharing ≥ 80% of their word 2-shingles are the same question reworded. */
  public static final double DEFAULT_NEAR_DUPLICATE_THRESHOLD = 0.8;
  public static final boolean DEFAULT_DROP_BIASED_CHOSEN = true;
  public static final double DEFAULT_BIASED_CHOSEN_MIN_CONFIDENCE = 0.5;
  public static final String DEFAULT_REWARD_PROXY = "heuristic";
  /** RewardDS keeps pairs whose chosen is clearly better; 0.05 of a [0, 1] reward. */
  public static final double DEFAULT_REWARD_MARGIN = 0.05;
  /** The {@code rewardModel} value that cross-fits reward models on the candidates. */
  public static final String SELF = "self";

  public FilterConfig {
    minPromptChars = BuildConfig.orDefault(minPromptChars, DEFAULT_MIN_PROMPT_CHARS);
    maxPromptChars = BuildConfig.orDefault(maxPromptChars, DEFAULT_MAX_PROMPT_CHARS);
    minAnswerChars = BuildConfig.orDefault(minAnswerChars, DEFAULT_MIN_ANSWER_CHARS);
    maxAnswerChars = BuildConfig.orDefault(maxAnswerChars, DEFAULT_MAX_ANSWER_CHARS);
    nearDuplicateThreshold = nearDuplicateThreshold == null ? DEFAULT_NEAR_DUPLICATE_THRESHOLD : nearDuplicateThreshold;
    dropBiasedChosen = dropBiasedChosen == null ? DEFAULT_DROP_BIASED_CHOSEN : dropBiasedChosen;
    biasedChosenMinConfidence = biasedChosenMinConfidence == null
        ? DEFAULT_BIASED_CHOSEN_MIN_CONFIDENCE : biasedChosenMinConfidence;
    rewardProxy = rewardProxy == null ? (rewardModel != null ? "model" : DEFAULT_REWARD_PROXY) : rewardProxy;
    rewardMargin = rewardMargin == null ? DEFAULT_REWARD_MARGIN : rewardMargin;
    BuildConfig.check(minPromptChars >= 0 && minPromptChars <= maxPromptChars, "filters.minPromptChars",
        "must be ≥ 0 and ≤ maxPromptChars (" + maxPromptChars + "), got " + minPromptChars);
    BuildConfig.check(minAnswerChars >= 0 && minAnswerChars <= maxAnswerChars, "filters.minAnswerChars",
        "must be ≥ 0 and ≤ maxAnswerChars (" + maxAnswerChars + "), got " + minAnswerChars);
    BuildConfig.check(nearDuplicateThreshold > 0 && nearDuplicateThreshold <= 1, "filters.nearDuplicateThreshold",
        "must be in (0, 1], got " + nearDuplicateThreshold);
    BuildConfig.check(biasedChosenMinConfidence >= 0 && biasedChosenMinConfidence <= 1,
        "filters.biasedChosenMinConfidence", "must be in [0, 1], got " + biasedChosenMinConfidence);
    BuildConfig.check("heuristic".equals(rewardProxy) || "model".equals(rewardProxy) || "none".equals(rewardProxy),
        "filters.rewardProxy", "must be 'heuristic', 'model' or 'none', got '" + rewardProxy + "'");
    BuildConfig.check(!"model".equals(rewardProxy) || (rewardModel != null && !rewardModel.isBlank()),
        "filters.rewardModel", "required when rewardProxy is 'model': a reward model folder or 'self'");
    BuildConfig.check("model".equals(rewardProxy) || rewardModel == null, "filters.rewardModel",
        "only used when rewardProxy is 'model' (it is '" + rewardProxy + "')");
    if (SELF.equals(rewardModel)) {
      selfReward = selfReward == null ? SelfRewardConfig.builder().build() : selfReward;
    } else {
      BuildConfig.check(selfReward == null, "filters.selfReward", "only used when rewardModel is 'self'");
    }
    BuildConfig.check(rewardMargin >= -1 && rewardMargin <= 1, "filters.rewardMargin",
        "must be in [-1, 1], got " + rewardMargin);
  }
}
