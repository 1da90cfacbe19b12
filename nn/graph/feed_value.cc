#include "nn/graph/feed_value.h"

#include <cerrno>
#include <cstdlib>
#include <limits>

namespace mnist {
namespace {

using tensorflow::DataType;

// A recursive-descent parser over `text_`, its depth bounded by kMaxDepth so
// no text can exhaust the stack.
class LiteralParser {
 public:
  explicit LiteralParser(const std::string& text) : text_(text) {}

  StatusOr<Literal> Parse() {
    Literal literal;
    MNIST_RETURN_IF_ERROR(Value(0, &literal.shape, &literal.elements));
    SkipSpace();
    if (pos_ != text_.size()) return Error("unexpected '" + std::string(1, text_[pos_]) + "'");
    return literal;
  }

 private:
  static constexpr size_t kMaxDepth = 32;

  Status Error(const std::string& what) const {
    return Status::InvalidArgument(what + " at character " + std::to_string(pos_ + 1));
  }
  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }
  bool At(char c) const { return pos_ < text_.size() && text_[pos_] == c; }

  // One value: its elements are appended, its shape set (every element of a
  // list must have the same shape).
  Status Value(size_t depth, std::vector<int64_t>* shape, std::vector<std::string>* elements) {
    SkipSpace();
    if (!At('[')) return Scalar(elements);
    if (depth >= kMaxDepth) return Error("lists nested more than 32 deep");
    ++pos_;
    SkipSpace();
    int64_t count = 0;
    std::vector<int64_t> element_shape;
    while (!At(']')) {
      if (count > 0) {
        if (!At(',')) return Error(pos_ < text_.size() ? "expected ',' or ']'" : "missing ']'");
        ++pos_;
      }
      std::vector<int64_t> this_shape;
      MNIST_RETURN_IF_ERROR(Value(depth + 1, &this_shape, elements));
      if (count > 0 && this_shape != element_shape) {
        return Error("an element of shape " + ShapeString(this_shape) + " after ones of " +
                     ShapeString(element_shape) + " (lists must be rectangular)");
      }
      element_shape = std::move(this_shape);
      ++count;
      SkipSpace();
    }
    ++pos_;
    shape->assign(1, count);
    shape->insert(shape->end(), element_shape.begin(), element_shape.end());
    return Status::Ok();
  }

  Status Scalar(std::vector<std::string>* elements) {
    const size_t begin = pos_;
    while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != ']' && text_[pos_] != '[' &&
           text_[pos_] != ' ' && text_[pos_] != '\t') {
      ++pos_;
    }
    if (pos_ == begin) return Error(pos_ < text_.size() ? "expected a value" : "missing a value");
    if (elements->size() >= static_cast<size_t>(kMaxTensorElements)) {
      return Error("more than " + std::to_string(kMaxTensorElements) + " elements");
    }
    elements->push_back(text_.substr(begin, pos_ - begin));
    return Status::Ok();
  }

  const std::string& text_;
  size_t pos_ = 0;
};

bool ParseBool(const std::string& s, int64_t* out) {
  if (s == "true" || s == "True") return *out = 1, true;
  if (s == "false" || s == "False") return *out = 0, true;
  return false;
}

// True when x is in the range of the integer `dtype` (DT_INT32 or DT_INT64).
bool FitsIntDtype(int64_t x, DataType dtype) {
  return dtype != tensorflow::DT_INT32 ||
         (x >= std::numeric_limits<int32_t>::min() && x <= std::numeric_limits<int32_t>::max());
}


}  // namespace

StatusOr<Literal> ParseLiteral(const std::string& text) { return LiteralParser(text).Parse(); }

StatusOr<Tensor> LiteralToTensor(const Literal& literal, DataType dtype) {
  Tensor t;
  t.dtype = dtype;
  t.shape = literal.shape;
  for (const std::string& e : literal.elements) {
    const char* begin = e.c_str();
    char* end = nullptr;
    errno = 0;
    int64_t b = 0;
    if (dtype == tensorflow::DT_BOOL) {
      if (!ParseBool(e, &b)) return Status::InvalidArgument("'" + e + "' is no bool (true or false)");
      t.ints.push_back(b);
    } else if (dtype == tensorflow::DT_FLOAT) {
      float x = ParseBool(e, &b) ? static_cast<float>(b) : std::strtof(begin, &end);
      if (end != nullptr && (end == begin || *end != '\0'))
        return Status::InvalidArgument("'" + e + "' is no number");
      t.floats.push_back(x);
    } else {
      const long long x = ParseBool(e, &b) ? b : std::strtoll(begin, &end, 10);
      if (end != nullptr && (end == begin || *end != '\0'))
        return Status::InvalidArgument("'" + e + "' is no integer (the feed is " + DtypeName(dtype) + ")");
      if (errno == ERANGE || !FitsIntDtype(x, dtype))
        return Status::InvalidArgument("'" + e + "' is out of the range of " + DtypeName(dtype));
      t.ints.push_back(x);
    }
  }
  return t;
}

StatusOr<Tensor> ConvertTensor(const Tensor& tensor, DataType dtype) {
  if (tensor.dtype == dtype) return tensor;
  Tensor t;
  t.dtype = dtype;
  t.shape = tensor.shape;
  const std::string what = DtypeName(tensor.dtype) + " values cannot feed " + DtypeName(dtype);
  if (dtype == tensorflow::DT_FLOAT) {
    for (float x : tensor.floats) t.floats.push_back(x);
    for (int64_t x : tensor.ints) t.floats.push_back(static_cast<float>(x));
    return t;
  }
  if (dtype == tensorflow::DT_BOOL || tensor.is_float()) return Status::InvalidArgument(what);
  for (int64_t x : tensor.ints) {
    if (!FitsIntDtype(x, dtype)) {
      return Status::InvalidArgument(what + ": " + std::to_string(x) + " is out of its range");
    }
    t.ints.push_back(x);
  }
  return t;
}

}  // namespace mnist
