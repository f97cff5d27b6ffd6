package org.genderalign.eval.judge;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the loopback {@code FakeChatServer} answers as an LLM judge: it reads the labelled answers
 * from the project's judging request and ranks them shortest first (ties by label), as strict
 * JSON — except for questions that ask for trouble: {@value #MALFORMED_ONCE} in the question gets
 * prose on the first attempt and a valid ranking after the correction request;
 * {@value #MALFORMED_ALWAYS} never gets a parseable reply.
 */
final class ScriptedJudgeServer {

  static final String MALFORMED_ONCE = "[malformed-once]";
  static final String MALFORMED_ALWAYS = "[malformed-always]";
  private static final Pattern ANSWER =
      Pattern.compile("\\[Answer ([A-Z])\\]\\n(.*?)\\n\\[End of answer \\1\\]", Pattern.DOTALL);

  private ScriptedJudgeServer() {}

  static String content(JsonNode body) {
    JsonNode msgs = body.path("messages");
    String user = msgs.path(1).path("content").asText();
    int attempt = (msgs.size() - 2) / 2 + 1; // system, user, then (assistant, user) per retry
    if (user.contains(MALFORMED_ALWAYS) || (user.contains(MALFORMED_ONCE) && attempt == 1)) {
      return "I think answer B is the least biased, then A.";
    }
    return "{\"ranking\": [" + String.join(", ", ranking(user).stream().map(l -> "\"" + l + "\"")
        .toList()) + "]}";
  }

  /** Labels by answer length, shortest first (stable: ties keep label order). */
  static List<String> ranking(String user) {
    List<String[]> answers = new ArrayList<>();
    Matcher m = ANSWER.matcher(user);
    while (m.find()) {
      answers.add(new String[] {m.group(1), m.group(2)});
    }
    answers.sort(java.util.Comparator.comparingInt(a -> a[1].length()));
    return answers.stream().map(a -> a[0]).toList();
  }
}
