package org.genderalign.builder.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a build produced.
 *
 * @param outDir the output folder
 * @param train pairs in train.jsonl
 * @param test pairs in test.jsonl
 * @param categories category id → pairs (train + test)
 * @param drops filter name → candidates dropped
 * @param candidates candidates generated (or replayed from the journal)
 * @param resumedCandidates candidates taken from the journal of an earlier run
 * @param seedsUsed seeds whose dialogues were generated
 * @param seconds wall time of the build
 * @param fileHashes output file → sha256
 * @param warnings the shortcut audit's warnings about the exported pairs (empty when it passes)
 */
public record BuildResult(Path outDir, int train, int test, Map<String, Integer> categories,
    Map<String, Integer> drops, int candidates, int resumedCandidates, int seedsUsed, double seconds,
    Map<String, String> fileHashes, List<String> warnings) {

  public int total() {
    return train + test;
  }
}
