package org.genderalign.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GenderRelatednessDetectorTest {

  private final GenderRelatednessDetector d = new GenderRelatednessDetector(Fixtures.lexicons(),
      GenderRelatednessDetector.DEFAULT_THRESHOLD);

  @Test
  void genderTopicsAreRelated() {
    assertThat(d.isGenderRelated("Why do women earn less than men?")).isTrue();
    assertThat(d.isGenderRelated("Is it okay to use they/them pronouns for my non-binary friend?")).isTrue();
    assertThat(d.isGenderRelated("She called me a bitch.")).isTrue();
    GenderRelatednessDetector.Relatedness r = d.detect("My girlfriend thinks sexism is everywhere.");
    assertThat(r.related()).isTrue();
    assertThat(r.evidence().get("gender_topic_terms")).contains("girlfriend", "sexism");
  }

  @Test
  void pronounsAndUnrelatedTextsAreNot() {
    assertThat(d.isGenderRelated("He went to the shop and she bought him a coffee.")).isFalse();
    assertThat(d.isGenderRelated("How do I bake sourdough bread?")).isFalse();
    assertThat(d.isGenderRelated("")).isFalse();
    assertThat(d.detect("How do I bake sourdough bread?").evidence()).isEmpty();
  }

  @Test
  void weakEvidenceMustAddUp() {
    assertThat(d.isGenderRelated("The actress smiled.")).isFalse();
    assertThat(d.isGenderRelated("My girlfriend wants pizza tonight.")).isFalse();
    assertThat(d.isGenderRelated("The actress thanked the congressman and the other women.")).isTrue();
    assertThat(d.detect("The actress thanked the congressman and the other women.").score()).isEqualTo(2.0);
  }

  @Test
  void thresholdIsValidated() {
    assertThatThrownBy(() -> new GenderRelatednessDetector(Fixtures.lexicons(), 0)).hasMessageContaining("threshold");
  }
}
