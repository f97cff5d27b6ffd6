package org.genderalign.core.testing;

import java.nio.file.Path;
import org.genderalign.core.dataroot.DataRoot;

/** The mirrored data files tests use, verified through the data root (tests fail when missing). */
public final class RealData {

  private RealData() {}

  /** The verified path of a registered file, e.g. {@code hh-rlhf-harmless-test}. */
  public static Path file(String id) {
    return DataRoot.fromEnvironment().file(id);
  }
}
