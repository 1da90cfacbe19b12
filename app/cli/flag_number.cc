#include "app/cli/flag_number.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace mnist {
namespace {

// What the flag takes, in words: "an integer from 1 to 2147483647".
template <typename T>
std::string IntegerRange(T min, T max) {
  return "an integer from " + std::to_string(min) + " to " + std::to_string(max);
}

std::string Number(float v) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", static_cast<double>(v));
  return text;
}

// "a number > 0", "a number >= 0", "a number in [0, 1)".
std::string FloatRangeText(const FloatRange& r) {
  if (std::isinf(r.max)) return std::string("a number ") + (r.min_included ? ">= " : "> ") + Number(r.min);
  return std::string("a number in ") + (r.min_included ? "[" : "(") + Number(r.min) + ", " +
         Number(r.max) + (r.max_included ? "]" : ")");
}

Status NotANumber(const std::string& flag, const std::string& text, const std::string& range) {
  return Status::InvalidArgument("--" + flag + " \"" + text + "\": not a number; must be " + range);
}

Status OutOfRange(const std::string& flag, const std::string& text, const std::string& range) {
  return Status::InvalidArgument("--" + flag + " " + text + ": out of range; must be " + range);
}

// True when strto* read all of `text` (and there was something to read).
bool ReadAll(const std::string& text, const char* end) {
  return !text.empty() && end == text.c_str() + text.size();
}

// `v`, read from `text`, into `out` when it is finite and in `range`.
Status CheckFloatFlag(const std::string& flag, const std::string& text, float v,
                      const FloatRange& range, float* out) {
  const bool above_min = range.min_included ? v >= range.min : v > range.min;
  const bool below_max = range.max_included ? v <= range.max : v < range.max;
  if (!std::isfinite(v)) {  // nan, inf, or too big for a float (1e39)
    return Status::InvalidArgument("--" + flag + " " + text + ": not a finite float; must be " +
                                   FloatRangeText(range));
  }
  // An underflow (1e-50) reads as 0 or a denormal and is judged as that.
  if (!above_min || !below_max) {
    return OutOfRange(flag, text, FloatRangeText(range));
  }
  *out = v;
  return Status::Ok();
}

}  // namespace

Status ParseIntFlag(const std::string& flag, const std::string& text, int min, int max, int* out) {
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (!ReadAll(text, end)) return NotANumber(flag, text, IntegerRange(min, max));
  if (errno == ERANGE || v < min || v > max) return OutOfRange(flag, text, IntegerRange(min, max));
  *out = static_cast<int>(v);
  return Status::Ok();
}

Status ParseUint64Flag(const std::string& flag, const std::string& text, uint64_t* out) {
  const std::string range = IntegerRange<uint64_t>(0, std::numeric_limits<uint64_t>::max());
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  if (!ReadAll(text, end)) return NotANumber(flag, text, range);
  // strtoull takes "-1" as 2^64 - 1; a minus sign is out of range here.
  if (errno == ERANGE || text.find('-') != std::string::npos) return OutOfRange(flag, text, range);
  *out = v;
  return Status::Ok();
}

Status ParseFloatFlag(const std::string& flag, const std::string& text, const FloatRange& range,
                      float* out) {
  char* end = nullptr;
  errno = 0;
  const float v = std::strtof(text.c_str(), &end);
  if (!ReadAll(text, end)) return NotANumber(flag, text, FloatRangeText(range));
  return CheckFloatFlag(flag, text, v, range, out);
}

Status ParseFractionFlag(const std::string& flag, const std::string& text, const FloatRange& range,
                         float* out) {
  const size_t slash = text.find('/');
  const std::vector<std::string> parts =
      slash == std::string::npos ? std::vector<std::string>{text}
                                 : std::vector<std::string>{text.substr(0, slash), text.substr(slash + 1)};
  float v[2] = {0, 1};  // numerator, denominator
  for (size_t i = 0; i < parts.size(); ++i) {
    char* end = nullptr;
    v[i] = std::strtof(parts[i].c_str(), &end);
    if (!ReadAll(parts[i], end)) {
      return NotANumber(flag, text, FloatRangeText(range) + ", or a fraction A/B of two numbers");
    }
  }
  return CheckFloatFlag(flag, text, v[0] / v[1], range, out);  // x/0 is inf or nan: refused
}

}  // namespace mnist
