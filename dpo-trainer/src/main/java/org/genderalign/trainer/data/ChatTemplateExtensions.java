package org.genderalign.trainer.data;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.interpret.TemplateError;

/**
 * What Hugging Face chat templates use beyond Jinjava's own Jinja: the global
 * {@code raise_exception(message)} that {@code transformers} defines.
 */
final class ChatTemplateExtensions {

  /** Marks the message of an exception raised by the template itself. */
  private static final String RAISED = "chat template raised: ";

  private ChatTemplateExtensions() {}

  static void register(Jinjava jinjava) {
    jinjava.getGlobalContext().registerFunction(ChatTemplate.raiseExceptionFunction());
  }

  /** {@code raise_exception(message)}: stops rendering with the template's message. */
  public static Object raiseException(String message) {
    throw new TemplateRaisedException(message);
  }

  /** The template's own message if {@code e} came from {@code raise_exception}, else null. */
  static String raisedMessage(TemplateError e) {
    for (Throwable t = e.getException(); t != null; t = t.getCause()) {
      if (t instanceof TemplateRaisedException r) {
        return r.getMessage();
      }
    }
    String m = e.getMessage();
    int at = m == null ? -1 : m.indexOf(RAISED);
    return at < 0 ? null : m.substring(at + RAISED.length());
  }

  /** Thrown by {@code raise_exception}. */
  static final class TemplateRaisedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TemplateRaisedException(String message) {
      super(message);
    }

    @Override
    public String toString() {
      return RAISED + getMessage();
    }
  }
}
