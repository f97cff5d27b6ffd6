/**
 * Supervised fine-tuning with completion-only loss: the paper's "Base" models are Alpaca-SFT
 * Llamas. Examples are Alpaca records or the chosen answers of preference pairs.
 */
package org.genderalign.trainer.sft;
