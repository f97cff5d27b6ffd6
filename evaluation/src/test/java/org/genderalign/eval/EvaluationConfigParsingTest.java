package org.genderalign.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The NAME=FILE and set-list forms shared by the CLI's options and the Maven goal's parameters. */
class EvaluationConfigParsingTest {

  @Test
  void namedFilesKeepOrderAndCheckedOnesMustExistOnce(@TempDir Path tmp) throws Exception {
    Path a = Files.writeString(tmp.resolve("a.jsonl"), "{}\n");
    Map<String, Path> m = EvaluationConfig.parseNamedFiles(List.of("z=" + a, "b=/nowhere/b.jsonl"), "--x", false);
    assertThat(m.keySet()).containsExactly("z", "b");
    assertThat(m.get("b")).isEqualTo(Path.of("/nowhere/b.jsonl"));
    assertThat(EvaluationConfig.parseNamedFiles(null, "--x", true)).isEmpty();
    assertThatThrownBy(() -> EvaluationConfig.parseNamedFiles(List.of("noequals"), "--prompts", false))
        .hasMessage("malformed --prompts 'noequals': expected NAME=FILE");
    assertThatThrownBy(() -> EvaluationConfig.parseNamedFiles(List.of("x="), "--prompts", false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EvaluationConfig.parseNamedFiles(List.of("b=/nowhere/b.jsonl"), "--prompts", true))
        .hasMessage("--prompts b=/nowhere/b.jsonl: no such file");
    assertThatThrownBy(() -> EvaluationConfig.parseNamedFiles(List.of("a=" + a, "a=" + a), "--prompts", true))
        .hasMessage("duplicate --prompts name 'a'");
    // unchecked: the later one wins
    assertThat(EvaluationConfig.parseNamedFiles(List.of("a=/1", "a=/2"), "--x", false))
        .containsExactly(Map.entry("a", Path.of("/2")));
  }

  @Test
  void setListsSkipBlanksAndNoneIsEmpty() {
    assertThat(EvaluationConfig.parseSetList(" genderalign-release, ,hh-harmless-test "))
        .containsExactly("genderalign-release", "hh-harmless-test");
    assertThat(EvaluationConfig.parseSetList("none")).isEmpty();
    assertThat(EvaluationConfig.parseSetList(null)).isEmpty();
  }
}
