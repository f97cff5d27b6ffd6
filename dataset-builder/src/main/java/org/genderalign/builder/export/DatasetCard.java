package org.genderalign.builder.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.genderalign.builder.audit.DatasetAudit;
import org.genderalign.builder.categorize.MixPlanner;
import org.genderalign.builder.config.BuildConfig;
import org.genderalign.builder.config.BuildConfigs;
import org.genderalign.builder.filter.Scored;
import org.genderalign.builder.pipeline.Candidate;
import org.genderalign.builder.seed.SeedSource;
import org.genderalign.builder.text.Rng;
import org.genderalign.core.dataset.AuditSettings;
import org.genderalign.core.dataset.ShortcutAudit;

/** Renders the dataset card ({@code README.md}) of a build. Deterministic: no time, no paths. */
public final class DatasetCard {

  private DatasetCard() {}

  /** The reward-margin filter's proxy and its identity, one bullet per fact the proxy reports. */
  @SuppressWarnings("unchecked")
  static void rewardProxy(StringBuilder sb, Map<String, Object> proxy, double margin) {
    sb.append("The `reward_margin` filter keeps a pair when reward(chosen) − reward(rejected) ≥ ").append(margin)
        .append(" with this reward proxy:\n\n");
    for (Map.Entry<String, Object> e : proxy.entrySet()) {
      if (e.getValue() instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map) {
        sb.append("- ").append(e.getKey()).append(":\n");
        for (Object o : l) {
          sb.append("  - ").append(((Map<String, Object>) o)).append("\n");
        }
      } else {
        sb.append("- ").append(e.getKey()).append(": `").append(e.getValue()).append("`\n");
      }
    }
    sb.append("\n");
  }

  /** The shortcut audit: this set beside the real release sample, the warnings, the definitions. */
  static void shortcutAudit(StringBuilder sb, DatasetAudit.Report a) {
    sb.append("\n## Shortcut audit\n\nCould a model trained on these pairs lower its DPO loss by a surface "
        + "shortcut — preferring the longer answer, or a repeated template — instead of the unbiased answer? "
        + "The same figures for the real GenderAlign release sample (`GenderAlign.partial-101.json`) are given "
        + "for comparison.\n\n| | this data set | release sample |\n|---|---:|---:|\n");
    for (DatasetAudit.Row row : DatasetAudit.rows(a)) {
      sb.append("| ").append(row.label()).append(" | ").append(row.value()).append(" | ").append(row.release())
          .append(" |\n");
    }
    if (!a.audit().chosen().commonFourGrams().isEmpty()) {
      sb.append("\nMost common 4-grams (share of sampled answers): chosen ");
      fourGrams(sb, a.audit().chosen());
      sb.append("; rejected ");
      fourGrams(sb, a.audit().rejected());
      sb.append(".\n");
    }
    sb.append("\n**Warnings:** ");
    if (a.warnings().isEmpty()) {
      sb.append("none — every threshold of `audit` in the build config is met.\n");
    } else {
      sb.append("\n\n");
      a.warnings().forEach(w -> sb.append("- ").append(w).append("\n"));
    }
    AuditSettings s = a.settings();
    sb.append("\nWords are whitespace-separated tokens of the answer text; n-grams are taken within an answer "
        + "over lower-cased words. Distinct-n and the 4-gram figures are the mean over ").append(s.samples())
        .append(" seeded samples (seed ").append(s.sampleSeed()).append(") of ").append(s.sampleSize())
        .append(" pairs, so that sets of different sizes compare. Tokens: ")
        .append(a.tokenizer() == null ? "not counted (no tokenizer in the data root)" : a.tokenizer())
        .append(", BOS + prompt + the longer answer + EOS against ").append(s.maxLength())
        .append(" (the `run` command's DPO max length).\n");
  }

