/**
 * Export of a built data set: TRL train/test JSONL, the release's HH-style JSON, CSV, stats,
 * a category chart (SVG), a dataset card (README.md) with sha256 of every file, the config and
 * a provenance file. Everything but {@code provenance.json} is byte-identical across runs with
 * the same seed and inputs.
 */
package org.genderalign.builder.export;
