/**
 * GRPO (group relative policy optimisation) as TRL's {@code GRPOTrainer} defines it: for each
 * prompt, G sampled completions ({@link org.genderalign.trainer.generate.Generator}); weighted
 * rewards from {@link org.genderalign.trainer.reward.RewardFunction}s; advantages normalised
 * within the group ({@link org.genderalign.trainer.grpo.Advantages}); the clipped surrogate with a
 * k3 KL penalty ({@link org.genderalign.trainer.grpo.GrpoLoss}); run by the shared training loop
 * ({@link org.genderalign.trainer.grpo.GrpoTask}, {@link org.genderalign.trainer.grpo.GrpoTrainer}).
 */
package org.genderalign.trainer.grpo;
