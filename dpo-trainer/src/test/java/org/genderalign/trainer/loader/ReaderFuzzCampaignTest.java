package org.genderalign.trainer.loader;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.genderalign.core.testing.FuzzCampaign;
import org.junit.jupiter.api.Test;

/**
 * The bounded fuzzing run of the model, tokenizer and checkpoint readers in the normal build:
 * every target of {@link LoaderFuzzer}, {@code TokenizerFuzzer} and {@code CheckpointFuzzer} in
 * its own JVM for {@link FuzzCampaign#secondsPerTarget()} seconds, after replaying its
 * committed seeds and past crashes (see {@link FuzzCampaign} and docs/hardening.md).
 */
class ReaderFuzzCampaignTest {

  @Test
  void everyModelFileReaderSurvivesFuzzing() throws Exception {
    List<FuzzCampaign.Result> results = FuzzCampaign.runAll(List.of(LoaderFuzzer.class,
        Class.forName("org.genderalign.trainer.tokenizer.TokenizerFuzzer"),
        Class.forName("org.genderalign.trainer.checkpoint.CheckpointFuzzer")));
    assertThat(results).hasSizeGreaterThanOrEqualTo(1);
    for (FuzzCampaign.Result r : results) {
      assertThat(r.passed()).as("%s:%n%s", r.target(), FuzzCampaign.tail(r.log())).isTrue();
      assertThat(r.executions()).as("%s ran inputs", r.target()).isPositive();
    }
  }
}
