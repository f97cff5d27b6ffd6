package org.genderalign.builder.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.dataset.AuditSettings;
import org.genderalign.core.dataset.LengthSummary;
import org.genderalign.core.dataset.ShortcutAudit;
import org.genderalign.core.format.Formats;
import org.genderalign.core.format.PairFiles;
import org.genderalign.trainer.data.PairEncoder;
import org.genderalign.trainer.data.PromptTemplate;
import org.genderalign.trainer.tokenizer.Llama2cTokenizer;

/**
 * Runs the shortcut audit on a data set and on the real release sample, for the dataset card,
 * {@code stats.json} and {@code genderalign dataset stats}.
 *
 * <p>Token lengths are those of the DPO trainer's {@link PairEncoder} with the default (raw)
 * prompt template and the stories260K tokenizer of the data root: BOS + prompt + the longer
 * answer + EOS. When the data root lacks the tokenizer or the release sample, that part is left
 * out and said so (never a failure: the audit is a report).
 */
public final class DatasetAudit {

  /** Data-root id of the real release sample (101 pairs). */
  public static final String RELEASE_SAMPLE = "genderalign-partial";
  /** Data-root id of the stories260K tokenizer. */
  public static final String TOKENIZER = "tokenizer-stories260k";

  private DatasetAudit() {}

  /**
   * An audit beside the release sample's.
   *
   * @param audit the audited set
   * @param release the release sample's audit, or null when the data root lacks it
   * @param warnings the thresholds the audited set crosses (the release is not held to them)
   * @param tokenizer what counted tokens, or null when nothing did
   * @param settings the settings both audits used
   */
  public record Report(ShortcutAudit audit, ShortcutAudit release, List<String> warnings, String tokenizer,
      AuditSettings settings) {
    public Report {
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * A counter of a pair's longest training sequence in stories260K tokens, or null when the
   * data root does not have the tokenizer.
   */
  public static ToIntFunction<PreferencePair> tokenCounter(DataRoot root) {
    if (!root.verify(root.registry().require(TOKENIZER)).ok()) {
      return null;
    }
    try {
      Llama2cTokenizer tok = Llama2cTokenizer.load(root.file(TOKENIZER));
      return pairTokens(tok, new WordCachedTokenCounter(tok));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the stories260K tokenizer", e);
    }
  }

  /**
   * What {@link PairEncoder} (raw prompt template) makes of a pair's longer side before
   * truncation: BOS + prompt + the longer answer + EOS, counted with {@code counter}.
   */
  static ToIntFunction<PreferencePair> pairTokens(Llama2cTokenizer tok, WordCachedTokenCounter counter) {
    int bos = tok.bosId() >= 0 ? 1 : 0;
    int eos = tok.eosId() >= 0 ? 1 : 0;
    return p -> bos + counter.count(PromptTemplate.DEFAULT.apply(p.prompt()))
        + Math.max(counter.count(p.chosen()), counter.count(p.rejected())) + eos;
  }

  /** A streaming accumulator that counts tokens when the data root allows it. */
  public static ShortcutAudit.Accumulator accumulator(DataRoot root, AuditSettings settings) {
    return new ShortcutAudit.Accumulator(settings, tokenCounter(root));
  }

  /** The audit of {@code pairs} beside the release sample's. */
  public static Report of(Iterable<PreferencePair> pairs, DataRoot root, AuditSettings settings) {
    ShortcutAudit.Accumulator acc = accumulator(root, settings);
    for (PreferencePair p : pairs) {
      acc.add(p);
    }
    return report(acc.build(), root, settings);
  }

  /** Completes an audit with the release sample's and the warnings. */
  public static Report report(ShortcutAudit audit, DataRoot root, AuditSettings settings) {
    ShortcutAudit release = null;
    if (root.verify(root.registry().require(RELEASE_SAMPLE)).ok()) {
      try {
        Path f = root.file(RELEASE_SAMPLE);
        release = ShortcutAudit.of(PairFiles.readAll(f, Formats.pairs("genderalign")), settings,
            tokenCounter(root));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the release sample", e);
      }
    }
    return new Report(audit, release, audit.warnings(settings),
        audit.tokens() == null ? null : "stories260K (" + TOKENIZER + "), raw prompt template", settings);
  }

  /** One row of the side-by-side table: a label and the two formatted values. */
  public record Row(String label, String value, String release) {}

  /** The side-by-side rows (release column "–" when absent). */
  public static List<Row> rows(Report r) {
    ShortcutAudit a = r.audit();
    ShortcutAudit b = r.release();
    List<Row> rows = new ArrayList<>();
    rows.add(row("pairs", a, b, x -> String.format(Locale.ROOT, "%,d", x.pairs())));
    rows.add(row("longer answer is the chosen one", a, b, x -> pct(x.longerChosenShare())
        + " (ties " + pct(x.tieShare()) + ")"));
    rows.add(row("median words, chosen / rejected", a, b,
        x -> x.chosen().words().median() + " / " + x.rejected().words().median()));
    rows.add(row("chosen/rejected word ratio p10 / p50 / p90", a, b, x -> String.format(Locale.ROOT,
        "%.2f / %.2f / %.2f", x.lengthRatio().p10(), x.lengthRatio().p50(), x.lengthRatio().p90())));
    rows.add(row("distinct answers, chosen / rejected", a, b,
        x -> pct(x.chosen().distinctShare()) + " / " + pct(x.rejected().distinctShare())));
    rows.add(row("distinct-1, chosen / rejected (samples)", a, b, x -> String.format(Locale.ROOT, "%.3f / %.3f",
        x.chosen().distinct1(), x.rejected().distinct1())));
    rows.add(row("distinct-2, chosen / rejected (samples)", a, b, x -> String.format(Locale.ROOT, "%.3f / %.3f",
        x.chosen().distinct2(), x.rejected().distinct2())));
    rows.add(row("most common 4-gram in, chosen / rejected", a, b,
        x -> pct(x.chosen().topFourGramShare()) + " / " + pct(x.rejected().topFourGramShare())));
    rows.add(row("answers with a top-" + r.settings().topFourGrams() + " 4-gram, chosen / rejected", a, b,
        x -> pct(x.chosen().anyTopFourGramShare()) + " / " + pct(x.rejected().anyTopFourGramShare())));
    rows.add(row("top-" + r.settings().topFourGrams() + " 4-gram mass, chosen / rejected", a, b,
        x -> pct(x.chosen().topFourGramMass()) + " / " + pct(x.rejected().topFourGramMass())));
    rows.add(row("pairs over " + r.settings().maxLength() + " tokens", a, b, x -> x.tokens() == null ? "n/a"
        : String.format(Locale.ROOT, "%s (%,d)", pct(x.overLengthShare()), x.tokens().over())));
    rows.add(row("pair tokens median / p90 / max", a, b, x -> x.tokens() == null ? "n/a"
        : x.tokens().lengths().median() + " / " + x.tokens().lengths().p90() + " / " + x.tokens().lengths().max()));
    return rows;
  }

  private static Row row(String label, ShortcutAudit a, ShortcutAudit b,
      java.util.function.Function<ShortcutAudit, String> f) {
    return new Row(label, f.apply(a), b == null ? "–" : f.apply(b));
  }

  static String pct(double share) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * share);
  }

