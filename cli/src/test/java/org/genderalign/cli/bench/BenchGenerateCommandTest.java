package org.genderalign.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.genderalign.cli.CliRun;
import org.junit.jupiter.api.Test;

class BenchGenerateCommandTest {

  @Test
  void measuresLegacyAndNewGeneratorsOnTheSamePromptsInOneRun() {
    CliRun r = CliRun.of("bench", "generate", "--batch-size", "3", "--new-tokens", "6",
        "--iterations", "1");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("batch 3 x 6 new tokens").contains("same tokens: yes");
    for (String name : new String[] {"legacy", "new"}) {
      Matcher m = Pattern.compile(name + "\\s+(\\d+) new tokens/s\\s+([0-9.]+) ms/step")
          .matcher(r.out());
      assertThat(m.find()).as(r.out()).isTrue();
      assertThat(Double.parseDouble(m.group(2))).isPositive();
    }
    assertThat(CliRun.of("bench", "generate", "--new-tokens", "0").code()).isEqualTo(2);
  }
}
