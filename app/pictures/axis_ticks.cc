#include "app/pictures/axis_ticks.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace mnist {
namespace {

// Digits after the point that a tick step needs: 0.05 -> 2, 0.1 -> 1, 5 -> 0.
int DecimalsFor(double step) {
  return std::max(0, static_cast<int>(std::ceil(-std::log10(step) - 1e-9)));
}

}  // namespace

double NiceStep(double span, int max_ticks, double min_step) {
  const double raw = std::max(span / max_ticks, 1e-12);
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10.0 * power;
  for (double m : {1.0, 2.0, 5.0}) {
    if (m * power >= raw * (1.0 - 1e-9)) {
      step = m * power;
      break;
    }
  }
  return std::max(step, min_step);
}

Axis NiceAxis(double lo, double hi, int max_ticks) {
  if (hi - lo < 1e-12) {
    const double pad = std::max(std::fabs(lo) * 0.05, 1e-3);
    lo -= pad;
    hi += pad;
  }
  const double step = NiceStep(hi - lo, max_ticks);
  // Small slack so a value a rounding error past a tick does not add a step.
  return AxisWithin(std::floor(lo / step + 1e-9) * step, std::ceil(hi / step - 1e-9) * step, step);
}

Axis AxisWithin(double lo, double hi, double step) {
  Axis axis;
  axis.lo = lo;
  axis.hi = hi;
  axis.step = step;
  axis.decimals = DecimalsFor(step);
  for (double k = std::ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k += 1.0) {
    axis.ticks.push_back(k * step);
  }
  return axis;
}

std::string FormatTick(double value, int decimals) {
  char text[64];
  std::snprintf(text, sizeof(text), "%.*f", decimals, value);
  std::string s = text;
  if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

}  // namespace mnist
