/**
 * A client for OpenAI-compatible chat completion endpoints (OpenAI, vLLM, Ollama, llama.cpp
 * server), shared by the data set builder and evaluation's judges:
 * {@link org.genderalign.llm.OpenAiClient} (bounded concurrency, retries with exponential
 * backoff and jitter on 429/5xx/timeouts honouring {@code Retry-After}, a fail-fast
 * {@link org.genderalign.llm.OpenAiClient#check() preflight}),
 * {@link org.genderalign.llm.ChatRequest} (model, messages, temperature, max tokens, seed: all
 * part of the journal key), {@link org.genderalign.llm.LlmEndpoint} (where and how to call),
 * {@link org.genderalign.llm.RequestJournal} (a re-run never repeats a paid request) and
 * {@link org.genderalign.llm.ApiKey} (keys only from the environment or a key file, never written
 * anywhere).
 */
package org.genderalign.llm;
