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
    // DJL's jars carry no Maven metadata: named by their module names, versioned by their manifests
    assertThat(p.libraries()).containsEntry("ai.djl.api", Engine.getDjlVersion());
    assertThat(p.libraries()).containsEntry("ai.djl.pytorch_engine", Engine.getDjlVersion());
    assertThat(p.libraries()).containsEntry("ai.djl.tokenizers", Engine.getDjlVersion());
    assertThat(p.libraries().get("ai.djl.pytorch_jni")).endsWith("-" + Engine.getDjlVersion());
    // the native library's version is only in its file name
    assertThat(p.libraries().get("ai.djl.pytorch_native_cpu_linux-x86_64")).startsWith("2.");
  }
}
