package org.genderalign.cli.taxonomy;

import org.genderalign.cli.BadUsageException;
import org.genderalign.core.format.ErrorPolicy;
import picocli.CommandLine.Option;

/** Options shared by the taxonomy commands that judge a whole data set: worker threads and bad-record policy. */
public final class PairJobOptions {

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: all cores).")
  Integer threads;

  @Option(names = "--on-error", defaultValue = "fail", paramLabel = "fail|skip",
      description = "fail: stop at the first bad record (default); skip: write it to <out>.rejects.jsonl and go on.")
  String onError;

  /** The worker count, validated. */
  int threads() {
    int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (n < 1) {
      throw new BadUsageException("--threads must be >= 1, got " + n);
    }
    return n;
  }

  /** The bad-record policy, validated. */
  ErrorPolicy policy() {
    return PairInput.policy(onError);
  }
}
