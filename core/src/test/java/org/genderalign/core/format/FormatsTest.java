package org.genderalign.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FormatsTest {

  @Test
  void knowsEveryFormatByName() {
    assertThat(Formats.pairFormatNames()).containsExactly("genderalign", "hh", "trl", "csv", "trl-conversational");
    assertThat(Formats.sftFormatNames()).containsExactly("alpaca", "trl-chosen");
    for (String n : Formats.pairFormatNames()) {
      assertThat(Formats.pairs(n).name()).isEqualTo(n);
    }
    for (String n : Formats.sftFormatNames()) {
      assertThat(Formats.sft(n).name()).isEqualTo(n);
    }
  }

  @Test
  void unknownNameListsTheKnownOnes() {
    assertThatThrownBy(() -> Formats.pairs("parquet"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown preference-pair format 'parquet'; known: genderalign, hh, trl, csv, trl-conversational");
    assertThatThrownBy(() -> Formats.pairs("alpaca"))
        .hasMessageContaining("'alpaca' is an SFT format");
    assertThatThrownBy(() -> Formats.sft("hh"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown SFT format 'hh'; known: alpaca, trl-chosen ('hh' is a preference-pair format)");
  }
}
