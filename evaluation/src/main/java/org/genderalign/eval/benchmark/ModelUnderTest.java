package org.genderalign.eval.benchmark;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.trainer.device.Devices;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.loader.ModelLoader;
import org.genderalign.trainer.loader.ModelSource;
import org.genderalign.trainer.score.LogLikelihoodScorer;
import org.genderalign.trainer.score.ScorerConfig;

/**
 * A model named in an evaluation: its name, its spec, and — loaded on first use — the model and
 * its {@link LogLikelihoodScorer} (the scorer is made once, so its caches live as long as the
 * model). Closing it frees the weights.
 */
public final class ModelUnderTest implements AutoCloseable {

  private final String name;
  private final String spec;
  private final DataRoot root;
  private final String device;
  private final String dtype;
  private final ScorerConfig scorerConfig;
  private LoadedModel loaded;
  private LogLikelihoodScorer scorer;
  private boolean borrowed;

  public ModelUnderTest(String name, String spec, DataRoot root, String device, String dtype,
      ScorerConfig scorerConfig) {
    this.name = Objects.requireNonNull(name);
    this.spec = Objects.requireNonNull(spec);
    this.root = Objects.requireNonNull(root);
    this.device = Objects.requireNonNull(device);
    this.dtype = Objects.requireNonNull(dtype);
    this.scorerConfig = Objects.requireNonNull(scorerConfig);
  }

  /** An already loaded model (tests, the pipeline); not closed by {@link #close()}. */
  public static ModelUnderTest of(String name, LoadedModel model, ScorerConfig scorerConfig) {
    ModelUnderTest m = new ModelUnderTest(name, model.source().location(),
        DataRoot.fromEnvironment(), "cpu", "float32", scorerConfig);
    m.loaded = model;
    m.borrowed = true;
    return m;
  }

  public String name() {
    return name;
  }

  public String spec() {
    return spec;
  }

  /** The model, loaded now if needed. */
  public LoadedModel model() {
    if (loaded == null) {
      Device d = Devices.parse(device);
      DataType t = Devices.parseType(dtype, d);
      try {
        loaded = ModelLoader.load(spec, root, d, t);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return loaded;
  }

  /** The project's log-likelihood scorer over this model. */
  public LogLikelihoodScorer scorer() {
    if (scorer == null) {
      scorer = new LogLikelihoodScorer(model(), scorerConfig);
    }
    return scorer;
  }

  /** Where the model came from: format, location, sha256 of every file read. */
  public ModelSource source() {
    return model().source();
  }

  /** The identity of the weights and tokenizer: file name → sha256. */
  public Map<String, String> fileHashes() {
    return source().files();
  }

  @Override
  public void close() {
    if (loaded != null && !borrowed) {
      loaded.close();
    }
    loaded = null;
    scorer = null;
  }
}
