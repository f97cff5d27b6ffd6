/**
 * Streaming readers and writers for the preference and SFT formats, chosen by name in
 * {@link org.genderalign.core.format.Formats}:
 *
 * <table>
 *   <caption>formats</caption>
 *   <tr><th>name</th><th>records</th><th>file</th></tr>
 *   <tr><td>{@code genderalign}</td><td>pairs</td><td>{@link org.genderalign.core.format.GenderAlignFormat}:
 *       the release JSON array of {@code {count, chosen, rejected}}</td></tr>
 *   <tr><td>{@code hh}</td><td>pairs</td><td>{@link org.genderalign.core.format.HhFormat}: HH-RLHF
 *       JSONL(.gz) transcripts</td></tr>
 *   <tr><td>{@code trl}</td><td>pairs</td><td>{@link org.genderalign.core.format.TrlFormat}: TRL JSONL
 *       (standard and conversational), or a JSON array of the same objects — this is how the
 *       {@code harmless-base-train-first5000-lastturn.json} mirror file is read</td></tr>
 *   <tr><td>{@code trl-conversational}</td><td>pairs</td><td>{@link org.genderalign.core.format.TrlConversationalFormat}:
 *       TRL JSONL written in TRL's conversational shape ({@code prompt} a message list, {@code chosen} /
 *       {@code rejected} one assistant message each); reads every TRL shape, as {@code trl}</td></tr>
 *   <tr><td>{@code csv}</td><td>pairs</td><td>{@link org.genderalign.core.format.CsvFormat}: header
 *       {@code prompt,chosen,rejected} (+ id, category, source, seed_id, metadata)</td></tr>
 *   <tr><td>{@code alpaca}</td><td>SFT</td><td>{@link org.genderalign.core.format.AlpacaFormat}: JSON
 *       array or JSONL of {@code {instruction, input, output}}</td></tr>
 *   <tr><td>{@code trl-unpaired}</td><td>unpaired</td><td>{@link org.genderalign.core.format.TrlUnpairedFormat}:
 *       TRL JSONL {@code {prompt, completion, label}} (KTO data; standard and conversational)</td></tr>
 *   <tr><td>{@code trl-chosen}</td><td>SFT</td><td>{@link org.genderalign.core.format.TrlChosenFormat}: a
 *       TRL pairs file read as prompt → chosen</td></tr>
 * </table>
 *
 * <p>Conventions shared by every reader:
 * <ul>
 *   <li>They stream: JSON Lines line by line, JSON arrays through Jackson's streaming parser
 *       one item at a time, CSV through Commons CSV. No line-length or string-length limit.</li>
 *   <li>Gzip is recognised by its magic bytes; a UTF-8 byte order mark is dropped; CRLF line ends
 *       and blank lines are accepted; invalid UTF-8 is an error (never replaced by U+FFFD).</li>
 *   <li>An empty or whitespace-only file holds zero records: not an error (an import of it says
 *       {@code imported 0, skipped 0}).</li>
 *   <li>Bad input is an {@link org.genderalign.core.error.InvalidInputException} naming the file,
 *       the 1-based line (JSONL, CSV) or the 0-based item index plus its line (JSON arrays), the
 *       field, and what was expected, e.g. {@code pairs.jsonl line 3: invalid JSON (unexpected end
 *       of input)}. A bad record is recoverable (reading may go on); a truncated gzip stream, a
 *       top-level value of the wrong type, broken JSON inside an array or an unbalanced CSV quote
 *       are not.</li>
 *   <li>Records without an id get {@code <file-stem>-<line>} (JSONL, CSV) or
 *       {@code <file-stem>-<item index>} (arrays), the stem being the file name without
 *       {@code .gz} and its last extension.</li>
 * </ul>
 * Writers write plain UTF-8 (no gzip). {@link org.genderalign.core.format.PairFiles} reads and
 * writes whole files (atomically); {@link org.genderalign.core.format.Importer} converts between
 * formats with a fail/skip {@link org.genderalign.core.format.ErrorPolicy}.
 */
package org.genderalign.core.format;
