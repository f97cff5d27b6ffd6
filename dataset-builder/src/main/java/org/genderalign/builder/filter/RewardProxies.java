package org.genderalign.builder.filter;

import java.io.IOException;
import java.nio.file.Path;
import org.genderalign.builder.config.FilterConfig;
import org.genderalign.builder.pipeline.ProgressListener;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.trainer.reward.RewardModel;

/** Opens the reward proxy a filter config names (close it when the build ends). */
public final class RewardProxies {

  private RewardProxies() {}

  /**
   * The proxy of {@code cfg}: {@code heuristic}, a reward model folder, or cross-fitted reward
   * models ({@code self}); null for {@code none}.
   *
   * @param cfg the filter settings
   * @param seed the build seed (seeds the cross-fitted models)
   * @param workDir the build's work folder (holds the cross-fitted runs)
   * @param root the data root (a short-named base model)
   * @param progress where training progress goes
   * @param fresh a fresh build: forget cross-fitted models an earlier build in the folder left
   * @throws IllegalArgumentException if {@code rewardModel} is not a reward model folder
   */
  public static RewardProxy open(FilterConfig cfg, long seed, Path workDir, DataRoot root, ProgressListener progress,
      boolean fresh) throws IOException {
    if (!"model".equals(cfg.rewardProxy())) {
      return Filters.rewardProxy(cfg.rewardProxy());
    }
    if (FilterConfig.SELF.equals(cfg.rewardModel())) {
      if (fresh) {
        org.genderalign.trainer.checkpoint.CheckpointManager.deleteTree(workDir.resolve(CrossFitRewardProxy.DIR));
      }
      return new CrossFitRewardProxy(cfg.selfReward(), seed, workDir, root, progress);
    }
    Path p = Path.of(cfg.rewardModel());
    if (!RewardModel.isRewardModelFolder(p)) {
      throw new IllegalArgumentException("filters.rewardModel: " + p + " is not a reward model folder (a Hugging Face "
          + RewardModel.ARCHITECTURE + ", e.g. the final/ of train reward) and not 'self'");
    }
    return ModelRewardProxy.open(p);
  }
}
