package org.genderalign.eval.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.CategoryItemRendererState;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * The report's charts as SVG documents (JFreeChart drawn into JFreeSVG), deterministic: a fixed
 * defs prefix instead of the clock-based default.
 */
public final class Charts {

  /** Chart size in pixels. */
  public static final int WIDTH = 760;
  public static final int HEIGHT = 380;

  /** One colour per model, in model order (colour-blind-safe Okabe–Ito palette). */
  static final Color[] PALETTE = {new Color(0x00, 0x72, 0xB2), new Color(0xE6, 0x9F, 0x00),
      new Color(0x00, 0x9E, 0x73), new Color(0xCC, 0x79, 0xA7), new Color(0x56, 0xB4, 0xE9),
      new Color(0xD5, 0x5E, 0x00), new Color(0xF0, 0xE4, 0x42), new Color(0x00, 0x00, 0x00)};

  private Charts() {}

  /**
   * One bar with a 95% interval whisker.
   *
   * @param value the bar's height
   * @param low lower end of the interval
   * @param high upper end
   */
  public record Bar(double value, double low, double high) {}

  /**
   * Grouped bars with interval whiskers: one group per category (metric), one bar per series
   * (model).
   *
   * @param bars category → series → bar (every category should have every series)
   */
  public static String bars(String title, String valueLabel, List<String> series,
      Map<String, Map<String, Bar>> bars) {
    System.setProperty("java.awt.headless", "true");
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (Map.Entry<String, Map<String, Bar>> c : bars.entrySet()) {
      for (String s : series) {
        Bar b = c.getValue().get(s);
        data.addValue(b == null || Double.isNaN(b.value()) ? null : b.value(), s, c.getKey());
      }
    }
    CategoryAxis x = new CategoryAxis(null);
    if (bars.size() > 4) {
      x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    }
    NumberAxis y = new NumberAxis(valueLabel);
    y.setAutoRangeIncludesZero(true);
    WhiskerBarRenderer r = new WhiskerBarRenderer(series, bars);
    CategoryPlot plot = new CategoryPlot(data, x, y, r);
    double lo = 0;
    double hi = 0;
    for (Map<String, Bar> m : bars.values()) {
      for (Bar b : m.values()) {
        for (double v : new double[] {b.value(), b.low(), b.high()}) {
          if (Double.isFinite(v)) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
          }
        }
      }
    }
    double pad = (hi - lo) * 0.08 + 1e-9;
    y.setRange(lo < 0 ? lo - pad : 0, hi + pad);
    style(plot);
    for (int i = 0; i < series.size(); i++) {
      r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
    }
    r.setBarPainter(new StandardBarPainter());
    r.setShadowVisible(false);
    r.setItemMargin(0.05);
    return draw(new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, true));
  }

  /**
   * Stacked bars: one bar per model, one stacked segment per category.
   *
   * @param models the bars, in order
   * @param segments category → model → segment height, in stacking order
   */
  public static String stacked(String title, String valueLabel, List<String> models,
      Map<String, Map<String, Double>> segments) {
    System.setProperty("java.awt.headless", "true");
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (Map.Entry<String, Map<String, Double>> c : segments.entrySet()) {
      for (String m : models) {
        Double v = c.getValue().get(m);
        data.addValue(v == null || Double.isNaN(v) ? 0.0 : v, c.getKey(), m);
      }
    }
    CategoryAxis x = new CategoryAxis(null);
    NumberAxis y = new NumberAxis(valueLabel);
    y.setAutoRangeIncludesZero(true);
    StackedBarRenderer r = new StackedBarRenderer();
    CategoryPlot plot = new CategoryPlot(data, x, y, r);
    double hi = 0;
    for (String m : models) {
      double sum = 0;
      for (Map<String, Double> seg : segments.values()) {
        Double v = seg.get(m);
        sum += v == null || Double.isNaN(v) ? 0 : v;
      }
      hi = Math.max(hi, sum);
    }
    y.setRange(0, hi > 0 ? hi * 1.08 : 1);
    style(plot);
    for (int i = 0; i < segments.size(); i++) {
      r.setSeriesPaint(i, PALETTE[(i + 4) % PALETTE.length]);
    }
    r.setBarPainter(new StandardBarPainter());
    r.setShadowVisible(false);
    r.setMaximumBarWidth(0.12);
    return draw(new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, true));
  }

  /**
   * A scatter of points per series.
   *
   * @param points series → list of {x, y}
   */
  public static String scatter(String title, String xLabel, String yLabel,
      Map<String, List<double[]>> points) {
    System.setProperty("java.awt.headless", "true");
    XYSeriesCollection data = new XYSeriesCollection();
    for (Map.Entry<String, List<double[]>> e : points.entrySet()) {
      XYSeries s = new XYSeries(e.getKey(), false, true);
      for (double[] p : e.getValue()) {
        if (Double.isFinite(p[0]) && Double.isFinite(p[1])) {
          s.add(p[0], p[1]);
        }
      }
      data.addSeries(s);
    }
    NumberAxis x = new NumberAxis(xLabel);
    NumberAxis y = new NumberAxis(yLabel);
    x.setAutoRangeIncludesZero(false);
    y.setAutoRangeIncludesZero(false);
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
    for (int i = 0; i < points.size(); i++) {
      r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
      r.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-3.5, -3.5, 7, 7));
    }
    XYPlot plot = new XYPlot(data, x, y, r);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    return draw(new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, true));
  }

  private static void style(CategoryPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeZeroBaselineVisible(true);
  }

  private static String draw(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    SVGGraphics2D g2 = new SVGGraphics2D(WIDTH, HEIGHT);
    g2.setDefsKeyPrefix("ga" + Integer.toHexString(chart.getTitle().getText().hashCode()));
    chart.draw(g2, new Rectangle(0, 0, WIDTH, HEIGHT));
    return g2.getSVGElement();
  }

  /** A bar renderer that draws each bar's interval as a whisker over it. */
  private static final class WhiskerBarRenderer extends BarRenderer {

    private static final long serialVersionUID = 1L;
    private final transient List<String> series;
    private final transient Map<String, Map<String, Bar>> bars;

    WhiskerBarRenderer(List<String> series, Map<String, Map<String, Bar>> bars) {
      this.series = series;
      this.bars = bars;
    }

    @Override
    public void drawItem(Graphics2D g2, CategoryItemRendererState state, Rectangle2D dataArea,
        CategoryPlot plot, CategoryAxis domainAxis, ValueAxis rangeAxis, CategoryDataset dataset,
        int row, int column, int pass) {
      super.drawItem(g2, state, dataArea, plot, domainAxis, rangeAxis, dataset, row, column, pass);
      if (pass != 0 || dataset.getValue(row, column) == null) {
        return;
      }
      Bar b = bars.get((String) dataset.getColumnKey(column)).get(series.get(row));
      if (b == null || !Double.isFinite(b.low()) || !Double.isFinite(b.high())) {
        return;
      }
      int visibleRow = state.getVisibleSeriesIndex(row);
      double w0 = calculateBarW0(plot, plot.getOrientation(), dataArea, domainAxis, state,
          visibleRow, column);
      double mid = w0 + state.getBarWidth() / 2;
      double y0 = rangeAxis.valueToJava2D(b.low(), dataArea, plot.getRangeAxisEdge());
      double y1 = rangeAxis.valueToJava2D(b.high(), dataArea, plot.getRangeAxisEdge());
      double cap = Math.max(2, state.getBarWidth() / 4);
      g2.setPaint(Color.DARK_GRAY);
      g2.setStroke(new BasicStroke(1.2f));
      g2.draw(new Line2D.Double(mid, y0, mid, y1));
      g2.draw(new Line2D.Double(mid - cap, y0, mid + cap, y0));
      g2.draw(new Line2D.Double(mid - cap, y1, mid + cap, y1));
    }
  }
}
