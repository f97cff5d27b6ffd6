package org.genderalign.builder.seed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes personal data from seed text before it can be sent anywhere (the PrivacyRestore idea:
 * strip private spans before a remote LLM sees the text). Replaces e-mail addresses, URLs,
 * phone numbers, @handles and Reddit {@code u/} names, and person names where detectable
 * (after an honorific, or a common first name with an optional capitalised surname) by neutral
 * placeholders such as {@code [email]} or {@code [name]}. Thread-safe.
 */
public final class PiiScrubber {

  /** Kinds of personal data, in the order they are scrubbed (URLs before handles and e-mails). */
  public enum Kind { URL, EMAIL, HANDLE, PHONE, NAME }

  private static final Pattern URL = Pattern.compile(
      "(?i)\\b(?:https?://|www\\.)[^\\s<>\"]+|\\[url\\]");
  private static final Pattern EMAIL = Pattern.compile(
      "[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
  private static final Pattern HANDLE = Pattern.compile(
      "(?<![\\w@])@[A-Za-z0-9_]{2,}|(?<![\\w/])/?u/[A-Za-z0-9_-]{2,}|\\[user\\]", Pattern.CASE_INSENSITIVE);
  // Digits with separators; a match counts as a phone number only with 7–15 digits (so years
  // and ranges such as 2019-2020 survive).
  private static final Pattern PHONE = Pattern.compile(
      "(?<![\\w+])\\+?\\(?\\d[\\d\\s().-]{5,18}\\d(?!\\w)");
  private static final Pattern DATE = Pattern.compile("\\d{1,4}[./-]\\d{1,2}[./-]\\d{1,4}");
  private static final Pattern HONORIFIC_NAME = Pattern.compile(
      "\\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Madam)\\.?\\s+[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?");
  private static final Pattern CAP_WORDS = Pattern.compile("\\b[A-Z][a-z]+(?:\\s+[A-Z][a-z]+)?\\b");

  private final Set<String> firstNames;

  private PiiScrubber(Set<String> firstNames) {
    this.firstNames = Set.copyOf(firstNames);
  }

  /** The scrubber with the project's list of common first names (a resource). */
  public static PiiScrubber create() {
    Set<String> names = new HashSet<>();
    try (InputStream in = PiiScrubber.class.getResourceAsStream("/org/genderalign/builder/seed/first-names.txt")) {
      if (in == null) {
        throw new IllegalStateException("first-names.txt resource missing from the dataset-builder jar");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = r.readLine()) != null) {
        line = line.strip();
        if (!line.isEmpty() && !line.startsWith("#")) {
          names.add(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new PiiScrubber(names);
  }

  /** The result: scrubbed text and how many spans of each kind were replaced. */
  public record Result(String text, Map<Kind, Integer> counts) {
    /** True when anything was replaced. */
    public boolean changed() {
      return !counts.isEmpty();
    }
  }

  /** Scrubs one text. */
  public Result scrub(String text) {
    Map<Kind, Integer> counts = new TreeMap<>();
    String t = replace(URL, text, "[link]", Kind.URL, counts);
    t = replace(EMAIL, t, "[email]", Kind.EMAIL, counts);
    t = replace(HANDLE, t, "[user]", Kind.HANDLE, counts);
    t = replacePhones(t, counts);
    t = replace(HONORIFIC_NAME, t, "[name]", Kind.NAME, counts);
    t = replaceFirstNames(t, counts);
    return new Result(t, counts);
  }

  private static String replace(Pattern p, String text, String placeholder, Kind kind, Map<Kind, Integer> counts) {
    Matcher m = p.matcher(text);
    StringBuilder sb = null;
    int last = 0;
    while (m.find()) {
      if (m.group().equals(placeholder)) {
        continue;
      }
      if (sb == null) {
        sb = new StringBuilder(text.length());
      }
      sb.append(text, last, m.start()).append(placeholder);
      last = m.end();
      counts.merge(kind, 1, Integer::sum);
    }
    return sb == null ? text : sb.append(text, last, text.length()).toString();
  }

  private static String replacePhones(String text, Map<Kind, Integer> counts) {
    Matcher m = PHONE.matcher(text);
    StringBuilder sb = new StringBuilder(text.length());
    int last = 0;
    while (m.find()) {
      String g = m.group().strip();
      long digits = g.chars().filter(Character::isDigit).count();
      int groups = g.split("\\D+").length - (g.isEmpty() || Character.isDigit(g.charAt(0)) ? 0 : 1);
      // Ten or more digits, or seven or more in three groups (555 123 4567), is a phone number;
      // years, ranges (2019-2020), dates and amounts are not.
      boolean phone = digits <= 15 && (digits >= 10 || (digits >= 7 && groups >= 3))
          && !DATE.matcher(g).matches();
      if (phone) {
        sb.append(text, last, m.start()).append("[phone]");
        last = m.end();
        counts.merge(Kind.PHONE, 1, Integer::sum);
      }
    }
    return last == 0 ? text : sb.append(text, last, text.length()).toString();
  }

  private String replaceFirstNames(String text, Map<Kind, Integer> counts) {
    Matcher m = CAP_WORDS.matcher(text);
    StringBuilder sb = null;
    int last = 0;
    while (m.find()) {
      String g = m.group();
      int sp = g.indexOf(' ');
      String first = sp < 0 ? g : g.substring(0, sp);
      if (!firstNames.contains(first)) {
        // "Sarah" may follow another capitalised word ("Ask Sarah"): check the second word.
        if (sp > 0 && firstNames.contains(g.substring(g.lastIndexOf(' ') + 1))) {
          if (sb == null) {
            sb = new StringBuilder(text.length());
          }
          int secondStart = m.start() + g.lastIndexOf(' ') + 1;
          sb.append(text, last, secondStart).append("[name]");
          last = m.end();
          counts.merge(Kind.NAME, 1, Integer::sum);
        }
        continue;
      }
      if (sb == null) {
        sb = new StringBuilder(text.length());
      }
      sb.append(text, last, m.start()).append("[name]");
      last = m.end();
      counts.merge(Kind.NAME, 1, Integer::sum);
    }
    return sb == null ? text : sb.append(text, last, text.length()).toString();
  }
}
