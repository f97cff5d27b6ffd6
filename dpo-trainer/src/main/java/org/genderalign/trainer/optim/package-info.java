/**
 * Optimisation: AdamW with the exact update of {@code torch.optim.AdamW} and exportable state
 * (moments and step, for bit-identical resume), learning-rate schedules as Hugging Face's
 * {@code get_*_schedule_with_warmup}, and gradient clipping by global norm.
 */
package org.genderalign.trainer.optim;
