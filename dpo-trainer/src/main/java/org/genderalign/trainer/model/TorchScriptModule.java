package org.genderalign.trainer.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A TorchScript module compiled by libtorch from source text shipped as a resource: the way to
 * run a fixed sequence of many small tensor operations as one native call (DJL pays a JNI trip,
 * a Java object and a native free per operation; TorchScript's interpreter pays far less).
 *
 * <p>{@code torch.jit.load} reads a zip archive, not source; this class writes the smallest
 * archive it accepts, in memory: {@code code/__torch__.py} (the source, in the dialect
 * {@code torch.jit.save} writes: a {@code class X(Module)} with typed methods),
 * {@code data.pkl} (the pickled module object: an instance of {@code __torch__.X} with its two
 * standard attributes), {@code constants.pkl} (no tensor constants) and {@code version}. No
 * Python is involved; the module holds no tensors (callers pass every weight), so one loaded
 * module serves every model, device and thread.
 */
final class TorchScriptModule {

  /**
   * The archive format version written: the newest that DJL 0.35's libtorch (2.7) reads, so that
   * libtorch inserts no operator upgraders (e.g. the pre-version-4 {@code div}).
   */
  static final String FORMAT_VERSION = "10";

  private TorchScriptModule() {}

  /**
   * Loads the module defined by the resource {@code resource} (next to this class) whose class
   * is {@code className}, into {@code manager} (which must outlive every call).
   */
  static PtSymbolBlock load(NDManager manager, String resource, String className) {
    String source;
    try (InputStream in = TorchScriptModule.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("TorchScript resource missing: " + resource);
      }
      source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] archive = archive(className, source);
    try {
      return JniUtils.loadModule((PtNDManager) manager, new ByteArrayInputStream(archive), true,
          false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A module whose tensors are all arguments: compiled once per process on the CPU manager. */
  static NDManager processManager() {
    return Holder.MANAGER;
  }

  /** The archive {@code torch.jit.load} reads for {@code className} defined by {@code source}. */
  static byte[] archive(String className, String source) {
    if (!className.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("not a TorchScript class name: " + className);
    }
    String root = "module/";
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      stored(zip, root + "data.pkl", modulePickle(className));
      stored(zip, root + "code/__torch__.py", source.getBytes(StandardCharsets.UTF_8));
      // an empty tuple: pickle protocol 2, EMPTY_TUPLE, STOP
      stored(zip, root + "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
      stored(zip, root + "version", (FORMAT_VERSION + "\n").getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return bytes.toByteArray();
  }

  /**
   * The pickle (protocol 2) of a module object: {@code __torch__.<className>()} with the state
   * {@code {"training": True, "_is_full_backward_hook": None}}, as {@code torch.jit.save}
   * writes it for a module with no parameters, buffers or other attributes.
   */
  static byte[] modulePickle(String className) {
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    p.write(0x80); // PROTO 2
    p.write(2);
    p.writeBytes(("c__torch__\n" + className + "\n").getBytes(StandardCharsets.US_ASCII)); // GLOBAL
    p.write(')'); // EMPTY_TUPLE: the class's arguments
    p.write(0x81); // NEWOBJ
    p.write('}'); // EMPTY_DICT: the state
    p.write('('); // MARK
    shortString(p, "training");
    p.write(0x88); // NEWTRUE
    shortString(p, "_is_full_backward_hook");
    p.write('N'); // NONE
    p.write('u'); // SETITEMS
    p.write('b'); // BUILD
    p.write('.'); // STOP
    return p.toByteArray();
  }

  /** BINUNICODE: 'X', a 4-byte little-endian length, UTF-8 bytes. */
  private static void shortString(ByteArrayOutputStream p, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    p.write('X');
    for (int i = 0; i < 4; i++) {
      p.write((b.length >>> (8 * i)) & 0xff);
    }
    p.writeBytes(b);
  }

  /** A zip entry without compression (libtorch's reader expects stored records). */
  private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(data.length);
    e.setCompressedSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    e.setCrc(crc.getValue());
    e.setTime(315532800000L); // 1980-01-01, as torch.jit.save: the archive is byte-stable
    zip.putNextEntry(e);
    zip.write(data);
    zip.closeEntry();
  }

  /** The manager that owns process-wide modules: created on first use, never closed. */
  private static final class Holder {
    static final NDManager MANAGER = NDManager.newBaseManager(Device.cpu(), "PyTorch");
  }
}
