// Line charts rendered with the built-in rasterizer; see pbit/plot.hpp.
#include <pbit/error.hpp>
#include <pbit/plot.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

namespace pbit {
namespace {

constexpr Rgb kWhite{255, 255, 255};
constexpr Rgb kInk{40, 40, 40};      // text
constexpr Rgb kAxis{90, 90, 90};     // frame and ticks
constexpr Rgb kGrid{228, 228, 228};  // grid lines
constexpr int kPad = 12;             // outer padding
constexpr int kTickLen = 5;
constexpr int kInset = 6;  // data limits to frame, pixels
constexpr std::size_t kMarkerMaxPoints = 40;

// 1, 2 or 5 times a power of ten, close to range / target.
double nice_step(double range, int target) {
  const double raw = range / std::max(target, 1);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double m = raw / mag;
  const double nice = m < 1.5 ? 1.0 : m < 3.5 ? 2.0 : m < 7.5 ? 5.0 : 10.0;
  return nice * mag;
}

// Number of decimals that shows every multiple of `step` exactly.
int decimals_for(double step) {
  int d = 0;
  while (d < 10 && std::fabs(step * std::pow(10.0, d) - std::round(step * std::pow(10.0, d))) >
                       1e-6 * step * std::pow(10.0, d))
    ++d;
  return d;
}

std::string tick_label(double v, double step) {
  char buf[64];
  const double a = std::fabs(v);
  if (std::fabs(v) < step * 1e-9) v = 0.0;  // no "-0"
  if ((a >= 1e6 || step < 1e-4) && v != 0.0) {
    std::snprintf(buf, sizeof buf, "%.3g", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.*f", decimals_for(step), v);
  }
  return buf;
}

struct Range {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  bool all_integer = true;
  void add(double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    if (v != std::round(v)) all_integer = false;
  }
  bool empty() const { return !(lo <= hi); }
};

// Final axis limits and step: explicit limits win; otherwise the data range
// widened to whole steps (a flat range gets +-1 or +-10 %).
void axis_limits(Range data, std::optional<double> fix_lo, std::optional<double> fix_hi, int target,
                 bool integer_steps, const char* axis, double& lo, double& hi, double& step) {
  if (data.empty() && !(fix_lo && fix_hi))
    throw Error(std::string("chart: no finite data for the ") + axis +
                " axis (give explicit limits)");
  lo = fix_lo ? *fix_lo : data.lo;
  hi = fix_hi ? *fix_hi : data.hi;
  if (fix_lo && fix_hi && !(*fix_lo < *fix_hi))
    throw Error(std::string("chart: ") + axis + " limits need min < max");
  if (!(lo < hi)) {  // flat data (or one fixed limit on the wrong side)
    const double pad = lo == 0.0 ? 1.0 : std::fabs(lo) * 0.1;
    if (!fix_lo) lo -= pad;
    if (!fix_hi) hi = std::max(hi, lo) + pad;
    if (!(lo < hi)) hi = lo + 2 * pad;
  }
  step = nice_step(hi - lo, target);
  if (integer_steps) step = std::max(step, 1.0);
  if (!fix_lo) lo = std::floor(lo / step + 1e-9) * step;
  if (!fix_hi) hi = std::ceil(hi / step - 1e-9) * step;
}

// Markers on when asked, else when the series has few finite points.
bool markers_of(const Series& ser) {
  if (ser.markers) return *ser.markers;
  std::size_t finite = 0;
  for (std::size_t i = 0; i < ser.y.size(); ++i)
    if (std::isfinite(ser.y[i]) && (ser.x.empty() || std::isfinite(ser.x[i]))) ++finite;
  return finite <= kMarkerMaxPoints;
}

}  // namespace

Rgb palette_color(std::size_t index) {
  static constexpr std::array<Rgb, 10> kPalette{{{31, 119, 180},
                                                 {255, 127, 14},
                                                 {44, 160, 44},
                                                 {214, 39, 40},
                                                 {148, 103, 189},
                                                 {140, 86, 75},
                                                 {227, 119, 194},
                                                 {127, 127, 127},
                                                 {188, 189, 34},
                                                 {23, 190, 207}}};
  return kPalette[index % kPalette.size()];
}

std::vector<double> nice_ticks(double lo, double hi, int target) {
  std::vector<double> ticks;
  if (!(lo < hi) || !std::isfinite(lo) || !std::isfinite(hi)) return ticks;
  const double step = nice_step(hi - lo, target);
  for (double k = std::ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k += 1.0)
    ticks.push_back(k * step);
  return ticks;
}

Image render_chart(const Chart& chart) {
  if (chart.width < 160 || chart.height < 120 || chart.width > 8192 || chart.height > 8192)
    throw Error("chart: size " + std::to_string(chart.width) + "x" + std::to_string(chart.height) +
                " (160x120 .. 8192x8192)");
  // ---- data ranges ----
  Range xr, yr;
  std::vector<std::vector<double>> xs(chart.series.size());
  for (std::size_t s = 0; s < chart.series.size(); ++s) {
    const Series& ser = chart.series[s];
    if (!ser.x.empty() && ser.x.size() != ser.y.size())
      throw Error("chart: series '" + ser.name + "' has " + std::to_string(ser.x.size()) +
                  " x values but " + std::to_string(ser.y.size()) + " y values");
    xs[s] = ser.x;
    if (xs[s].empty())
      for (std::size_t i = 0; i < ser.y.size(); ++i) xs[s].push_back(double(i + 1));
    for (std::size_t i = 0; i < ser.y.size(); ++i)
      if (std::isfinite(xs[s][i]) && std::isfinite(ser.y[i])) {
        xr.add(xs[s][i]);
        yr.add(ser.y[i]);
      }
  }

  // ---- layout ----
  const int title_h = chart.title.empty() ? 0 : text_height(2) + 8;
  const int ylabel_w = chart.y_label.empty() ? 0 : text_height(1) + 8;
  const int xlabel_h = chart.x_label.empty() ? 0 : text_height(1) + 6;
  const int top = kPad + title_h;
  const int bottom = kPad + xlabel_h + text_height(1) + kTickLen + 4;
  const int plot_h = chart.height - top - bottom;
  if (plot_h < 40) throw Error("chart: too small for its labels");

  double x_lo, x_hi, x_step, y_lo, y_hi, y_step;
  axis_limits(yr, chart.y_min, chart.y_max, std::max(2, plot_h / 45), false, "y", y_lo, y_hi,
              y_step);
  const std::vector<double> yticks = nice_ticks(y_lo, y_hi, std::max(2, plot_h / 45));
  const double ytick_step = yticks.size() >= 2 ? yticks[1] - yticks[0] : y_step;
  int ytick_w = 0;
  for (const double t : yticks) ytick_w = std::max(ytick_w, text_width(tick_label(t, ytick_step)));
  const int left = kPad + ylabel_w + ytick_w + kTickLen + 4;
  const int right = kPad + 8;  // room for the last x tick label's overhang
  const int plot_w = chart.width - left - right;
  if (plot_w < 60) throw Error("chart: too small for its labels");
  axis_limits(xr, chart.x_min, chart.x_max, std::max(2, plot_w / 80), xr.all_integer, "x", x_lo,
              x_hi, x_step);
  std::vector<double> xticks = nice_ticks(x_lo, x_hi, std::max(2, plot_w / 80));
  if (xr.all_integer && !xticks.empty() && xticks.size() >= 2 && xticks[1] - xticks[0] < 1.0) {
    xticks.clear();
    for (double t = std::ceil(x_lo); t <= x_hi; t += 1.0) xticks.push_back(t);
  }
  const double xtick_step = xticks.size() >= 2 ? xticks[1] - xticks[0] : x_step;

  // Data -> pixel (integer coordinates are pixel centres; the frame is at
  // left-1 / left+plot_w and top-1 / top+plot_h, the plot area between; the
  // axis limits sit kInset pixels inside it so that markers are not cut).
  const auto px = [&](double x) {
    return left + kInset + (x - x_lo) / (x_hi - x_lo) * (plot_w - 1 - 2 * kInset);
  };
  const auto py = [&](double y) {
    return top + kInset + (y_hi - y) / (y_hi - y_lo) * (plot_h - 1 - 2 * kInset);
  };

  Image img = Image::rgb(chart.width, chart.height, kWhite);

  // ---- grid, ticks, tick labels ----
  for (const double t : yticks) {
    const int y = static_cast<int>(std::lround(py(t)));
    img.fill_rect(left, y, plot_w, 1, kGrid);
    img.fill_rect(left - 1 - kTickLen, y, kTickLen, 1, kAxis);
    const std::string s = tick_label(t, ytick_step);
    draw_text(img, left - 1 - kTickLen - 3 - text_width(s), y - 3, s, kInk);
  }
  for (const double t : xticks) {
    const int x = static_cast<int>(std::lround(px(t)));
    img.fill_rect(x, top, 1, plot_h, kGrid);
    img.fill_rect(x, top + plot_h, 1, kTickLen, kAxis);
    const std::string s = tick_label(t, xtick_step);
    draw_text(img, x - text_width(s) / 2, top + plot_h + kTickLen + 3, s, kInk);
  }

  // ---- series, drawn into the plot area only (clipped) ----
  Image area = Image::rgb(plot_w, plot_h, kWhite);
  for (int y = 0; y < plot_h; ++y)
    for (int x = 0; x < plot_w; ++x) area.set(x, y, img.pixel(left + x, top + y));
  std::vector<std::array<double, 2>> all_points;  // for legend placement
  for (std::size_t s = 0; s < chart.series.size(); ++s) {
    const Series& ser = chart.series[s];
    const Rgb color = ser.color ? *ser.color : palette_color(s);
    const bool markers = markers_of(ser);
    bool have_prev = false;
    double prev_x = 0, prev_y = 0;
    for (std::size_t i = 0; i < ser.y.size(); ++i) {
      if (!std::isfinite(xs[s][i]) || !std::isfinite(ser.y[i])) {
        have_prev = false;
        continue;
      }
      const double x = px(xs[s][i]) - left, y = py(ser.y[i]) - top;
      all_points.push_back({x + left, y + top});
      if (have_prev) draw_line(area, prev_x, prev_y, x, y, color, 2.0);
      if (markers) fill_circle(area, x, y, 2.8, color);
      const bool isolated = !have_prev && (i + 1 == ser.y.size() || !std::isfinite(ser.y[i + 1]) ||
                                           !std::isfinite(xs[s][i + 1]));
      if (isolated && !markers) fill_circle(area, x, y, 2.0, color);  // stays visible
      have_prev = true;
      prev_x = x;
      prev_y = y;
    }
  }
  img.paste(area, left, top);

  // ---- frame ----
  img.fill_rect(left - 1, top - 1, plot_w + 2, 1, kAxis);
  img.fill_rect(left - 1, top + plot_h, plot_w + 2, 1, kAxis);
  img.fill_rect(left - 1, top - 1, 1, plot_h + 2, kAxis);
  img.fill_rect(left + plot_w, top - 1, 1, plot_h + 2, kAxis);

  // ---- title and axis labels ----
  if (!chart.title.empty()) {
    const int w = text_width(chart.title, 2);
    draw_text(img, std::max(kPad, left + (plot_w - w) / 2), kPad, chart.title, kInk, 2);
  }
  if (!chart.x_label.empty()) {
    const int w = text_width(chart.x_label);
    draw_text(img, left + (plot_w - w) / 2, chart.height - kPad - text_height(1), chart.x_label,
              kInk);
  }
  if (!chart.y_label.empty()) {
    const int h = text_width(chart.y_label);
    draw_text_up(img, kPad, top + std::max(0, (plot_h - h) / 2), chart.y_label, kInk);
  }

  // ---- legend: the corner covering the fewest data points ----
  std::vector<std::size_t> named;
  for (std::size_t s = 0; s < chart.series.size(); ++s)
    if (!chart.series[s].name.empty()) named.push_back(s);
  if (chart.legend && !named.empty()) {
    constexpr int kSwatch = 22, kRow = 14, kInner = 7;
    int text_w = 0;
    for (const std::size_t s : named) text_w = std::max(text_w, text_width(chart.series[s].name));
    const int lw = kInner + kSwatch + 6 + text_w + kInner;
    const int lh = kInner * 2 + kRow * static_cast<int>(named.size()) - (kRow - text_height(1));
    const int m = 8;  // margin from the frame
    const std::array<std::array<int, 2>, 4> corners{
        {{left + plot_w - m - lw, top + m},
         {left + m, top + m},
         {left + plot_w - m - lw, top + plot_h - m - lh},
         {left + m, top + plot_h - m - lh}}};
    std::size_t best = 0, best_hits = std::numeric_limits<std::size_t>::max();
    for (std::size_t c = 0; c < corners.size(); ++c) {
      std::size_t hits = 0;
      const int x0 = corners[c][0] - 4, y0 = corners[c][1] - 4;
      for (const auto& p : all_points)
        if (p[0] >= x0 && p[0] <= x0 + lw + 8 && p[1] >= y0 && p[1] <= y0 + lh + 8) ++hits;
      // Also count line segments crossing the box, sampled along each series.
      for (std::size_t s = 0; s < chart.series.size(); ++s)
        for (std::size_t i = 1; i < chart.series[s].y.size(); ++i) {
          const double xa = xs[s][i - 1], ya = chart.series[s].y[i - 1];
          const double xb = xs[s][i], yb = chart.series[s].y[i];
          if (!std::isfinite(xa + ya + xb + yb)) continue;
          for (int k = 1; k < 8; ++k) {
            const double u = k / 8.0;
            const double qx = px(xa + u * (xb - xa)), qy = py(ya + u * (yb - ya));
            if (qx >= x0 && qx <= x0 + lw + 8 && qy >= y0 && qy <= y0 + lh + 8) ++hits;
          }
        }
      if (hits < best_hits) {
        best_hits = hits;
        best = c;
      }
    }
    const int lx = corners[best][0], ly = corners[best][1];
    img.fill_rect(lx, ly, lw, lh, kWhite);
    img.fill_rect(lx, ly, lw, 1, kGrid.r > 200 ? Rgb{200, 200, 200} : kGrid);
    img.fill_rect(lx, ly + lh - 1, lw, 1, Rgb{200, 200, 200});
    img.fill_rect(lx, ly, 1, lh, Rgb{200, 200, 200});
    img.fill_rect(lx + lw - 1, ly, 1, lh, Rgb{200, 200, 200});
    for (std::size_t k = 0; k < named.size(); ++k) {
      const std::size_t s = named[k];
      const Series& ser = chart.series[s];
      const Rgb color = ser.color ? *ser.color : palette_color(s);
      const int ty = ly + kInner + static_cast<int>(k) * kRow;
      const double cy = ty + 3;  // middle of the cap height
      draw_line(img, lx + kInner, cy, lx + kInner + kSwatch, cy, color, 2.0);
      if (markers_of(ser)) fill_circle(img, lx + kInner + kSwatch / 2.0, cy, 2.8, color);
      draw_text(img, lx + kInner + kSwatch + 6, ty, ser.name, kInk);
    }
  }
  return img;
}

void write_chart_png(const std::string& path, const Chart& chart) {
  write_png(path, render_chart(chart));
}

void write_charts_png(const std::string& path, const std::vector<Chart>& charts) {
  if (charts.empty()) throw Error(path + ": no charts to write");
  std::vector<Image> images;
  for (const Chart& c : charts) images.push_back(render_chart(c));
  write_png(path, stack_vertical(images, 0, kWhite));
}

}  // namespace pbit
