package org.genderalign.eval.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.io.IOException;
import java.nio.file.Path;
import org.genderalign.core.io.AtomicFiles;
import org.genderalign.eval.EvaluationResult;

/** Writes {@code results.json}, {@code report.md} and {@code report.html} of a result. */
public final class Reports {

  /** The precompiled jte template of the HTML report (src/main/jte/report.jte). */
  public static final String TEMPLATE = "report.jte";

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);
  private static final TemplateEngine JTE = TemplateEngine.createPrecompiled(ContentType.Html);

  private Reports() {}

  /** Writes the three files into {@code result.outDir()}. */
  public static void writeAll(EvaluationResult result) throws IOException {
    Path out = result.outDir();
    AtomicFiles.writeString(out.resolve(EvaluationResult.RESULTS_JSON), json(result));
    ReportModel model = ReportBuilder.build(result);
    AtomicFiles.writeString(out.resolve(EvaluationResult.REPORT_MD), MarkdownReport.render(model));
    AtomicFiles.writeString(out.resolve(EvaluationResult.REPORT_HTML), html(model));
  }

  /**
   * Reads a {@code results.json} back (of {@code genderalign eval}, or the {@code evaluate/}
   * folder of a pipeline run): the notebooks and other tools report on a finished evaluation
   * without running it again. The result's {@code outDir} is the file's folder.
   */
  public static EvaluationResult read(Path resultsJson) throws IOException {
    EvaluationResult r;
    try {
      r = JSON.readValue(resultsJson.toFile(), EvaluationResult.class);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw org.genderalign.core.error.InvalidInputException.ofFile(resultsJson,
          "not an evaluation results.json (" + e.getOriginalMessage() + ")");
    }
    return new EvaluationResult(r.models(), r.baseline(), r.benchmarks(), r.statistics(), r.samples(),
        r.provenance(), resultsJson.toAbsolutePath().getParent());
  }

  /** The result as results.json text. */
  public static String json(EvaluationResult result) throws IOException {
    return JSON.writeValueAsString(result) + "\n";
  }

  /** The report as one self-contained HTML page. */
  public static String html(ReportModel model) {
    StringOutput out = new StringOutput();
    JTE.render(TEMPLATE, model, out);
    return out.toString();
  }
}
