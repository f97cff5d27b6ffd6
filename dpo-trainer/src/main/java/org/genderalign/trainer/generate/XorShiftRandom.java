package org.genderalign.trainer.generate;

/**
 * run.c's random numbers: xorshift* on an unsigned 64-bit state ({@code random_u32},
 * {@code random_f32}). One stream per generated sequence, so that a sequence's samples depend on
 * its own seed only, never on the batch it is in. Not thread-safe.
 */
public final class XorShiftRandom {

  private long state;

  /** A stream starting from {@code seed} (run.c seeds its state with the user's seed as is). */
  public XorShiftRandom(long seed) {
    this.state = seed;
  }

  /** run.c {@code random_u32}. */
  public int nextU32() {
    state ^= state >>> 12;
    state ^= state << 25;
    state ^= state >>> 27;
    return (int) ((state * 0x2545F4914F6CDD1DL) >>> 32);
  }

  /** run.c {@code random_f32}: a float in [0, 1) with 24 random bits. */
  public float nextFloat() {
    return (nextU32() >>> 8) / 16777216.0f;
  }
}
