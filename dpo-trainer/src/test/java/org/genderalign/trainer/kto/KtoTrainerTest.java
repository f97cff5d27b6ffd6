package org.genderalign.trainer.kto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.genderalign.core.data.UnpairedExample;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.dpo.DpoFixtures;
import org.genderalign.trainer.training.CompletionBatch;
import org.genderalign.trainer.training.PolicyModel;
import org.genderalign.trainer.training.StepListener;
import org.genderalign.trainer.training.TinyModels;
import org.genderalign.trainer.training.TrainingConfig;
import org.genderalign.trainer.training.TrainingLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** KTO end to end on a tiny model; the collator on TRL's example; config checks. */
class KtoTrainerTest {

  @TempDir Path tmp;

  static final Provenance PROV = Provenance.of("test", null, 5L);

  static List<UnpairedExample> examples(int pairs) {
    return UnpairedExample.fromPairs(DpoFixtures.pairs(pairs));
  }

  static KtoRunConfig run(Path out, TrainingConfig training, KtoLossConfig loss, boolean lora, boolean resume) {
    return new KtoRunConfig(loss, training, lora ? DpoFixtures.lora() : null, 64, "raw", out, resume);
  }

  @Test
  void startsAtOneHalfWithAZeroBaselineLogsTrlsMetricsAndSavesTheModel() throws Exception {
    KtoTrainer.Report r = KtoTrainer.run(run(tmp.resolve("lora"), DpoFixtures.training(3, 0), KtoLossConfig.defaults(),
        true, false), List.of(), () -> TinyModels.tiny(3), examples(6), examples(2), PROV, null);
    Map<String, Object> first = r.result().firstTrainRecord();
    // policy = reference: r = 0 and z₀ = 0, so every example's loss is 1 − σ(0) = 1/2
    assertThat(((Number) first.get("loss")).doubleValue()).isCloseTo(0.5, within(1e-7));
    assertThat(first.get("kl")).isEqualTo(0.0);
    assertThat(first).containsKeys("rewards/chosen", "rewards/rejected", "rewards/margins", "logps/chosen",
        "logps/rejected", "learning_rate", "grad_norm", "tokens");
    assertThat(((Number) r.result().last("loss").get("loss")).doubleValue()).isLessThan(0.5);
    // TRL's KL baseline is detached and clamped at 0
    assertThat(((Number) r.result().last("eval_kl").get("eval_kl")).doubleValue()).isGreaterThanOrEqualTo(0.0)
        .isFinite();
    assertThat(((Number) r.result().last("eval_rewards/margins").get("eval_rewards/margins")).doubleValue()).isFinite();
    assertThat(r.referenceMode()).startsWith("adapters off");
    assertThat(r.trainExamples()).isEqualTo(12);
    assertThat(r.desirable()).isEqualTo(6);
    assertThat(r.undesirable()).isEqualTo(6);
    assertThat(r.weightAdvice()).isNull();
    assertThat(Files.exists(tmp.resolve("lora/final/" + PolicyModel.ADAPTER_DIR))).isTrue();
  }

  @Test
  void aFrozenCopyReferenceAndApoZeroUnpairedWhoseBaselineStaysZero() throws Exception {
    KtoTrainer.Report r = KtoTrainer.run(run(tmp.resolve("apo"), DpoFixtures.training(2, 0),
        KtoLossConfig.defaults().withLossType("apo_zero_unpaired"), false, false), List.of(),
        () -> TinyModels.tiny(3), examples(4), List.of(), PROV, null);
    assertThat(r.referenceMode()).isEqualTo("frozen copy");
    for (Map<String, Object> rec : r.result().history()) {
      assertThat(rec.get("kl")).isEqualTo(0.0);
    }
    assertThat(((Number) r.result().firstTrainRecord().get("loss")).doubleValue()).isCloseTo(0.5, within(1e-7));
  }

  @Test
  void anInterruptedRunResumesBitIdentically() throws Exception {
    TrainingConfig tc = DpoFixtures.training(6, 2);
    Path straight = tmp.resolve("straight");
    KtoTrainer.run(run(straight, tc, KtoLossConfig.defaults(), true, false), List.of(), () -> TinyModels.tiny(3),
        examples(5), List.of(), PROV, null);
    Path broken = tmp.resolve("broken");
    StepListener crash = new StepListener() {
      @Override
      public void checkpointSaved(long step, Path folder) {
        if (step == 2) {
          throw new IllegalStateException("crash");
        }
      }
    };
    assertThatThrownBy(() -> KtoTrainer.run(run(broken, tc, KtoLossConfig.defaults(), true, false), List.of(),
        () -> TinyModels.tiny(3), examples(5), List.of(), PROV, crash)).hasMessage("crash");
    KtoTrainer.Report resumed = KtoTrainer.run(run(broken, tc, KtoLossConfig.defaults(), true, true), List.of(),
        () -> TinyModels.tiny(3), examples(5), List.of(), PROV, null);
    assertThat(resumed.result().resumedFrom()).isEqualTo(2);
    String adapter = "final/" + PolicyModel.ADAPTER_DIR + "/adapter.tensors";
    assertThat(Files.readAllBytes(broken.resolve(adapter))).isEqualTo(Files.readAllBytes(straight.resolve(adapter)));
    List<String> a = Files.readAllLines(straight.resolve(TrainingLoop.METRICS_FILE));
    List<String> b = Files.readAllLines(broken.resolve(TrainingLoop.METRICS_FILE));
    assertThat(b).hasSameSizeAs(a);
    for (int i = 0; i < a.size(); i++) {
      assertThat(b.get(i).replaceAll(",\"elapsed_s\":[^,}]*", ""))
          .isEqualTo(a.get(i).replaceAll(",\"elapsed_s\":[^,}]*", ""));
    }
  }

