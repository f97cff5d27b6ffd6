package org.genderalign.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.genderalign.core.error.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingMetricsTest {

  @TempDir Path dir;

  @Test
  void readsTrainAndEvalRecordsAndExtractsSeriesByStep() throws Exception {
    Files.writeString(dir.resolve("metrics.jsonl"), String.join("\n",
        "{\"loss\":0.6931,\"rewards/margins\":0.0,\"rewards/accuracies\":0.0,\"step\":1}",
        "",
        "{\"loss\":0.61,\"rewards/margins\":0.2,\"rewards/accuracies\":1.0,\"step\":2}",
        "{\"eval_loss\":0.65,\"step\":2}",
        "{\"loss\":\"NaN\",\"step\":3}") + "\n");
    List<Map<String, Object>> r = TrainingMetrics.read(dir); // the folder or the file
    assertThat(r).hasSize(4).isEqualTo(TrainingMetrics.read(dir.resolve("metrics.jsonl")));
    assertThat(TrainingMetrics.series(r, "loss")).containsExactly(new double[] {1, 0.6931}, new double[] {2, 0.61});
    assertThat(TrainingMetrics.series(r, "eval_loss")).containsExactly(new double[] {2, 0.65});
    assertThat(TrainingMetrics.series(r, "rewards/accuracies")).extracting(p -> p[1]).containsExactly(0.0, 1.0);
    assertThat(TrainingMetrics.series(r, "absent")).isEmpty();
  }

  @Test
  void badLinesNameFileAndLine() throws Exception {
    Path f = Files.writeString(dir.resolve("m.jsonl"), "{\"loss\":1,\"step\":1}\n{\"loss\":1}\n");
    assertThatThrownBy(() -> TrainingMetrics.read(f)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("m.jsonl").hasMessageContaining("line 2: expected a JSON object with a numeric 'step'");
    Files.writeString(f, "{\"loss\":\n");
    assertThatThrownBy(() -> TrainingMetrics.read(f)).hasMessageContaining("line 1: invalid JSON");
    assertThatThrownBy(() -> TrainingMetrics.read(dir.resolve("none"))).hasMessageContaining("no metrics file");
  }
}
