package org.genderalign.builder.seed;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.error.InvalidInputException;

/**
 * The built-in seed corpora, by id. Each keeps only the rows its own labels mark as sexist or
 * stereotyped, and passes on a category hint where the labels give one.
 */
public final class SeedSources {

  private static final Map<String, Supplier<SeedSource>> REGISTRY = new TreeMap<>(Map.of(
      "workplace-sexism", WorkplaceSexism::new,
      "edos", Edos::new,
      "gest", Gest::new,
      "online-misogyny", OnlineMisogyny::new));

  private SeedSources() {}

  /** Known source ids. */
  public static List<String> ids() {
    return List.copyOf(REGISTRY.keySet());
  }

  /** The source with that id. */
  public static SeedSource byId(String id) {
    Supplier<SeedSource> s = REGISTRY.get(id);
    if (s == null) {
      throw new IllegalArgumentException("unknown seed source '" + id + "'; expected one of " + ids());
    }
    return s.get();
  }

  /** Workplace-Sexism (Grosz and Conde-Cespedes 2020), the paper's own seed corpus: label 1 rows. */
  static final class WorkplaceSexism implements SeedSource {
    @Override public String id() { return "workplace-sexism"; }
    @Override public String licence() { return "none stated (research data set; cite Grosz & Conde-Cespedes 2020)"; }
    @Override public String origin() {
      return "github.com/dylangrosz/Automatic_Detection_of_Sexist_Statements_Commonly_Used_at_the_Workplace";
    }
    @Override public List<String> dataFileIds() { return List.of("seeds-workplace-sexism"); }

    @Override
    public List<Seed> load(DataRoot root) throws IOException {
      Path f = root.file("seeds-workplace-sexism");
      List<Seed> out = new ArrayList<>();
      CsvSeeds.forEach(f, false, rec -> {
        if (rec.size() < 2) {
          throw InvalidInputException.atLine(f, rec.getRecordNumber(), "label", "expected 2 columns text,label");
        }
        if ("1".equals(rec.get(1).trim())) {
          // Workplace statements: the corpus is about sexism at work.
          out.add(new Seed("ws-" + rec.getRecordNumber(), id(), rec.get(0), "occupational_educational_sexism"));
        }
      });
      return out;
    }
  }

  /** EDOS (SemEval-2023 task 10): rows labelled sexist; the coarse category becomes a hint. */
  static final class Edos implements SeedSource {
    @Override public String id() { return "edos"; }
    @Override public String licence() { return "CC0-1.0"; }
    @Override public String origin() { return "github.com/rewire-online/edos"; }
    @Override public List<String> dataFileIds() { return List.of("seeds-edos"); }

    @Override
    public List<Seed> load(DataRoot root) throws IOException {
      Path f = root.file("seeds-edos");
      List<Seed> out = new ArrayList<>();
      CsvSeeds.forEach(f, true, rec -> {
        if ("sexist".equals(CsvSeeds.get(f, rec, "label_sexist"))) {
          String cat = CsvSeeds.get(f, rec, "label_category");
          // 1 threats, 2 derogation, 3 animosity → demeaning language; 4 prejudiced discussions → stereotypes.
          String hint = cat.startsWith("4.") ? "stereotypes" : "discriminatory_language";
          out.add(new Seed("edos-" + CsvSeeds.get(f, rec, "rewire_id"), id(), CsvSeeds.get(f, rec, "text"), hint));
        }
      });
      return out;
    }
  }

  /** GEST (Pikuliak et al.): first-person sentences expressing one of 16 gender stereotypes. */
  static final class Gest implements SeedSource {
    @Override public String id() { return "gest"; }
    @Override public String licence() { return "Apache-2.0"; }
    @Override public String origin() { return "github.com/kinit-sk/gest"; }
    @Override public List<String> dataFileIds() { return List.of("seeds-gest"); }

    @Override
    public List<Seed> load(DataRoot root) throws IOException {
      Path f = root.file("seeds-gest");
      List<Seed> out = new ArrayList<>();
      CsvSeeds.forEach(f, true, rec -> {
        String st = CsvSeeds.get(f, rec, "stereotype").trim();
        // GEST ids 10 (men are professional) and 13 (men are leaders) are workplace stereotypes.
        String hint = st.equals("10") || st.equals("13") ? "occupational_educational_sexism" : "stereotypes";
        out.add(new Seed("gest-" + rec.getRecordNumber(), id(), CsvSeeds.get(f, rec, "sentence"), hint, "gest:" + st));
      });
      return out;
    }
  }

  /** Online misogyny (Guest et al. 2021): Reddit entries annotated as misogynistic (each entry once). */
  static final class OnlineMisogyny implements SeedSource {
    @Override public String id() { return "online-misogyny"; }
    @Override public String licence() { return "MIT"; }
    @Override public String origin() { return "github.com/ellamguest/online-misogyny-eacl2021"; }
    @Override public List<String> dataFileIds() { return List.of("seeds-online-misogyny"); }

    @Override
    public List<Seed> load(DataRoot root) throws IOException {
      Path f = root.file("seeds-online-misogyny");
      List<Seed> out = new ArrayList<>();
      java.util.Set<String> seen = new java.util.HashSet<>();
      CsvSeeds.forEach(f, true, rec -> {
        // Some entries were annotated in more than one round; the first annotation counts.
        if ("Misogynistic".equals(CsvSeeds.get(f, rec, "level_1")) && seen.add(CsvSeeds.get(f, rec, "entry_id"))) {
          String l2 = CsvSeeds.get(f, rec, "level_2").toLowerCase(Locale.ROOT);
          String hint = l2.contains("stereotyp") || l2.contains("discredit") ? "stereotypes" : "discriminatory_language";
          out.add(new Seed("om-" + CsvSeeds.get(f, rec, "entry_id"), id(), CsvSeeds.get(f, rec, "body"), hint));
        }
      });
      return out;
    }
  }
}
