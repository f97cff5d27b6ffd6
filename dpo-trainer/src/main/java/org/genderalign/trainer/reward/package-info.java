/**
 * Reward models and the Bradley–Terry objective that trains them (the RLHF half beside DPO): a
 * Llama with a scalar {@code score} head read at the last non-padding token, in Hugging Face's
 * {@code LlamaForSequenceClassification} layout ({@link org.genderalign.trainer.reward.RewardModel});
 * TRL's RewardTrainer loss, margins and reward centring as a
 * {@link org.genderalign.trainer.training.TrainingTask} ({@link org.genderalign.trainer.reward.RewardTask},
 * {@link org.genderalign.trainer.reward.RewardTrainer}); and the {@link org.genderalign.trainer.reward.RewardFunction}
 * API through which filters and online RL (GRPO) ask for rewards
 * ({@link org.genderalign.trainer.reward.RewardScorer} is the reward model's implementation).
 */
package org.genderalign.trainer.reward;
