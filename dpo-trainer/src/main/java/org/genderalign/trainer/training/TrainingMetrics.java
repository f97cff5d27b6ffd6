package org.genderalign.trainer.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.genderalign.core.error.InvalidInputException;

/**
 * Reads the {@code metrics.jsonl} a training run writes ({@link TrainingLoop#METRICS_FILE}: one
 * JSON object per logged step, TRL's names such as {@code loss}, {@code rewards/margins},
 * {@code rewards/accuracies}, {@code eval_loss}, plus {@code step}), for plots and reports.
 */
public final class TrainingMetrics {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TrainingMetrics() {}

  /**
   * The records of {@code path}: a run's output folder or its {@code metrics.jsonl}. Blank lines
   * are skipped; a line that is not a JSON object with a numeric {@code step} is an error naming
   * the file and line.
   */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> read(Path path) throws IOException {
    Path file = Files.isDirectory(path) ? path.resolve(TrainingLoop.METRICS_FILE) : path;
    if (!Files.isRegularFile(file)) {
      throw InvalidInputException.ofFile(file, "no metrics file (a training run's output folder has "
          + TrainingLoop.METRICS_FILE + ")");
    }
    List<Map<String, Object>> out = new ArrayList<>();
    int lineNo = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      Object rec;
      try {
        rec = JSON.readValue(line, Object.class);
      } catch (IOException e) {
        throw InvalidInputException.ofFile(file, "line " + lineNo + ": invalid JSON");
      }
      if (!(rec instanceof Map<?, ?> m) || !(m.get("step") instanceof Number)) {
        throw InvalidInputException.ofFile(file, "line " + lineNo + ": expected a JSON object with a numeric 'step'");
      }
      out.add(new LinkedHashMap<>((Map<String, Object>) m));
    }
    return out;
  }

  /** {@code (step, value)} of every record that has a finite number under {@code key}, in file order. */
  public static List<double[]> series(List<Map<String, Object>> records, String key) {
    List<double[]> out = new ArrayList<>();
    for (Map<String, Object> r : records) {
      if (r.get(key) instanceof Number v && Double.isFinite(v.doubleValue())) {
        out.add(new double[] {((Number) r.get("step")).doubleValue(), v.doubleValue()});
      }
    }
    return out;
  }
}
