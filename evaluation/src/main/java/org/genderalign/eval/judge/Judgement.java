package org.genderalign.eval.judge;

import java.util.Arrays;

/**
 * A judge's verdict on one question.
 *
 * @param status {@link Status#OK} with ranks, or why there are none
 * @param ranks for {@code OK}: the rank of each shown answer (by position), 1 = least biased;
 *     tied answers share the mean of their places (two tied first of three: 1.5, 1.5, 3); null
 *     otherwise
 * @param attempts replies asked for (LLM judges: 1 + parse retries used; others 1)
 * @param detail why it failed or is missing (empty when OK)
 */
public record Judgement(Status status, double[] ranks, int attempts, String detail) {

  /** What became of a question. */
  public enum Status {
    /** Ranked. */
    OK,
    /** No usable ranking after every retry (counted and reported, never dropped). */
    FAILED,
    /** Not judged (a person left the row blank). */
    MISSING
  }

  public Judgement {
    if ((status == Status.OK) != (ranks != null)) {
      throw new IllegalArgumentException("ranks are given exactly when the status is OK");
    }
    ranks = ranks == null ? null : ranks.clone();
    detail = detail == null ? "" : detail;
  }

  public static Judgement ok(double[] ranks, int attempts) {
    return new Judgement(Status.OK, ranks, attempts, "");
  }

  public static Judgement failed(int attempts, String why) {
    return new Judgement(Status.FAILED, null, attempts, why);
  }

  public static Judgement missing(String why) {
    return new Judgement(Status.MISSING, null, 0, why);
  }

  @Override
  public double[] ranks() {
    return ranks == null ? null : ranks.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Judgement j && j.status == status && Arrays.equals(j.ranks, ranks)
        && j.attempts == attempts && j.detail.equals(detail);
  }

  @Override
  public int hashCode() {
    return 31 * status.hashCode() + Arrays.hashCode(ranks);
  }
}
