/**
 * The shortcut audit of a built data set, whatever generated it: core's
 * {@link org.genderalign.core.dataset.ShortcutAudit} with token lengths counted by the
 * stories260K tokenizer as the DPO trainer would encode the pairs, side by side with the audit of
 * the real GenderAlign release sample, and the warnings of the thresholds.
 */
package org.genderalign.builder.audit;
