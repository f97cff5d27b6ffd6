/** {@code genderalign eval}: fills an {@code EvaluationConfig} from options and runs the evaluator. */
package org.genderalign.cli.eval;
