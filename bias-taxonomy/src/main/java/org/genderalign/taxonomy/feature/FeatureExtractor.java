package org.genderalign.taxonomy.feature;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.genderalign.taxonomy.BiasCategory;
import org.genderalign.taxonomy.exemplar.ExemplarIndex;
import org.genderalign.taxonomy.exemplar.ExemplarIndex.Hit;
import org.genderalign.taxonomy.lexicon.Lexicons;
import org.genderalign.taxonomy.lexicon.PhraseMatcher;
import org.genderalign.taxonomy.lexicon.PhraseMatcher.Match;
import org.genderalign.taxonomy.lexicon.Tokens;

/**
 * Computes the named features of a question/answer pair. Stateless apart from the immutable
 * lexicons, so one instance serves many threads.
 *
 * <p>Why these features: BM25 neighbours capture topic and wording; lexicon counts catch slurs,
 * LGBTQ+ and workplace vocabulary that a few exemplars cannot cover; stance cues separate an
 * answer that <em>endorses</em> a generalisation ("Yes! women tend to…") from one that
 * <em>corrects</em> it ("that's a stereotype; individuals vary"); and interactions carry the
 * question's premise into the answer's label, because a bare "Yes" to a stereotyped question
 * endorses it.
 */
public final class FeatureExtractor {

  /** Tokens from the start of the answer in which an opening "yes" or "no" counts. */
  public static final int OPENING_TOKENS = 4;
  /** Window (tokens) within which a generalising cue must sit next to a gender term. */
  public static final int GENERALISE_WINDOW = 8;
  /** Answers with at most this many tokens count as short (a bare agreement). */
  public static final int SHORT_ANSWER_TOKENS = 12;

  private static final List<BiasCategory> BIASED = List.of(BiasCategory.STEREOTYPES,
      BiasCategory.DISCRIMINATORY_LANGUAGE, BiasCategory.OCCUPATIONAL_EDUCATIONAL_SEXISM,
      BiasCategory.MARGINALIZED_GENDER_BIAS);

  private static final List<String> ANSWER_LEXICONS = List.of(Lexicons.GENDER_TOPIC,
      Lexicons.GENDERED_PUBLIC, Lexicons.PRONOUNS, Lexicons.LGBTQ, Lexicons.SLURS,
      Lexicons.DIMINUTIVES, Lexicons.WORK_EDUCATION, Lexicons.OCCUPATIONS);
  private static final List<String> QUESTION_LEXICONS = List.of(Lexicons.GENDER_TOPIC,
      Lexicons.LGBTQ, Lexicons.SLURS, Lexicons.WORK_EDUCATION);
  private static final List<String> ANSWER_CUES = List.of("refute", "generalise", "prescribe",
      "essentialise");

  /** Question lexicons checked, besides the question features, to decide if a pair mentions gender. */
  private static final List<String> GATE_LEXICONS = List.of(Lexicons.GENDERED_PUBLIC,
      Lexicons.PRONOUNS, Lexicons.DIMINUTIVES);

  private final Lexicons lexicons;
  private final int k;
  private final List<String> names;

  public FeatureExtractor(Lexicons lexicons, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    this.lexicons = lexicons;
    this.k = k;
    this.names = List.copyOf(buildNames());
  }

  private static List<String> buildNames() {
    List<String> n = new ArrayList<>();
    for (BiasCategory c : BiasCategory.values()) {
      n.add("knn.answer." + c.id());
    }
    for (BiasCategory c : BiasCategory.values()) {
      n.add("knn.qa." + c.id());
    }
    for (BiasCategory c : BIASED) {
      n.add("knn.question_topic." + c.id());
    }
    ANSWER_LEXICONS.forEach(l -> n.add("answer.lex." + l));
    n.add("answer.occupation_skew");
    QUESTION_LEXICONS.forEach(l -> n.add("question.lex." + l));
    n.add("answer.affirm_opening");
    n.add("answer.deny_opening");
    ANSWER_CUES.forEach(c -> n.add("answer.cue." + c));
    n.add("answer.group_generalisation");
    n.add("question.group_generalisation");
    n.add("question.leading");
    n.add("question.why");
    n.add("x.affirm*question_premise");
    n.add("x.affirm*question_leading");
    n.add("x.affirm*question_lgbtq");
    n.add("x.affirm*question_work");
    n.add("x.short*affirm");
    n.add("x.why*question_premise*no_refute");
    n.add("x.no_refute*question_premise");
    n.add("x.deny*question_premise");
    n.add("x.no_refute*answer_generalisation");
    for (BiasCategory c : BIASED) {
      n.add("x.affirm*question_topic." + c.id());
    }
    for (BiasCategory c : BIASED) {
      n.add("x.no_refute*question_topic." + c.id());
    }
    return n;
  }

