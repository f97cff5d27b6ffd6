package org.genderalign.trainer.grpo;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.genderalign.core.data.PromptExample;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.data.PromptTemplate;
import org.genderalign.trainer.dpo.DpoTrainer;
import org.genderalign.trainer.generate.Generator;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.lora.Lora;
import org.genderalign.trainer.training.PolicyModel;
import org.genderalign.trainer.training.StepListener;
import org.genderalign.trainer.training.TrainingLoop;
import org.genderalign.trainer.training.TrainingResult;

/**
 * One GRPO run from a loaded model, prompts and reward functions to a trained model in
 * {@code outDir/final}: tokenises the prompts (templated, BOS first, kept to their last
 * {@code maxPromptLength} tokens and always leaving room for one new token), attaches LoRA
 * (reference = adapters off) or, when β ≠ 0 without LoRA, loads a frozen reference copy, and runs
 * the shared {@link TrainingLoop} with a {@link GrpoTask} — same checkpoints, resume, metrics
 * file and provenance as DPO. The CLI's {@code train grpo} and {@code bench grpo} are thin layers
 * over {@link #run}.
 */
public final class GrpoTrainer {

  /**
   * What a run did besides training.
   *
   * @param truncatedPrompts prompts that lost tokens on the left
   * @param generations each generation's costs (sampling and scoring times)
   */
  public record Report(TrainingResult result, int prompts, int truncatedPrompts, String referenceMode,
      List<GrpoTask.GenerationStats> generations) {}

  private GrpoTrainer() {}

  /**
   * Trains, data parallel over {@code devices} when more than one (empty: the model's device);
   * generation runs on the model's device.
   *
   * @param models loads the model (the policy; and the reference copy when β ≠ 0 without LoRA)
   * @param rewards the reward functions and weights
   * @param listener loop hooks (tests, the benchmark), or null
   */
  public static Report run(GrpoRunConfig cfg, List<Device> devices, DpoTrainer.ModelSupplier models,
      List<PromptExample> prompts, WeightedRewards rewards, Provenance provenance, StepListener listener) throws IOException {
    if (prompts.isEmpty()) {
      throw new IllegalArgumentException("no prompts");
    }
    try (LoadedModel model = models.load()) {
      List<GrpoExample> examples = encode(model, cfg, prompts);
      int truncated = (int) examples.stream().filter(GrpoExample::truncated).count();
      Files.createDirectories(cfg.outDir());
      Engine.getInstance().setRandomSeed((int) cfg.training().seed()); // LoRA A matrices
      Lora lora = cfg.lora() == null ? null : Lora.attach(model.block(), cfg.lora());
      PolicyModel policy = new PolicyModel(model.block(), model.tokenizer(), lora);
      boolean needsRef = cfg.loss().beta() != 0;
      try (LoadedModel refCopy = needsRef && lora == null ? models.load() : null) {
        GrpoTask.Scorer reference = !needsRef ? null
            : lora != null ? GrpoTask.Scorer.adaptersOff(policy) : GrpoTask.Scorer.frozenCopy(refCopy.block());
        GrpoTask task = new GrpoTask(policy, reference, new GrpoLoss(cfg.loss()), rewards, cfg, model.manager(),
            provenance);
        TrainingLoop<GrpoExample> loop = new TrainingLoop<>(task, cfg.training(), model.manager(), cfg.outDir(),
            provenance).devices(devices);
        if (listener != null) {
          loop.listener(listener);
        }
        TrainingResult result = loop.run(examples, List.of(), GrpoExample.hash(examples), cfg.resume());
        return new Report(result, examples.size(), truncated,
            !needsRef ? "none (beta = 0)" : lora != null ? "adapters off (one copy of the weights)" : "frozen copy",
            task.generationStats());
      }
    }
  }

  /** Tokenises the prompts as the run will: templated, BOS first, left-truncated. */
  public static List<GrpoExample> encode(LoadedModel model, GrpoRunConfig cfg, List<PromptExample> prompts) {
    PromptTemplate template = PromptTemplate.named(cfg.promptTemplate());
    Generator g = new Generator(model);
    int keep = Math.min(cfg.maxPromptLength(), model.config().maxSeqLen() - 1); // room for one new token
    if (keep < 1) {
      throw new IllegalArgumentException("the model's context (" + model.config().maxSeqLen() + ") leaves no room");
    }
    List<GrpoExample> out = new ArrayList<>(prompts.size());
    for (PromptExample p : prompts) {
      int[] ids = g.promptTokens(template.apply(p.prompt()));
      boolean cut = ids.length > keep;
      if (cut) {
        ids = Arrays.copyOfRange(ids, ids.length - keep, ids.length);
      }
      out.add(new GrpoExample(p.id(), p.prompt(), ids, cut));
    }
    return out;
  }
}
