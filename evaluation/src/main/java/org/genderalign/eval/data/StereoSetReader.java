package org.genderalign.eval.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.genderalign.core.error.InvalidInputException;

/**
 * Reads the StereoSet dev CSVs ({@code prompt, choices, bias_type, target}), whose {@code choices}
 * cell is numpy's printout of a 3-string array: Python string literals (single- or double-quoted,
 * backslash escapes) inside {@code [...]}, separated by spaces or newlines.
 */
public final class StereoSetReader {

  private StereoSetReader() {}

  /** Every row of {@code file}; {@code split} is {@link StereoSetExample#INTRA} or {@code INTER}. */
  public static List<StereoSetExample> read(Path file, String split) throws IOException {
    String prefix = StereoSetExample.INTRA.equals(split) ? "intra-" : "inter-";
    List<StereoSetExample> out = new ArrayList<>();
    int row = 0;
    for (Csv.Row r : Csv.readCsv(file)) {
      List<String> choices;
      try {
        choices = parseChoices(r.get("choices"));
      } catch (IllegalArgumentException e) {
        throw InvalidInputException.atLine(file, r.line(), "choices", e.getMessage());
      }
      if (choices.size() != 3) {
        throw InvalidInputException.atLine(file, r.line(), "choices",
            "expected 3 strings [stereotype, anti-stereotype, unrelated], found " + choices.size());
      }
      out.add(new StereoSetExample(prefix + row, split, r.get("prompt"), choices,
          r.get("bias_type"), r.get("target")));
      row++;
    }
    return out;
  }

  /** The gender rows of {@code file}. */
  public static List<StereoSetExample> readGender(Path file, String split) throws IOException {
    return read(file, split).stream().filter(e -> "gender".equals(e.biasType())).toList();
  }

  /**
   * Parses numpy's printout of a string array: {@code ['a' "b's" 'c']}.
   *
   * @throws IllegalArgumentException on anything else
   */
  public static List<String> parseChoices(String cell) {
    String s = cell.strip();
    if (!s.startsWith("[") || !s.endsWith("]")) {
      throw new IllegalArgumentException("expected a bracketed list of quoted strings, got '"
          + s + "'");
    }
    List<String> out = new ArrayList<>();
    int i = 1;
    int end = s.length() - 1;
    while (i < end) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c) || c == ',') {
        i++;
        continue;
      }
      if (c != '\'' && c != '"') {
        throw new IllegalArgumentException("expected a quote at offset " + i + " of '" + s + "'");
      }
      StringBuilder b = new StringBuilder();
      i++;
      boolean closed = false;
      while (i < end) {
        char d = s.charAt(i);
        if (d == '\\' && i + 1 < end) {
          char e = s.charAt(i + 1);
          switch (e) {
            case 'n' -> b.append('\n');
            case 't' -> b.append('\t');
            case 'r' -> b.append('\r');
            default -> b.append(e); // \\ \' \" and anything else: the character itself
          }
          i += 2;
        } else if (d == c) {
          i++;
          closed = true;
          break;
        } else {
          b.append(d);
          i++;
        }
      }
      if (!closed) {
        throw new IllegalArgumentException("unterminated string literal in '" + s + "'");
      }
      out.add(b.toString());
    }
    return out;
  }
}