  /** Feature names, in the order of {@link Features#values()}. */
  public List<String> names() {
    return names;
  }

  public int dimension() {
    return names.size();
  }

  /**
   * Extracts the features of {@code answer} given {@code question}.
   *
   * @param index the exemplar index to take neighbours from
   * @param exclude exemplar ids to leave out of the neighbours (the exemplar itself when
   *     computing training features, so the model does not learn from a perfect self-match)
   */
  public Features extract(String question, String answer, ExemplarIndex index, Set<String> exclude) {
    String q = question == null ? "" : question;
    String a = answer == null ? "" : answer;
    double[] v = new double[names.size()];
    int i = 0;

    List<Hit> ansHits = index.search(ExemplarIndex.F_ANSWER, a, k, exclude, false);
    i = putDistribution(v, i, ansHits, List.of(BiasCategory.values()));
    List<Hit> qaHits = index.search(ExemplarIndex.F_QA, q + "\n" + a, k, exclude, false);
    i = putDistribution(v, i, qaHits, List.of(BiasCategory.values()));
    List<Hit> topicHits = q.isBlank() ? List.of()
        : index.search(ExemplarIndex.F_QUESTION, q, k, exclude, true);
    int topicStart = i;
    i = putDistribution(v, i, topicHits, BIASED);

    List<String> at = Tokens.of(a);
    List<String> qt = Tokens.of(q);
    Map<String, List<String>> matched = new LinkedHashMap<>();
    Map<String, List<Match>> aMatches = new LinkedHashMap<>();
    for (String lex : ANSWER_LEXICONS) {
      List<Match> ms = lexicons.matcher(lex).find(at);
      aMatches.put(lex, ms);
      v[i++] = Math.log1p(ms.size());
      if (!ms.isEmpty()) {
        matched.put(lex, ms.stream().map(Match::term).distinct().toList());
      }
    }
    v[i++] = lexicons.occupations().maxSkew(matched.getOrDefault(Lexicons.OCCUPATIONS, List.of()));
    Map<String, Integer> qLex = new LinkedHashMap<>();
    for (String lex : QUESTION_LEXICONS) {
      int c = lexicons.matcher(lex).find(qt).size();
      qLex.put(lex, c);
      v[i++] = Math.log1p(c);
    }

    List<String> cues = new ArrayList<>();
    boolean deny = opens(at, "deny");
    boolean affirm = !deny && opens(at, "affirm");
    v[i++] = affirm ? 1 : 0;
    v[i++] = deny ? 1 : 0;
    if (affirm) {
      cues.add("affirm: the answer opens by agreeing ('" + firstCue(at, "affirm") + "')");
    }
    if (deny) {
      cues.add("deny: the answer opens by rejecting the premise ('" + firstCue(at, "deny") + "')");
    }
    Map<String, List<Match>> cueMatches = new LinkedHashMap<>();
    for (String c : ANSWER_CUES) {
      List<Match> ms = lexicons.cueMatcher(c).find(at);
      cueMatches.put(c, ms);
      v[i++] = Math.log1p(ms.size());
    }
    int refute = cueMatches.get("refute").size();
    if (refute > 0) {
      cues.add("refute: the answer corrects or qualifies a generalisation ("
          + quoteTerms(cueMatches.get("refute")) + ")");
    }
    if (!cueMatches.get("essentialise").isEmpty()) {
      cues.add("essentialise: the answer appeals to nature or biology ("
          + quoteTerms(cueMatches.get("essentialise")) + ")");
    }
    if (!cueMatches.get("prescribe").isEmpty()) {
      cues.add("prescribe: the answer says what a group should do or suits ("
          + quoteTerms(cueMatches.get("prescribe")) + ")");
    }
    int aGen = groupGeneralisations(at);
    v[i++] = Math.log1p(aGen);
    if (aGen > 0) {
      cues.add("generalise: the answer asserts a group tendency next to a gender term");
    }
    boolean shortAnswer = at.size() <= SHORT_ANSWER_TOKENS;
    int qGen = groupGeneralisations(qt);
    boolean premise = qGen > 0;
    v[i++] = Math.log1p(qGen);
    boolean leading = !lexicons.cueMatcher("leading").find(qt).isEmpty();
    v[i++] = leading ? 1 : 0;
    boolean why = qt.contains("why");
    v[i++] = why ? 1 : 0;
    if (premise) {
      cues.add("premise: the question generalises about a gender");
    }
    double af = affirm ? 1 : 0;
    double noRefute = refute == 0 ? 1 : 0;
    double pr = premise ? 1 : 0;
    v[i++] = af * pr;
    v[i++] = af * (leading ? 1 : 0);
    v[i++] = af * (qLex.get(Lexicons.LGBTQ) > 0 ? 1 : 0);
    v[i++] = af * (qLex.get(Lexicons.WORK_EDUCATION) > 0 ? 1 : 0);
    v[i++] = af * (shortAnswer ? 1 : 0);
    v[i++] = (why ? 1 : 0) * pr * noRefute;
    v[i++] = noRefute * pr;
    v[i++] = (deny ? 1 : 0) * pr;
    v[i++] = noRefute * Math.min(1, aGen);
    for (int c = 0; c < BIASED.size(); c++) {
      v[i++] = af * v[topicStart + c];
    }
    for (int c = 0; c < BIASED.size(); c++) {
      v[i++] = noRefute * v[topicStart + c];
    }
    if (affirm && premise) {
      cues.add("endorse: agreeing with a question that generalises about a gender endorses it");
    }
    if (i != v.length) {
      throw new IllegalStateException("feature count mismatch: " + i + " vs " + v.length);
    }
    // The answer carries the bias: it must itself use a gendered word, or agree with a question
    // that does (a flat "Yes" to a stereotyped question). A neutral reply inside a gendered
    // conversation ("What do you mean?") is not biased however the conversation began.
    boolean answerGendered = !matched.keySet().stream().allMatch(
        l -> l.equals(Lexicons.WORK_EDUCATION) || l.equals(Lexicons.OCCUPATIONS));
    boolean questionGendered = qLex.get(Lexicons.GENDER_TOPIC) + qLex.get(Lexicons.LGBTQ) + qLex.get(Lexicons.SLURS) > 0
        || GATE_LEXICONS.stream().anyMatch(l -> !lexicons.matcher(l).find(qt).isEmpty());
    boolean mentionsGender = answerGendered || (affirm && questionGendered);
    return new Features(v, matched, ansHits, cues, mentionsGender);
  }

