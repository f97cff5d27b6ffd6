package org.genderalign.llm;

import java.io.IOException;

/**
 * The endpoint cannot be used (no key, unreachable, key rejected): the one-line message says
 * which, and never contains the key.
 */
public final class LlmUnavailableException extends IOException {

  private static final long serialVersionUID = 1L;

  public LlmUnavailableException(String message) {
    super(message);
  }
}
