package org.genderalign.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.Collection;

/**
 * Gradient norm and clipping by global L2 norm, as {@code torch.nn.utils.clip_grad_norm_}:
 * every gradient is scaled by min(1, maxNorm / (norm + 1e−6)). The norm is accumulated in double.
 */
public final class GradientClipping {

  private GradientClipping() {}

  /** The global L2 norm of the parameters' gradients. */
  public static double globalNorm(Collection<Parameter> params, NDManager scratch) {
    double sq = 0;
    for (Parameter p : params) {
      try (NDManager tmp = scratch.newSubManager()) {
        NDArray g = p.getArray().getGradient();
        g.attach(tmp);
        NDArray s = g.toType(ai.djl.ndarray.types.DataType.FLOAT64, false);
        s.attach(tmp);
        sq += s.square().sum().getDouble();
      }
    }
    return Math.sqrt(sq);
  }

  /**
   * Scales the gradients so that their global norm is at most {@code maxNorm} (0 = no clipping).
   *
   * @return the norm before clipping (what Hugging Face logs as {@code grad_norm})
   */
  public static double clip(Collection<Parameter> params, double maxNorm, NDManager scratch) {
    double norm = globalNorm(params, scratch);
    if (maxNorm > 0 && Double.isFinite(norm)) {
      double coef = maxNorm / (norm + 1e-6);
      if (coef < 1) {
        for (Parameter p : params) {
          try (NDManager tmp = scratch.newSubManager()) {
            NDArray g = p.getArray().getGradient();
            g.attach(tmp);
            g.muli(coef);
          }
        }
      }
    }
    return norm;
  }
}
