/**
 * LoRA (Hu et al. 2021) adapters on the model's projections: trainable low-rank updates while
 * the base stays frozen; switched off, the same network is the DPO reference model. Adapters are
 * saved alone (this project's layout, {@link org.genderalign.trainer.lora.Lora}, or Hugging Face
 * PEFT's, {@link org.genderalign.trainer.lora.PeftAdapters}), loaded onto a base, or merged into it.
 */
package org.genderalign.trainer.lora;
