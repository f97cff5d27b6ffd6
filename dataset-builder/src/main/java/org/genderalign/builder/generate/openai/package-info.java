/**
 * The {@code openai} backend: any OpenAI-compatible chat completions endpoint (OpenAI, vLLM,
 * Ollama, llama.cpp server) writes dialogues and/or rejected answers through the {@code llm}
 * module's client (bounded concurrency, retries with backoff, a persistent request journal so
 * that a crashed or re-run build never pays for the same call twice, a fail-fast preflight).
 */
package org.genderalign.builder.generate.openai;
