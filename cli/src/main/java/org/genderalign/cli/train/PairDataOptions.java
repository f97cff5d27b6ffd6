package org.genderalign.cli.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.core.provenance.Provenance;
import picocli.CommandLine.Option;

/** The preference data of a training command: training pairs, and held-out pairs given or split off. */
public final class PairDataOptions {

  @Option(names = "--data", required = true, paramLabel = "FILE", description = "Training pairs.")
  Path data;

  @Option(names = "--data-format", paramLabel = "F", defaultValue = "trl",
      description = "Format of --data and --eval-data: trl, hh, genderalign, csv (default trl).")
  String format;

  @Option(names = "--eval-data", paramLabel = "FILE", description = "Held-out pairs for evaluation.")
  Path evalData;

  @Option(names = "--eval-fraction", paramLabel = "F", defaultValue = "0",
      description = "Hold out this fraction of --data (seeded split) when --eval-data is not given.")
  double evalFraction;

  /** Training pairs and held-out pairs: {@code --eval-data}, else a seeded split of {@code --data}. */
  public List<List<PreferencePair>> trainAndEval(long seed) throws IOException {
    List<PreferencePair> all = TrainData.pairs(data, format);
    if (evalData != null) {
      return List.of(all, TrainData.pairs(evalData, format));
    }
    return TrainData.split(all, evalFraction, seed);
  }

  /** Records the options in a run's config map. */
  public void describe(Map<String, Object> config) {
    config.put("dataFormat", format);
    config.put("evalFraction", evalFraction);
  }

  /** Adds the data files' hashes to a provenance. */
  public Provenance withInputs(Provenance p) throws IOException {
    Provenance out = p.withInput("data", data);
    return evalData == null ? out : out.withInput("eval-data", evalData);
  }
}
