package org.genderalign.eval.report;

import java.util.List;
import org.genderalign.eval.report.ReportModel.Section;
import org.genderalign.eval.report.ReportModel.Table;

/** Renders a {@link ReportModel} as GitHub-flavoured Markdown (charts are HTML-only). */
public final class MarkdownReport {

  private MarkdownReport() {}

  public static String render(ReportModel r) {
    StringBuilder b = new StringBuilder("# ").append(r.title()).append("\n\n");
    for (String p : r.intro()) {
      b.append(p).append("\n\n");
    }
    for (Section s : r.sections()) {
      b.append("#".repeat(s.level())).append(' ').append(s.title()).append("\n\n");
      for (String p : s.paragraphs()) {
        b.append(p).append("\n\n");
      }
      for (Table t : s.tables()) {
        if (!t.caption().isEmpty()) {
          b.append("**").append(t.caption()).append("**\n\n");
        }
        row(b, t.header());
        b.append('|');
        t.header().forEach(h -> b.append("---|"));
        b.append('\n');
        for (List<String> r2 : t.rows()) {
          row(b, r2);
        }
        b.append('\n');
      }
    }
    b.append("Charts: see report.html.\n");
    return b.toString();
  }

  private static void row(StringBuilder b, List<String> cells) {
    b.append('|');
    for (String c : cells) {
      b.append(' ').append(c.replace("|", "\\|").replace("\n", " ")).append(" |");
    }
    b.append('\n');
  }
}
