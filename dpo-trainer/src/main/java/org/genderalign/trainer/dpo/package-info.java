/**
 * Direct preference optimisation: the pair collator (chosen rows, then rejected rows), the
 * reference log-prob cache, the DPO task for the training loop and its configuration. Losses
 * are in {@link org.genderalign.trainer.dpo.loss}.
 */
package org.genderalign.trainer.dpo;
