package org.genderalign.trainer.dpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.checkpoint.TensorFile;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.loader.ModelCheckpoint;
import org.genderalign.trainer.lora.Lora;
import org.genderalign.trainer.training.PolicyModel;
import org.genderalign.trainer.training.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DpoTrainingTest {

  @TempDir Path tmp;

  static final Provenance PROV = Provenance.of("test", null, 5L);

  @Test
  void firstLossIsLn2WithAFrozenReferenceCopy() throws Exception {
    DpoTrainer.Report r = DpoTrainer.run(DpoFixtures.run(tmp.resolve("full"), DpoFixtures.training(2, 0), null,
        false, null, false), () -> TinyModels.tiny(3), DpoFixtures.pairs(6), DpoFixtures.pairs(2), PROV, null);
    Map<String, Object> first = r.result().firstTrainRecord();
    assertThat(((Number) first.get("loss")).doubleValue()).isCloseTo(Math.log(2), within(1e-6));
    assertThat(((Number) first.get("rewards/margins")).doubleValue()).isCloseTo(0, within(1e-6));
    assertThat(first.get("rewards/accuracies")).isEqualTo(0.0);
    assertThat(first).containsKeys("rewards/chosen", "rewards/rejected", "logps/chosen", "logps/rejected",
        "learning_rate", "grad_norm", "step", "epoch", "tokens", "elapsed_s");
    assertThat(r.referenceMode()).isEqualTo("frozen copy");
    // −log σ(·) is positive and finite whatever the margins
    assertThat(((Number) r.result().last("eval_loss").get("eval_loss")).doubleValue()).isPositive().isFinite();
    assertThat(ModelCheckpoint.isCheckpoint(tmp.resolve("full/final"))).isTrue();
  }

  @Test
  void loraStartsAtLn2TrainsOnlyAdaptersAndSavesLoadsAndMergesConsistently() throws Exception {
    Path out = tmp.resolve("lora");
    DpoTrainer.Report r = DpoTrainer.run(DpoFixtures.run(out, DpoFixtures.training(4, 2), DpoFixtures.lora(),
        false, null, false), () -> TinyModels.tiny(3), DpoFixtures.pairs(8), List.of(), PROV, null);
    Map<String, Object> first = r.result().firstTrainRecord();
    assertThat(((Number) first.get("loss")).doubleValue()).isCloseTo(Math.log(2), within(1e-7));
    assertThat(first.get("rewards/margins")).isEqualTo(0.0); // bit-identical policy and reference
    assertThat(first.get("rewards/accuracies")).isEqualTo(0.0);
    assertThat(r.referenceMode()).startsWith("adapters off");
    double lastLoss = ((Number) r.result().last("loss").get("loss")).doubleValue();
    assertThat(lastLoss).isLessThan(Math.log(2));

    // the checkpoint holds adapter weights only: the base is frozen
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> trainable = TensorFile.read(out.resolve("checkpoints/checkpoint-00000002/trainable.tensors"), m, null);
      assertThat(trainable.keySet()).allMatch(k -> k.endsWith(".lora_A") || k.endsWith(".lora_B"));
      assertThat(trainable).hasSize(2 * 7 * 2);
    }

    int[] ids = {1, 400, 300, 200, 100, 50, 260, 270};
    float[] merged;
    try (LoadedModel m = ModelCheckpoint.load(out.resolve("final"), Device.cpu(), DataType.FLOAT32);
        NDManager sm = m.manager().newSubManager()) {
      merged = m.block().logits(sm.create(ids).reshape(1, ids.length)).toFloatArray();
    }
    float[] adapted;
    float[] base;
    try (LoadedModel m = TinyModels.tiny(3); NDManager sm = m.manager().newSubManager()) {
      NDArray x = sm.create(ids).reshape(1, ids.length);
      base = m.block().logits(x).toFloatArray();
      Lora lora = Lora.load(m.block(), out.resolve("final/" + PolicyModel.ADAPTER_DIR));
      adapted = m.block().logits(x).toFloatArray();
      lora.setEnabled(false);
      assertThat(m.block().logits(x).toFloatArray()).containsExactly(base);
    }
    double maxDiff = 0;
    double moved = 0;
    for (int i = 0; i < merged.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(merged[i] - adapted[i]));
      moved = Math.max(moved, Math.abs(adapted[i] - base[i]));
    }
    assertThat(maxDiff).isLessThan(1e-5);
    assertThat(moved).isGreaterThan(1e-4);
  }

  @Test
  void precomputedReferenceGivesTheLiveLossesAndIsCachedOnDisk() throws Exception {
    Path cache = tmp.resolve("cache");
    DpoTrainer.Report live = DpoTrainer.run(DpoFixtures.run(tmp.resolve("live"), DpoFixtures.training(3, 0),
        DpoFixtures.lora(), false, null, false), () -> TinyModels.tiny(3), DpoFixtures.pairs(8), List.of(), PROV, null);
    DpoTrainer.Report pre = DpoTrainer.run(DpoFixtures.run(tmp.resolve("pre"), DpoFixtures.training(3, 0),
        DpoFixtures.lora(), true, cache, false), () -> TinyModels.tiny(3), DpoFixtures.pairs(8), List.of(), PROV, null);
    assertThat(pre.referenceMode()).endsWith("precomputed for 8 pairs"); // 3 steps x 4 pairs reach all 8
    for (int i = 0; i < 3; i++) {
      double a = ((Number) live.result().history().get(i).get("loss")).doubleValue();
      double b = ((Number) pre.result().history().get(i).get("loss")).doubleValue();
      assertThat(b).isCloseTo(a, within(1e-5));
    }
    List<Path> entries;
    try (var s = Files.list(cache)) {
      entries = s.toList();
    }
    assertThat(entries).hasSize(1); // one namespace: the reference weights and tokenizer
    Map<Path, Long> written = segments(entries.get(0));
    assertThat(written).isNotEmpty();
    DpoTrainer.run(DpoFixtures.run(tmp.resolve("pre2"), DpoFixtures.training(1, 0), DpoFixtures.lora(), true, cache,
        false), () -> TinyModels.tiny(3), DpoFixtures.pairs(8), List.of(), PROV, null);
    assertThat(segments(entries.get(0))).isEqualTo(written); // every value came from the cache
  }

  /** The score cache's segment files of a namespace folder, with their modification times. */
  private static Map<Path, Long> segments(Path namespace) throws java.io.IOException {
    Map<Path, Long> m = new java.util.TreeMap<>();
    try (var s = Files.list(namespace)) {
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith("seg-")).toList()) {
        m.put(p, Files.getLastModifiedTime(p).toMillis());
      }
    }
    return m;
  }

  /**
   * LD-DPO's reference values are α-weighted sums whether precomputed or live; the score cache
   * holds plain sums only, so they never go into it (only the plain run writes a namespace).
   */
  @Test
  void ldDpoReferenceIsTheSameLiveAndPrecomputedAndCachedApartFromPlainSums() throws Exception {
    Path cache = tmp.resolve("cache");
    var ld = org.genderalign.trainer.dpo.loss.PreferenceLossConfig.defaults().withLdAlpha(0.5);
    DpoTrainer.Report live = DpoTrainer.run(DpoFixtures.run(tmp.resolve("live"), DpoFixtures.training(2, 0), null,
        false, null, false, ld), () -> TinyModels.tiny(3), DpoFixtures.pairs(8), DpoFixtures.pairs(2), PROV, null);
    DpoTrainer.Report pre = DpoTrainer.run(DpoFixtures.run(tmp.resolve("pre"), DpoFixtures.training(2, 0), null,
        true, cache, false, ld), () -> TinyModels.tiny(3), DpoFixtures.pairs(8), DpoFixtures.pairs(2), PROV, null);
    DpoTrainer.Report plain = DpoTrainer.run(DpoFixtures.run(tmp.resolve("plain"), DpoFixtures.training(2, 0), null,
        true, cache, false), () -> TinyModels.tiny(3), DpoFixtures.pairs(8), DpoFixtures.pairs(2), PROV, null);
    for (String k : List.of("loss", "eval_loss", "eval_rewards/margins")) {
      assertThat(((Number) pre.result().last(k).get(k)).doubleValue()).as(k)
          .isCloseTo(((Number) live.result().last(k).get(k)).doubleValue(), within(1e-5));
    }
    // α = 0.5 changes the log-probs (the pairs' answers differ in length), so the runs differ
    assertThat(((Number) plain.result().last("logps/chosen").get("logps/chosen")).doubleValue())
        .isNotCloseTo(((Number) pre.result().last("logps/chosen").get("logps/chosen")).doubleValue(), within(1e-3));
    try (var s = Files.list(cache)) {
      assertThat(s.toList()).hasSize(1);
    }
  }

  /**
   * A short run precomputes only the pairs it will reach (here 1 step x 4 of 16 training pairs,
   * plus the 2 held-out ones); the frozen copy is freed afterwards, so a pair it missed would
   * fail the run. The held-out file reuses training ids with other texts, as two files numbered
   * from 0 do: their reference values must not be confused.
   */
  @Test
  void precomputesOnlyThePairsTheRunVisits() throws Exception {
    List<org.genderalign.core.data.PreferencePair> eval = List.of(
        org.genderalign.core.data.PreferencePair.of("p0", "A dog ran.", " It was happy.", " It bit a cat."),
        org.genderalign.core.data.PreferencePair.of("p1", "A cat sat.", " It purred.", " It hissed at Tom."));
    DpoTrainer.Report live = DpoTrainer.run(DpoFixtures.run(tmp.resolve("l"), DpoFixtures.training(1, 0), null,
        false, null, false), () -> TinyModels.tiny(3), DpoFixtures.pairs(16), eval, PROV, null);
    DpoTrainer.Report pre = DpoTrainer.run(DpoFixtures.run(tmp.resolve("p"), DpoFixtures.training(1, 0), null,
        true, tmp.resolve("cache"), false), () -> TinyModels.tiny(3), DpoFixtures.pairs(16), eval, PROV, null);
    assertThat(pre.referenceMode()).isEqualTo("frozen copy, precomputed for 6 pairs");
    assertThat(((Number) pre.result().last("loss").get("loss")).doubleValue())
        .isCloseTo(((Number) live.result().last("loss").get("loss")).doubleValue(), within(1e-5));
    assertThat(((Number) pre.result().last("eval_loss").get("eval_loss")).doubleValue())
        .isCloseTo(((Number) live.result().last("eval_loss").get("eval_loss")).doubleValue(), within(1e-5));
  }
}
