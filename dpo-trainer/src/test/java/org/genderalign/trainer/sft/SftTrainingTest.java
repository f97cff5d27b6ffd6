package org.genderalign.trainer.sft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.genderalign.core.data.SftExample;
import org.genderalign.core.io.Hashing;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.loader.ModelCheckpoint;
import org.genderalign.trainer.optim.AdamWConfig;
import org.genderalign.trainer.training.PolicyModel;
import org.genderalign.trainer.training.StepListener;
import org.genderalign.trainer.training.TinyModels;
import org.genderalign.trainer.training.TrainingConfig;
import org.genderalign.trainer.training.TrainingLoop;
import org.genderalign.trainer.training.TrainingResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SftTrainingTest {

  @TempDir Path tmp;

  static List<SftExample> examples() {
    List<SftExample> out = new ArrayList<>();
    String[] names = {"Lily", "Tom", "Sue", "Ben", "Mia", "Max"};
    for (int i = 0; i < names.length; i++) {
      out.add(new SftExample("ex" + i, "Tell a story about " + names[i] + ".", i % 2 == 0 ? "" : "A park.",
          names[i] + " went to the park and played with a red ball."));
    }
    return out;
  }

  static TrainingConfig config(long steps) {
    return new TrainingConfig(steps, 0, 2, 2, AdamWConfig.of(3e-3, 0.01), "cosine", 5, 1.0, 11,
        10, 0, 0, 2, false);
  }

  /** Runs 50 SFT steps and returns the sha256 of every step's gradients (before the update). */
  List<String> run(Path out, List<Double> losses) throws Exception {
    List<String> hashes = new ArrayList<>();
    try (LoadedModel m = TinyModels.tiny(3)) {
      SftEncoder.Encoded enc = new SftEncoder(m.tokenizer(), 64).encodeRaw(examples());
      assertThat(enc.droppedIds()).isEmpty();
      PolicyModel policy = new PolicyModel(m.block(), m.tokenizer(), null);
      TrainingLoop<SftTokens> loop = new TrainingLoop<>(new SftTask(policy, Provenance.of("test", null, 11L)),
          config(50), m.manager(), out, Provenance.of("test", null, 11L));
      loop.listener(new StepListener() {
        @Override
        public void beforeUpdate(long step, Map<String, Parameter> params) {
          var md = Hashing.newDigest();
          for (Parameter p : params.values()) {
            NDArray g = p.getArray().getGradient();
            for (float f : g.toFloatArray()) {
              assertThat(Float.isFinite(f)).as("finite gradient at step %d", step).isTrue();
            }
            md.update(g.toByteArray());
            g.close();
          }
          hashes.add(java.util.HexFormat.of().formatHex(md.digest()));
        }
      });
      TrainingResult r = loop.run(enc.kept(), List.of(), "data", false);
      r.history().forEach(rec -> losses.add(((Number) rec.get("loss")).doubleValue()));
      assertThat(r.steps()).isEqualTo(50);
    }
    return hashes;
  }

  @Test
  void fiftyStepsHaveFiniteBitIdenticalGradientsAcrossSameSeedRunsAndTheLossFalls() throws Exception {
    List<Double> l1 = new ArrayList<>();
    List<Double> l2 = new ArrayList<>();
    List<String> a = run(tmp.resolve("a"), l1);
    List<String> b = run(tmp.resolve("b"), l2);
    assertThat(a).hasSize(50);
    assertThat(a).containsExactlyElementsOf(b);
    assertThat(l1).containsExactlyElementsOf(l2);
    assertThat(l1.get(l1.size() - 1)).isLessThan(l1.get(0) * 0.8);

    List<String> lines = Files.readAllLines(tmp.resolve("a/metrics.jsonl"));
    assertThat(lines).hasSize(5);
    assertThat(lines.get(0)).contains("\"step\":10", "\"loss\"", "\"mean_token_accuracy\"", "\"learning_rate\"",
        "\"grad_norm\"", "\"epoch\"", "\"tokens\"", "\"elapsed_s\"");
    assertThat(ModelCheckpoint.isCheckpoint(tmp.resolve("a/final"))).isTrue();
    try (LoadedModel back = ModelCheckpoint.load(tmp.resolve("a/final"), ai.djl.Device.cpu(),
        ai.djl.ndarray.types.DataType.FLOAT32)) {
      assertThat(back.config()).isEqualTo(TinyModels.tinyConfig());
    }
  }

  /**
   * A run stopped between two log lines and resumed from its last checkpoint writes the same
   * metrics lines as an uninterrupted run: the checkpoint keeps the open logging window.
   */
  @Test
  void resumeBetweenLogLinesWritesTheSameLines() throws Exception {
    // 9 steps, a line every 4, a checkpoint every 3: the resume at 3 falls inside the first window
    TrainingConfig cfg = new TrainingConfig(9, 0, 2, 2, AdamWConfig.of(3e-3, 0.01), "cosine", 2,
        1.0, 11, 4, 0, 3, 5, false);
    List<String> whole = metricsRun(tmp.resolve("whole"), cfg, -1, false);
    assertThatThrownBy(() -> metricsRun(tmp.resolve("cut"), cfg, 5, false))
        .hasMessageContaining("stopped at step 5");
    List<String> resumed = metricsRun(tmp.resolve("cut"), cfg, -1, true);
    assertThat(whole).hasSize(3); // steps 4, 8 and 9
    assertThat(resumed).containsExactlyElementsOf(whole);

    // a damaged window is an input error that names the checkpoint's file
    Path state = tmp.resolve("cut/checkpoints/checkpoint-00000006/trainer_state.json");
    Files.writeString(state, Files.readString(state).replaceFirst("\"units\" ?: ?[^,}\\n]*",
        "\"units\" : \"many\""));
    assertThatThrownBy(() -> TrainingLoop.readState(state.getParent()))
        .isInstanceOf(org.genderalign.core.error.InvalidInputException.class)
        .hasMessageContaining("trainer_state.json").hasMessageContaining("metricsWindow");
  }

  /** The metrics lines of a run, without their wall-clock field; {@code stopAt} > 0 stops it. */
  private List<String> metricsRun(Path out, TrainingConfig cfg, long stopAt, boolean resume)
      throws Exception {
    try (LoadedModel m = TinyModels.tiny(3)) {
      SftEncoder.Encoded enc = new SftEncoder(m.tokenizer(), 64).encodeRaw(examples());
      PolicyModel policy = new PolicyModel(m.block(), m.tokenizer(), null);
      TrainingLoop<SftTokens> loop = new TrainingLoop<>(new SftTask(policy,
          Provenance.of("test", null, 11L)), cfg, m.manager(), out, Provenance.of("test", null, 11L));
      loop.listener(new StepListener() {
        @Override
        public void beforeUpdate(long step, Map<String, Parameter> params) {
          if (step == stopAt) {
            throw new IllegalStateException("stopped at step " + step);
          }
        }
      });
      loop.run(enc.kept(), List.of(), "data", resume);
    }
    return Files.readAllLines(out.resolve("metrics.jsonl")).stream()
        .map(l -> l.replaceAll("\"elapsed_s\":[^,}]*", "")).toList();
  }
}
