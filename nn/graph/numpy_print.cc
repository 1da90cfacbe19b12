#include "nn/graph/numpy_print.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <functional>

namespace mnist {
namespace {

// numpy's default print options (np.get_printoptions()).
constexpr int kLineWidth = 75;
constexpr int64_t kThreshold = 1000;  // more elements than this are summarised
constexpr int64_t kEdgeItems = 3;     // shown at each edge of a summarised axis
constexpr int kPrecision = 8;         // most digits after the point

// x's shortest digits that read back as the same float32, and its decimal
// exponent: 0.025 -> {"25", -2}. REQUIRES: x is finite.
struct Digits {
  bool negative;
  std::string digits;
  int exponent;
};
Digits ShortestDigits(float x) {
  char buf[64];
  const auto end = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific).ptr;
  const std::string s(buf, end);  // "-1.2345e-05"
  Digits d{s[0] == '-', "", 0};
  const size_t e = s.find('e');
  for (size_t i = d.negative; i < e; ++i) {
    if (s[i] != '.') d.digits += s[i];
  }
  d.exponent = std::stoi(s.substr(e + 1));
  return d;
}

// Positional digits of x as {int part with sign, fraction}: the shortest
// digits, rounded to kPrecision after the point when they go further.
std::pair<std::string, std::string> Positional(float x) {
  const Digits d = ShortestDigits(x);
  std::string int_part, frac;
  if (d.exponent >= 0) {
    std::string digits = d.digits;
    if (digits.size() < static_cast<size_t>(d.exponent) + 1) digits.resize(d.exponent + 1, '0');
    int_part = digits.substr(0, d.exponent + 1);
    frac = digits.substr(d.exponent + 1);
  } else {
    int_part = "0";
    frac = std::string(-d.exponent - 1, '0') + d.digits;
  }
  if (frac == "0") frac.clear();  // 0.0 has the digit "0"
  if (frac.size() > static_cast<size_t>(kPrecision)) {
    char buf[512];
    std::snprintf(buf, sizeof buf, "%.*f", kPrecision, static_cast<double>(std::fabs(x)));
    const std::string s = buf;
    int_part = s.substr(0, s.find('.'));
    frac = s.substr(s.find('.') + 1);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
  }
  return {(d.negative ? "-" : "") + int_part, frac};
}

// Scientific parts of x: {int digit with sign, fraction, exponent digits with sign}.
struct Scientific {
  std::string int_part, frac, exponent;
};
Scientific ScientificParts(float x) {
  const Digits d = ShortestDigits(x);
  std::string exp = std::to_string(std::abs(d.exponent));
  if (exp.size() < 2) exp = "0" + exp;
  return {(d.negative ? "-" : "") + d.digits.substr(0, 1), d.digits.substr(1),
          (d.exponent < 0 ? "-" : "+") + exp};
}

// FloatingFormat of numpy's arrayprint.py ('maxprec' mode), fitted to the
// values shown.
class FloatFormat {
 public:
  explicit FloatFormat(const std::vector<float>& shown) {
    std::vector<float> finite;
    bool has_nan = false, has_neg_inf = false, has_inf = false;
    for (float x : shown) {
      if (std::isfinite(x)) finite.push_back(x);
      has_nan |= std::isnan(x);
      has_inf |= std::isinf(x);
      has_neg_inf |= std::isinf(x) && x < 0;
    }
    float max_val = 0, min_val = 0;
    bool any_nonzero = false;
    for (float x : finite) {
      if (x == 0) continue;
      const float a = std::fabs(x);
      max_val = any_nonzero ? std::max(max_val, a) : a;
      min_val = any_nonzero ? std::min(min_val, a) : a;
      any_nonzero = true;
    }
    exp_ = any_nonzero && (max_val >= 1e8f || min_val < 1e-4f ||
                           static_cast<double>(max_val) / min_val > 1000.0);
    for (float x : finite) {
      if (exp_) {
        const Scientific s = ScientificParts(x);
        pad_left_ = std::max<int>(pad_left_, static_cast<int>(s.int_part.size()));
        precision_ = std::max<int>(precision_, static_cast<int>(s.frac.size()));
        exp_size_ = std::max<int>(exp_size_, static_cast<int>(s.exponent.size()) - 1);
      } else {
        const auto [int_part, frac] = Positional(x);
        pad_left_ = std::max<int>(pad_left_, static_cast<int>(int_part.size()));
        pad_right_ = std::max<int>(pad_right_, static_cast<int>(frac.size()));
      }
    }
    if (exp_) pad_right_ = exp_size_ + 2 + precision_;
    if (has_nan || has_inf) {
      const int offset = pad_right_ + 1;
      pad_left_ = std::max(pad_left_, 3 - offset);
      pad_left_ = std::max(pad_left_, 3 + has_neg_inf - offset);
    }
  }

