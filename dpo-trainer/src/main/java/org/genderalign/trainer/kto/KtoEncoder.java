package org.genderalign.trainer.kto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.genderalign.core.data.UnpairedExample;
import org.genderalign.trainer.data.PairEncoder;

/**
 * Tokenises unpaired examples exactly as {@link PairEncoder} tokenises pairs (prompt through the
 * template with BOS, completion on its own with EOS, then concatenated) and truncates them the
 * same way: the sequence keeps its start up to {@code maxLength}; an example whose prompt alone
 * fills {@code maxLength} is dropped and counted (TRL's KTOTrainer drops it too).
 */
public final class KtoEncoder {

  private final PairEncoder encoder;

  public KtoEncoder(PairEncoder encoder) {
    this.encoder = encoder;
  }

  /**
   * What {@link #encodeAll} produced.
   *
   * @param examples the encoded examples, in input order
   * @param droppedIds ids of examples whose prompt alone filled maxLength
   * @param truncatedCount how many kept examples lost completion tokens
   */
  public record Result(List<KtoExample> examples, List<String> droppedIds, int truncatedCount) {}

  /** Encodes every example; dropped ones are listed by id. */
  public Result encodeAll(List<UnpairedExample> examples) {
    List<KtoExample> kept = new ArrayList<>(examples.size());
    List<String> dropped = new ArrayList<>();
    int truncated = 0;
    for (UnpairedExample x : examples) {
      int[] p = encoder.encodePrompt(x.prompt());
      if (p.length >= encoder.maxLength()) {
        dropped.add(x.id());
        continue;
      }
      int room = encoder.maxLength() - p.length;
      int[] c = encoder.encodeCompletion(x.completion());
      boolean cut = c.length > room;
      kept.add(new KtoExample(x.id(), p, cut ? Arrays.copyOf(c, room) : c, x.label(), cut));
      truncated += cut ? 1 : 0;
    }
    return new Result(List.copyOf(kept), List.copyOf(dropped), truncated);
  }
}
