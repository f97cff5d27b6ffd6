package org.genderalign.core.format;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
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
  private long lineNumber;
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
   * The next line without its terminator, or null at the end.
   *
   * @throws InvalidInputException (recoverable) when the line is not valid UTF-8; the raw text
   *     of the exception is the line decoded leniently, for the rejects file
   */
  String next() throws IOException {
    if (eof) {
      return null;
    }
    int len = 0;
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
      return null;
    }
    lineNumber++;
    if (len > 0 && line[len - 1] == '\r') {
      len--;
    }
    try {
      return InputFiles.strictUtf8().decode(ByteBuffer.wrap(line, 0, len)).toString();
    } catch (CharacterCodingException e) {
      int at = firstBadByte(line, len);
      throw InvalidInputException.atLine(file, lineNumber, null,
              "invalid UTF-8 (malformed byte sequence at byte " + at + " of the line)")
          .withRawText(new String(line, 0, len, StandardCharsets.UTF_8))
          .withCause(e);
    }
  }

  /** 0-based offset of the first byte that a strict decoder rejects (for the message). */
  private static int firstBadByte(byte[] bytes, int len) {
    ByteBuffer src = ByteBuffer.wrap(bytes, 0, len);
    java.nio.CharBuffer dst = java.nio.CharBuffer.allocate(len + 1);
    java.nio.charset.CoderResult r = InputFiles.strictUtf8().decode(src, dst, true);
    return r.isError() ? src.position() : len;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
