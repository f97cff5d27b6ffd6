/**
 * Model throughput benchmarks ({@link org.genderalign.trainer.bench.ModelBenchmark}): forward and
 * forward + backward tokens/s, and the process's large-GEMM FLOP/s as a yardstick. Speed targets
 * live in the {@code bench} command, never in timed unit tests.
 */
package org.genderalign.trainer.bench;
