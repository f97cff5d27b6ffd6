package org.genderalign.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.genderalign.cli.CliRun;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.trainer.score.LoglikelihoodRequest;
import org.junit.jupiter.api.Test;

class BenchScoreCommandTest {

  @Test
  void printsTheRatioToForwardOnlyAndTheBbqWorkloadTime() {
    CliRun r = CliRun.of("bench", "score", "--batch-size", "4", "--requests", "4", "--seq-len",
        "32", "--continuation-tokens", "4", "--iterations", "1", "--bbq-items", "2");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("forward_tokens_per_s=", "scored_tokens_per_s=", "ratio=",
        "bbq_gender requests=24 wall_s=");
  }

  @Test
  void badOptionsExitTwo() {
    assertThat(CliRun.of("bench", "score", "--continuation-tokens", "300").code()).isEqualTo(2);
    assertThat(CliRun.of("bench", "score", "--seq-len", "600").code()).isEqualTo(2);
  }

  /** eval-protocol.md §2: 12 choices per item, the two named answers first, "Unknown" third. */
  @Test
  void bbqRequestsFollowTheProtocol() throws Exception {
    var file = DataRoot.fromEnvironment().file("bbq-gender-identity");
    List<LoglikelihoodRequest> all = BbqWorkload.requests(file, -1);
    assertThat(all).hasSize(68_064);
    LoglikelihoodRequest first = all.get(0);
    assertThat(first.context()).startsWith("We couldn't start the board meeting")
        .contains("\n\nQ: ").endsWith("\nA:");
    assertThat(all.subList(0, 12)).extracting(LoglikelihoodRequest::continuation)
        .containsExactly(" The man", " The woman", " Unknown", " Cannot answer", " Can't be determined",
            " Cannot be determined", " Can't answer", " Not known", " Not enough info",
            " Not enough information", " Not answerable", " Undetermined");
    assertThat(all.subList(0, 12)).extracting(LoglikelihoodRequest::context).containsOnly(
        first.context());
  }
}
