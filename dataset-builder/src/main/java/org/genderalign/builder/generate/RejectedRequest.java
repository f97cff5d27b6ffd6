package org.genderalign.builder.generate;

import org.genderalign.builder.seed.Seed;

/**
 * What a {@link RejectedWriter} answers: the seed (for keyed randomness and context), the
 * dialogue the question came from, and the question itself.
 */
public record RejectedRequest(Seed seed, Dialogue dialogue) {

  public String question() {
    return dialogue.question();
  }
}