  /** TRL's DataCollatorForUnpairedPreference docstring example, with the KL completions rotated by one. */
  @Test
  void collatorLaysOutTrlsExampleAndRotatesCompletionsForTheKlRows() {
    List<KtoExample> xs = List.of(new KtoExample("a", new int[] {1, 2, 3}, new int[] {4, 5}, true, false),
        new KtoExample("b", new int[] {7, 8}, new int[] {9}, false, false),
        new KtoExample("c", new int[] {6}, new int[] {10, 11, 12}, true, false));
    KtoCollator c = new KtoCollator(0, 0);
    CompletionBatch main = c.collate(xs.subList(0, 2));
    assertThat(main.row(0)).containsExactly(1, 2, 3, 4, 5);
    assertThat(main.row(1)).containsExactly(7, 8, 9, 0, 0);
    assertThat(main.maskRow(0)).containsExactly(0, 0, 0, 1, 1);
    assertThat(main.maskRow(1)).containsExactly(0, 0, 1, 0, 0);
    CompletionBatch kl = c.collateKl(xs);
    assertThat(kl.row(0)).containsExactly(1, 2, 3, 10, 11, 12); // a's prompt, c's completion
    assertThat(kl.row(1)).containsExactly(7, 8, 4, 5, 0, 0); // b's prompt, a's completion
    assertThat(kl.row(2)).containsExactly(6, 9, 0, 0, 0, 0); // c's prompt, b's completion
    assertThat(kl.maskRow(1)).containsExactly(0, 0, 1, 1, 0, 0);
    CompletionBatch both = c.collateWithKl(xs);
    assertThat(both.rows()).isEqualTo(6);
    assertThat(both.row(4)).containsExactly(7, 8, 4, 5, 0, 0);
    // KL rows are truncated to maxLength, keeping their start
    assertThat(new KtoCollator(0, 4).collateKl(xs).row(0)).containsExactly(1, 2, 3, 10);
  }

  @Test
  void encoderDropsExamplesWhosePromptFillsMaxLength() throws Exception {
    var tok = TinyModels.storiesTokenizer();
    KtoEncoder enc = new KtoEncoder(new org.genderalign.trainer.data.PairEncoder(tok, 8));
    KtoEncoder.Result r = enc.encodeAll(List.of(UnpairedExample.of("ok", "Hi", " a long answer that is cut", true),
        UnpairedExample.of("long", "Once upon a time there was a very long prompt", " x", false)));
    assertThat(r.droppedIds()).containsExactly("long");
    assertThat(r.truncatedCount()).isEqualTo(1);
    KtoExample e = r.examples().get(0);
    assertThat(e.prompt().length + e.completion().length).isEqualTo(8);
    assertThat(e.prompt()[0]).isEqualTo(tok.bosId());
  }

  static TrainingConfig batchOfOne() {
    return new TrainingConfig(1, 0, 1, 1, org.genderalign.trainer.optim.AdamWConfig.of(5e-3, 0.0), "linear", 0, 1.0,
        5, 1, 0, 0, 3, false);
  }

  @Test
  void configsAreValidatedAndUnbalancedDataGetTrlsWeightAdvice() {
    assertThatThrownBy(() -> run(tmp, batchOfOne(), KtoLossConfig.defaults(), false,
        false)).hasMessageContaining("batch size of at least 2");
    // apo_zero_unpaired has no KL baseline: a batch of one is fine
    run(tmp, batchOfOne(), KtoLossConfig.defaults().withLossType("apo_zero_unpaired"),
        false, false);
    assertThatThrownBy(() -> KtoLossConfig.defaults().withLossType("sigmoid")).hasMessageContaining("unknown KTO loss");
    assertThatThrownBy(() -> KtoLossConfig.defaults().withDesirableWeight(-1)).hasMessageContaining(">= 0");
    // TRL's bounds for 10 desirable, 3 undesirable: desirable in [0.3, 0.4] or undesirable in [2.51, 3.33]
    assertThat(KtoLossConfig.defaults().weightAdvice(10, 3)).hasValueSatisfying(
        s -> assertThat(s).contains("[0.30, 0.40]", "[2.51, 3.33]"));
    assertThat(KtoLossConfig.defaults().withUndesirableWeight(3).weightAdvice(10, 3)).isEmpty();
    assertThat(KtoLossConfig.defaults().weightAdvice(5, 5)).isEmpty();
  }
}
