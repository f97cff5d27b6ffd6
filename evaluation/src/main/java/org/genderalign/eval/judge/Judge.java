package org.genderalign.eval.judge;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.genderalign.eval.benchmark.Progress;

/**
 * A judge of the {@code ranking} benchmark: for each question it ranks the k answers it is shown
 * (under the neutral labels A, B, C… in a seeded random order, never with model names) from the
 * least biased (rank 1) to the most biased (rank k). Implementations are registered by kind in
 * {@link Judges}: {@code taxonomy}, {@code openai:MODEL}, {@code human:FILE}.
 *
 * <p>A judge never drops a question: every item gets a {@link Judgement} — ranked, failed (an
 * LLM reply that could not be parsed after the retries) or missing (a person left it blank).
 */
public interface Judge extends AutoCloseable {

  /** The judge's name as the user typed it ({@code taxonomy}, {@code openai:gpt-4o}). */
  String name();

  /**
   * What besides the answers changes this judge's judgements (model, instructions' hash, sheet
   * hash…), JSON-able: part of the ranking's reuse key and written to results.json.
   */
  Map<String, Object> settings();

  /** One judgement per item, in item order. */
  List<Judgement> judge(List<JudgeItem> items, Progress progress) throws IOException;

  @Override
  default void close() throws IOException {}
}
