package org.genderalign.taxonomy.lexicon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.error.InvalidInputException;

/**
 * Every lexicon the taxonomy uses, loaded once: public lists from the data root (verified by
 * sha256 through {@link DataRoot#file(String)}) and the project-authored lists shipped with
 * this module. Immutable and thread-safe.
 */
public final class Lexicons {

  /** Names of the lexicons, as they appear in explanations. */
  public static final String GENDER_TOPIC = "gender_topic_terms";
  public static final String GENDERED_PUBLIC = "gendered_words_public";
  public static final String PRONOUNS = "gendered_pronouns";
  public static final String LGBTQ = "lgbtq_terms";
  public static final String SLURS = "gendered_slurs";
  public static final String DIMINUTIVES = "diminutives";
  public static final String WORK_EDUCATION = "workplace_education_terms";
  public static final String OCCUPATIONS = "occupations";

  /** Pronouns are split from the public gendered lists: a story about one person is not about gender. */
  static final List<String> PRONOUN_TERMS = List.of("he", "she", "his", "her", "hers", "him",
      "himself", "herself");

  private final Map<String, Lexicon> lexicons;
  private final Map<String, PhraseMatcher> matchers = new HashMap<>();
  private final Map<String, Lexicon> cues;
  private final Map<String, PhraseMatcher> cueMatchers = new HashMap<>();
  private final OccupationLexicon occupations;

  private Lexicons(Map<String, Lexicon> lexicons, Map<String, Lexicon> cues,
      OccupationLexicon occupations) {
    this.lexicons = Map.copyOf(lexicons);
    this.cues = Map.copyOf(cues);
    this.occupations = occupations;
    lexicons.forEach((k, v) -> matchers.put(k, new PhraseMatcher(v.terms())));
    cues.forEach((k, v) -> cueMatchers.put(k, new PhraseMatcher(v.terms())));
  }

  /** Loads the public lists from {@code root} and the shipped project lists. */
  public static Lexicons load(DataRoot root) {
    Map<String, Lexicon> m = new LinkedHashMap<>();
    for (String f : List.of("gender_topic_terms.txt", "lgbtq_terms.txt", "gendered_slurs.txt",
        "diminutives.txt", "workplace_education_terms.txt")) {
      Lexicon l = LexiconResources.load(f);
      m.put(l.name(), l);
    }
    m.put(GENDERED_PUBLIC, publicGendered(root));
    m.put(PRONOUNS, new Lexicon(PRONOUNS, "third-person gendered pronouns",
        "split from the public gendered lists (gn_glove, debiaswe)", "Apache-2.0", PRONOUN_TERMS));
    OccupationLexicon occ = occupations(root);
    m.put(OCCUPATIONS, occ.lexicon());
    return new Lexicons(m, LexiconResources.loadKinds("stance_cues.txt"), occ);
  }

  /** A lexicon by name; throws for an unknown name. */
  public Lexicon get(String name) {
    Lexicon l = lexicons.get(name);
    if (l == null) {
      throw new IllegalArgumentException("unknown lexicon '" + name + "'; known: " + lexicons.keySet());
    }
    return l;
  }

  /** All word lists (not the stance cues), by name. */
  public Map<String, Lexicon> all() {
    return lexicons;
  }

  /** Stance cue lists by kind ({@code affirm}, {@code deny}, {@code refute}, …). */
  public Map<String, Lexicon> cues() {
    return cues;
  }

  public PhraseMatcher matcher(String name) {
    PhraseMatcher pm = matchers.get(name);
    if (pm == null) {
      throw new IllegalArgumentException("unknown lexicon '" + name + "'");
    }
    return pm;
  }

  public PhraseMatcher cueMatcher(String kind) {
    PhraseMatcher pm = cueMatchers.get(kind);
    if (pm == null) {
      throw new IllegalArgumentException("unknown cue kind '" + kind + "'; known: " + cues.keySet());
    }
    return pm;
  }

  public OccupationLexicon occupations() {
    return occupations;
  }

