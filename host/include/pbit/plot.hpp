#pragma once
// Line charts as PNG (training curves: accuracy, log-likelihood, ... versus
// epoch), drawn by a small built-in rasterizer: no runtime dependency.
// A chart has a title, axis labels, nice ticks with numbers, light grid lines,
// any number of series (anti-aliased lines, markers when there are few points)
// and a legend placed in the corner that hides the fewest data points.
#include <pbit/image.hpp>

#include <optional>
#include <string>
#include <vector>

namespace pbit {

// Aggregates: set the fields by name (s.name = ...; s.y = ...).
struct Series {
  std::string name;             // legend text ("" = not in the legend)
  std::vector<double> x;        // empty: 1, 2, ..., y.size() (epochs)
  std::vector<double> y;        // NaN/inf values leave a gap in the line
  std::optional<Rgb> color;     // default: the palette colour of the series index
  std::optional<bool> markers;  // default: markers when a series has <= 40 points
};

struct Chart {
  std::string title, x_label, y_label;
  std::vector<Series> series;
  int width = 720, height = 420;  // pixels, whole chart
  // Axis limits; default: the data range widened to whole tick steps.
  std::optional<double> x_min, x_max, y_min, y_max;
  bool legend = true;
};

// The palette (Tableau 10): blue, orange, green, red, purple, brown, pink, gray, olive, cyan.
Rgb palette_color(std::size_t index);

// Errors (pbit::Error): x and y of different lengths, no finite point at all
// with no explicit limits, limits with min >= max, a chart too small to draw.
Image render_chart(const Chart& chart);
void write_chart_png(const std::string& path, const Chart& chart);
// Several charts stacked vertically in one PNG (e.g. accuracy above log-likelihood).
void write_charts_png(const std::string& path, const std::vector<Chart>& charts);

// Tick positions for [lo, hi]: steps of 1, 2 or 5 times a power of ten,
// about `target` of them (exposed for tests).
std::vector<double> nice_ticks(double lo, double hi, int target);

}  // namespace pbit
