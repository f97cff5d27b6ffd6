package org.genderalign.llm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * An API key, read only from the environment or from a key file, and never shown: its
 * {@code toString()} is {@code ***}, and {@link #redact} removes it from any text the client
 * writes or throws (a server may echo it back). Resolution order ({@link #resolve}): the
 * environment variable, then the file named by {@code <VARIABLE>_FILE} in the environment (the
 * Docker secrets convention), then the configured key file.
 */
public final class ApiKey {

  private static final ApiKey NONE = new ApiKey(null, "none");

  private final String secret;
  private final String origin;

  private ApiKey(String secret, String origin) {
    this.secret = secret;
    this.origin = origin;
  }

  /** No key (local servers expect no Authorization header). */
  public static ApiKey none() {
    return NONE;
  }

  /** A key given in code (tests). */
  public static ApiKey of(String secret) {
    return secret == null || secret.isBlank() ? NONE : new ApiKey(secret.strip(), "given");
  }

  /**
   * The key of {@code endpoint}: {@code env[apiKeyEnv]}, else the file at
   * {@code env[apiKeyEnv + "_FILE"]}, else {@code endpoint.apiKeyFile()}, else none.
   *
   * @throws IOException naming the key file (never its content) if it cannot be read or is empty
   */
  public static ApiKey resolve(LlmEndpoint endpoint, Map<String, String> env) throws IOException {
    String name = endpoint.apiKeyEnv();
    String v = name == null ? null : env.get(name);
    if (v != null && !v.isBlank()) {
      return new ApiKey(v.strip(), "$" + name);
    }
    String file = name == null ? null : env.get(name + "_FILE");
    if (file == null || file.isBlank()) {
      file = endpoint.apiKeyFile();
    }
    if (file == null || file.isBlank()) {
      return NONE;
    }
    Path p = Path.of(file);
    String k;
    try {
      k = Files.readString(p, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IOException("cannot read the API key file " + p + " (" + e.getClass().getSimpleName()
          + ")");
    }
    if (k.isEmpty()) {
      throw new IOException("the API key file " + p + " is empty");
    }
    return new ApiKey(k, "file " + p);
  }

  public boolean isPresent() {
    return secret != null;
  }

  /** Where the key came from ({@code $OPENAI_API_KEY}, {@code file …}, {@code none}): safe to show. */
  public String origin() {
    return origin;
  }

  /** The Authorization header value; use only for the header. */
  String bearer() {
    return "Bearer " + secret;
  }

  /** {@code text} with every occurrence of the key replaced by {@code ***}. */
  public String redact(String text) {
    return secret == null || text == null ? text : text.replace(secret, "***");
  }

  @Override
  public String toString() {
    return secret == null ? "none" : "***";
  }
}
