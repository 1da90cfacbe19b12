// Axis ticks for plots: round numbers, 1, 2 or 5 times a power of ten apart,
// at most about `max_ticks` of them over a data range, with the decimals
// their labels need ("0.85", "1.2", "40").
//
// Thread safety: pure functions.
#ifndef MNIST_APP_PICTURES_AXIS_TICKS_H_
#define MNIST_APP_PICTURES_AXIS_TICKS_H_

#include <string>
#include <vector>

namespace mnist {

struct Axis {
  double lo = 0.0;            // the axis runs from lo to hi
  double hi = 1.0;
  double step = 1.0;          // distance between ticks
  int decimals = 0;           // digits after the point that tell ticks apart
  std::vector<double> ticks;  // ascending, within [lo, hi]
};

// The smallest of 1, 2, 5 x 10^k (and at least `min_step`) that splits
// `span` into at most `max_ticks` steps. REQUIRES: max_ticks >= 1.
double NiceStep(double span, int max_ticks, double min_step = 0.0);

// A value axis covering [lo, hi], widened outwards to whole steps; a range
// of one value is widened around it first. REQUIRES: lo <= hi, both finite.
Axis NiceAxis(double lo, double hi, int max_ticks);

// An axis exactly [lo, hi] with ticks at the multiples of `step` inside it.
Axis AxisWithin(double lo, double hi, double step);

// `value` with `decimals` digits after the point, never "-0".
std::string FormatTick(double value, int decimals);

}  // namespace mnist

#endif  // MNIST_APP_PICTURES_AXIS_TICKS_H_
