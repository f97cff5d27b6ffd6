package org.genderalign.taxonomy.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.genderalign.core.data.PreferencePair;
import org.genderalign.taxonomy.BiasCategory;
import org.genderalign.taxonomy.Fixtures;
import org.genderalign.taxonomy.GenderRelatednessDetector;
import org.junit.jupiter.api.Test;

class PairJudgeTest {

  private final PairJudge judge = new PairJudge(Fixtures.classifier(),
      new GenderRelatednessDetector(Fixtures.lexicons(), GenderRelatednessDetector.DEFAULT_THRESHOLD));

  @Test
  void annotatesPairsWithTheIssueFields() {
    PreferencePair p = PreferencePair.of("p1", "Are women worse leaders than men?",
        "No. Leadership skill does not depend on gender.",
        "Yes, women are too emotional to lead, men are natural leaders.").withMetadata("keep", "me");
    PairJudgement j = judge.judge(p);
    Map<String, Object> m = j.annotated().metadata();
    assertThat(m).containsEntry("keep", "me")
        .containsEntry("chosen_category", "none")
        .containsEntry("rejected_category", "stereotypes")
        .containsEntry("gender_related", true)
        .containsKeys("chosen_confidence", "rejected_confidence", "explanation");
    @SuppressWarnings("unchecked")
    Map<String, Object> ex = (Map<String, Object>) m.get("explanation");
    assertThat(ex).containsKeys("chosen", "rejected", "gender_evidence");
    assertThat(j.flagged()).isFalse();
  }

  @Test
  void judgeAllKeepsInputOrderAcrossThreadsAndReportCounts() {
    List<PreferencePair> pairs = Fixtures.genderAlign101();
    List<String> ids = new ArrayList<>();
    AuditReport report = new AuditReport();
    long n = judge.judgeAll(pairs.iterator(), 3, j -> {
      ids.add(j.pair().id());
      report.add(j);
    });
    assertThat(n).isEqualTo(101);
    assertThat(ids).containsExactlyElementsOf(pairs.stream().map(PreferencePair::id).toList());
    assertThat(report.total()).isEqualTo(101);
    assertThat(report.genderRelated()).isGreaterThan(95);
    long chosen = report.chosenMix().values().stream().mapToLong(Long::longValue).sum();
    assertThat(chosen).isEqualTo(report.genderRelated());
    assertThat(report.chosenMix().get(BiasCategory.NONE)).isGreaterThan(90);
    assertThat(report.render()).contains("gender-related:").contains("occupational_educational_sexism");
    assertThat(report.metrics()).containsKeys("pairs", "gender_related", "chosen_mix", "rejected_mix");
  }
}
