/**
 * Evaluation: the paper's benchmarks (BBQ gender identity, WinoGender, judge ranking) and more,
 * comparing Base, HH-RLHF-aligned and GenderAlign-aligned models, with HTML/Markdown/JSON
 * reports. Not built yet: the module exists so that the build's shape matches the design card
 * and the dependency arrows (evaluation → core, bias-taxonomy, dpo-trainer) are fixed early.
 */
package org.genderalign.eval;
