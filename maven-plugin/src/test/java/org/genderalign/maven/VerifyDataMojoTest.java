package org.genderalign.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.genderalign.core.dataroot.DataFile;
import org.genderalign.core.dataroot.DataRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyDataMojoTest {

  /** A Maven log that keeps what it was told. */
  static final class RecordingLog implements Log {
    final List<String> info = new ArrayList<>();
    final List<String> errors = new ArrayList<>();

    @Override public boolean isDebugEnabled() { return false; }
    @Override public void debug(CharSequence c) { }
    @Override public void debug(CharSequence c, Throwable e) { }
    @Override public void debug(Throwable e) { }
    @Override public boolean isInfoEnabled() { return true; }
    @Override public void info(CharSequence c) { info.add(c.toString()); }
    @Override public void info(CharSequence c, Throwable e) { info.add(c.toString()); }
    @Override public void info(Throwable e) { info.add(e.toString()); }
    @Override public boolean isWarnEnabled() { return true; }
    @Override public void warn(CharSequence c) { info.add(c.toString()); }
    @Override public void warn(CharSequence c, Throwable e) { info.add(c.toString()); }
    @Override public void warn(Throwable e) { info.add(e.toString()); }
    @Override public boolean isErrorEnabled() { return true; }
    @Override public void error(CharSequence c) { errors.add(c.toString()); }
    @Override public void error(CharSequence c, Throwable e) { errors.add(c.toString()); }
    @Override public void error(Throwable e) { errors.add(e.toString()); }
  }

  @Test
  void passesOnTheMirrorAndReportsEachFileAsOk() throws Exception {
    VerifyDataMojo mojo = new VerifyDataMojo();
    RecordingLog log = new RecordingLog();
    mojo.setLog(log);
    mojo.dataRoot = DataRoot.fromEnvironment().dir().toFile();
    mojo.only = List.of("seeds-gest", "model-stories260k", "tokenizer-stories260k");
    mojo.execute();
    assertThat(log.errors).isEmpty();
    assertThat(log.info.get(0)).isEqualTo("data root: " + DataRoot.fromEnvironment().dir() + " [--data-root]");
    for (String id : mojo.only) {
      assertThat(log.info).anyMatch(l -> l.startsWith(id + " ") && l.matches(".*\\bOK\\b.*"));
    }
    assertThat(log.info.get(log.info.size() - 1)).isEqualTo("3 files ok");
  }

  @Test
  void failsOnACorruptCopyNamingTheFileAndTheHashes(@TempDir Path root) throws Exception {
    DataRoot mirror = DataRoot.fromEnvironment();
    DataFile tok = mirror.registry().require("tokenizer-stories260k");
    Path copy = root.resolve(tok.path());
    Files.createDirectories(copy.getParent());
    byte[] bytes = Files.readAllBytes(mirror.file("tokenizer-stories260k"));
    bytes[bytes.length / 2] ^= 1; // one bit, same size
    Files.write(copy, bytes);
    VerifyDataMojo mojo = new VerifyDataMojo();
    RecordingLog log = new RecordingLog();
    mojo.setLog(log);
    mojo.dataRoot = root.toFile();
    mojo.only = List.of("tokenizer-stories260k");
    assertThatThrownBy(mojo::execute).isInstanceOf(MojoFailureException.class)
        .hasMessageStartingWith("1 of 1 external files are missing or corrupt: ")
        .hasMessageContaining("is corrupt: sha256").hasMessageContaining(tok.sha256());
    assertThat(log.info).anyMatch(l -> l.startsWith("tokenizer-stories260k") && l.contains("WRONG_HASH"));
    assertThat(log.errors).hasSize(1);
  }

  @Test
  void failsWithTheFixOnAnEmptyRoot(@TempDir Path empty) {
    VerifyDataMojo mojo = new VerifyDataMojo();
    mojo.dataRoot = empty.toFile();
    mojo.only = List.of("seeds-gest");
    assertThatThrownBy(mojo::execute)
        .isInstanceOf(MojoFailureException.class)
        .hasMessageContaining("seeds-gest")
        .hasMessageContaining("data/seeds/gest/gest_1.1.csv")
        .hasMessageContaining("data fetch");
    assertThat(empty).isEmptyDirectory();
  }
}
