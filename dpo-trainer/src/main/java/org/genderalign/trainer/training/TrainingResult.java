package org.genderalign.trainer.training;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a finished run reports.
 *
 * @param steps optimizer steps completed
 * @param resumedFrom the step the run resumed from (0 for a fresh run)
 * @param history every metrics record written by this process (train and eval)
 * @param finalModel the folder of the final model
 * @param tokens tokens processed in total
 * @param elapsedSeconds training time in total (across resumes)
 */
public record TrainingResult(long steps, long resumedFrom, List<Map<String, Object>> history,
    Path finalModel, long tokens, double elapsedSeconds) {

  /** The first training record (the one with {@code loss}), or null. */
  public Map<String, Object> firstTrainRecord() {
    return history.stream().filter(r -> r.containsKey("loss")).findFirst().orElse(null);
  }

  /** The last record that has {@code key}, or null. */
  public Map<String, Object> last(String key) {
    Map<String, Object> found = null;
    for (Map<String, Object> r : history) {
      if (r.containsKey(key)) {
        found = r;
      }
    }
    return found;
  }
}
