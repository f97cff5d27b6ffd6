package org.genderalign.core.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.genderalign.core.testing.FuzzCampaign;
import org.junit.jupiter.api.Test;

/**
 * The bounded fuzzing run of the format readers in the normal build: every target of
 * {@link PairFormatFuzzer} in its own JVM for {@link FuzzCampaign#secondsPerTarget()} seconds,
 * after replaying its committed seeds and past crashes. A finding fails the build and leaves the
 * crashing input in the target's {@code Inputs} folder (commit it: it becomes a regression seed).
 */
class FormatFuzzCampaignTest {

  @Test
  void everyFormatReaderSurvivesFuzzing() throws Exception {
    List<FuzzCampaign.Result> results = FuzzCampaign.runAll(List.of(PairFormatFuzzer.class));
    assertThat(results).isNotEmpty();
    for (FuzzCampaign.Result r : results) {
      assertThat(r.passed()).as("%s:%n%s", r.target(), FuzzCampaign.tail(r.log())).isTrue();
      assertThat(r.executions()).as("%s ran inputs", r.target()).isPositive();
    }
  }
}
