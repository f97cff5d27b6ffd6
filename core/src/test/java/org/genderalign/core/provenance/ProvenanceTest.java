package org.genderalign.core.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * Provenance collects the version of every library on the class path itself (from the jars'
 * Maven metadata), so no tool has to add one by hand; configs are records, serialised by
 * Jackson.
 */
class ProvenanceTest {

  record Config(String name, int steps, double lr) {}

  @Test
  void librariesAreFoundOnTheClassPathWithTheirRealVersions() throws Exception {
    Provenance p = Provenance.of("test", new Config("x", 3, 0.5), 7L);
    // versions read independently of the jar scan: from the libraries' own classes
    assertThat(p.libraries()).containsEntry("com.fasterxml.jackson.core:jackson-databind",
        com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
    assertThat(p.libraries()).containsEntry("com.fasterxml.jackson.core:jackson-core",
        com.fasterxml.jackson.core.json.PackageVersion.VERSION.toString());
    assertThat(p.libraries()).containsKey("org.apache.commons:commons-csv");
    assertThat(p.libraries().get("java")).startsWith(System.getProperty("java.version"));
    assertThat(p.libraries().keySet()).noneMatch(k -> k.startsWith("org.genderalign"));

    JsonNode json = new ObjectMapper().valueToTree(p);
    assertThat(json.at("/config/steps").asInt()).isEqualTo(3);
    assertThat(json.at("/config/lr").asDouble()).isEqualTo(0.5);
    assertThat(json.at("/seed").asLong()).isEqualTo(7);
    assertThat(json.at("/libraries/com.fasterxml.jackson.core:jackson-databind").asText())
        .isEqualTo(com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
  }
}
