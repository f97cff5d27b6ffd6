/**
 * Loading and saving models: {@link org.genderalign.trainer.loader.ModelLoader#load} takes a
 * short name ({@code stories260K}) or a path (llama2.c {@code .bin}, GGUF, Hugging Face folder,
 * or the project's own checkpoint folder) and returns a
 * {@link org.genderalign.trainer.loader.LoadedModel} (DJL model + block + config + tokenizer +
 * {@link org.genderalign.trainer.loader.ModelSource} provenance).
 * {@link org.genderalign.trainer.loader.ModelCheckpoint} writes and reads the project's own
 * format (config.json + model.safetensors + tokenizer copy + provenance.json);
 * {@link org.genderalign.trainer.loader.SafeTensors} reads/writes safetensors files.
 */
package org.genderalign.trainer.loader;
