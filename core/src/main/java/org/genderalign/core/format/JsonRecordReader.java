package org.genderalign.core.format;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Path;
import org.genderalign.core.error.InvalidInputException;

/**
 * Streams JSON objects out of a JSON Lines file or one top-level JSON array (Jackson's
 * streaming parser: one item in memory at a time) and hands each to a format's
 * {@link Parser}. Blank lines in JSON Lines are skipped; an empty or whitespace-only file has
 * no records (not an error).
 *
 * <p>Recoverability: a bad line, or a well-formed array item with a bad field, is recoverable;
 * broken JSON syntax inside an array, invalid UTF-8 inside an array, a truncated gzip stream
 * or a top-level value of the wrong type are not.
 *
 * @param <T> record type
 */
final class JsonRecordReader<T> implements RecordReader<T> {

  /** Turns one JSON object into a record. */
  @FunctionalInterface
  interface Parser<T> {
    /**
     * @param o the object
     * @param fallbackId id to use when the object carries none ({@code <file-stem>-<line>} for
     *     JSON Lines, {@code <file-stem>-<item index>} for arrays)
     */
    T parse(ObjectNode o, String fallbackId) throws RecordProblem;
  }

  /** Which containers a format accepts. */
  enum Mode { LINES, ARRAY, EITHER }

  private final Path file;
  private final String stem;
  private final Parser<T> parser;
  private LineSource lines;
  private JsonParser array;
  private long index;
  private boolean done;

  /**
   * @param expectation what the format's records look like, for the wrong-root message, e.g.
   *     {@code a JSON array of {count, chosen, rejected} objects}
   */
  JsonRecordReader(Path file, Mode mode, String expectation, Parser<T> parser) throws IOException {
    this.file = file;
    this.stem = InputFiles.stem(file);
    this.parser = parser;
    InputStream raw = InputFiles.openBytes(file);
    boolean ok = false;
    try {
      InputFiles.Sniffed s = InputFiles.sniff(raw);
      switch (s.shape()) {
        case EMPTY -> done = true;
        case ARRAY -> {
          if (mode == Mode.LINES) {
            throw InvalidInputException.ofFile(file, "expected JSON Lines (" + expectation
                + ", one per line) but the file is a JSON array");
          }
          array = JsonSupport.MAPPER.getFactory()
              .createParser(new StrictUtf8Reader(s.in()));
          array.nextToken(); // the '['
        }
        case LINES -> {
          if (mode == Mode.ARRAY) {
            throw InvalidInputException.ofFile(file, "expected a JSON array at the top level ("
                + expectation + ") but the file starts with " + describeStart(s.firstByte()));
          }
          lines = new LineSource(s.in(), file);
        }
      }
      ok = true;
    } finally {
      if (!ok) {
        raw.close();
      }
    }
  }

  private static String describeStart(int b) {
    return switch (b) {
      case '{' -> "an object ('{')";
      case '"' -> "a string";
      default -> "'" + (char) b + "'";
    };
  }

  @Override
  public T next() throws IOException {
    if (done) {
      return null;
    }
    return lines != null ? nextLine() : nextItem();
  }

  private T nextLine() throws IOException {
    while (true) {
      if (!lines.advance()) {
        done = true;
        return null;
      }
      if (lines.isBlank()) {
        continue;
      }
      long n = lines.lineNumber();
      JsonNode node;
      try {
        // Parse the validated bytes directly: no String copy of a possibly huge line.
        node = JsonSupport.LINE_READER.readTree(lines.bytes(), 0, lines.length());
      } catch (JsonProcessingException e) {
        throw InvalidInputException.atLine(file, n, null, "invalid JSON (" + JsonSupport.describe(e) + ")")
            .withRawText(lines.text()).withCause(e);
      } catch (CharConversionException e) {
        // Jackson sniffs the encoding of a byte array: a line (valid UTF-8) that starts with NUL
        // bytes looks like UTF-16/32 to it. No JSON text starts with NUL, so it is bad JSON.
        throw InvalidInputException.atLine(file, n, null, "invalid JSON (a NUL byte where a value should start)")
            .withRawText(lines.text()).withCause(e);
      }
      if (!node.isObject()) {
        throw InvalidInputException.atLine(file, n, null,
            "expected a JSON object, got " + JsonSupport.typeName(node)).withRawText(lines.text());
      }
      try {
        return parser.parse((ObjectNode) node, stem + "-" + n);
      } catch (RecordProblem p) {
        throw InvalidInputException.atLine(file, n, p.field(), p.problem()).withRawText(lines.text());
      }
    }
  }

  private T nextItem() throws IOException {
    long idx = index;
    try {
      JsonToken t = array.nextToken();
      if (t == JsonToken.END_ARRAY) {
        JsonToken after = array.nextToken();
        done = true;
        if (after != null) {
          throw InvalidInputException.ofFile(file, "unexpected " + JsonSupport.tokenName(after)
              + " after the closing ']' of the top-level array (line "
              + array.currentTokenLocation().getLineNr() + ")");
        }
        return null;
      }
      if (t == null) {
        done = true;
        throw InvalidInputException.atItem(file, idx, null,
            "invalid JSON (unexpected end of input: the top-level array is not closed)").unrecoverable();
      }
      index++;
      int line = array.currentTokenLocation().getLineNr();
      if (t != JsonToken.START_OBJECT) {
        array.skipChildren();
        throw InvalidInputException.atItem(file, idx, null,
            "expected a JSON object, got " + JsonSupport.tokenName(t) + " (line " + line + ")");
      }
      ObjectNode node = array.readValueAsTree();
      try {
        return parser.parse(node, stem + "-" + idx);
      } catch (RecordProblem p) {
        throw InvalidInputException.atItem(file, idx, p.field(), p.problem() + " (line " + line + ")")
            .withRawText(node.toString());
      }
    } catch (JsonProcessingException e) {
      done = true;
      throw InvalidInputException.atItem(file, idx, null, "invalid JSON (" + JsonSupport.describe(e)
              + ", line " + e.getLocation().getLineNr() + ")")
          .unrecoverable().withCause(e);
    } catch (CharacterCodingException e) {
      done = true;
      throw InvalidInputException.atItem(file, idx, null, "invalid UTF-8 (malformed byte sequence near line "
              + array.currentLocation().getLineNr() + ")")
          .unrecoverable().withCause(e);
    }
  }

  @Override
  public void close() throws IOException {
    done = true;
    if (lines != null) {
      lines.close();
    }
    if (array != null) {
      array.close();
    }
  }
}