  std::string operator()(float x) const {
    if (!std::isfinite(x)) {
      const std::string s = std::isnan(x) ? "nan" : x < 0 ? "-inf" : "inf";
      return Pad(pad_left_ + pad_right_ + 1 - static_cast<int>(s.size())) + s;
    }
    if (exp_) {
      const Scientific s = ScientificParts(x);
      std::string exp = s.exponent.substr(1);
      if (static_cast<int>(exp.size()) < exp_size_) exp.insert(0, exp_size_ - exp.size(), '0');
      return Pad(pad_left_ - static_cast<int>(s.int_part.size())) + s.int_part + "." + s.frac +
             std::string(precision_ - s.frac.size(), '0') + "e" + s.exponent[0] + exp;
    }
    const auto [int_part, frac] = Positional(x);
    return Pad(pad_left_ - static_cast<int>(int_part.size())) + int_part + "." + frac +
           Pad(pad_right_ - static_cast<int>(frac.size()));
  }

 private:
  static std::string Pad(int n) { return std::string(std::max(n, 0), ' '); }
  bool exp_ = false;
  int pad_left_ = 0, pad_right_ = 0, precision_ = 0, exp_size_ = 0;
};

// A float32 scalar as numpy's str(np.float32(x)): "2.5", "3.0", "1e-05".
std::string FloatScalar(float x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x < 0 ? "-inf" : "inf";
  const float a = std::fabs(x);
  if (a == 0 || (a >= 1e-4f && a < 1e16f)) {
    const auto [int_part, frac] = Positional(x);
    return int_part + "." + (frac.empty() ? "0" : frac);
  }
  const Scientific s = ScientificParts(x);
  return s.int_part + (s.frac.empty() ? "" : "." + s.frac) + "e" + s.exponent;
}

// The elements between one index of `axis` and the next.
int64_t Stride(const std::vector<int64_t>& shape, size_t axis) {
  int64_t stride = 1;
  for (size_t d = axis + 1; d < shape.size(); ++d) stride *= shape[d];
  return stride;
}

// The indices shown along an axis of `n`: all, or when summarised the
// kEdgeItems at each end with -1 (printed "...") between them.
std::vector<int64_t> ShownItems(int64_t n, bool summarise) {
  std::vector<int64_t> items;
  for (int64_t i = 0; i < n; ++i) {
    if (summarise && 2 * kEdgeItems < n && i == kEdgeItems) {
      items.push_back(-1);
      i = n - kEdgeItems;
    }
    items.push_back(i);
  }
  return items;
}

// The flat indices of the elements shown (all, or the edges when summarised).
void ShownIndices(const std::vector<int64_t>& shape, bool summarise, size_t axis, int64_t base,
                  std::vector<int64_t>* out) {
  if (axis == shape.size()) {
    out->push_back(base);
    return;
  }
  const int64_t stride = Stride(shape, axis);
  for (int64_t i : ShownItems(shape[axis], summarise)) {
    if (i >= 0) ShownIndices(shape, summarise, axis + 1, base + i * stride, out);
  }
}

// _extendLine of numpy's arrayprint.py.
void ExtendLine(std::string* s, std::string* line, const std::string& word, size_t width,
                const std::string& next_line_prefix) {
  if (line->size() + word.size() > width && line->size() > next_line_prefix.size()) {
    std::string trimmed = *line;
    while (!trimmed.empty() && trimmed.back() == ' ') trimmed.pop_back();
    *s += trimmed + "\n";
    *line = next_line_prefix;
  }
  *line += word;
}

// _formatArray's recurser of numpy's arrayprint.py, separator " ".
class ArrayFormatter {
 public:
  ArrayFormatter(const std::vector<int64_t>& shape, bool summarise,
                 std::function<std::string(int64_t)> element)
      : shape_(shape), summarise_(summarise), element_(std::move(element)) {}

