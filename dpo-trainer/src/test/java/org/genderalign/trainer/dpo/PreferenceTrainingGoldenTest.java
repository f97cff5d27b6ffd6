package org.genderalign.trainer.dpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.dpo.loss.PreferenceLossConfig;
import org.genderalign.trainer.dpo.loss.PreferenceLosses;
import org.genderalign.trainer.kto.KtoCollator;
import org.genderalign.trainer.kto.KtoExample;
import org.genderalign.trainer.kto.KtoLoss;
import org.genderalign.trainer.kto.KtoLossConfig;
import org.genderalign.trainer.kto.KtoTask;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.loader.ModelLoader;
import org.genderalign.trainer.optim.AdamWConfig;
import org.genderalign.trainer.training.PolicyModel;
import org.genderalign.trainer.training.TrainingConfig;
import org.genderalign.trainer.training.TrainingLoop;
import org.genderalign.trainer.training.TrainingResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three full-batch steps on stories260K for every DPO loss of TRL v1.9.0 (plus cdpo), loss
 * mixtures (MPO), WPO weighting, LD-DPO and bco_pair's running baseline give the per-step losses
 * (and rewards, log-probs and per-component metrics) of an independent PyTorch implementation of
 * TRL's formulas ({@code src/test/python/preference_training_reference.py}, whose output is the
 * resource {@code preference-training-golden.json}) within 1e-4 — relative for losses far above 1,
 * and for WPO runs, whose pair weights make the loss ~1e-13 on this model. Likewise KTO ({@code kto}
 * with equal and unequal desirable/undesirable weights, {@code apo_zero_unpaired}) on unpaired
 * examples with 4 desirable and 3 undesirable answers, where the script reproduces the loop's
 * seeded order (the KL rows depend on it).
 */
class PreferenceTrainingGoldenTest {

  @TempDir Path tmp;

  static Map<String, Object> golden;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void load() throws Exception {
    try (InputStream in = PreferenceTrainingGoldenTest.class.getResourceAsStream("preference-training-golden.json")) {
      golden = new ObjectMapper().readValue(in, Map.class);
    }
  }

  /** The loss config of one reference run: TRL's option names → ours. */
  @SuppressWarnings("unchecked")
  static PreferenceLossConfig config(Map<String, Object> c) {
    List<String> types = (List<String>) c.get("loss_type");
    List<Double> weights = null;
    if (c.containsKey("loss_weights")) {
      weights = new ArrayList<>();
      for (Number w : (List<Number>) c.get("loss_weights")) {
        weights.add(w.doubleValue());
      }
    }
    PreferenceLossConfig cfg = PreferenceLossConfig.mixture(types, weights, 0.1);
    if (c.containsKey("label_smoothing")) {
      cfg = cfg.withLabelSmoothing(((Number) c.get("label_smoothing")).doubleValue());
    }
    if (c.containsKey("ld_alpha")) {
      cfg = cfg.withLdAlpha(((Number) c.get("ld_alpha")).doubleValue());
    }
    return cfg.withUseWeighting(Boolean.TRUE.equals(c.get("use_weighting")))
        .withBcoRunningBaseline(Boolean.TRUE.equals(c.get("bco_running_baseline")));
  }

  static TrainingConfig training(int batch) {
    return new TrainingConfig(3, 0, batch, 1, new AdamWConfig(1e-3, 0.9, 0.999, 1e-8, 0.01), "constant", 0, 1.0, 1,
        1, 0, 0, 1, false);
  }