  // --- public lists -------------------------------------------------------------------------

  private static final ObjectMapper JSON = new ObjectMapper();

  private static Lexicon publicGendered(DataRoot root) {
    Set<String> words = new LinkedHashSet<>();
    for (String id : List.of("lexicon-gn-glove-male", "lexicon-gn-glove-female")) {
      try {
        for (String line : Files.readAllLines(root.file(id), StandardCharsets.UTF_8)) {
          addWord(words, line);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    JsonNode full = readJson(root, "lexicon-debiaswe-gender-specific-full");
    full.forEach(n -> addWord(words, n.asText()));
    for (String id : List.of("lexicon-debiaswe-definitional", "lexicon-debiaswe-equalize")) {
      readJson(root, id).forEach(pair -> pair.forEach(n -> addWord(words, n.asText())));
    }
    JsonNode bb = readJson(root, "lexicon-bias-bench");
    JsonNode gender = bb.get("gender");
    if (gender == null) {
      throw InvalidInputException.ofFile(root.file("lexicon-bias-bench"), "expected a 'gender' list of word pairs");
    }
    gender.forEach(pair -> pair.forEach(n -> addWord(words, n.asText())));
    // gendered_words.json: one object per word sense; keep the words marked m or f
    // (only compounds and forms with a gendered morpheme: the list also marks senses such as
    // "bull", "bag" or "count" as gendered, which would make any text about cattle gendered)
    readJson(root, "lexicon-gendered-words").forEach(n -> {
      String g = n.path("gender").asText("");
      String w = n.path("word").asText("").toLowerCase(Locale.ROOT);
      if ((g.equals("m") || g.equals("f")) && GENDERED_MORPHEME.matcher(w).find()) {
        addWord(words, w);
      }
    });
    words.removeAll(PRONOUN_TERMS);
    words.removeAll(AMBIGUOUS_PUBLIC_WORDS);
    return new Lexicon(GENDERED_PUBLIC,
        "gendered words and word pairs (pronouns removed)",
        "data root: lexicon-gn-glove-male/female (github.com/uclanlp/gn_glove, Apache-2.0), "
            + "lexicon-debiaswe-* (github.com/tolga-b/debiaswe, MIT), lexicon-bias-bench "
            + "(github.com/McGill-NLP/bias-bench), lexicon-gendered-words "
            + "(github.com/ecmonsen/gendered_words, CC BY 3.0 US)",
        "see sources", new ArrayList<>(words));
  }

  /** Gendered morphemes that make a word from gendered_words.json trustworthy. */
  private static final java.util.regex.Pattern GENDERED_MORPHEME = java.util.regex.Pattern.compile(
      "(man|men|woman|women|boy|girl|lady|ladies|mother|father|wife|husband|son|daughter|brother"
          + "|sister|uncle|aunt|niece|nephew|ess|ette|trix|widow|bride|groom|king|queen|prince|princess)(\\b|$)");

  /** Words of the public lists that mostly mean something else in running text. */
  static final Set<String> AMBIGUOUS_PUBLIC_WORDS = Set.of("don", "dons", "miss", "misses", "master",
      "masters", "bachelor", "bachelors", "count", "counts", "page", "ma", "nan", "tom", "lions",
      "fellow", "fellows", "bull", "bulls", "cow", "cows", "colt", "colts", "stud", "buck", "bucks",
      "mare", "mares", "hen", "hens", "stallion", "stallions", "sir", "lad", "lads", "guy", "guys",
      "dude", "dudes", "chap", "chaps", "mister", "madam", "host", "hosts", "heir", "heirs");

  private static void addWord(Set<String> words, String raw) {
    String w = raw.strip().replace('_', ' ').toLowerCase(Locale.ROOT);
    // letters, spaces, hyphens and inner apostrophes only (the raw lists hold a few stray tokens)
    if (w.matches("[a-z]+(?:['\\- ][a-z]+)*") && w.length() > 1) {
      words.add(w);
    }
  }

  private static JsonNode readJson(DataRoot root, String id) {
    Path p = root.file(id);
    try {
      return JSON.readTree(p.toFile());
    } catch (IOException e) {
      throw InvalidInputException.ofFile(p, "invalid JSON (" + e.getMessage().split("\n")[0] + ")");
    }
  }

  private static OccupationLexicon occupations(DataRoot root) {
    Path csv = root.file("lexicon-bls-occupations");
    Map<String, Double> pct = new HashMap<>();
    Set<String> terms = new LinkedHashSet<>();
    try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      int c = r.read();
      Reader in = r;
      if (c != '\uFEFF') {
        in = new java.io.PushbackReader(r, 1);
        if (c != -1) {
          ((java.io.PushbackReader) in).unread(c);
        }
      }
      long line = 1;
      for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in)) {
        line++;
        String name = rec.get(0);
        String women = rec.size() > 2 ? rec.get(2).strip() : "";
        Double p = null;
        if (!women.isEmpty() && !women.equals("\u2013") && !women.equals("-")) {
          try {
            p = Double.parseDouble(women.replace(",", ""));
          } catch (NumberFormatException e) {
            throw InvalidInputException.atLine(csv, line, "Women", "expected a percentage or '\u2013', got '" + women + "'");
          }
        }
        for (String t : occupationTerms(name)) {
          terms.add(t);
          if (p != null) {
            pct.putIfAbsent(t, p);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // debiaswe professions: [word, definitional, stereotypical]; no % women, but more job words
    readJson(root, "lexicon-debiaswe-professions").forEach(n -> {
      String w = n.get(0).asText().replace('_', ' ').toLowerCase(Locale.ROOT);
      terms.add(w);
      terms.add(plural(w));
    });
    return new OccupationLexicon(new Lexicon(OCCUPATIONS,
        "occupations (BLS 2022 names, singular and plural) and debiaswe professions",
        "data root: lexicon-bls-occupations (US BLS CPS 2022 table 11, public domain), "
            + "lexicon-debiaswe-professions (github.com/tolga-b/debiaswe, MIT)",
        "public domain / MIT", new ArrayList<>(terms)), pct);
  }

  /**
   * Match terms for a BLS occupation title: "Registered nurses" → registered nurses, registered
   * nurse; "Bus drivers, school" and "X and Y occupations" are split into their plural-noun parts.
   */
  static List<String> occupationTerms(String title) {
    List<String> out = new ArrayList<>();
    String t = title.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").strip();
    if (t.startsWith("total") || t.contains(" occupations") || t.endsWith("occupations")) {
      return out;
    }
    for (String part : t.split(",| and |/")) {
      String p = part.strip().replaceAll("^(all )?other ", "").replaceAll("\\(.*\\)", "").strip();
      if (p.length() < 4 || !p.endsWith("s") || p.contains("except")) {
        continue;
      }
      out.add(p);
      String one = singular(p);
      if (one.length() >= 4) {
        out.add(one);
      }
    }
    return out;
  }

  static String singular(String plural) {
    if (plural.endsWith("men")) {
      return plural.substring(0, plural.length() - 3) + "man";
    }
    if (plural.endsWith("ies")) {
      return plural.substring(0, plural.length() - 3) + "y";
    }
    if (plural.endsWith("ches") || plural.endsWith("shes") || plural.endsWith("sses") || plural.endsWith("xes")) {
      return plural.substring(0, plural.length() - 2);
    }
    return plural.endsWith("s") ? plural.substring(0, plural.length() - 1) : plural;
  }

  static String plural(String w) {
    if (w.endsWith("man")) {
      return w.substring(0, w.length() - 3) + "men";
    }
    if (w.endsWith("y") && w.length() > 2 && "aeiou".indexOf(w.charAt(w.length() - 2)) < 0) {
      return w.substring(0, w.length() - 1) + "ies";
    }
    if (w.endsWith("s") || w.endsWith("ch") || w.endsWith("sh") || w.endsWith("x")) {
      return w + "es";
    }
    return w + "s";
  }
}
