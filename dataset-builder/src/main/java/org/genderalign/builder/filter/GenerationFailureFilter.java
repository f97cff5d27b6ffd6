package org.genderalign.builder.filter;

import java.util.ArrayList;
import java.util.List;

/** Drops candidates whose generation failed (unparseable model output, a refused request). */
public final class GenerationFailureFilter implements CandidateFilter {

  @Override
  public String name() {
    return "generation_failed";
  }

  @Override
  public List<String> decide(List<Scored> candidates) {
    List<String> out = new ArrayList<>(candidates.size());
    for (Scored s : candidates) {
      out.add(s.candidate().failure());
    }
    return out;
  }
}