  /** One pair per category (the first in a seeded order), so a reader sees what the data says. */
  static void samplePairs(StringBuilder sb, BuildReport r) {
    List<String> order = new ArrayList<>(MixPlanner.BIAS_CATEGORIES);
    order.add("none");
    sb.append("\n## Sample pairs\n\nOne pair per category of the rejected answer, drawn with the build seed.\n");
    for (String cat : order) {
      Scored pick = null;
      long best = 0;
      for (Scored x : r.all()) {
        if (!x.rejected().category().id().equals(cat)) {
          continue;
        }
        long h = Rng.hash64(r.config().seed() + ":sample:" + x.candidate().id());
        if (pick == null || Long.compareUnsigned(h, best) < 0) {
          pick = x;
          best = h;
        }
      }
      if (pick == null) {
        continue;
      }
      Candidate c = pick.candidate();
      sb.append("\n**").append(cat).append("** (`").append(c.id()).append("`")
          .append(c.meta().get("theme") == null ? "" : ", theme " + c.meta().get("theme"))
          .append(c.meta().get("rejected_style") == null ? "" : ", rejected style " + c.meta().get("rejected_style"))
          .append(")\n\n> **Human:** ").append(oneLine(c.prompt())).append("\n>\n> **Chosen:** ")
          .append(oneLine(c.chosen())).append("\n>\n> **Rejected:** ").append(oneLine(c.rejected())).append("\n");
    }
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s*\\n\\s*", " ").strip();
  }

  private static void fourGrams(StringBuilder sb, ShortcutAudit.Side side) {
    List<String> parts = new ArrayList<>();
    for (ShortcutAudit.FourGram g : side.commonFourGrams().subList(0, Math.min(3, side.commonFourGrams().size()))) {
      parts.add("“" + g.gram() + "” " + String.format(Locale.ROOT, "%.1f%%", 100 * g.share()));
    }
    sb.append(String.join(", ", parts));
  }