  /** |got − want| within 1e-4, relative for values far above 1 or (relative) for tiny WPO values. */
  static void assertClose(double got, double want, boolean relativeOnly, String what) {
    double tol = 1e-4 * (relativeOnly ? Math.abs(want) : Math.max(1, Math.abs(want)));
    assertThat(got).as(what).isCloseTo(want, within(tol));
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyLossMixtureAndOptionMatchesPyTorchForThreeSteps() throws Exception {
    Map<String, Map<String, Object>> runs = (Map<String, Map<String, Object>>) golden.get("dpo");
    // every TRL loss_type is covered
    List<String> covered = new ArrayList<>();
    runs.values().forEach(r -> covered.addAll((List<String>) ((Map<String, Object>) r.get("config")).get("loss_type")));
    assertThat(covered).containsAll(List.of("sigmoid", "hinge", "ipo", "exo_pair", "nca_pair", "robust", "bco_pair",
        "sppo_hard", "aot", "aot_unpaired", "apo_zero", "apo_down", "discopop", "sigmoid_norm", "sft"));
    DataRoot root = DataRoot.fromEnvironment();
    for (Map.Entry<String, Map<String, Object>> run : runs.entrySet()) {
      Map<String, Object> c = (Map<String, Object>) run.getValue().get("config");
      PreferenceLossConfig cfg = config(c);
      boolean wpo = cfg.useWeighting();
      TrainingResult r;
      try (LoadedModel policyModel = ModelLoader.load(ModelLoader.STORIES_260K, root, Device.cpu());
          LoadedModel refModel = ModelLoader.load(ModelLoader.STORIES_260K, root, Device.cpu())) {
        PolicyModel policy = new PolicyModel(policyModel.block(), policyModel.tokenizer(), null);
        DpoTask task = new DpoTask(policy, ReferenceModel.frozenCopy(refModel.block()), PreferenceLosses.create(cfg),
            new DpoCollator(policy.padId(), 0, cfg.ldAlpha()), Provenance.of("test", null, 1L));
        r = new TrainingLoop<>(task, training(4), policyModel.manager(), tmp.resolve(run.getKey()),
            Provenance.of("test", null, 1L)).run(DpoPyTorchGoldenTest.PAIRS, List.of(), "golden", false);
      }
      assertMatches(run.getKey(), run.getValue(), r, wpo);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void ktoMatchesPyTorchForThreeSteps() throws Exception {
    List<KtoExample> examples = new ArrayList<>();
    for (Map<String, Object> e : (List<Map<String, Object>>) golden.get("kto_examples")) {
      examples.add(new KtoExample("k" + examples.size(), ints((List<Number>) e.get("prompt")),
          ints((List<Number>) e.get("completion")), (Boolean) e.get("label"), false));
    }
    Map<String, Map<String, Object>> runs = (Map<String, Map<String, Object>>) golden.get("kto");
    assertThat(runs.keySet()).contains("kto", "apo_zero_unpaired");
    DataRoot root = DataRoot.fromEnvironment();
    for (Map.Entry<String, Map<String, Object>> run : runs.entrySet()) {
      Map<String, Object> c = (Map<String, Object>) run.getValue().get("config");
      KtoLossConfig cfg = KtoLossConfig.defaults().withLossType((String) c.get("loss_type"))
          .withDesirableWeight(((Number) c.getOrDefault("desirable_weight", 1.0)).doubleValue())
          .withUndesirableWeight(((Number) c.getOrDefault("undesirable_weight", 1.0)).doubleValue());
      TrainingResult r;
      try (LoadedModel policyModel = ModelLoader.load(ModelLoader.STORIES_260K, root, Device.cpu());
          LoadedModel refModel = ModelLoader.load(ModelLoader.STORIES_260K, root, Device.cpu())) {
        PolicyModel policy = new PolicyModel(policyModel.block(), policyModel.tokenizer(), null);
        KtoTask task = new KtoTask(policy, ReferenceModel.frozenCopy(refModel.block()), new KtoLoss(cfg),
            new KtoCollator(policy.padId(), 0), Provenance.of("test", null, 1L));
        r = new TrainingLoop<>(task, training(examples.size()), policyModel.manager(), tmp.resolve(run.getKey()),
            Provenance.of("test", null, 1L)).run(examples, List.of(), "golden", false);
      }
      assertMatches(run.getKey(), run.getValue(), r, false);
      if (cfg.needsKl()) { // the baseline is live: the policy moves away from the reference
        assertThat(((Number) r.history().get(2).get("kl")).doubleValue()).isGreaterThan(0);
      }
    }
  }

  /**
   * Each step's loss and the reference's metrics match; {@code tiny}: the loss terms are ~1e-13
   * (WPO on this model), compared relatively.
   */
  @SuppressWarnings("unchecked")
  static void assertMatches(String name, Map<String, Object> run, TrainingResult r, boolean tiny) {
    List<Number> want = (List<Number>) run.get("losses");
    List<Map<String, Number>> wantMetrics = (List<Map<String, Number>>) run.get("metrics");
    assertThat(r.history()).hasSize(3);
    for (int i = 0; i < 3; i++) {
      Map<String, Object> rec = r.history().get(i);
      String at = name + " step " + (i + 1);
      assertClose(((Number) rec.get("loss")).doubleValue(), want.get(i).doubleValue(), tiny, at + " loss");
      for (Map.Entry<String, Number> m : wantMetrics.get(i).entrySet()) {
        assertThat(rec).as(at).containsKey(m.getKey());
        assertClose(((Number) rec.get(m.getKey())).doubleValue(), m.getValue().doubleValue(),
            tiny && m.getKey().startsWith("loss"), at + " " + m.getKey());
      }
    }
  }

  static int[] ints(List<Number> xs) {
    return xs.stream().mapToInt(Number::intValue).toArray();
  }
}
