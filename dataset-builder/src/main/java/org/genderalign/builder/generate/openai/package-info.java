/**
 * The {@code openai} backend: any OpenAI-compatible chat completions endpoint (OpenAI, vLLM,
 * Ollama, llama.cpp server) with bounded concurrency, retries with backoff on 429, 5xx,
 * timeouts and malformed responses, and a persistent request/response journal so that a
 * crashed or re-run build never pays for the same call twice.
 */
package org.genderalign.builder.generate.openai;