  @SuppressWarnings("unchecked")
  public static String render(BuildReport r, Map<String, Object> stats, Map<String, String> hashes) {
    BuildConfig cfg = r.config();
    StringBuilder sb = new StringBuilder();
    Map<String, Object> pairs = (Map<String, Object>) stats.get("pairs");
    sb.append("# GenderAlign-style preference data set\n\n");
    sb.append("Single-turn preference pairs about gender bias, built by `genderalign dataset build` after the "
        + "GenderAlign paper (Zhang et al., ACL 2025): for each seed text that raises a gender issue, ")
        .append(cfg.dialoguesPerSeed()).append(" independent dialogues whose assistant turn answers neutrally, "
            + "without quoting the seed (`chosen`), paired with an unaligned answer (`rejected`). The `category` "
            + "of a pair is the bias-taxonomy category of its rejected answer.\n\n");
    sb.append("- pairs: **").append(pairs.get("total")).append("** (train ").append(pairs.get("train"))
        .append(", test ").append(pairs.get("test")).append(")\n");
    sb.append("- seed: `").append(cfg.seed()).append("`; generator: `").append(cfg.generator()).append("`");
    if (cfg.rejectedGenerator() != null) {
      sb.append(" (rejected: `").append(cfg.rejectedGenerator()).append("`)");
    }
    sb.append("; category mix: `").append(cfg.mix()).append("`\n\n");

    sb.append("## Pairs per category and split\n\n| category | train | test | all |\n|---|---:|---:|---:|\n");
    Map<String, Map<String, Integer>> cats = (Map<String, Map<String, Integer>>) stats.get("categories");
    List<String> order = new ArrayList<>(MixPlanner.BIAS_CATEGORIES);
    order.add("none");
    for (String c : order) {
      sb.append("| ").append(c).append(" | ").append(cats.get("train").getOrDefault(c, 0)).append(" | ")
          .append(cats.get("test").getOrDefault(c, 0)).append(" | ").append(cats.get("all").getOrDefault(c, 0))
          .append(" |\n");
    }
    sb.append("\n![category distribution](categories.svg)\n\n");

    sb.append("## Sources and licences\n\n| source | licence | origin | seeds loaded | seeds kept | seeds in data set | pairs |\n"
        + "|---|---|---|---:|---:|---:|---:|\n");
    Map<String, Object> seeds = (Map<String, Object>) stats.get("seeds");
    Map<String, Integer> loadedBy = (Map<String, Integer>) seeds.get("loaded_by_source");
    Map<String, Integer> keptBy = (Map<String, Integer>) seeds.get("kept_by_source");
    Map<String, Map<String, Integer>> srcPairs = (Map<String, Map<String, Integer>>) stats.get("sources");
    for (String src : loadedBy.keySet()) {
      SeedSource s = r.loaded().sources().get(src);
      long inSet = r.all().stream().filter(x -> x.candidate().source().equals(src))
          .map(x -> x.candidate().seedId()).distinct().count();
      sb.append("| ").append(src).append(" | ").append(s == null ? "user file (your own licence)" : s.licence())
          .append(" | ").append(s == null ? "--config userSeeds" : s.origin()).append(" | ")
          .append(loadedBy.get(src)).append(" | ").append(keptBy.getOrDefault(src, 0)).append(" | ").append(inSet)
          .append(" | ").append(srcPairs.get("all").getOrDefault(src, 0)).append(" |\n");
    }
    sb.append("\nThe generated questions and answers are written by this project's generators; seed texts are "
        + "not quoted. Seeds were scrubbed of personal data before use: ")
        .append(seeds.get("personal_data_scrubbed")).append(". Seeds dropped in preparation: ")
        .append(seeds.get("dropped")).append(" (listed in `dropped-seeds.jsonl`).\n\n");

    sb.append("## Generation\n\n- dialogues: ").append(r.dialogueGenerator()).append("\n- rejected answers: ")
        .append(r.rejectedGenerator()).append("\n- seeds available ").append(r.seedsAvailable())
        .append(", used for generation ").append(r.seedsUsed()).append("; candidates generated ")
        .append(r.candidates()).append(", kept by the filters ").append(r.keptAfterFilters()).append("\n");
    sb.append("- rejected-answer styles in the data set: ")
        .append(((Map<String, Map<String, Integer>>) stats.get("rejected_styles")).get("all")).append("\n\n");

    sb.append("## Filters (drops per filter, in the order they ran)\n\n| filter | dropped |\n|---|---:|\n");
    for (Map.Entry<String, Integer> e : r.drops().entrySet()) {
      sb.append("| ").append(e.getKey()).append(" | ").append(e.getValue()).append(" |\n");
    }
    sb.append("\nEvery dropped candidate is listed with its filter and reason in `dropped.jsonl`. `rebalance` "
        + "counts pairs left out to reach the target size and category mix (")
        .append(r.mixWeights() == null ? "natural mix" : "weights " + r.mixWeights()).append(").\n\n");
    rewardProxy(sb, r.rewardProxy(), cfg.filters().rewardMargin());

    sb.append("## Diversity\n\n| text | distinct-1 | distinct-2 | distinct-3 | distinct texts | most common share |\n"
        + "|---|---:|---:|---:|---:|---:|\n");
    Map<String, Map<String, Object>> div = (Map<String, Map<String, Object>>) stats.get("diversity");
    for (Map.Entry<String, Map<String, Object>> e : div.entrySet()) {
      Map<String, Object> d = e.getValue();
      sb.append("| ").append(e.getKey()).append(" | ").append(d.get("distinct_1")).append(" | ")
          .append(d.get("distinct_2")).append(" | ").append(d.get("distinct_3")).append(" | ")
          .append(d.get("distinct_texts")).append(" | ").append(d.get("most_common_share")).append(" |\n");
    }

    shortcutAudit(sb, r.audit());
    samplePairs(sb, r);

    sb.append("\n## Split\n\n").append(String.format(Locale.ROOT, "%.0f%%", cfg.testFraction() * 100))
        .append(" test, stratified by category and grouped by seed and by near-duplicate prompts (word 2-shingle "
            + "Jaccard ≥ ").append(cfg.filters().nearDuplicateThreshold())
        .append("): no seed and no near-duplicate prompt is on both sides.\n\n");

    sb.append("## Files\n\n| file | sha256 |\n|---|---|\n");
    for (Map.Entry<String, String> e : hashes.entrySet()) {
      sb.append("| `").append(e.getKey()).append("` | `").append(e.getValue()).append("` |\n");
    }
    sb.append("\n`train.jsonl` and `test.jsonl` are TRL ")
        .append("trl-conversational".equals(cfg.effectiveExportFormat())
            ? "conversational preference format (`prompt` a list of messages, `chosen` / `rejected` one assistant "
                + "message each)"
            : "standard preference format")
        .append(" with `id`, `category`, `source`, `seed_id`; `genderalign.json` follows the GenderAlign release's HH style; `pairs.csv` has "
        + "every pair. `provenance.json` (time, git revision, input hashes, duration) is the only file that "
        + "changes between identical builds, so it is not hashed here.\n\n");
    sb.append("## Build config\n\n```json\n").append(BuildConfigs.toJson(cfg)).append("```\n");
    return sb.toString();
  }
}
