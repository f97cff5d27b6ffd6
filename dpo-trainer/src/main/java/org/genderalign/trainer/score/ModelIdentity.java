package org.genderalign.trainer.score;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.genderalign.core.io.Hashing;
import org.genderalign.trainer.loader.LoadedModel;
import org.genderalign.trainer.model.LlamaModel;
import org.genderalign.trainer.model.Projection;

/**
 * The identity of a model's weights, for keys of {@link ScoreCache}: two models with the same
 * identity give the same log-likelihoods.
 *
 * <p>A model read from files is identified by its format, the sha256 of every file read, its
 * config and the type it was loaded in (cheap: the hashes were taken while loading). A model with
 * no files (random weights) is identified by the bytes of its weights. Active adapters (LoRA) add
 * the bytes of their parameters. Weights changed in place after loading (full fine-tuning in the
 * same process) are not seen: score such a model with {@link #ofWeights} or without a cache.
 */
public final class ModelIdentity {

  private ModelIdentity() {}

  /** The identity of a loaded model (see the class comment). */
  public static String of(LoadedModel model) {
    Map<String, String> files = new TreeMap<>(model.source().files());
    String base = files.isEmpty() ? ofWeights(model.block())
        : Hashing.sha256("files|" + model.source().format() + "|" + files + "|"
            + model.config() + "|" + model.dataType());
    String adapters = adapterHash(model.block());
    return adapters == null ? base : Hashing.sha256(base + "|adapters:" + adapters);
  }

  /**
   * sha256 over the config and every weight's type, shape and bytes (and active adapters'
   * parameters). Reads every weight to the host: for small models and tests.
   */
  public static String ofWeights(LlamaModel block) {
    MessageDigest md = Hashing.newDigest();
    md.update(("weights|" + block.config()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    for (Map.Entry<String, Parameter> e : block.namedParameters().entrySet()) {
      update(md, e.getKey(), e.getValue().getArray());
    }
    String base = HexFormat.of().formatHex(md.digest());
    String adapters = adapterHash(block);
    return adapters == null ? base : Hashing.sha256(base + "|adapters:" + adapters);
  }

  /** sha256 of the parameters of every active adapter, or null when none is active. */
  private static String adapterHash(LlamaModel block) {
    MessageDigest md = null;
    for (Map.Entry<String, Projection> e : block.projections().entrySet()) {
      Projection p = e.getValue();
      if (!p.hasActiveAdapter()) {
        continue;
      }
      if (md == null) {
        md = Hashing.newDigest();
      }
      md.update(p.adapter().getClass().getName().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      for (Parameter q : p.adapter().parameters()) {
        update(md, e.getKey() + "." + q.getName(), q.getArray());
      }
    }
    return md == null ? null : HexFormat.of().formatHex(md.digest());
  }

  private static void update(MessageDigest md, String name, NDArray a) {
    md.update((name + "|" + a.getDataType() + "|" + a.getShape())
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    md.update(a.toByteArray());
  }
}
