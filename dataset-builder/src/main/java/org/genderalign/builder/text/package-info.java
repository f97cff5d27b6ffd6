/**
 * Text utilities of the builder: keyed deterministic randomness, word shingles with MinHash
 * near-duplicate detection, and diversity statistics (distinct-n).
 */
package org.genderalign.builder.text;
