package org.genderalign.builder.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import lombok.Builder;

/**
 * An OpenAI-compatible chat completions endpoint (OpenAI, vLLM, Ollama, llama.cpp server).
 * The API key is never part of the config: it is read from the environment variable named by
 * {@code apiKeyEnv} at run time, so it is never written to provenance or logs.
 *
 * @param baseUrl base URL up to and including {@code /v1}; {@code /chat/completions} is appended
 * @param model model name sent in every request
 * @param apiKeyEnv environment variable holding the key (absent or empty = no Authorization
 *     header, as local servers expect)
 * @param temperature sampling temperature
 * @param maxTokens {@code max_tokens} of every request
 * @param concurrency requests in flight at once
 * @param maxRetries retries of one request on 429, 5xx, timeouts and malformed responses
 * @param initialBackoffMillis first retry delay; doubles each retry (a server's
 *     {@code Retry-After} wins when longer)
 * @param maxBackoffMillis cap on one retry delay
 * @param timeoutSeconds per-request timeout
 * @param journal request/response journal file; null = {@code <out>/.build/openai-journal.jsonl}
 */
@Builder(toBuilder = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OpenAiConfig(
    String baseUrl,
    String model,
    String apiKeyEnv,
    Double temperature,
    Integer maxTokens,
    Integer concurrency,
    Integer maxRetries,
    Long initialBackoffMillis,
    Long maxBackoffMillis,
    Integer timeoutSeconds,
    String journal) {

  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
  /** The paper used GPT-3.5 for the aligned side. */
  public static final String DEFAULT_MODEL = "gpt-3.5-turbo";
  public static final String DEFAULT_API_KEY_ENV = "OPENAI_API_KEY";
  public static final double DEFAULT_TEMPERATURE = 0.7;
  public static final int DEFAULT_MAX_TOKENS = 700;
  public static final int DEFAULT_CONCURRENCY = 4;
  public static final int DEFAULT_MAX_RETRIES = 6;
  public static final long DEFAULT_INITIAL_BACKOFF_MILLIS = 1000;
  public static final long DEFAULT_MAX_BACKOFF_MILLIS = 60_000;
  public static final int DEFAULT_TIMEOUT_SECONDS = 120;

  public OpenAiConfig {
    baseUrl = baseUrl == null ? DEFAULT_BASE_URL : baseUrl.replaceAll("/+$", "");
    model = model == null ? DEFAULT_MODEL : model;
    apiKeyEnv = apiKeyEnv == null ? DEFAULT_API_KEY_ENV : apiKeyEnv;
    temperature = temperature == null ? DEFAULT_TEMPERATURE : temperature;
    maxTokens = BuildConfig.orDefault(maxTokens, DEFAULT_MAX_TOKENS);
    concurrency = BuildConfig.orDefault(concurrency, DEFAULT_CONCURRENCY);
    maxRetries = BuildConfig.orDefault(maxRetries, DEFAULT_MAX_RETRIES);
    initialBackoffMillis = initialBackoffMillis == null ? DEFAULT_INITIAL_BACKOFF_MILLIS : initialBackoffMillis;
    maxBackoffMillis = maxBackoffMillis == null ? DEFAULT_MAX_BACKOFF_MILLIS : maxBackoffMillis;
    timeoutSeconds = BuildConfig.orDefault(timeoutSeconds, DEFAULT_TIMEOUT_SECONDS);
    BuildConfig.check(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"), "openai.baseUrl",
        "must start with http:// or https://, got '" + baseUrl + "'");
    BuildConfig.check(!model.isBlank(), "openai.model", "must not be blank");
    BuildConfig.check(temperature >= 0 && temperature <= 2, "openai.temperature", "must be in [0, 2], got " + temperature);
    BuildConfig.check(maxTokens >= 1, "openai.maxTokens", "must be ≥ 1, got " + maxTokens);
    BuildConfig.check(concurrency >= 1 && concurrency <= 256, "openai.concurrency", "must be 1..256, got " + concurrency);
    BuildConfig.check(maxRetries >= 0 && maxRetries <= 100, "openai.maxRetries", "must be 0..100, got " + maxRetries);
    BuildConfig.check(initialBackoffMillis >= 0 && initialBackoffMillis <= maxBackoffMillis,
        "openai.initialBackoffMillis", "must be ≥ 0 and ≤ maxBackoffMillis, got " + initialBackoffMillis);
    BuildConfig.check(timeoutSeconds >= 1, "openai.timeoutSeconds", "must be ≥ 1, got " + timeoutSeconds);
  }
}
