package org.genderalign.core.format;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.genderalign.core.error.InvalidInputException;

/**
 * Reads a byte stream line by line ({@code \n} or {@code \r\n}) and decodes each line strictly
 * as UTF-8 on its own. Decoding per line (rather than through one stream decoder) keeps an
 * invalid byte sequence a <em>recoverable</em> error of that one line, with its exact number,
 * and lets a single very long line (tens of MB) be read without any line-length limit.
 */
final class LineSource implements Closeable {

  private final InputStream in;
  private final Path file;
  private final byte[] buf = new byte[InputFiles.BUFFER];
  private int pos;
  private int limit;
  private byte[] line = new byte[256];
  private int len;
  private long lineNumber;
  private final CharsetDecoder decoder = InputFiles.strictUtf8();
  private final CharBuffer scratch = CharBuffer.allocate(8192);

  /** A line buffer grown past this by one long line is dropped afterwards. */
  private static final int SHRINK_ABOVE = 1 << 22;
  private boolean eof;

  LineSource(InputStream in, Path file) {
    this.in = in;
    this.file = file;
  }

  /** 1-based number of the line last returned (0 before the first). */
  long lineNumber() {
    return lineNumber;
  }

  /**
   * Moves to the next line (without its terminator); false at the end. The line's bytes are
   * then {@link #bytes()}[0, {@link #length()}); they are checked to be valid UTF-8 but not
   * turned into a String, so a parser can read them directly and a 20 MB line costs no extra
   * 40 MB of UTF-16 copy.
   *
   * @throws InvalidInputException (recoverable) when the line is not valid UTF-8; the raw text
   *     of the exception is the line decoded leniently, for the rejects file
   */
  boolean advance() throws IOException {
    if (line.length > SHRINK_ABOVE) {
      line = new byte[256]; // do not keep a huge buffer alive for the ordinary lines after it
    }
    len = 0;
    if (eof) {
      return false;
    }
    boolean any = false;
    while (true) {
      if (pos == limit) {
        limit = in.read(buf, 0, buf.length);
        pos = 0;
        if (limit <= 0) {
          limit = 0;
          eof = true;
          break;
        }
      }
      any = true;
      int start = pos;
      int nl = -1;
      for (int i = pos; i < limit; i++) {
        if (buf[i] == '\n') {
          nl = i;
          break;
        }
      }
      int end = nl >= 0 ? nl : limit;
      int n = end - start;
      if (len + n > line.length) {
        line = Arrays.copyOf(line, Math.max(len + n, line.length * 2));
      }
      System.arraycopy(buf, start, line, len, n);
      len += n;
      if (nl >= 0) {
        pos = nl + 1;
        break;
      }
      pos = limit;
    }
    if (!any && len == 0) {
      return false;
    }
    lineNumber++;
    if (len > 0 && line[len - 1] == '\r') {
      len--;
    }
    int bad = firstBadByte(line, len);
    if (bad >= 0) {
      throw InvalidInputException.atLine(file, lineNumber, null,
              "invalid UTF-8 (malformed byte sequence at byte " + bad + " of the line)")
          .withRawText(text());
    }
    return true;
  }

  /** The current line's bytes (valid up to {@link #length()}). */
  byte[] bytes() {
    return line;
  }

  /** Length in bytes of the current line. */
  int length() {
    return len;
  }

  /** True when the current line holds only spaces, tabs and carriage returns. */
  boolean isBlank() {
    for (int i = 0; i < len; i++) {
      byte b = line[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  /** The current line as text (malformed bytes, if any, as U+FFFD): for messages and rejects. */
  String text() {
    return new String(line, 0, len, StandardCharsets.UTF_8);
  }

  /**
   * 0-based offset of the first byte a strict UTF-8 decoder rejects, or -1 when all is valid.
   * Decodes into a small reused buffer: validation only, nothing is kept.
   */
  private int firstBadByte(byte[] bytes, int n) {
    ByteBuffer src = ByteBuffer.wrap(bytes, 0, n);
    decoder.reset();
    while (true) {
      scratch.clear();
      CoderResult r = decoder.decode(src, scratch, true);
      if (r.isError()) {
        return src.position();
      }
      if (r.isUnderflow()) {
        scratch.clear();
        return decoder.flush(scratch).isError() ? src.position() : -1;
      }
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
