/**
 * Candidate filters, each counting what it drops and why: generation failures, length bounds,
 * empty and refusal answers, near-duplicate prompts, chosen answers the taxonomy flags as
 * biased, and the reward-guided filter (the RewardDS idea) with a pluggable reward proxy.
 */
package org.genderalign.builder.filter;
