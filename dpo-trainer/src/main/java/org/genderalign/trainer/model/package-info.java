/**
 * The Llama-architecture causal LM as DJL blocks — the API the training code builds on.
 *
 * <ul>
 *   <li>{@link org.genderalign.trainer.model.LlamaConfig} — immutable, validated, JSON config
 *       ({@code LlamaConfig.stories260K()}, {@code LlamaConfig.small10M()}, or the builder).</li>
 *   <li>{@link org.genderalign.trainer.model.LlamaModel} — the block: {@code forward(ps,
 *       NDList(inputIds (B,T) int32/int64), training, params)} → {@code NDList(logits (B,T,V)
 *       float32)}; optional {@code attentionMask (B, past+T)} and {@code positions (B,T)} inputs;
 *       a {@link org.genderalign.trainer.model.KvCache} path for generation
 *       ({@code forward(ps, inputs, training, cache, lastOnly)}); {@code logits(ids)} outside a
 *       trainer. Trainable: every weight is a DJL {@code Parameter}
 *       ({@code getParameters()}, {@code namedParameters()} by llama2.c name).</li>
 *   <li>{@link org.genderalign.trainer.model.Projection} — every matrix ({@code wq wk wv wo w1 w2
 *       w3}, and {@code output} when untied), enumerated by
 *       {@code LlamaModel.projections()} under names like {@code layers.3.attention.wq}; each can
 *       carry a {@link org.genderalign.trainer.model.ProjectionAdapter} (LoRA) that can be
 *       switched off (the reference model of DPO with LoRA).</li>
 * </ul>
 *
 * <p>Numerics: RMSNorm and softmax run in float32 whatever the weight type; RoPE in both
 * layouts ({@link org.genderalign.trainer.model.RopeLayout}); grouped-query attention with a
 * causal mask built from comparisons (no triu/tril), in query blocks of at most 8 MiB of
 * scores. No {@code Number} operand appears in the graph (djl-notes trap 1).
 */
package org.genderalign.trainer.model;