  std::string Format() { return Recurse(0, 0, " ", kLineWidth); }

 private:
  std::string Recurse(size_t axis, int64_t base, const std::string& hanging, int width) {
    if (axis == shape_.size()) return element_(base);
    const std::string next_hanging = hanging + " ";
    const int next_width = width - 1;  // room for the ']'
    const int64_t stride = Stride(shape_, axis);
    const std::vector<int64_t> items = ShownItems(shape_[axis], summarise_);
    std::string s;
    if (axis + 1 == shape_.size()) {
      const size_t elem_width = static_cast<size_t>(width - 1);  // room for the ']'
      std::string line = hanging;
      for (size_t k = 0; k < items.size(); ++k) {
        const std::string word = items[k] < 0 ? "..." : element_(base + items[k] * stride);
        ExtendLine(&s, &line, word, elem_width, hanging);
        if (k + 1 < items.size()) line += " ";
      }
      s += line;
    } else {
      const std::string line_sep = std::string(shape_.size() - axis - 1, '\n');
      for (size_t k = 0; k < items.size(); ++k) {
        const std::string nested =
            items[k] < 0 ? "..."
                         : Recurse(axis + 1, base + items[k] * stride, next_hanging, next_width);
        s += hanging + nested + (k + 1 < items.size() ? line_sep : "");
      }
    }
    return "[" + s.substr(hanging.size()) + "]";
  }

  const std::vector<int64_t>& shape_;
  const bool summarise_;
  const std::function<std::string(int64_t)> element_;
};

}  // namespace

std::string NumpyDtypeName(tensorflow::DataType dtype) {
  switch (dtype) {
    case tensorflow::DT_FLOAT: return "float32";
    case tensorflow::DT_INT32: return "int32";
    case tensorflow::DT_INT64: return "int64";
    case tensorflow::DT_BOOL: return "bool";
    default: return DtypeName(dtype);
  }
}

std::string NumpyShape(const std::vector<int64_t>& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    s += (i ? ", " : "") + std::to_string(shape[i]);
  }
  return s + (shape.size() == 1 ? ",)" : ")");
}

std::string FormatLikeNumpy(const Tensor& t) {
  const bool is_bool = t.dtype == tensorflow::DT_BOOL;
  if (t.shape.empty()) {
    if (t.is_float()) return FloatScalar(t.floats[0]);
    return is_bool ? (t.ints[0] ? "True" : "False") : std::to_string(t.ints[0]);
  }
  const int64_t n = t.num_elements();
  if (n == 0) return "[]";
  const bool summarise = n > kThreshold;
  std::vector<int64_t> shown;
  ShownIndices(t.shape, summarise, 0, 0, &shown);
  std::function<std::string(int64_t)> element;
  if (t.is_float()) {
    std::vector<float> values;
    for (int64_t i : shown) values.push_back(t.floats[i]);
    element = [&t, format = FloatFormat(values)](int64_t i) { return format(t.floats[i]); };
  } else if (is_bool) {
    element = [&t](int64_t i) { return std::string(t.ints[i] ? " True" : "False"); };
  } else {
    size_t width = 0;
    for (int64_t i : shown) width = std::max(width, std::to_string(t.ints[i]).size());
    element = [&t, width](int64_t i) {
      const std::string s = std::to_string(t.ints[i]);
      return std::string(width - s.size(), ' ') + s;
    };
  }
  return ArrayFormatter(t.shape, summarise, element).Format();
}

}  // namespace mnist
