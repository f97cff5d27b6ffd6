package org.genderalign.core.data;

import java.util.Objects;

/**
 * One supervised fine-tuning example in Alpaca's shape: an instruction, an optional input that
 * the instruction refers to, and the desired output. The paper's "Base" models are Alpaca-SFT.
 *
 * @param id stable identifier within its data set
 * @param instruction what the model is asked to do (never null)
 * @param input context for the instruction; empty string when there is none (never null)
 * @param output the target completion (never null)
 */
public record SftExample(String id, String instruction, String input, String output) {

  public SftExample {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(instruction, "instruction");
    Objects.requireNonNull(output, "output");
    input = input == null ? "" : input;
  }
}
