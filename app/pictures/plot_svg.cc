#include "app/pictures/plot_svg.h"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>

#include "app/pictures/axis_ticks.h"

namespace mnist {
namespace {

// Page layout in SVG user units (pixels): two panels over one epoch axis.
constexpr double kWidth = 880, kHeight = 640;
constexpr double kLeft = 78, kRight = kWidth - 24;
constexpr double kAccTop = 92, kAccBottom = 312;    // validation accuracy panel
constexpr double kLossTop = 364, kLossBottom = 574;  // loss panel
constexpr double kCharWidth = 6.8;  // a generous average for 12px sans-serif

constexpr char kAccColor[] = "#1f77b4";
constexpr char kValLossColor[] = "#d62728";
constexpr char kTrainLossColor[] = "#2ca02c";
constexpr char kKeptColor[] = "#f2b01e";
constexpr char kInk[] = "#333333";
constexpr char kBestColor[] = "#555555";
constexpr char kBestDash[] = " stroke-dasharray=\"4 3\"";
constexpr char kTrainDash[] = " stroke-dasharray=\"6 4\"";

// Appends printf-style text to `svg`, however long (a polyline's points
// grow with the epochs).
void Add(std::string* svg, const char* format, ...) {
  va_list args;
  va_start(args, format);
  va_list again;
  va_copy(again, args);
  const int n = std::vsnprintf(nullptr, 0, format, args);
  va_end(args);
  if (n > 0) {
    const size_t old_size = svg->size();
    svg->resize(old_size + static_cast<size_t>(n) + 1);
    std::vsnprintf(&(*svg)[old_size], static_cast<size_t>(n) + 1, format, again);
    svg->resize(old_size + static_cast<size_t>(n));
  }
  va_end(again);
}

std::string Escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

// A <text> element; `attributes` are extra attributes, already escaped.
void Text(std::string* svg, double x, double y, const std::string& text,
          const std::string& attributes = "") {
  Add(svg, "<text x=\"%.1f\" y=\"%.1f\"%s%s>", x, y, attributes.empty() ? "" : " ",
      attributes.c_str());
  *svg += Escape(text) + "</text>\n";
}

// One panel: a plot area and the axes that map data into it.
struct Frame {
  double top, bottom;
  Axis x, y;
  double X(double epoch) const { return kLeft + (epoch - x.lo) / (x.hi - x.lo) * (kRight - kLeft); }
  double Y(double value) const { return bottom - (value - y.lo) / (y.hi - y.lo) * (bottom - top); }
};

// The plot area, grid lines, tick labels and the rotated y-axis title.
void DrawFrame(std::string* svg, const Frame& f, const std::string& y_title, bool x_labels) {
  Add(svg, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#fafafa\" "
      "stroke=\"#999999\"/>\n", kLeft, f.top, kRight - kLeft, f.bottom - f.top);
  for (double t : f.y.ticks) {
    Add(svg, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e3e3e3\"/>\n", kLeft,
        f.Y(t), kRight, f.Y(t));
    Add(svg, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999999\"/>\n",
        kLeft - 5, f.Y(t), kLeft, f.Y(t));
    Text(svg, kLeft - 8, f.Y(t) + 4, FormatTick(t, f.y.decimals), "text-anchor=\"end\"");
  }
  for (double t : f.x.ticks) {
    Add(svg, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e3e3e3\"/>\n",
        f.X(t), f.top, f.X(t), f.bottom);
    if (!x_labels) continue;
    Add(svg, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999999\"/>\n",
        f.X(t), f.bottom, f.X(t), f.bottom + 5);
    Text(svg, f.X(t), f.bottom + 19, FormatTick(t, f.x.decimals), "text-anchor=\"middle\"");
  }
  const double middle = (f.top + f.bottom) / 2;
  char rotate[96];
  std::snprintf(rotate, sizeof(rotate), "text-anchor=\"middle\" transform=\"rotate(-90 22 %.1f)\"",
                middle);
  Text(svg, 22, middle, y_title, rotate);
}

// A series: a polyline through its finite values and a dot on each.
void DrawSeries(std::string* svg, const Frame& f, const std::vector<MetricsRow>& rows,
                double MetricsRow::*field, const char* name, const char* color, const char* dash) {
  std::string points;
  for (const MetricsRow& row : rows) {
    if (!std::isfinite(row.*field)) continue;
    Add(&points, "%s%.1f,%.1f", points.empty() ? "" : " ", f.X(static_cast<double>(row.epoch)),
        f.Y(row.*field));
  }
  Add(svg, "<polyline class=\"series\" data-series=\"%s\" fill=\"none\" stroke=\"%s\" "
      "stroke-width=\"2\"%s points=\"%s\"/>\n", name, color, dash, points.c_str());
  for (const MetricsRow& row : rows) {
    if (!std::isfinite(row.*field)) continue;
    Add(svg, "<circle class=\"point\" data-series=\"%s\" data-epoch=\"%lld\" cx=\"%.1f\" "
        "cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n", name, static_cast<long long>(row.epoch),
        f.X(static_cast<double>(row.epoch)), f.Y(row.*field), color);
  }
}

// A legend entry: `swatch` is SVG with two %.1f, the x and y at which its
// 22-unit-wide symbol starts (vertically centred), then the label.
struct LegendEntry {
  std::string swatch;
  std::string label;
};

std::string LineSwatch(const char* color, const char* dash) {
  char s[200];
  std::snprintf(s, sizeof(s), "<path d=\"M%%.1f %%.1f h22\" stroke=\"%s\" stroke-width=\"2\"%s/>\n",
                color, dash);
  return s;
}

std::string RingSwatch(const char* fill) {
  char s[200];
  std::snprintf(s, sizeof(s), "<circle cx=\"%%.1f\" cy=\"%%.1f\" r=\"6\" fill=\"%s\" stroke=\"%s\" "
                "stroke-width=\"1.5\" transform=\"translate(11 0)\"/>\n", fill, kInk);
  return s;
}

// Draws `entries` in a row right-aligned to the plot's right edge, on baseline `y`.
void DrawLegend(std::string* svg, double y, const std::vector<LegendEntry>& entries) {
  auto width = [](const LegendEntry& e) {
    return 22 + 5 + static_cast<double>(e.label.size()) * kCharWidth + 16;
  };
  double x = kRight + 16;
  for (const LegendEntry& e : entries) x -= width(e);
  for (const LegendEntry& e : entries) {
    Add(svg, e.swatch.c_str(), x, y - 4);
    Text(svg, x + 27, y, e.label);
    x += width(e);
  }
}

// Widens [lo, hi] to take in the finite values of `field`.
void Range(const std::vector<MetricsRow>& rows, double MetricsRow::*field, double* lo, double* hi) {
  for (const MetricsRow& row : rows) {
    if (!std::isfinite(row.*field)) continue;
    *lo = std::min(*lo, row.*field);
    *hi = std::max(*hi, row.*field);
  }
}

// The row with the highest val_acc, the first of equals (as saving picks it).
const MetricsRow& BestRow(const std::vector<MetricsRow>& rows) {
  const MetricsRow* best = &rows.front();
  for (const MetricsRow& row : rows) {
    if (row.val_acc > best->val_acc || !std::isfinite(best->val_acc)) best = &row;
  }
  return *best;
}

// An accuracy is a fraction: an axis over accuracies in [0, 1] stops at 0
// and 1 however its padding rounded (no "1.1" tick above a perfect score).
void ClampToFraction(Axis* axis, double lo, double hi) {
  if (lo >= 0.0 && axis->lo < 0.0) axis->lo = 0.0;
  if (hi <= 1.0 && axis->hi > 1.0) axis->hi = 1.0;
  std::vector<double> ticks;
  for (double t : axis->ticks) {
    if (t >= axis->lo - 1e-9 && t <= axis->hi + 1e-9) ticks.push_back(t);
  }
  axis->ticks = std::move(ticks);
}

// The two panels' axes: one epoch axis, values padded off the frame, with
// extra room above the best accuracy so its label stays clear of the curve.
void MakeFrames(const std::vector<MetricsRow>& rows, Frame* acc, Frame* loss) {
  const double first = static_cast<double>(rows.front().epoch);
  const double last = static_cast<double>(rows.back().epoch);
  // Half an epoch each side, and at least room for a checkpoint's ring
  // (radius 7) inside the frame however many epochs share its width.
  const double ring_room = (last - first) * 9.0 / (kRight - kLeft - 18.0);
  const double pad = std::max(0.5, ring_room);
  const Axis epochs = AxisWithin(first - pad, last + pad, NiceStep(last - first, 10, 1.0));
  double acc_lo = HUGE_VAL, acc_hi = -HUGE_VAL, loss_lo = HUGE_VAL, loss_hi = -HUGE_VAL;
  Range(rows, &MetricsRow::val_acc, &acc_lo, &acc_hi);
  Range(rows, &MetricsRow::val_loss, &loss_lo, &loss_hi);
  Range(rows, &MetricsRow::train_loss, &loss_lo, &loss_hi);
  if (acc_lo > acc_hi) acc_lo = acc_hi = 0;
  if (loss_lo > loss_hi) loss_lo = loss_hi = 0;
  const double acc_pad = std::max((acc_hi - acc_lo) * 0.03, 0.001);
  const double loss_pad = (loss_hi - loss_lo) * 0.03;
  *acc = Frame{kAccTop, kAccBottom, epochs,
               NiceAxis(acc_lo - acc_pad, acc_hi + std::max(7 * acc_pad, 0.005), 6)};
  ClampToFraction(&acc->y, acc_lo, acc_hi);
  *loss = Frame{kLossTop, kLossBottom, epochs, NiceAxis(loss_lo - loss_pad, loss_hi + loss_pad, 6)};
}

// Rings on the accuracy curve: gold-filled under it for kept checkpoints,
// outlined over it for every saved one.
void DrawCheckpoints(std::string* svg, const Frame& acc, const std::vector<MetricsRow>& rows,
                     const std::set<int64_t>& kept_epochs, bool kept_pass) {
  for (const MetricsRow& row : rows) {
    if (row.saved.empty() || !std::isfinite(row.val_acc)) continue;
    if (kept_pass && kept_epochs.count(row.epoch) == 0) continue;
    Add(svg, "<circle class=\"%s\" data-epoch=\"%lld\" cx=\"%.1f\" cy=\"%.1f\" r=\"7\" "
        "fill=\"%s\" stroke=\"%s\" stroke-width=\"1.5\"/>\n", kept_pass ? "kept" : "saved",
        static_cast<long long>(row.epoch), acc.X(static_cast<double>(row.epoch)),
        acc.Y(row.val_acc), kept_pass ? kKeptColor : "none", kept_pass ? "none" : kInk);
  }
}

// A dashed line down each panel at the best epoch, labelled at the top.
void DrawBest(std::string* svg, const Frame& acc, const Frame& loss, const MetricsRow& best) {
  const double x = acc.X(static_cast<double>(best.epoch));
  for (const Frame* f : {&acc, &loss}) {
    Add(svg, "<line class=\"best\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
        "stroke=\"%s\"%s/>\n", x, f->top, x, f->bottom, kBestColor, kBestDash);
  }
  char label[96];
  std::snprintf(label, sizeof(label), "best %.4f at epoch %lld", best.val_acc,
                static_cast<long long>(best.epoch));
  const bool right_half = x > (kLeft + kRight) / 2;
  Text(svg, x + (right_half ? -6 : 6), acc.top + 16, label,
       right_half ? "text-anchor=\"end\" font-weight=\"bold\"" : "font-weight=\"bold\"");
}

}  // namespace

std::string RenderTrainingSvg(const std::vector<MetricsRow>& rows,
                              const std::set<int64_t>& kept_epochs, const std::string& source) {
  Frame acc, loss;
  MakeFrames(rows, &acc, &loss);
  const MetricsRow& best = BestRow(rows);

  std::string svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  Add(&svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
      "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"12\" fill=\"%s\">\n",
      kWidth, kHeight, kWidth, kHeight, kInk);
  svg += "<title>Training curves: " + Escape(source) + "</title>\n";
  Add(&svg, "<rect width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>\n", kWidth, kHeight);
  Text(&svg, kLeft, 28, "Training curves", "font-size=\"17\" font-weight=\"bold\"");
  char summary[160];
  std::snprintf(summary, sizeof(summary), ": %zu epochs, best val_acc %.4f at epoch %lld",
                rows.size(), best.val_acc, static_cast<long long>(best.epoch));
  Text(&svg, kLeft, 48, source + summary, "fill=\"#666666\"");

  const char* heading = "font-size=\"13\" font-weight=\"bold\"";
  Text(&svg, kLeft, acc.top - 10, "Validation accuracy", heading);
  DrawLegend(&svg, acc.top - 10,
             {{LineSwatch(kAccColor, ""), "val_acc"}, {RingSwatch("none"), "saved checkpoint"},
              {RingSwatch(kKeptColor), "kept (in checkpoint file)"},
              {LineSwatch(kBestColor, kBestDash), "best epoch"}});
  Text(&svg, kLeft, loss.top - 10, "Loss", heading);
  DrawLegend(&svg, loss.top - 10,
             {{LineSwatch(kValLossColor, ""), "val_loss"},
              {LineSwatch(kTrainLossColor, kTrainDash), "train_loss (with L2)"}});
  DrawFrame(&svg, acc, "val_acc", /*x_labels=*/false);
  DrawFrame(&svg, loss, "loss", /*x_labels=*/true);
  Text(&svg, (kLeft + kRight) / 2, loss.bottom + 44, "epoch", "text-anchor=\"middle\"");

  DrawBest(&svg, acc, loss, best);
  DrawCheckpoints(&svg, acc, rows, kept_epochs, /*kept_pass=*/true);
  DrawSeries(&svg, acc, rows, &MetricsRow::val_acc, "val_acc", kAccColor, "");
  DrawCheckpoints(&svg, acc, rows, kept_epochs, /*kept_pass=*/false);
  DrawSeries(&svg, loss, rows, &MetricsRow::train_loss, "train_loss", kTrainLossColor, kTrainDash);
  DrawSeries(&svg, loss, rows, &MetricsRow::val_loss, "val_loss", kValLossColor, "");
  svg += "</svg>\n";
  return svg;
}

}  // namespace mnist
