/**
 * KTO, Kahneman–Tversky optimisation (Ethayarajh et al. 2024, arXiv:2402.01306), on unpaired
 * binary feedback — prompt, completion, desirable or not — as TRL's KTOTrainer does it: the
 * encoder and collator (each example's prompt also paired with its batch neighbour's completion,
 * for the KL baseline), the losses ({@code kto}, {@code apo_zero_unpaired}), the task for the
 * shared {@link org.genderalign.trainer.training.TrainingLoop}, and the run configuration.
 */
package org.genderalign.trainer.kto;
