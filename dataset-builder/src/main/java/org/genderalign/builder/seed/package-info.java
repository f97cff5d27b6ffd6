/**
 * Seed texts: loaders for the mirrored seed corpora (Workplace-Sexism, EDOS, GEST,
 * online-misogyny) and for user files (text, CSV, JSONL), and their preparation — Unicode and
 * whitespace normalisation, length and language filters, deduplication, and scrubbing of
 * personal data before any seed text can leave the machine.
 */
package org.genderalign.builder.seed;
