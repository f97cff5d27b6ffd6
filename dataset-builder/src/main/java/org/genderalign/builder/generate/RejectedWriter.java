package org.genderalign.builder.generate;

import java.io.IOException;
import java.util.List;

/**
 * Answers questions as an unaligned assistant would, producing the {@code rejected} side. Results
 * in input order; deterministic given the build seed or a journal.
 */
public interface RejectedWriter extends AutoCloseable {

  /** The backend name ({@code template}, {@code openai}, {@code model}). */
  String name();

  /** One answer per request, in order (failures as {@link Answer#failed failed} answers). */
  List<Answer> answer(List<RejectedRequest> requests) throws IOException;

  /** A short description of the backend's settings for the dataset card (no secrets). */
  String describe();

  @Override
  default void close() throws IOException {}
}
