package org.genderalign.core.format;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.SequenceInputStream;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.genderalign.core.error.InvalidInputException;

/**
 * Opens input files the same way for every format: gzip is recognised by its magic bytes (so
 * {@code .gz} works whatever the name), a UTF-8 byte order mark is dropped, and text is decoded
 * strictly — a malformed UTF-8 sequence is an error, never a silent U+FFFD.
 */
final class InputFiles {

  /** Buffer for file and gzip streams: big enough that per-byte reads stay cheap. */
  static final int BUFFER = 1 << 16;

  private InputFiles() {}

  /** The raw bytes of {@code file}: gunzipped when it is gzip, without a leading UTF-8 BOM. */
  static InputStream openBytes(Path file) throws IOException {
    InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), BUFFER);
    in.mark(3);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    if (b0 == 0x1f && b1 == 0x8b) {
      GZIPInputStream gz;
      try {
        gz = new GZIPInputStream(in, BUFFER); // reads the gzip header: may meet its end or junk
      } catch (EOFException | ZipException e) {
        in.close();
        throw GzipGuard.fail(file, e);
      }
      in = new java.io.BufferedInputStream(new GzipGuard(gz, file), BUFFER);
    }
    in.mark(3);
    byte[] bom = in.readNBytes(3);
    boolean hasBom = bom.length == 3
        && (bom[0] & 0xff) == 0xef && (bom[1] & 0xff) == 0xbb && (bom[2] & 0xff) == 0xbf;
    if (!hasBom) {
      in.reset();
    }
    return in;
  }

  /** A strict UTF-8 decoder: malformed or unmappable input raises {@link java.nio.charset.CharacterCodingException}. */
  static CharsetDecoder strictUtf8() {
    return StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  /** Text of {@code file} (gunzipped, BOM dropped) through a strict UTF-8 decoder. */
  static Reader openText(Path file) throws IOException {
    return new StrictUtf8Reader(openBytes(file));
  }

  /** What the content of a JSON file starts with, after whitespace. */
  enum JsonShape {
    /** Nothing but whitespace (an empty file). */
    EMPTY,
    /** {@code [}: one JSON array. */
    ARRAY,
    /** Anything else: taken as JSON Lines. */
    LINES
  }

  /** A byte stream together with what its first non-blank byte says about its shape. */
  record Sniffed(InputStream in, JsonShape shape, int firstByte) {}

  /** Peeks past leading whitespace without losing it (line numbers stay right). */
  static Sniffed sniff(InputStream in) throws IOException {
    java.io.ByteArrayOutputStream seen = new java.io.ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      seen.write(b);
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        break;
      }
    }
    JsonShape shape = b == -1 ? JsonShape.EMPTY : b == '[' ? JsonShape.ARRAY : JsonShape.LINES;
    InputStream whole = new SequenceInputStream(new ByteArrayInputStream(seen.toByteArray()), in);
    return new Sniffed(whole, shape, b);
  }

  /** The file name without {@code .gz} and its last extension: the stem of derived ids. */
  static String stem(Path file) {
    String name = file.getFileName().toString();
    if (name.endsWith(".gz")) {
      name = name.substring(0, name.length() - 3);
    }
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /**
   * Turns the gzip layer's EOF / format errors into an unrecoverable bad-input error: a
   * truncated download must end the import even with {@code --on-error skip}.
   */
  private static final class GzipGuard extends FilterInputStream {
    private final Path file;

    GzipGuard(InputStream in, Path file) {
      super(in);
      this.file = file;
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (EOFException | ZipException e) {
        throw fail(file, e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (EOFException | ZipException e) {
        throw fail(file, e);
      }
    }

    static InvalidInputException fail(Path file, IOException e) {
      String why = e instanceof EOFException ? "unexpected end of the compressed data" : e.getMessage();
      return InvalidInputException.ofFile(file,
          "truncated or corrupt gzip stream (" + why + "); re-download or re-compress the file")
          .withCause(e);
    }
  }
}
