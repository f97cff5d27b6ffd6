package org.genderalign.trainer.loader;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Objects;
import java.util.Optional;
import org.genderalign.trainer.data.ChatTemplate;
import org.genderalign.trainer.model.LlamaConfig;
import org.genderalign.trainer.model.LlamaModel;
import org.genderalign.trainer.tokenizer.Tokenizer;

/**
 * A model ready to run: the DJL {@link Model} that owns the weights (its manager), the
 * {@link LlamaModel} block, its config, its tokenizer, and where it came from. Closing it frees
 * the weights (and a native tokenizer).
 */
public final class LoadedModel implements AutoCloseable {

  private final Model model;
  private final LlamaModel block;
  private final Tokenizer tokenizer;
  private final ModelSource source;
  private final ChatTemplate chatTemplate;

  public LoadedModel(Model model, LlamaModel block, Tokenizer tokenizer, ModelSource source) {
    this(model, block, tokenizer, source, null);
  }

  /**
   * @param chatTemplate the checkpoint's own chat template (Hugging Face folders), or null
   */
  public LoadedModel(Model model, LlamaModel block, Tokenizer tokenizer, ModelSource source,
      ChatTemplate chatTemplate) {
    this.chatTemplate = chatTemplate;
    this.model = Objects.requireNonNull(model);
    this.block = Objects.requireNonNull(block);
    this.tokenizer = Objects.requireNonNull(tokenizer);
    this.source = Objects.requireNonNull(source);
    if (model.getBlock() != block) {
      model.setBlock(block);
    }
  }

  /** The DJL model (use it for {@code newTrainer}). */
  public Model model() {
    return model;
  }

  public LlamaModel block() {
    return block;
  }

  public LlamaConfig config() {
    return block.config();
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  public ModelSource source() {
    return source;
  }

  /** The checkpoint's own chat template ({@code tokenizer_config.json}), when it has one. */
  public Optional<ChatTemplate> chatTemplate() {
    return Optional.ofNullable(chatTemplate);
  }

  /** The manager owning the weights; make per-step sub-managers from it. */
  public NDManager manager() {
    return model.getNDManager();
  }

  public Device device() {
    return model.getNDManager().getDevice();
  }

  /** The type of the weights (float32 on CPU; float32/bfloat16/float16 on GPU). */
  public DataType dataType() {
    return block.tokEmbeddings().getArray().getDataType();
  }

  @Override
  public void close() {
    model.close();
    if (tokenizer instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing tokenizer " + tokenizer.describe(), e);
      }
    }
  }
}
