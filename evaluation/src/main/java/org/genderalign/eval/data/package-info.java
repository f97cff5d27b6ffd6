/**
 * Readers of the benchmark files (BBQ jsonl, CrowS-Pairs and StereoSet CSV, WinoGender TSV) into
 * plain records, exactly as eval-protocol.md describes them: UTF-8, RFC-4180 quoting through
 * Commons CSV, a bad row reported with its file, line and field. No model and no scoring here.
 */
package org.genderalign.eval.data;
