package org.genderalign.builder.filter;

import java.util.ArrayList;
import java.util.List;
import org.genderalign.builder.text.NearDuplicateIndex;

/**
 * Drops a candidate whose prompt is a near-duplicate (word 2-shingle Jaccard ≥ threshold, MinHash
 * LSH + exact check) of an earlier kept prompt. Earlier = build order, so the result is
 * deterministic.
 */
public final class NearDuplicateFilter implements CandidateFilter {

  private final double threshold;

  public NearDuplicateFilter(double threshold) {
    this.threshold = threshold;
  }

  @Override
  public String name() {
    return "near_duplicate";
  }

  @Override
  public List<String> decide(List<Scored> candidates) {
    // Only kept prompts enter the index: a chain a~b~c with a≁c keeps a and c.
    NearDuplicateIndex kept = new NearDuplicateIndex(threshold);
    List<String> keptIds = new ArrayList<>();
    List<String> out = new ArrayList<>(candidates.size());
    for (Scored s : candidates) {
      NearDuplicateIndex.Entry e = kept.prepare(s.candidate().prompt());
      int hit = kept.find(e);
      if (hit >= 0) {
        out.add("prompt near-duplicate of " + keptIds.get(hit));
      } else {
        kept.add(e);
        keptIds.add(s.candidate().id());
        out.add(null);
      }
    }
    return out;
  }
}
