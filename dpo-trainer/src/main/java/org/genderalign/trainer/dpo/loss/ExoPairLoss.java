package org.genderalign.trainer.dpo.loss;

import ai.djl.ndarray.NDArray;

/**
 * EXO, pairwise form (Ji et al. 2024, "Towards Efficient Exact Optimization of Language Model
 * Alignment", arXiv:2402.00856, Eq. 16): the reverse KL between the model's preference
 * distribution over {chosen, rejected}, p = softmax(β·[rc, rr]), and the smoothed label
 * distribution [1 − ε, ε]:
 *
 * <pre>  σ(βz)·(log σ(βz) − log(1 − ε)) + σ(−βz)·(log σ(−βz) − log ε)</pre>
 *
 * with z = rc − rr; ε = {@code label_smoothing} must be &gt; 0 (the paper recommends 1e-3). TRL
 * v1.9.0 {@code DPOTrainer._compute_loss}, {@code loss_type="exo_pair"}. log σ is taken as
 * −softplus(−x) and σ as e^{log σ}, so nothing overflows at large |βz|.
 */
public final class ExoPairLoss extends ReferenceBasedLoss {

  private final double eps;

  public ExoPairLoss(double beta, double labelSmoothing) {
    super(beta);
    if (!(labelSmoothing > 0 && labelSmoothing < 1)) {
      throw new IllegalArgumentException("exo_pair needs label smoothing in (0, 1) (the EXO paper uses 1e-3), got "
          + labelSmoothing);
    }
    this.eps = labelSmoothing;
  }

  @Override
  public String name() {
    return "exo_pair";
  }

  @Override
  protected NDArray losses(PreferenceBatchLogps b, NDArray rc, NDArray rr, NDArray betaNd) {
    NDArray x = rc.sub(rr).mul(betaNd); // (B) βz
    NDArray logQw = Numerics.logSigmoid(x);
    NDArray logQl = Numerics.logSigmoid(x.neg());
    NDArray w = logQw.exp().mul(logQw.sub(Numerics.scalar(x, Math.log1p(-eps))));
    NDArray l = logQl.exp().mul(logQl.sub(Numerics.scalar(x, Math.log(eps))));
    return w.add(l);
  }
}