  /** The report as a JSON-ready map (rounded to 4 decimals, so files stay readable and stable). */
  public static Map<String, Object> toJson(Report r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("settings", r.settings());
    m.put("tokenizer", r.tokenizer());
    m.put("data_set", json(r.audit()));
    m.put("release_sample", r.release() == null ? null : json(r.release()));
    m.put("warnings", r.warnings());
    return m;
  }

  /** One audit as a JSON-ready map. */
  public static Map<String, Object> json(ShortcutAudit a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pairs", a.pairs());
    m.put("chosen_longer", a.chosenLonger());
    m.put("rejected_longer", a.rejectedLonger());
    m.put("ties", a.ties());
    m.put("longer_chosen_share", r4(a.longerChosenShare()));
    Map<String, Object> q = new LinkedHashMap<>();
    q.put("p10", r4(a.lengthRatio().p10()));
    q.put("p25", r4(a.lengthRatio().p25()));
    q.put("p50", r4(a.lengthRatio().p50()));
    q.put("p75", r4(a.lengthRatio().p75()));
    q.put("p90", r4(a.lengthRatio().p90()));
    q.put("undefined", a.lengthRatio().undefined());
    m.put("length_ratio", q);
    m.put("sample_size", a.sampleSize());
    m.put("samples", a.samples());
    m.put("chosen", side(a.chosen()));
    m.put("rejected", side(a.rejected()));
    if (a.tokens() != null) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("max_length", a.tokens().maxLength());
      t.put("over", a.tokens().over());
      t.put("over_share", r4(a.overLengthShare()));
      t.put("lengths", a.tokens().lengths());
      m.put("tokens", t);
    }
    return m;
  }

  private static Map<String, Object> side(ShortcutAudit.Side s) {
    Map<String, Object> m = new LinkedHashMap<>();
    LengthSummary w = s.words();
    m.put("words", w);
    m.put("distinct", s.distinct());
    m.put("distinct_share", r4(s.distinctShare()));
    m.put("distinct_1", r4(s.distinct1()));
    m.put("distinct_2", r4(s.distinct2()));
    m.put("top_4gram_share", r4(s.topFourGramShare()));
    m.put("any_top_4gram_share", r4(s.anyTopFourGramShare()));
    m.put("top_4gram_mass", r4(s.topFourGramMass()));
    List<Map<String, Object>> common = new ArrayList<>();
    for (ShortcutAudit.FourGram g : s.commonFourGrams()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("gram", g.gram());
      x.put("share", r4(g.share()));
      common.add(x);
    }
    m.put("common_4grams", common);
    return m;
  }

  static double r4(double v) {
    return Math.round(v * 10000) / 10000.0;
  }
}
