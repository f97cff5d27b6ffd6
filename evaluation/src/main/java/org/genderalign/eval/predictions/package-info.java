/**
 * The per-item prediction files, {@code predictions/<model>/<benchmark>.jsonl}, with a
 * {@code .meta.json} beside each holding the key (model files, data hashes, benchmark settings
 * and version) under which a re-run may reuse them instead of scoring again.
 */
package org.genderalign.eval.predictions;
