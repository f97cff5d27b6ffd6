package org.genderalign.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW with torch.optim.AdamW's update, in the same order (single-tensor path):
 * <pre>
 *   w ← w·(1 − lr·wd)
 *   m ← β1·m + (1−β1)·g          v ← β2·v + (1−β2)·g²
 *   w ← w − (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + ε)
 * </pre>
 * DJL's own {@code Optimizer.adamW()} is not used: its moments are private (no bit-identical
 * resume) and it folds the bias correction into the step size, which puts ε inside the
 * correction, unlike torch (see {@code DjlAdamWComparisonTest}).
 *
 * <p>Moments live in {@code stateManager}; every temporary of an update lives in a sub-manager
 * closed at the end of the update, so memory stays flat. Call {@link #step} outside any
 * gradient collector. Gradients are zeroed after the update (the collector never zeroes them).
 */
public final class AdamW implements AutoCloseable {

  private final AdamWConfig config;
  private final NDManager stateManager;
  private final Map<String, NDArray[]> moments = new LinkedHashMap<>();
  private long step;

  public AdamW(AdamWConfig config, NDManager parent) {
    this.config = config;
    this.stateManager = parent.newSubManager();
  }

  public AdamWConfig config() {
    return config;
  }

  /** Updates completed so far. */
  public long stepCount() {
    return step;
  }

  /**
   * One update of every parameter with learning rate {@code lr}, then zeroes their gradients.
   *
   * @param params trainable parameters by stable name (the names key the saved state)
   * @param lr this step's learning rate (the schedule already applied)
   */
  public void step(Map<String, Parameter> params, double lr) {
    step++;
    double b1 = config.beta1();
    double b2 = config.beta2();
    double bc1 = 1 - Math.pow(b1, step);
    double bc2Sqrt = Math.sqrt(1 - Math.pow(b2, step));
    double stepSize = lr / bc1;
    for (Map.Entry<String, Parameter> e : params.entrySet()) {
      NDArray w = e.getValue().getArray();
      NDArray[] mv = moments.computeIfAbsent(e.getKey(), k -> new NDArray[] {
          zerosLike(w), zerosLike(w)});
      try (NDManager tmp = stateManager.newSubManager(w.getDevice())) {
        NDArray g = w.getGradient();
        g.attach(tmp);
        NDArray m = mv[0];
        NDArray v = mv[1];
        if (config.weightDecay() != 0) {
          w.muli(1 - lr * config.weightDecay());
        }
        m.muli(b1).addi(g.mul(1 - b1));
        v.muli(b2).addi(g.square().mul(1 - b2));
        NDArray denom = v.sqrt();
        denom.attach(tmp);
        denom.divi(bc2Sqrt).addi(config.epsilon());
        NDArray upd = m.div(denom);
        upd.attach(tmp);
        w.subi(upd.muli(stepSize));
        g.subi(g); // zero the gradient in place (the engine accumulates into it)
      }
    }
  }

  private NDArray zerosLike(NDArray w) {
    NDArray z = stateManager.zeros(w.getShape(), w.getDataType(), w.getDevice());
    return z;
  }

  /** The moments by parameter name: {@code [m, v]} (live arrays; copy before mutating). */
  public Map<String, NDArray[]> moments() {
    return java.util.Collections.unmodifiableMap(moments);
  }

  /** Restores the step count and moments saved by a checkpoint (copies the arrays in). */
  public void restore(long savedStep, Map<String, NDArray[]> savedMoments) {
    moments.values().forEach(a -> {
      a[0].close();
      a[1].close();
    });
    moments.clear();
    for (Map.Entry<String, NDArray[]> e : savedMoments.entrySet()) {
      NDArray m = e.getValue()[0].duplicate();
      NDArray v = e.getValue()[1].duplicate();
      m.attach(stateManager);
      v.attach(stateManager);
      moments.put(e.getKey(), new NDArray[] {m, v});
    }
    this.step = savedStep;
  }

  @Override
  public void close() {
    stateManager.close();
  }
}
