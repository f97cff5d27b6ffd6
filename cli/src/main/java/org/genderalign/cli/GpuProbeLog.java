package org.genderalign.cli;

import java.util.Locale;

/**
 * DJL probes for CUDA on first use and logs "Failed to detect GPU count: CUDA driver version is
 * insufficient …" twice on every model command of a machine without a usable GPU. That is
 * noise unless the user asked for a GPU: then it explains why none was found, so it stays.
 */
final class GpuProbeLog {

  /** The slf4j-simple level key of DJL's CUDA probe. */
  static final String KEY = "org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils";

  private GpuProbeLog() {}

  /** Silences the probe's warning unless an argument names a GPU or a level was set already. */
  static void configure(String[] args) {
    if (System.getProperty(KEY) != null) {
      return;
    }
    for (String a : args) {
      String s = a.toLowerCase(Locale.ROOT);
      if (s.contains("gpu") || s.contains("cuda") || s.equals("all") || s.endsWith("=all")) {
        return;
      }
    }
    System.setProperty(KEY, "error");
  }
}
