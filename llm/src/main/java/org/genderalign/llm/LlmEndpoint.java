package org.genderalign.llm;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import lombok.Builder;

/**
 * Where and how to call an OpenAI-compatible chat endpoint. The API key itself is never part of
 * it: only the name of the environment variable or the path of a key file ({@link ApiKey}), so
 * that this record can be written to provenance.
 *
 * @param baseUrl base URL up to and including {@code /v1}; {@code /chat/completions} and
 *     {@code /models} are appended
 * @param apiKeyEnv environment variable holding the key
 * @param apiKeyFile a file holding the key (used when the variable is unset), or null
 * @param concurrency requests in flight at once
 * @param maxRetries retries of one request on 429, 408, 5xx, timeouts, connection errors and
 *     malformed responses
 * @param initialBackoffMillis first retry delay; doubles each retry, with jitter (a server's
 *     {@code Retry-After} wins when longer)
 * @param maxBackoffMillis cap on one retry delay
 * @param timeoutSeconds per-request timeout
 */
@Builder(toBuilder = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LlmEndpoint(String baseUrl, String apiKeyEnv, String apiKeyFile, Integer concurrency,
    Integer maxRetries, Long initialBackoffMillis, Long maxBackoffMillis, Integer timeoutSeconds) {

  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
  public static final String DEFAULT_API_KEY_ENV = "OPENAI_API_KEY";
  public static final int DEFAULT_CONCURRENCY = 4;
  public static final int DEFAULT_MAX_RETRIES = 6;
  public static final long DEFAULT_INITIAL_BACKOFF_MILLIS = 1000;
  public static final long DEFAULT_MAX_BACKOFF_MILLIS = 60_000;
  public static final int DEFAULT_TIMEOUT_SECONDS = 120;

  public LlmEndpoint {
    baseUrl = baseUrl == null ? DEFAULT_BASE_URL : baseUrl.replaceAll("/+$", "");
    apiKeyEnv = apiKeyEnv == null ? DEFAULT_API_KEY_ENV : apiKeyEnv;
    concurrency = concurrency == null ? DEFAULT_CONCURRENCY : concurrency;
    maxRetries = maxRetries == null ? DEFAULT_MAX_RETRIES : maxRetries;
    initialBackoffMillis = initialBackoffMillis == null ? DEFAULT_INITIAL_BACKOFF_MILLIS
        : initialBackoffMillis;
    maxBackoffMillis = maxBackoffMillis == null ? DEFAULT_MAX_BACKOFF_MILLIS : maxBackoffMillis;
    timeoutSeconds = timeoutSeconds == null ? DEFAULT_TIMEOUT_SECONDS : timeoutSeconds;
    check(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"), "baseUrl",
        "must start with http:// or https://, got '" + baseUrl + "'");
    check(concurrency >= 1 && concurrency <= 256, "concurrency", "must be 1..256, got "
        + concurrency);
    check(maxRetries >= 0 && maxRetries <= 100, "maxRetries", "must be 0..100, got " + maxRetries);
    check(initialBackoffMillis >= 0 && initialBackoffMillis <= maxBackoffMillis,
        "initialBackoffMillis", "must be >= 0 and <= maxBackoffMillis, got "
            + initialBackoffMillis);
    check(timeoutSeconds >= 1, "timeoutSeconds", "must be >= 1, got " + timeoutSeconds);
  }

  /** The defaults: OpenAI's endpoint, key in {@code $OPENAI_API_KEY}. */
  public static LlmEndpoint defaults() {
    return builder().build();
  }

  /** Whether this is OpenAI's own endpoint (which always needs a key). */
  @JsonIgnore
  public boolean isOpenAi() {
    return baseUrl.startsWith("https://api.openai.com");
  }

  private static void check(boolean ok, String field, String message) {
    if (!ok) {
      throw new IllegalArgumentException("llm endpoint " + field + " " + message);
    }
  }
}
