package org.genderalign.trainer.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.genderalign.core.provenance.Provenance;
import org.genderalign.trainer.loader.ModelCheckpoint;
import org.genderalign.trainer.lora.Lora;
import org.genderalign.trainer.lora.PeftAdapters;
import org.genderalign.trainer.model.LlamaModel;
import org.genderalign.trainer.tokenizer.Tokenizer;

/**
 * The network being trained: a {@link LlamaModel}, its tokenizer, and optionally LoRA adapters
 * (then only the adapters train). Knows what is trainable, how to run a forward pass, and how to
 * write the final model in the project's checkpoint format ({@code --model DIR/final} loads it).
 */
public final class PolicyModel {

  /** Sub-folder of the final model holding the adapters alone (LoRA runs). */
  public static final String ADAPTER_DIR = "adapter";
  /** Sub-folder of the final model holding the same adapters in Hugging Face PEFT's layout (LoRA runs). */
  public static final String PEFT_ADAPTER_DIR = "adapter-peft";

  private final LlamaModel block;
  private final Tokenizer tokenizer;
  private final Lora lora;
  private final String baseModel;

  public PolicyModel(LlamaModel block, Tokenizer tokenizer, Lora lora) {
    this(block, tokenizer, lora, null);
  }

  /**
   * @param baseModel the base model's name or path as the user gave it (recorded as PEFT's
   *     {@code base_model_name_or_path}); may be null
   */
  public PolicyModel(LlamaModel block, Tokenizer tokenizer, Lora lora, String baseModel) {
    this.block = Objects.requireNonNull(block);
    this.tokenizer = Objects.requireNonNull(tokenizer);
    this.lora = lora;
    this.baseModel = baseModel;
  }

  public LlamaModel block() {
    return block;
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  /** The adapters, or null for full fine-tuning. */
  public Lora lora() {
    return lora;
  }

  /** The adapters' parameters with LoRA, else every base weight. */
  public Map<String, Parameter> trainableParameters() {
    return lora != null ? lora.parameters() : block.namedParameters();
  }

  /** A padding id that is never scored (EOS, else 0). */
  public int padId() {
    return Math.max(0, tokenizer.eosId());
  }

  /**
   * Logits {@code (N, T, V)} float32 for {@code ids (N, T)}.
   *
   * @param weights the weights to read: {@code new ParameterStore(step, false)} on one device, a
   *     replica's under {@link DataParallel}
   */
  public NDArray logits(ParameterStore weights, NDArray ids, boolean training) {
    return block.forward(weights, new NDList(ids), training, null, false).singletonOrThrow();
  }

  /**
   * Writes the final model into {@code dir}: with LoRA, the adapters alone into
   * {@code dir/adapter} (this project's layout) and {@code dir/adapter-peft} (Hugging Face
   * PEFT's, for {@code PeftModel.from_pretrained}), then the merged weights as a full checkpoint
   * (the adapters are merged into this model, which is then no longer adapter-bearing).
   */
  public void saveFinal(Path dir, Provenance provenance) throws IOException {
    if (lora != null) {
      lora.save(dir.resolve(ADAPTER_DIR), provenance);
      PeftAdapters.save(lora, dir.resolve(PEFT_ADAPTER_DIR), baseModel, provenance);
      lora.merge();
    }
    ModelCheckpoint.save(block, tokenizer, dir, provenance);
  }
}
