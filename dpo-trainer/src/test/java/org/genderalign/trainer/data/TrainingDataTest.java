package org.genderalign.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.error.InvalidInputException;
import org.genderalign.core.provenance.Provenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingDataTest {

  @Test
  void splitHoldsOutTheCeilingOfTheFractionDisjointlyAndReproducibly() {
    List<Integer> all = IntStream.range(0, 21).boxed().toList();
    List<List<Integer>> a = TrainingData.split(all, 0.1, 7);
    assertThat(a.get(1)).hasSize(3); // ⌈2.1⌉
    assertThat(a.get(0)).hasSize(18);
    List<Integer> union = new ArrayList<>(a.get(0));
    union.addAll(a.get(1));
    assertThat(new HashSet<>(union)).hasSize(21);
    assertThat(TrainingData.split(all, 0.1, 7)).isEqualTo(a);
    assertThat(TrainingData.split(all, 0.1, 8)).isNotEqualTo(a);
    assertThat(TrainingData.split(all, 0, 7).get(1)).isEmpty();
    assertThatThrownBy(() -> TrainingData.split(all, 1, 7)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--eval-fraction must be in [0, 1), got 1.0");
    assertThatThrownBy(() -> TrainingData.split(all, Double.NaN, 7)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsPairsAndSftExamplesAndRejectsEmptyFilesAndUnknownFormats(@TempDir Path tmp) throws Exception {
    Path pairs = Files.writeString(tmp.resolve("p.jsonl"),
        "{\"prompt\":\"Who leads?\",\"chosen\":\" The best person.\",\"rejected\":\" A man.\"}\n"
            + "{\"prompt\":\"Who cooks?\",\"chosen\":\" Anyone.\",\"rejected\":\" A woman.\"}\n");
    List<PreferencePair> read = TrainingData.pairs(pairs, "trl");
    assertThat(read).hasSize(2);
    assertThat(read.get(1).rejected()).isEqualTo(" A woman.");
    assertThat(TrainingData.sft(pairs, "trl-chosen")).hasSize(2);
    Path empty = Files.writeString(tmp.resolve("e.jsonl"), "");
    assertThatThrownBy(() -> TrainingData.pairs(empty, "trl")).isInstanceOf(InvalidInputException.class)
        .hasMessage("no pairs in " + empty);
    assertThatThrownBy(() -> TrainingData.sft(empty, "alpaca")).isInstanceOf(InvalidInputException.class)
        .hasMessage("no examples in " + empty);
    assertThatThrownBy(() -> TrainingData.pairs(pairs, "nope")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope");
    // a separate held-out file wins over the fraction
    List<List<PreferencePair>> sets = TrainingData.trainAndEval(pairs, pairs, 0.5, 1, f -> TrainingData.pairs(f, "trl"));
    assertThat(sets.get(0)).hasSize(2);
    assertThat(sets.get(1)).hasSize(2);
    assertThat(TrainingData.trainAndEval(pairs, null, 0.5, 1, f -> TrainingData.pairs(f, "trl")).get(1)).hasSize(1);
  }

  @Test
  void provenanceHoldsTheRunConfigTheFacesOptionsAndTheInputHash(@TempDir Path tmp) throws Exception {
    Path data = Files.writeString(tmp.resolve("d.jsonl"), "x\n");
    record Run(int steps, String loss) {}
    Provenance p = TrainingData.provenance("train dpo", new Run(4, "sigmoid"), 9, Map.of("model", "stories260K"),
        data, null);
    String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(p);
    assertThat(json).contains("\"steps\":4", "\"loss\":\"sigmoid\"", "\"model\":\"stories260K\"", "train dpo",
        org.genderalign.core.io.Hashing.sha256(data));
    assertThat(json).doesNotContain("eval-data");
  }
}
