package org.genderalign.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TaxonomyTest {

  @Test
  void shippedTaxonomyDefinesEveryCategoryWithCriteria() {
    Taxonomy t = Taxonomy.shipped();
    assertThat(t.definitions()).extracting(d -> d.category().id()).containsExactly(
        "stereotypes", "discriminatory_language", "occupational_educational_sexism",
        "marginalized_gender_bias", "none");
    for (CategoryDefinition d : t.definitions()) {
      assertThat(d.definition()).isNotBlank();
      assertThat(d.include()).isNotEmpty();
      assertThat(d.exclude()).isNotEmpty();
    }
    assertThat(t.describe()).contains("occupational_educational_sexism - Sexism in occupational")
        .contains("includes:").contains("excludes:");
  }

  @Test
  void missingOrDuplicateCategoryIsRejected() throws Exception {
    ObjectMapper om = new ObjectMapper();
    assertThatThrownBy(() -> Taxonomy.parse(om.readTree(
        "{\"categories\":[{\"id\":\"none\",\"definition\":\"x\"}]}")))
        .hasMessageContaining("no definition for 'stereotypes'");
    assertThatThrownBy(() -> Taxonomy.parse(om.readTree(
        "{\"categories\":[{\"id\":\"none\",\"definition\":\"x\"},{\"id\":\"none\",\"definition\":\"y\"}]}")))
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> Taxonomy.parse(om.readTree("{\"categories\":[{\"id\":\"sexism\"}]}")))
        .hasMessageContaining("unknown bias category 'sexism'");
  }

  @Test
  void categoryIdsParseLeniently() {
    assertThat(BiasCategory.fromId("Marginalized-Gender-Bias")).isEqualTo(BiasCategory.MARGINALIZED_GENDER_BIAS);
    assertThat(BiasCategory.NONE.isBiased()).isFalse();
  }
}
