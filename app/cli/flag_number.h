// The value of a numeric flag: its text as the user typed it, parsed and
// checked against the values the flag takes. Errors quote that text and
// state the range, e.g.
//   --epochs 99999999999: out of range; must be an integer from 1 to 2147483647
//   --lr "fast": not a number; must be a number > 0
#ifndef MNIST_APP_CLI_FLAG_NUMBER_H_
#define MNIST_APP_CLI_FLAG_NUMBER_H_

#include <cstdint>
#include <limits>
#include <string>

#include "io/base/status.h"

namespace mnist {

// The floats a flag takes: from `min` to `max`, each bound itself included
// or not; `max` may be infinity. Values are always finite.
struct FloatRange {
  float min;
  bool min_included;
  float max = std::numeric_limits<float>::infinity();
  bool max_included = false;
};

// `flag` is the name without dashes ("epochs"); `text` is the value typed.
// InvalidArgument unless `text` is a whole base-10 integer in [min, max].
Status ParseIntFlag(const std::string& flag, const std::string& text, int min, int max, int* out);

// InvalidArgument unless `text` is a whole base-10 integer that fits 64 bits unsigned.
Status ParseUint64Flag(const std::string& flag, const std::string& text, uint64_t* out);

// InvalidArgument unless `text` is a number (as strtof reads it) in `range`.
Status ParseFloatFlag(const std::string& flag, const std::string& text, const FloatRange& range,
                      float* out);

// ParseFloatFlag, also taking a fraction "A/B" of two such numbers (as
// --pixel-scale's default, 1/255, is written); the quotient must be in `range`.
Status ParseFractionFlag(const std::string& flag, const std::string& text, const FloatRange& range,
                         float* out);

}  // namespace mnist

#endif  // MNIST_APP_CLI_FLAG_NUMBER_H_
