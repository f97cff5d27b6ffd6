package org.genderalign.trainer.loader;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import org.genderalign.core.provenance.Provenance;
import org.junit.jupiter.api.Test;

/** The trainer's artifacts record DJL's version without anyone adding it: it is on the class path. */
class TrainerProvenanceTest {

  @Test
  void djlAndItsEngineAreRecorded() {
    Provenance p = Provenance.of("test", null, null);
    assertThat(p.libraries()).containsEntry("ai.djl:api", Engine.getDjlVersion());
    assertThat(p.libraries()).containsEntry("ai.djl.pytorch:pytorch-engine", Engine.getDjlVersion());
    assertThat(p.libraries()).containsKey("ai.djl.pytorch:pytorch-jni");
    assertThat(p.libraries()).containsKey("ai.djl.huggingface:tokenizers");
  }
}
