package org.genderalign.eval.benchmark;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.taxonomy.BiasClassifier;
import org.genderalign.taxonomy.DefaultBiasClassifier;

/**
 * The project's bias classifier, trained once per data root and process: training takes seconds,
 * and {@code generation-bias} (for every model) and the {@code taxonomy} judge all need the same
 * immutable, thread-safe classifier. It lives as long as the process (an in-memory index; nothing
 * native to free).
 */
public final class SharedClassifier {

  private static final Map<Path, BiasClassifier> BY_ROOT = new ConcurrentHashMap<>();

  private SharedClassifier() {}

  /** The default classifier of {@code root}. */
  public static BiasClassifier of(DataRoot root) {
    return BY_ROOT.computeIfAbsent(root.dir().toAbsolutePath().normalize(),
        p -> DefaultBiasClassifier.create(root));
  }
}
