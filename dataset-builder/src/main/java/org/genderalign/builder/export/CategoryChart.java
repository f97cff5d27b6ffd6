package org.genderalign.builder.export;

import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;

/** The category distribution per split as an SVG bar chart (deterministic: fixed defs prefix). */
public final class CategoryChart {

  private CategoryChart() {}

  /**
   * @param counts split ("train", "test") → category id → pairs
   * @param categories category ids in display order
   */
  public static String svg(Map<String, Map<String, Integer>> counts, List<String> categories, String title) {
    System.setProperty("java.awt.headless", "true");
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (String split : List.of("train", "test")) {
      Map<String, Integer> m = counts.getOrDefault(split, Map.of());
      for (String c : categories) {
        data.addValue(m.getOrDefault(c, 0), split, c.replace('_', ' '));
      }
    }
    JFreeChart chart = ChartFactory.createBarChart(title, "category of the rejected answer", "pairs", data,
        PlotOrientation.HORIZONTAL, true, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    CategoryPlot plot = chart.getCategoryPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    BarRenderer r = (BarRenderer) plot.getRenderer();
    r.setBarPainter(new StandardBarPainter());
    r.setShadowVisible(false);
    r.setSeriesPaint(0, new Color(0x33, 0x66, 0x99));
    r.setSeriesPaint(1, new Color(0xE6, 0x8A, 0x00));
    SVGGraphics2D g2 = new SVGGraphics2D(800, 420);
    // The default prefix embeds the clock; a fixed one keeps the file byte-identical.
    g2.setDefsKeyPrefix("genderalign");
    chart.draw(g2, new Rectangle(0, 0, 800, 420));
    return g2.getSVGDocument();
  }
}
