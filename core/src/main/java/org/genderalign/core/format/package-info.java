/**
 * Streaming readers and writers for the preference and SFT formats: the GenderAlign release
 * JSON, HH-RLHF JSONL(.gz), TRL JSONL (standard and conversational), CSV and Alpaca JSON.
 * A format is one class implementing {@link org.genderalign.core.format.RecordFormat},
 * registered by name in {@link org.genderalign.core.format.Formats}.
 */
package org.genderalign.core.format;
