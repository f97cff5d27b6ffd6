package org.genderalign.trainer.dpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import org.genderalign.trainer.lora.Lora;
import org.genderalign.trainer.model.LlamaModel;
import org.genderalign.trainer.training.CompletionBatch;
import org.genderalign.trainer.training.PolicyModel;
import org.genderalign.trainer.training.SequenceLogProbs;

/**
 * The frozen reference of DPO: summed completion log-probs of a batch's rows, computed outside
 * any gradient collector (no graph), detached.
 */
public interface ReferenceModel {

  /**
   * (N) float32 summed completion log-probs of the batch's rows (under the batch's token weights
   * when it has them: LD-DPO, see {@link CompletionBatch#scoreWeightsArray}).
   *
   * @param weights the weights to read (a replica's under data parallel)
   * @param step the batch's manager, on the weights' device
   */
  NDArray logps(ParameterStore weights, NDManager step, CompletionBatch batch);

  /** The same on one device: the model's own weights. */
  default NDArray logps(NDManager step, CompletionBatch batch) {
    return logps(new ParameterStore(step, false), step, batch);
  }

  /** A separate frozen copy of the weights (full fine-tuning). */
  static ReferenceModel frozenCopy(LlamaModel copy) {
    for (var p : copy.namedParameters().values()) {
      p.getArray().setRequiresGradient(false);
    }
    return (weights, step, batch) -> score(copy, weights, step, batch);
  }

  /**
   * With LoRA: the policy's own network with its adapters switched off, so that one copy of
   * the base weights serves both (dpo-reference.md "Reference model").
   */
  static ReferenceModel adaptersOff(PolicyModel policy) {
    Lora lora = policy.lora();
    if (lora == null) {
      throw new IllegalArgumentException("adaptersOff needs a LoRA policy");
    }
    return (weights, step, batch) -> {
      lora.setBypassed(true); // same code path as the policy: bit-identical while B = 0
      try {
        return score(policy.block(), weights, step, batch);
      } finally {
        lora.setBypassed(false);
      }
    };
  }

  private static NDArray score(LlamaModel model, ParameterStore weights, NDManager step, CompletionBatch batch) {
    NDArray ids = batch.inputIdsArray(step);
    NDArray logits = model.forward(weights, new ai.djl.ndarray.NDList(ids), false, null, false)
        .singletonOrThrow(); // (N, T, V)
    return SequenceLogProbs.sum(logits, ids, batch.scoreWeightsArray(step)).stopGradient();
  }
}
