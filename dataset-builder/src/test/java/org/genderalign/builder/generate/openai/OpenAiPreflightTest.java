package org.genderalign.builder.generate.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.genderalign.builder.KeywordClassifier;
import org.genderalign.builder.config.BuildConfig;
import org.genderalign.builder.config.OpenAiConfig;
import org.genderalign.builder.pipeline.DatasetBuilder;
import org.genderalign.core.dataroot.DataRoot;
import org.genderalign.llm.LlmUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A build with the openai backend that cannot use its endpoint fails in seconds with one line
 * (issue #12), before any request is retried: no key for OpenAI's endpoint, or nothing
 * listening at the URL.
 */
class OpenAiPreflightTest {

  static DatasetBuilder.Options options(Path out, Map<String, String> env) {
    return new DatasetBuilder.Options(out, false, DataRoot.fromEnvironment(),
        new KeywordClassifier(), null, env, 2);
  }

  static BuildConfig config(OpenAiConfig oc) {
    return BuildConfig.builder().target(12).generator("openai").mix("natural")
        .sources(List.of("workplace-sexism")).openai(oc).build();
  }

  @Test
  void noKeyOrNoServerFailsFastWithOneLine(@TempDir Path tmp) throws Exception {
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> DatasetBuilder.build(config(OpenAiConfig.builder().build()),
        options(tmp.resolve("a"), Map.of())))
        .isInstanceOf(LlmUnavailableException.class)
        .hasMessageStartingWith("no API key for https://api.openai.com/v1: set $OPENAI_API_KEY");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    assertThatThrownBy(() -> DatasetBuilder.build(config(OpenAiConfig.builder()
            .baseUrl("http://127.0.0.1:" + port + "/v1").maxRetries(7).build()),
        options(tmp.resolve("b"), Map.of("OPENAI_API_KEY", "sk-preflight-secret"))))
        .isInstanceOf(LlmUnavailableException.class)
        .hasMessageStartingWith("cannot reach http://127.0.0.1:" + port + "/v1")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n")
            .doesNotContain("sk-preflight-secret"));
    assertThat((System.nanoTime() - t0) / 1e9).isLessThan(30.0);
    assertThat(Files.exists(tmp.resolve("b/train.jsonl"))).isFalse();
  }
}
