package org.genderalign.core.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.MalformedInputException;

/**
 * A UTF-8 reader that fails on malformed input <em>where it is</em>: it first hands out every
 * character decoded before the bad byte and throws only when the caller reads past it. (An
 * {@link java.io.InputStreamReader} with a reporting decoder throws as soon as its read-ahead
 * buffer meets the bad byte, so a parser's position at that moment says nothing.)
 */
final class StrictUtf8Reader extends Reader {

  private final InputStream in;
  private final CharsetDecoder decoder = InputFiles.strictUtf8();
  private final ByteBuffer bytes = ByteBuffer.allocate(InputFiles.BUFFER).flip();
  private boolean eof;
  private boolean flushed;
  private MalformedInputException pending;

  StrictUtf8Reader(InputStream in) {
    this.in = in;
  }

  @Override
  public int read(char[] cbuf, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    CharBuffer out = CharBuffer.wrap(cbuf, off, len);
    while (true) {
      if (pending != null) {
        if (out.position() > off) {
          return out.position() - off;
        }
        throw pending;
      }
      if (flushed) {
        return -1; // the end was reached; a decoder must not decode after its flush
      }
      CoderResult r = decoder.decode(bytes, out, eof);
      if (r.isError()) {
        pending = new MalformedInputException(r.length());
        continue;
      }
      if (r.isOverflow() || out.position() > off) {
        return out.position() - off;
      }
      if (eof) {
        if (!flushed) {
          flushed = true;
          decoder.flush(out);
          if (out.position() > off) {
            return out.position() - off;
          }
        }
        return -1;
      }
      bytes.compact();
      int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
      if (n < 0) {
        eof = true;
      } else {
        bytes.position(bytes.position() + n);
      }
      bytes.flip();
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
