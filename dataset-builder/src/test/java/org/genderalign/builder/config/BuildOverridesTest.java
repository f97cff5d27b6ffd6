package org.genderalign.builder.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BuildOverridesTest {

  private static final BuildOverrides NONE =
      new BuildOverrides(null, null, null, null, null, null, null, null, null, null, null, null);

  @Test
  void unsetFieldsKeepTheBaseAndSetOnesReplaceIt() {
    BuildConfig base = BuildConfig.defaults().toBuilder().target(500).mix("natural").threads(1).build();
    assertThat(NONE.applyTo(base)).isEqualTo(base);
    BuildConfig out = new BuildOverrides(60, null, null, null, null, null, 7L, null, null, null, "m", "self")
        .applyTo(base);
    assertThat(out.target()).isEqualTo(60);
    assertThat(out.seed()).isEqualTo(7L);
    assertThat(out.mix()).isEqualTo("natural"); // kept
    assertThat(out.threads()).isEqualTo(1); // kept
    assertThat(out.openai().model()).isEqualTo("m");
    assertThat(out.openai().baseUrl()).isEqualTo(base.openai().baseUrl()); // kept
    assertThat(out.filters().rewardProxy()).isEqualTo("model");
    assertThat(out.filters().rewardModel()).isEqualTo("self");
  }

  @Test
  void aBadValueNamesTheConfigField() {
    BuildOverrides bad = new BuildOverrides(null, "gpt5", null, null, null, null, null, null, null, null, null, null);
    assertThatThrownBy(() -> bad.applyTo(BuildConfig.defaults())).isInstanceOf(ConfigException.class)
        .hasMessageContaining("'generator'").hasMessageContaining("gpt5");
  }
}
