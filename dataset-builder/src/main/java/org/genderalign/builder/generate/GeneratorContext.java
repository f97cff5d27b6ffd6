package org.genderalign.builder.generate;

import java.nio.file.Path;
import java.util.Map;
import org.genderalign.builder.config.BuildConfig;
import org.genderalign.core.dataroot.DataRoot;

/**
 * What a backend may use: the config, the data root, the build's work folder (for journals) and
 * the environment (API keys are read from it, never from the config).
 */
public record GeneratorContext(BuildConfig config, DataRoot dataRoot, Path workDir, Map<String, String> env) {}
