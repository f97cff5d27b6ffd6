package org.genderalign.builder.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Drops pairs with an empty answer on either side, or whose chosen or rejected answer is a
 * refusal ("I'm sorry, but I can't…"): a refusal as chosen teaches evasion, a refusal as
 * rejected teaches that declining is worse than any answer.
 */
public final class RefusalFilter implements CandidateFilter {

  private static final Pattern REFUSAL = Pattern.compile(
      "^(?:i['’]?m sorry|i am sorry|sorry,|i apologi[sz]e|i can(?:not|['’]t) (?:help|assist|answer|provide|comply)"
          + "|i(?: will|['’]ll) not|i won['’]t|as an ai(?: language model)?,? i (?:can(?:not|['’]t)|am unable)"
          + "|i['’]?m (?:not able|unable) to)",
      Pattern.CASE_INSENSITIVE);

  @Override
  public String name() {
    return "empty_or_refusal";
  }

  /** True for an answer that declines to answer. */
  public static boolean isRefusal(String answer) {
    return REFUSAL.matcher(answer.strip().toLowerCase(Locale.ROOT)).lookingAt();
  }

  @Override
  public List<String> decide(List<Scored> candidates) {
    List<String> out = new ArrayList<>(candidates.size());
    for (Scored s : candidates) {
      String reason = null;
      if (s.candidate().chosen().isBlank()) {
        reason = "empty chosen";
      } else if (s.candidate().rejected().isBlank()) {
        reason = "empty rejected";
      } else if (isRefusal(s.candidate().chosen())) {
        reason = "chosen is a refusal";
      } else if (isRefusal(s.candidate().rejected())) {
        reason = "rejected is a refusal";
      }
      out.add(reason);
    }
    return out;
  }
}
