package org.genderalign.builder.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The reward-model settings of the filter config: what implies what, and what is refused. */
class FilterConfigRewardModelTest {

  @Test
  void heuristicStaysTheDefaultAndNeedsNoModelSettings() {
    FilterConfig f = FilterConfig.builder().build();
    assertThat(f.rewardProxy()).isEqualTo("heuristic");
    assertThat(f.rewardModel()).isNull();
    assertThat(f.selfReward()).isNull();
    // the default config's JSON does not grow reward-model fields
    assertThat(BuildConfigs.toJson(BuildConfig.defaults())).doesNotContain("rewardModel").doesNotContain("selfReward");
  }

  @Test
  void aRewardModelImpliesTheModelProxyAndSelfGetsDocumentedDefaults() {
    FilterConfig path = FilterConfig.builder().rewardModel("/models/rm").build();
    assertThat(path.rewardProxy()).isEqualTo("model");
    assertThat(path.selfReward()).isNull();
    FilterConfig self = FilterConfig.builder().rewardModel("self").build();
    assertThat(self.selfReward()).isEqualTo(SelfRewardConfig.builder().build());
    assertThat(self.selfReward().base()).isEqualTo(SelfRewardConfig.DEFAULT_BASE);
    assertThat(self.selfReward().steps()).isEqualTo(SelfRewardConfig.DEFAULT_STEPS);
    // round trip through the config file format
    BuildConfig cfg = BuildConfig.builder().filters(self).build();
    assertThat(BuildConfigs.fromJson(BuildConfigs.toJson(cfg))).isEqualTo(cfg);
  }

  @Test
  void inconsistentSettingsAreRefusedNamingTheField() {
    assertThatThrownBy(() -> FilterConfig.builder().rewardProxy("model").build())
        .isInstanceOf(ConfigException.class).hasMessageContaining("filters.rewardModel");
    assertThatThrownBy(() -> FilterConfig.builder().rewardProxy("heuristic").rewardModel("self").build())
        .isInstanceOf(ConfigException.class).hasMessageContaining("filters.rewardModel");
    assertThatThrownBy(() -> FilterConfig.builder().rewardModel("/m").selfReward(SelfRewardConfig.builder().build())
        .build()).isInstanceOf(ConfigException.class).hasMessageContaining("filters.selfReward");
    assertThatThrownBy(() -> FilterConfig.builder().rewardProxy("learned").build())
        .isInstanceOf(ConfigException.class).hasMessageContaining("'heuristic', 'model' or 'none'");
    assertThatThrownBy(() -> SelfRewardConfig.builder().steps(0).build())
        .isInstanceOf(ConfigException.class).hasMessageContaining("filters.selfReward.steps");
    assertThatThrownBy(() -> SelfRewardConfig.builder().promptTemplate("chatml").build())
        .isInstanceOf(ConfigException.class).hasMessageContaining("filters.selfReward.promptTemplate");
  }
}
