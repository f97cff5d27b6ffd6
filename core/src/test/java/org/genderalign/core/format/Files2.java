package org.genderalign.core.format;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Small file helpers for format tests. */
final class Files2 {

  private Files2() {}

  static Path text(Path dir, String name, String content) {
    return bytes(dir, name, content.getBytes(StandardCharsets.UTF_8));
  }

  static Path bytes(Path dir, String name, byte[] content) {
    try {
      return Files.write(dir.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] gzip(byte[] data) {
    try {
      ByteArrayOutputStream bos = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
        gz.write(data);
      }
      return bos.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      bos.writeBytes(p);
    }
    return bos.toByteArray();
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Every record of a file, fail-fast. */
  static <T> List<T> readAll(RecordFormat<T> f, Path file) throws IOException {
    List<T> out = new ArrayList<>();
    try (RecordReader<T> r = f.reader(file)) {
      T t;
      while ((t = r.next()) != null) {
        out.add(t);
      }
    }
    return out;
  }

  static <T> void writeAll(RecordFormat<T> f, Path file, Iterable<T> records) throws IOException {
    try (RecordWriter<T> w = f.writer(file)) {
      for (T t : records) {
        w.write(t);
      }
    }
  }
}
