package org.genderalign.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.genderalign.core.dataroot.DataRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyDataMojoTest {

  @Test
  void passesOnTheMirror() throws Exception {
    VerifyDataMojo mojo = new VerifyDataMojo();
    mojo.dataRoot = DataRoot.fromEnvironment().dir().toFile();
    mojo.only = List.of("seeds-gest", "model-stories260k", "tokenizer-stories260k");
    mojo.execute();
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
