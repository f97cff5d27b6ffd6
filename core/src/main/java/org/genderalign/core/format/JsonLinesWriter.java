package org.genderalign.core.format;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes one JSON object per line ({@code \n}-terminated, UTF-8, non-ASCII written as is).
 * Subclasses write the fields of one record between {@code writeStartObject} and
 * {@code writeEndObject}.
 *
 * @param <T> record type
 */
abstract class JsonLinesWriter<T> implements RecordWriter<T> {

  protected final JsonGenerator gen;

  JsonLinesWriter(Path file) throws IOException {
    BufferedWriter w = new BufferedWriter(
        new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), InputFiles.BUFFER);
    this.gen = JsonSupport.MAPPER.getFactory().createGenerator(w);
    // Lines are separated by hand; no root-value separator of Jackson's own.
    gen.setRootValueSeparator(null);
  }

  @Override
  public final void write(T record) throws IOException {
    gen.writeStartObject();
    writeFields(record);
    gen.writeEndObject();
    gen.writeRaw('\n');
  }

  /** Writes the fields of one record, in the format's key order. */
  protected abstract void writeFields(T record) throws IOException;

  /** Writes {@code key: value} unless the value is null. */
  protected final void writeIfPresent(String key, String value) throws IOException {
    if (value != null) {
      gen.writeStringField(key, value);
    }
  }

  /**
   * Writes every metadata entry as a top-level key after the record's own fields.
   *
   * @param what "pair", "example"… for the error message
   * @param reserved the format's own keys, which metadata may not use
   */
  protected final void writeMetadata(String what, String id, java.util.Map<String, Object> metadata,
      java.util.Set<String> reserved) throws IOException {
    for (java.util.Map.Entry<String, Object> e : metadata.entrySet()) {
      if (reserved.contains(e.getKey())) {
        throw new IllegalArgumentException(what + " " + id + ": metadata key '" + e.getKey()
            + "' collides with a TRL field; rename it");
      }
      gen.writeFieldName(e.getKey());
      gen.writeObject(e.getValue());
    }
  }

  @Override
  public void close() throws IOException {
    gen.close();
  }
}
