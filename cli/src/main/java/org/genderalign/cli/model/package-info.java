/**
 * Model commands: {@code generate} ({@link org.genderalign.cli.model.GenerateCommand}),
 * {@code score} ({@link org.genderalign.cli.model.ScoreCommand}) and {@code bench model}
 * ({@link org.genderalign.cli.model.BenchModelCommand}) — thin layers over the trainer module's
 * loader, generator, scorer and benchmark.
 */
package org.genderalign.cli.model;
