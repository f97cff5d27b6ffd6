package org.genderalign.taxonomy.audit;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.genderalign.taxonomy.BiasCategory;

/**
 * Running totals of an audit: how many pairs, how many are about gender, and the category mix
 * of the chosen and of the rejected answers among the gender-related pairs. Fill it with
 * {@link #add} on one thread.
 */
public final class AuditReport {

  private long total;
  private long genderRelated;
  private long flagged;
  private final Map<BiasCategory, Long> chosenMix = new EnumMap<>(BiasCategory.class);
  private final Map<BiasCategory, Long> rejectedMix = new EnumMap<>(BiasCategory.class);

  public AuditReport() {
    for (BiasCategory c : BiasCategory.values()) {
      chosenMix.put(c, 0L);
      rejectedMix.put(c, 0L);
    }
  }

  public void add(PairJudgement j) {
    total++;
    if (!j.genderRelated()) {
      return;
    }
    genderRelated++;
    chosenMix.merge(j.chosen().category(), 1L, Long::sum);
    rejectedMix.merge(j.rejected().category(), 1L, Long::sum);
    if (j.flagged()) {
      flagged++;
    }
  }

  public long total() {
    return total;
  }

  public long genderRelated() {
    return genderRelated;
  }

  /** Gender-related pairs whose chosen answer is biased. */
  public long flagged() {
    return flagged;
  }

  public Map<BiasCategory, Long> chosenMix() {
    return Map.copyOf(chosenMix);
  }

  public Map<BiasCategory, Long> rejectedMix() {
    return Map.copyOf(rejectedMix);
  }

  /** Machine-readable figures: metric id → value. */
  public Map<String, Object> metrics() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pairs", total);
    m.put("gender_related", genderRelated);
    m.put("flagged_biased_chosen", flagged);
    Map<String, Long> c = new LinkedHashMap<>();
    Map<String, Long> r = new LinkedHashMap<>();
    for (BiasCategory b : BiasCategory.values()) {
      c.put(b.id(), chosenMix.get(b));
      r.put(b.id(), rejectedMix.get(b));
    }
    m.put("chosen_mix", c);
    m.put("rejected_mix", r);
    return m;
  }

  /** A plain-text summary. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "pairs: %d%ngender-related: %d (%.1f%%)%n", total, genderRelated,
        total == 0 ? 0.0 : 100.0 * genderRelated / total));
    sb.append(String.format(Locale.ROOT, "gender-related pairs with a biased chosen answer (flagged): %d%n", flagged));
    sb.append(String.format(Locale.ROOT, "%ncategory mix among gender-related pairs%n%-33s %10s %10s%n", "category", "chosen", "rejected"));
    for (BiasCategory b : BiasCategory.values()) {
      sb.append(String.format(Locale.ROOT, "%-33s %10s %10s%n", b.id(), pct(chosenMix.get(b)), pct(rejectedMix.get(b))));
    }
    return sb.toString();
  }

  private String pct(long v) {
    return genderRelated == 0 ? "0" : String.format(Locale.ROOT, "%d (%.1f%%)", v, 100.0 * v / genderRelated);
  }
}
