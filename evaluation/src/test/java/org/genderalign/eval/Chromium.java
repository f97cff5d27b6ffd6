package org.genderalign.eval;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium for report tests: loads a page with a script appended that writes every SVG's
 * rendered box into the DOM, dumps the DOM, and reads the boxes back.
 */
final class Chromium {

  private static final String PROBE = "<script>(function(){var o=[];"
      + "document.querySelectorAll('svg').forEach(function(s){var r=s.getBoundingClientRect();"
      + "o.push([r.width,r.height,s.querySelectorAll('rect,path,line,text,polygon,circle,ellipse')"
      + ".length]);});var p=document.createElement('pre');p.id='svg-boxes';"
      + "p.textContent=JSON.stringify(o);document.body.appendChild(p);})();</script>";

  private Chromium() {}

  /** The chromium binary on PATH, or null. */
  static Path find() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      for (String name : List.of("chromium", "chromium-browser")) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    return null;
  }

  /** {width, height, drawn elements} of every SVG of {@code html}, in document order. */
  static List<double[]> svgBoxes(Path chromium, String html, Path tmp) throws Exception {
    Path page = tmp.resolve("page.html");
    Files.writeString(page, html.replace("</body>", PROBE + "</body>"), StandardCharsets.UTF_8);
    Path profile = Files.createDirectory(tmp.resolve("profile"));
    Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--user-data-dir=" + profile,
        "--window-size=1200,900", "--dump-dom", page.toUri().toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] dom = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("chromium did not finish in 120 s");
    }
    Matcher m = Pattern.compile("<pre id=\"svg-boxes\">(.*?)</pre>", Pattern.DOTALL)
        .matcher(new String(dom, StandardCharsets.UTF_8));
    if (!m.find()) {
      throw new IllegalStateException("chromium's DOM has no probe output (exit " + p.exitValue()
          + ")");
    }
    List<double[]> out = new ArrayList<>();
    Matcher box = Pattern.compile("\\[([0-9.eE+-]+),([0-9.eE+-]+),([0-9]+)\\]").matcher(m.group(1));
    while (box.find()) {
      out.add(new double[] {Double.parseDouble(box.group(1)), Double.parseDouble(box.group(2)),
          Double.parseDouble(box.group(3))});
    }
    return out;
  }
}
