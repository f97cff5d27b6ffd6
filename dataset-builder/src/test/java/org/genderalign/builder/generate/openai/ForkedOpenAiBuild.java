package org.genderalign.builder.generate.openai;

import java.nio.file.Path;
import java.util.Map;
import org.genderalign.builder.KeywordClassifier;
import org.genderalign.builder.config.BuildConfig;
import org.genderalign.builder.config.OpenAiConfig;
import org.genderalign.builder.pipeline.DatasetBuilder;
import org.genderalign.core.dataroot.DataRoot;

/** A build in its own JVM, so that a test can kill it for real (args: out dir, base URL, resume). */
public final class ForkedOpenAiBuild {

  private ForkedOpenAiBuild() {}

  static BuildConfig config(String baseUrl) {
    return BuildConfig.builder().target(12).generator("openai").mix("natural")
        .sources(java.util.List.of("workplace-sexism"))
        .openai(OpenAiConfig.builder().baseUrl(baseUrl).model("fake").concurrency(2).maxRetries(3)
            .initialBackoffMillis(10L).maxBackoffMillis(50L).timeoutSeconds(5).build())
        .build();
  }

  static DatasetBuilder.Options options(Path out, boolean resume) {
    return new DatasetBuilder.Options(out, resume, DataRoot.fromEnvironment(), new KeywordClassifier(), null,
        Map.of("OPENAI_API_KEY", "sk-test-never-logged"), 2);
  }

  public static void main(String[] args) throws Exception {
    DatasetBuilder.build(config(args[1]), options(Path.of(args[0]), Boolean.parseBoolean(args[2])));
  }
}
