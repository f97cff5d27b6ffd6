package org.genderalign.eval.report;

import java.util.List;

/**
 * A report as data — title, notes, sections of tables and charts — rendered to Markdown by
 * {@link MarkdownReport} and to HTML by the jte template. Strings are plain text (the template
 * escapes them); chart SVG is trusted markup made by {@link Charts}.
 *
 * @param title the page title
 * @param intro paragraphs under the title
 * @param sections in order
 */
public record ReportModel(String title, List<String> intro, List<Section> sections) {

  /**
   * One section.
   *
   * @param id an anchor id
   * @param level heading level (2 or 3)
   * @param title the heading
   * @param paragraphs text under the heading
   * @param tables tables, in order
   * @param charts SVG charts (HTML only)
   */
  public record Section(String id, int level, String title, List<String> paragraphs,
      List<Table> tables, List<Chart> charts) {}

  /**
   * A table.
   *
   * @param caption a bold line above it (may be empty)
   * @param header column titles
   * @param rows cells, each row as long as the header
   */
  public record Table(String caption, List<String> header, List<List<String>> rows) {}

  /**
   * A chart.
   *
   * @param caption a line under it
   * @param svg the SVG document (no XML declaration)
   */
  public record Chart(String caption, String svg) {}
}
