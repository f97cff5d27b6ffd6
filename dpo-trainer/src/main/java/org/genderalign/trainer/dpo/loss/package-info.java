/**
 * Preference losses as strategies: DPO (sigmoid, with optional cDPO label smoothing), robust DPO,
 * hinge (SLiC), IPO, and the reference-free SimPO and ORPO, each chosen by name through
 * {@link org.genderalign.trainer.dpo.loss.PreferenceLosses}. Formulas follow
 * {@code docs/dpo-reference.md}; every one is written in softplus form so that it stays finite
 * for any finite input.
 */
package org.genderalign.trainer.dpo.loss;
