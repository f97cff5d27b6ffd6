package org.genderalign.builder.generate;

import java.io.IOException;
import java.util.List;
import org.genderalign.builder.seed.Seed;

/**
 * Writes the independent single-turn dialogues of seeds. Implementations must return results in
 * input order and must be deterministic given the build seed (or replay a journal) so that a
 * resumed build equals an uninterrupted one.
 */
public interface DialogueWriter extends AutoCloseable {

  /** The backend name ({@code template}, {@code openai}). */
  String name();

  /**
   * For each seed, {@code perSeed} dialogues with indices 0..perSeed−1 (failures included as
   * {@link Dialogue#failed failed} entries rather than thrown).
   *
   * @throws IOException when the backend cannot go on at all (e.g. an endpoint that keeps
   *     failing after every retry); the build stops and can be resumed
   */
  List<List<Dialogue>> write(List<Seed> seeds, int perSeed) throws IOException;

  /** A short description of the backend's settings for the dataset card (no secrets). */
  String describe();

  @Override
  default void close() throws IOException {}
}
