package org.genderalign.eval.judge;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.nio.file.Path;
import java.util.List;
import org.genderalign.llm.LlmEndpoint;

/**
 * The judges of the {@code ranking} benchmark and how to reach the LLM ones. Immutable and
 * validated; the API key itself is never here (only where it comes from: the endpoint's
 * environment variable or key file), so this record can be written to provenance.
 *
 * @param judges judge specs, in report order ({@link Judges}: {@code taxonomy},
 *     {@code openai:MODEL}, {@code human:FILE}); default {@code taxonomy}
 * @param endpoint the OpenAI-compatible endpoint of every {@code openai:} judge (URL, key
 *     variable or key file, concurrency, HTTP retries)
 * @param parseRetries how many times an unparseable reply is answered with a correction request
 *     before the question counts as failed (default {@value #DEFAULT_PARSE_RETRIES})
 * @param maxTokens {@code max_tokens} of a judge's reply (default {@value #DEFAULT_MAX_TOKENS})
 * @param exportAnnotation a folder to write the blinded human annotation sheet into, or null
 */
public record JudgeOptions(List<String> judges, LlmEndpoint endpoint, int parseRetries,
    int maxTokens, @JsonSerialize(using = ToStringSerializer.class) Path exportAnnotation) {

  public static final List<String> DEFAULT_JUDGES = List.of(Judges.TAXONOMY);
  public static final int DEFAULT_PARSE_RETRIES = 2;
  public static final int DEFAULT_MAX_TOKENS = 256;

  public JudgeOptions {
    judges = judges == null || judges.isEmpty() ? DEFAULT_JUDGES : List.copyOf(judges);
    Judges.validate(judges);
    endpoint = endpoint == null ? LlmEndpoint.defaults() : endpoint;
    if (parseRetries < 0 || parseRetries > 10) {
      throw new IllegalArgumentException("--judge-retries must be 0..10: " + parseRetries);
    }
    if (maxTokens < 16) {
      throw new IllegalArgumentException("judge max tokens must be >= 16: " + maxTokens);
    }
  }

  /**
   * The endpoint of the {@code openai:} judges from the CLI's options, each checked and named as
   * typed.
   *
   * @param url {@code --judge-url}: base URL up to {@code /v1}
   * @param keyEnv {@code --judge-key-env}: the environment variable holding the key
   * @param keyFile {@code --judge-key-file}: a file holding the key, or null
   * @param concurrency {@code --judge-concurrency}: requests in flight
   */
  public static LlmEndpoint endpoint(String url, String keyEnv, Path keyFile, int concurrency) {
    if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
      throw new IllegalArgumentException("--judge-url must start with http:// or https:// (an "
          + "OpenAI-compatible base URL such as " + LlmEndpoint.DEFAULT_BASE_URL + "), got '"
          + url + "'");
    }
    if (keyEnv == null || !keyEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("--judge-key-env must name an environment variable "
          + "(letters, digits, _), got '" + keyEnv + "'");
    }
    if (keyFile != null && !java.nio.file.Files.isRegularFile(keyFile)) {
      throw new IllegalArgumentException("--judge-key-file " + keyFile + ": no such file");
    }
    if (concurrency < 1 || concurrency > 256) {
      throw new IllegalArgumentException("--judge-concurrency must be 1..256, got "
          + concurrency);
    }
    return LlmEndpoint.builder().baseUrl(url).apiKeyEnv(keyEnv)
        .apiKeyFile(keyFile == null ? null : keyFile.toString()).concurrency(concurrency).build();
  }

  public static JudgeOptions defaults() {
    return new JudgeOptions(null, null, DEFAULT_PARSE_RETRIES, DEFAULT_MAX_TOKENS, null);
  }

  public JudgeOptions withJudges(List<String> specs) {
    return new JudgeOptions(specs, endpoint, parseRetries, maxTokens, exportAnnotation);
  }

  public JudgeOptions withEndpoint(LlmEndpoint e) {
    return new JudgeOptions(judges, e, parseRetries, maxTokens, exportAnnotation);
  }

  public JudgeOptions withParseRetries(int n) {
    return new JudgeOptions(judges, endpoint, n, maxTokens, exportAnnotation);
  }

  public JudgeOptions withExportAnnotation(Path dir) {
    return new JudgeOptions(judges, endpoint, parseRetries, maxTokens, dir);
  }
}
