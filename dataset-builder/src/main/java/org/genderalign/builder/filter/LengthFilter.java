package org.genderalign.builder.filter;

import java.util.ArrayList;
import java.util.List;
import org.genderalign.builder.config.FilterConfig;
import org.genderalign.builder.pipeline.Candidate;

/**
 * Length bounds: the prompt within [minPromptChars, maxPromptChars], the chosen answer within
 * [minAnswerChars, maxAnswerChars], the rejected answer at most maxAnswerChars (a curt rejected
 * answer is legitimate; an empty one is the refusal filter's business).
 */
public final class LengthFilter implements CandidateFilter {

  private final FilterConfig cfg;

  public LengthFilter(FilterConfig cfg) {
    this.cfg = cfg;
  }

  @Override
  public String name() {
    return "length";
  }

  @Override
  public List<String> decide(List<Scored> candidates) {
    List<String> out = new ArrayList<>(candidates.size());
    for (Scored s : candidates) {
      Candidate c = s.candidate();
      int p = c.prompt().strip().length();
      int ch = c.chosen().strip().length();
      int rj = c.rejected().strip().length();
      String reason = null;
      if (p < cfg.minPromptChars()) {
        reason = "prompt shorter than " + cfg.minPromptChars();
      } else if (p > cfg.maxPromptChars()) {
        reason = "prompt longer than " + cfg.maxPromptChars();
      } else if (ch < cfg.minAnswerChars()) {
        reason = "chosen shorter than " + cfg.minAnswerChars();
      } else if (ch > cfg.maxAnswerChars()) {
        reason = "chosen longer than " + cfg.maxAnswerChars();
      } else if (rj > cfg.maxAnswerChars()) {
        reason = "rejected longer than " + cfg.maxAnswerChars();
      }
      out.add(reason);
    }
    return out;
  }
}