  /** Writes the score-weighted label distribution of {@code hits} over {@code labels}. */
  private static int putDistribution(double[] v, int i, List<Hit> hits, List<BiasCategory> labels) {
    Map<BiasCategory, Double> m = new EnumMap<>(BiasCategory.class);
    double total = 0;
    for (Hit h : hits) {
      if (labels.contains(h.label())) {
        m.merge(h.label(), h.score(), Double::sum);
        total += h.score();
      }
    }
    for (BiasCategory c : labels) {
      v[i++] = total > 0 ? m.getOrDefault(c, 0.0) / total : 0.0;
    }
    return i;
  }

  private boolean opens(List<String> tokens, String kind) {
    for (Match m : lexicons.cueMatcher(kind).find(tokens)) {
      if (m.start() < OPENING_TOKENS) {
        return true;
      }
    }
    return false;
  }

  private String firstCue(List<String> tokens, String kind) {
    return lexicons.cueMatcher(kind).find(tokens).get(0).term();
  }

  /**
   * Counts generalising cues ("tend to", "are more", "than women", "naturally", …) that sit
   * within {@link #GENERALISE_WINDOW} tokens of a gender group term.
   */
  int groupGeneralisations(List<String> tokens) {
    List<Match> gens = lexicons.cueMatcher("generalise").find(tokens);
    if (gens.isEmpty()) {
      return 0;
    }
    List<Match> groups = new ArrayList<>(lexicons.matcher(Lexicons.GENDER_TOPIC).find(tokens));
    groups.addAll(lexicons.matcher(Lexicons.LGBTQ).find(tokens));
    int n = 0;
    for (Match g : gens) {
      for (Match t : groups) {
        if (Math.abs(g.start() - t.start()) <= GENERALISE_WINDOW) {
          n++;
          break;
        }
      }
    }
    return n;
  }

  private static String quoteTerms(List<Match> ms) {
    return String.join(", ", ms.stream().map(m -> "'" + m.term() + "'").distinct().limit(4).toList());
  }

  /** For explanations: the nearest neighbours as (id, label) pairs. */
  public static List<String> describe(List<Hit> hits) {
    return hits.stream().map(h -> h.id() + ":" + h.label().id()).toList();
  }

  PhraseMatcher matcher(String lex) {
    return lexicons.matcher(lex);
  }
}
