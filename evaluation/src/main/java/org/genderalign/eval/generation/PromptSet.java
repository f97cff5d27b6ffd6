package org.genderalign.eval.generation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.format.Formats;
import org.genderalign.core.format.GenderAlignFormat;
import org.genderalign.core.format.PairFiles;

/**
 * A named set of held-out prompts, in file order: the prompts of a pair file (the real
 * GenderAlign release, or the built test split). A prompt that repeats an earlier one of the same
 * set (several pairs share a question) and an empty prompt are left out and counted, never
 * dropped silently; the limit applies after that.
 *
 * @param name the set's name
 * @param prompts the prompts, distinct, in file order
 * @param duplicates prompts left out because an earlier pair had the same text
 * @param empty prompts left out because they were empty
 */
public record PromptSet(String name, List<Prompt> prompts, int duplicates, int empty) {

  /** Registry id of the real release sample (GenderAlign.partial-101.json). */
  public static final String RELEASE_DATA = "genderalign-partial";

  public PromptSet {
    prompts = List.copyOf(prompts);
  }

  /** The data-root files the options read. */
  public static List<String> dataIds(GenerationOptions o) {
    return o.promptSets().contains(GenerationOptions.RELEASE) ? List.of(RELEASE_DATA) : List.of();
  }

  /**
   * Every set of {@code options}, built-in first, each cut to its first {@code limit} prompts
   * (0 = all).
   */
  public static Map<String, PromptSet> load(DataRoot root, GenerationOptions options, int limit)
      throws IOException {
    Map<String, PromptSet> out = new LinkedHashMap<>();
    for (String s : options.promptSets()) {
      // the only built-in set is the release sample
      out.put(s, of(s, PairFiles.readAll(root.file(RELEASE_DATA),
          Formats.pairs(GenderAlignFormat.NAME)), limit));
    }
    for (Map.Entry<String, Path> e : options.promptFiles().entrySet()) {
      if (!Files.isRegularFile(e.getValue())) {
        throw new NoSuchFileException(e.getValue().toString());
      }
      out.put(e.getKey(), of(e.getKey(), PairFiles.readAll(e.getValue(),
          Formats.pairs(options.promptFormat())), limit));
    }
    return out;
  }

  /** The distinct, non-empty prompts of {@code pairs}, limited. */
  static PromptSet of(String name, List<PreferencePair> pairs, int limit) {
    List<Prompt> prompts = new ArrayList<>();
    Set<String> seenText = new HashSet<>();
    Set<String> seenId = new HashSet<>();
    int duplicates = 0;
    int empty = 0;
    for (PreferencePair p : pairs) {
      if (limit > 0 && prompts.size() >= limit) {
        break;
      }
      if (p.prompt().isBlank()) {
        empty++;
        continue;
      }
      if (!seenText.add(p.prompt())) {
        duplicates++;
        continue;
      }
      String id = p.id();
      // ids are unique within a well-formed file; keep rows apart even when they are not
      for (int k = 2; !seenId.add(id); k++) {
        id = p.id() + "#" + k;
      }
      prompts.add(new Prompt(name, id, p.prompt()));
    }
    return new PromptSet(name, prompts, duplicates, empty);
  }
}
