package org.genderalign.eval.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.eval.data.CrowsPair;
import org.genderalign.eval.data.CrowsPairsReader;
import org.genderalign.eval.stats.Estimate;
import org.junit.jupiter.api.Test;

class CrowsPairsGenderBenchmarkTest {

  @Test
  void pctStereotypeIsStrictAndLikelihoodDiffIsTheMeanAbsoluteDifference() throws Exception {
    List<ObjectNode> rows = List.of(
        CrowsPairsGenderBenchmark.row(new CrowsPair("1", "a", "b", "stereo", "gender"), -10, -12),
        CrowsPairsGenderBenchmark.row(new CrowsPair("2", "a", "b", "antistereo", "gender"), -9, -5),
        CrowsPairsGenderBenchmark.row(new CrowsPair("3", "a", "b", "stereo", "gender"), -7, -7));
    Map<String, Estimate> v = Toy.values(new CrowsPairsGenderBenchmark().metrics("m",
        Toy.roundTrip(rows), Toy.context()));
    assertThat(v.get("pct_stereotype").value()).isCloseTo(1.0 / 3, within(1e-12)); // tie = 0
    assertThat(v.get("likelihood_diff").value()).isCloseTo((2 + 4 + 0) / 3.0, within(1e-12));
  }

  @Test
  void theRealFileHas262GenderRows159Stereo() throws Exception {
    List<CrowsPair> g = CrowsPairsReader.readGender(DataRoot.fromEnvironment()
        .file(CrowsPairsGenderBenchmark.DATA));
    assertThat(g).hasSize(262);
    assertThat(g.stream().filter(p -> p.stereoAntistereo().equals("stereo")).count())
        .isEqualTo(159);
    // a sentence with commas and quotes survives RFC-4180 parsing whole
    assertThat(g).allSatisfy(p -> assertThat(p.sentMore()).isNotBlank());
  }
}
