package org.genderalign.trainer.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Single-process data parallel over several devices, DJL's model of multi-device training
 * (djl-notes.md trap 7): one replica of the weights per device, each micro-batch split into one
 * contiguous shard per replica, every shard's gradient summed into the first device's copy,
 * one optimizer update there, and the updated values copied back to the other replicas.
 *
 * <p>Replica 0 is the model itself (its weights must live on the first device); replica
 * {@code r > 0} holds a copy of every parameter it is asked for, made the first time a forward
 * pass on it reads that parameter ({@link #parameters(int)} is the {@link ParameterStore} the
 * model reads through). Frozen weights (a LoRA base, a DPO reference copy) are copied once;
 * trainable ones are refreshed by {@link #broadcast} after every update.
 *
 * <p>Why not DJL's own {@code ParameterStore.setParameterServer}: its server runs a DJL
 * {@code Optimizer} inside the reduction, while clipping by global norm and this project's
 * torch-exact AdamW need every gradient summed first; its device map refuses a device listed
 * twice, so it cannot be exercised on a machine without GPUs; and it fills its replica list in
 * hash order of the devices. This class keeps DJL's design (copies per device, sum on the
 * first) with explicit, ordered replicas.
 *
 * <p>Determinism: shards are issued one after another from one thread (GPU kernels run
 * asynchronously, so devices still overlap) and gradients are summed in replica order, so a
 * run on the same device list is bit-reproducible. Against one device the result differs only
 * by floating-point summation order.
 *
 * <p>A device may appear twice (two replicas on one CPU): useless for speed, but it is how
 * the tests check sharding, reduction and broadcast without GPUs.
 */
public final class DataParallel implements AutoCloseable {

  private final List<Device> devices;
  private final List<NDManager> managers = new ArrayList<>();
  private final List<Replica> replicas = new ArrayList<>();

  /**
   * @param devices the devices, first = the device of the model's weights
   * @param base a manager whose sub-managers hold the replicas' copies (the model's manager)
   */
  public DataParallel(List<Device> devices, NDManager base) {
    if (devices.isEmpty()) {
      throw new IllegalArgumentException("data parallel needs at least one device");
    }
    this.devices = List.copyOf(devices);
    for (int r = 0; r < devices.size(); r++) {
      NDManager m = base.newSubManager(devices.get(r));
      managers.add(m);
      replicas.add(new Replica(r, devices.get(r), m));
    }
  }

  /** Number of replicas. */
  public int size() {
    return devices.size();
  }

  /** The device of replica {@code r}. */
  public Device device(int r) {
    return devices.get(r);
  }

  /** The weights replica {@code r}'s forward passes read. */
  public ParameterStore parameters(int r) {
    return replicas.get(r);
  }

  /**
   * Splits {@code batch} into at most {@link #size()} contiguous shards whose sizes differ by at
   * most one (the first ones larger); replicas beyond the batch size get no shard.
   */
  public <E> List<List<E>> shard(List<E> batch) {
    int n = Math.min(size(), batch.size());
    List<List<E>> out = new ArrayList<>(n);
    int start = 0;
    for (int r = 0; r < n; r++) {
      int len = batch.size() / n + (r < batch.size() % n ? 1 : 0);
      out.add(batch.subList(start, start + len));
      start += len;
    }
    return out;
  }

  /**
   * Adds every replica's gradient of the {@code trainable} parameters into the first device's
   * gradient, in replica order, and zeroes the replicas' gradients. Call after all backward
   * passes of a step and before clipping and the optimizer.
   */
  public void reduceGradients(Collection<Parameter> trainable, NDManager scratch) {
    for (int r = 1; r < size(); r++) {
      Replica rep = replicas.get(r);
      for (Parameter p : trainable) {
        NDArray copy = rep.copies.get(p.getId());
        if (copy == null) {
          continue; // this replica never read it (no shard reached it): nothing to add
        }
        try (NDManager tmp = scratch.newSubManager()) {
          NDArray master = p.getArray();
          NDArray g = copy.getGradient();
          g.attach(tmp);
          NDArray mg = master.getGradient();
          mg.attach(tmp);
          NDArray moved = g.toDevice(master.getDevice(), true);
          moved.attach(tmp);
          mg.addi(moved);
          g.subi(g);
        }
      }
    }
  }

  /** Copies the first device's values of the {@code trainable} parameters to every replica. */
  public void broadcast(Collection<Parameter> trainable, NDManager scratch) {
    for (int r = 1; r < size(); r++) {
      Replica rep = replicas.get(r);
      for (Parameter p : trainable) {
        NDArray copy = rep.copies.get(p.getId());
        if (copy == null) {
          continue;
        }
        try (NDManager tmp = scratch.newSubManager()) {
          NDArray moved = p.getArray().toDevice(copy.getDevice(), true);
          moved.attach(tmp);
          copy.set(new NDIndex("..."), moved);
        }
      }
    }
  }

  @Override
  public void close() {
    replicas.forEach(r -> r.copies.clear());
    managers.forEach(NDManager::close);
  }

  /**
   * One replica's view of the weights. Replica 0 reads the parameters themselves; the others
   * read their own copies, made on first use on their device.
   */
  private static final class Replica extends ParameterStore {
    private final int index;
    private final Device device;
    private final NDManager manager;
    private final Map<String, NDArray> copies = new ConcurrentHashMap<>();

    Replica(int index, Device device, NDManager manager) {
      super(manager, false);
      this.index = index;
      this.device = device;
      this.manager = manager;
    }

    @Override
    public NDArray getValue(Parameter parameter, Device requested, boolean training) {
      if (parameter == null) {
        return null;
      }
      if (!Objects.equals(requested, device)) {
        throw new IllegalStateException("replica " + index + " lives on " + device + " but a forward pass on "
            + requested + " asked it for " + parameter.getName());
      }
      NDArray master = parameter.getArray();
      if (index == 0) {
        if (!master.getDevice().equals(device)) {
          throw new IllegalStateException("the model's weights are on " + master.getDevice()
              + " but the first training device is " + device + ": load the model on the first device");
        }
        return master;
      }
      return copies.computeIfAbsent(parameter.getId(), k -> {
        // detach first: the first read may happen inside a gradient collector, and a copy made
        // there would be a graph node whose gradient flows into the master, not a leaf of its own
        try (NDArray detached = master.stopGradient()) {
          NDArray c = detached.toDevice(device, true);
          c.attach(manager);
          c.setRequiresGradient(master.hasGradient());
          return c;
        }
      });
    }

    @Override
    public void updateAllParameters() {
      throw new UnsupportedOperationException("DataParallel reduces and updates through the training loop");
    }

    @Override
    public void sync() {
      // the training loop broadcasts explicitly
    }
  }
}
