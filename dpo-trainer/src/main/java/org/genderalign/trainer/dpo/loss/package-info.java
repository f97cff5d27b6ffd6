/**
 * Preference losses as strategies, chosen by name through
 * {@link org.genderalign.trainer.dpo.loss.PreferenceLosses}: every {@code loss_type} of TRL's
 * DPOTrainer (sigmoid, hinge, ipo, exo_pair, nca_pair, robust, bco_pair, sppo_hard, aot,
 * aot_unpaired, apo_zero, apo_down, discopop, sigmoid_norm, sft), conservative DPO (cdpo), and the
 * reference-free SimPO and ORPO; several at once with weights, and WPO pair weighting, through
 * {@link org.genderalign.trainer.dpo.loss.CombinedLoss}. Each class's Javadoc gives its formula,
 * paper and TRL source. Formulas follow {@code docs/dpo-reference.md} and {@code docs/losses.md};
 * every one is written in softplus / log-sigmoid form so that it and its gradient stay finite for
 * any finite input.
 */
package org.genderalign.trainer.dpo.loss;
