package org.genderalign.trainer.dpo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
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

  /** (N) float32 summed completion log-probs of the batch's rows. */
  NDArray logps(NDManager step, CompletionBatch batch);

  /** A separate frozen copy of the weights (full fine-tuning). */
  static ReferenceModel frozenCopy(LlamaModel copy) {
    for (var p : copy.namedParameters().values()) {
      p.getArray().setRequiresGradient(false);
    }
    return (step, batch) -> score(copy, step, batch);
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
    return (step, batch) -> {
      lora.setBypassed(true); // same code path as the policy: bit-identical while B = 0
      try {
        return score(policy.block(), step, batch);
      } finally {
        lora.setBypassed(false);
      }
    };
  }

  private static NDArray score(LlamaModel model, NDManager step, CompletionBatch batch) {
    NDArray ids = batch.inputIdsArray(step);
    NDArray logits = model.forward(new ai.djl.training.ParameterStore(step, false),
        new ai.djl.ndarray.NDList(ids), false, null, false).singletonOrThrow(); // (N, T, V)
    return SequenceLogProbs.sum(logits, ids, batch.maskArray(step, DataType.FLOAT32)).stopGradient();
  }
}
