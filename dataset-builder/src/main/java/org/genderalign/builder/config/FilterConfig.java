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
 * @param rewardProxy reward proxy of the reward-guided filter: {@code heuristic} or {@code none}
 * @param rewardMargin minimum reward(chosen) − reward(rejected) for a pair to be kept
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
    Double rewardMargin) {

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

  public FilterConfig {
    minPromptChars = BuildConfig.orDefault(minPromptChars, DEFAULT_MIN_PROMPT_CHARS);
    maxPromptChars = BuildConfig.orDefault(maxPromptChars, DEFAULT_MAX_PROMPT_CHARS);
    minAnswerChars = BuildConfig.orDefault(minAnswerChars, DEFAULT_MIN_ANSWER_CHARS);
    maxAnswerChars = BuildConfig.orDefault(maxAnswerChars, DEFAULT_MAX_ANSWER_CHARS);
    nearDuplicateThreshold = nearDuplicateThreshold == null ? DEFAULT_NEAR_DUPLICATE_THRESHOLD : nearDuplicateThreshold;
    dropBiasedChosen = dropBiasedChosen == null ? DEFAULT_DROP_BIASED_CHOSEN : dropBiasedChosen;
    biasedChosenMinConfidence = biasedChosenMinConfidence == null
        ? DEFAULT_BIASED_CHOSEN_MIN_CONFIDENCE : biasedChosenMinConfidence;
    rewardProxy = rewardProxy == null ? DEFAULT_REWARD_PROXY : rewardProxy;
    rewardMargin = rewardMargin == null ? DEFAULT_REWARD_MARGIN : rewardMargin;
    BuildConfig.check(minPromptChars >= 0 && minPromptChars <= maxPromptChars, "filters.minPromptChars",
        "must be ≥ 0 and ≤ maxPromptChars (" + maxPromptChars + "), got " + minPromptChars);
    BuildConfig.check(minAnswerChars >= 0 && minAnswerChars <= maxAnswerChars, "filters.minAnswerChars",
        "must be ≥ 0 and ≤ maxAnswerChars (" + maxAnswerChars + "), got " + minAnswerChars);
    BuildConfig.check(nearDuplicateThreshold > 0 && nearDuplicateThreshold <= 1, "filters.nearDuplicateThreshold",
        "must be in (0, 1], got " + nearDuplicateThreshold);
    BuildConfig.check(biasedChosenMinConfidence >= 0 && biasedChosenMinConfidence <= 1,
        "filters.biasedChosenMinConfidence", "must be in [0, 1], got " + biasedChosenMinConfidence);
    BuildConfig.check("heuristic".equals(rewardProxy) || "none".equals(rewardProxy), "filters.rewardProxy",
        "must be 'heuristic' or 'none', got '" + rewardProxy + "'");
    BuildConfig.check(rewardMargin >= -1 && rewardMargin <= 1, "filters.rewardMargin",
        "must be in [-1, 1], got " + rewardMargin);
  }
}
