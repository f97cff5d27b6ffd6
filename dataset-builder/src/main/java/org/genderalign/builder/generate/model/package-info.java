/**
 * The {@code model} backend: a local dpo-trainer model (e.g. {@code stories260K}, or any model
 * {@code ModelLoader} reads) answers the questions to produce the rejected side, as the paper
 * used an unaligned Alpaca-SFT model.
 */
package org.genderalign.builder.generate.model;
