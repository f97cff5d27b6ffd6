package org.genderalign.trainer.sft;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.genderalign.core.data.SftExample;
import org.genderalign.core.io.AtomicFiles;
import org.genderalign.core.io.Hashing;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.dpo.DpoTrainer;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.lora.Lora;
import org.genderalign.trainer.lora.LoraConfig;
import org.genderalign.trainer.training.PolicyModel;
import org.genderalign.trainer.training.StepListener;
import org.genderalign.trainer.training.TrainingConfig;
import org.genderalign.trainer.training.TrainingLoop;
import org.genderalign.trainer.training.TrainingResult;

/**
 * One SFT run: encodes examples ({@code alpaca}: Alpaca prompt template; {@code trl-chosen}:
 * prompts as they are), optionally attaches LoRA, and runs the {@link TrainingLoop}. The CLI's
 * {@code train sft} is a thin layer over {@link #run}.
 */
public final class SftTrainer {

  /**
   * @param training loop settings
   * @param lora LoRA settings or null (full fine-tuning)
   * @param maxLength max tokens per example
   * @param format {@code alpaca} or {@code trl-chosen}: how prompts are built
   * @param outDir output folder
   * @param resume continue from the newest checkpoint
   */
  public record Config(TrainingConfig training, LoraConfig lora, int maxLength, String format, Path outDir,
      boolean resume) {
    public Config {
      Objects.requireNonNull(training, "training");
      Objects.requireNonNull(outDir, "outDir");
      if (!"alpaca".equals(format) && !"trl-chosen".equals(format)) {
        throw new IllegalArgumentException("SFT format must be alpaca or trl-chosen, got " + format);
      }
    }
  }

  /**
   * What a run did.
   *
   * @param droppedIds ids of the examples not trained on (held-out ones prefixed {@code eval:});
   *     listed with their reasons in {@code OUT/dropped.txt}
   * @param dropCounts training examples dropped, by reason
   */
  public record Report(TrainingResult result, int trainExamples, int evalExamples, List<String> droppedIds,
      java.util.Map<String, Long> dropCounts) {}

  /** Peak learning rate of an SFT run when none is given (TRL's SFTConfig default). */
  public static final double DEFAULT_LEARNING_RATE = 2e-5;
  /** Max tokens per example when none is given. */
  public static final int DEFAULT_MAX_LENGTH = 512;
  /** Format of the examples when none is given. */
  public static final String DEFAULT_FORMAT = "alpaca";

  private SftTrainer() {}

  public static Report run(Config cfg, DpoTrainer.ModelSupplier models, List<SftExample> train, List<SftExample> eval,
      Provenance provenance, StepListener listener) throws IOException {
    return run(cfg, List.of(), models, train, eval, provenance, listener);
  }

  /** Trains data parallel over {@code devices}, as {@link DpoTrainer#run(DpoRunConfig, List, DpoTrainer.ModelSupplier, List, List, Provenance, StepListener)}. */
  public static Report run(Config cfg, List<ai.djl.Device> devices, DpoTrainer.ModelSupplier models,
      List<SftExample> train, List<SftExample> eval, Provenance provenance, StepListener listener) throws IOException {
    try (LoadedModel model = models.load()) {
      SftEncoder enc = new SftEncoder(model.tokenizer(), cfg.maxLength());
      boolean alpaca = cfg.format().equals("alpaca");
      SftEncoder.Encoded tr = alpaca ? enc.encodeAlpaca(train) : enc.encodeRaw(train);
      SftEncoder.Encoded ev = alpaca ? enc.encodeAlpaca(eval) : enc.encodeRaw(eval);
      Files.createDirectories(cfg.outDir());
      List<String> dropped = new ArrayList<>(tr.droppedIds());
      ev.droppedIds().forEach(id -> dropped.add("eval:" + id));
      StringBuilder lines = new StringBuilder();
      tr.dropReasons().forEach((id, why) -> lines.append(id).append('\t').append(why).append('\n'));
      ev.dropReasons().forEach((id, why) -> lines.append("eval:").append(id).append('\t').append(why).append('\n'));
      AtomicFiles.writeString(cfg.outDir().resolve("dropped.txt"), lines.toString());
      if (tr.kept().isEmpty()) {
        throw new IllegalArgumentException("no training example fits max length " + cfg.maxLength()
            + " (" + tr.droppedIds().size() + " dropped: " + tr.dropCounts() + ")");
      }
      Engine.getInstance().setRandomSeed((int) cfg.training().seed());
      Lora lora = cfg.lora() == null ? null : Lora.attach(model.block(), cfg.lora());
      PolicyModel policy = new PolicyModel(model.block(), model.tokenizer(), lora, model.source().location());
      TrainingLoop<SftTokens> loop = new TrainingLoop<>(new SftTask(policy, provenance), cfg.training(),
          model.manager(), cfg.outDir(), provenance).devices(devices);
      if (listener != null) {
        loop.listener(listener);
      }
      TrainingResult result = loop.run(tr.kept(), ev.kept(), hash(tr.kept()), cfg.resume());
      return new Report(result, tr.kept().size(), ev.kept().size(), dropped, tr.dropCounts());
    }
  }

  static String hash(List<SftTokens> examples) {
    var md = Hashing.newDigest();
    for (SftTokens t : examples) {
      md.update(t.id().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      md.update(java.util.Arrays.toString(t.prompt()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      md.update(java.util.Arrays.toString(t.completion()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return java.util.HexFormat.of().formatHex(md.digest());
  }
}
