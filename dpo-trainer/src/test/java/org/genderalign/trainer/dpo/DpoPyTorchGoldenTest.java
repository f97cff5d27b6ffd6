package org.genderalign.trainer.dpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.data.EncodedPair;
import org.genderalign.trainer.dpo.loss.PreferenceLossConfig;
import org.genderalign.trainer.dpo.loss.PreferenceLosses;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.loader.ModelLoader;
import org.genderalign.trainer.optim.AdamWConfig;
import org.genderalign.trainer.training.PolicyModel;
import org.genderalign.trainer.training.TrainingConfig;
import org.genderalign.trainer.training.TrainingLoop;
import org.genderalign.trainer.training.TrainingResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Five full-batch DPO steps on stories260K give the losses of a PyTorch implementation of the
 * same model, loss and AdamW settings ({@code src/test/python/dpo_reference.py}, whose output is
 * the resource {@code pytorch-golden.json}) within 1e-4.
 */
class DpoPyTorchGoldenTest {

  @TempDir Path tmp;

  static final List<EncodedPair> PAIRS = List.of(
      new EncodedPair("g0", new int[] {1, 400, 261, 300}, new int[] {270, 280, 290, 2}, new int[] {310, 320, 2}, false),
      new EncodedPair("g1", new int[] {1, 350, 351}, new int[] {352, 353, 354, 355, 2}, new int[] {356, 357, 358, 2}, false),
      new EncodedPair("g2", new int[] {1, 260, 261, 262, 263}, new int[] {264, 265, 2}, new int[] {266, 2}, false),
      new EncodedPair("g3", new int[] {1, 500, 501}, new int[] {502, 503, 504, 2}, new int[] {505, 506, 507, 508, 509, 2},
          false));

  @Test
  void fiveFullBatchStepsMatchPyTorch() throws Exception {
    Map<?, ?> golden;
    try (InputStream in = getClass().getResourceAsStream("pytorch-golden.json")) {
      golden = new ObjectMapper().readValue(in, Map.class);
    }
    @SuppressWarnings("unchecked")
    List<Number> want = (List<Number>) golden.get("losses");
    DataRoot root = DataRoot.fromEnvironment();
    TrainingConfig tc = new TrainingConfig(5, 0, 4, 1, new AdamWConfig(1e-3, 0.9, 0.999, 1e-8, 0.01), "constant", 0,
        1.0, 1, 1, 0, 0, 1, false);
    try (LoadedModel policyModel = ModelLoader.load(ModelLoader.STORIES_260K, root, Device.cpu());
        LoadedModel refModel = ModelLoader.load(ModelLoader.STORIES_260K, root, Device.cpu())) {
      PolicyModel policy = new PolicyModel(policyModel.block(), policyModel.tokenizer(), null);
      DpoTask task = new DpoTask(policy, ReferenceModel.frozenCopy(refModel.block()),
          PreferenceLosses.create(PreferenceLossConfig.defaults()), new DpoCollator(policy.padId(), 0),
          Provenance.of("test", null, 1L));
      TrainingResult r = new TrainingLoop<>(task, tc, policyModel.manager(), tmp, Provenance.of("test", null, 1L))
          .run(PAIRS, List.of(), "golden", false);
      assertThat(r.history()).hasSize(5);
      for (int i = 0; i < 5; i++) {
        double got = ((Number) r.history().get(i).get("loss")).doubleValue();
        assertThat(got).as("step %d", i + 1).isCloseTo(want.get(i).doubleValue(), within(1e-4));
      }
    }
  }
}
