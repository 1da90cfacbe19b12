#include "app/modes/inspect.h"

#include <cmath>
#include <cstring>
#include <map>
#include <vector>

#include "app/cli/checkpoint_flag.h"
#include "checkpoints/saver/checkpoint_contents.h"
#include "io/base/strings.h"
#include "io/bundle/bundle_reader.h"

namespace mnist {
namespace {

constexpr int kValuesShown = 20;

std::string ShapeString(const std::vector<int64_t>& shape) { return "[" + StrJoin(shape, ", ") + "]"; }

// What the checkpoint table (checkpoints/saver/checkpoint_contents.h) makes
// of `keys`: "6 model variables, 12 Adam slots, ..., 3 not ours", kinds
// with no tensor left out.
std::string KindCounts(const std::vector<std::string>& keys) {
  std::map<std::string, size_t> count;
  for (const std::string& key : keys) ++count[TensorKind(key)];
  std::vector<std::string> parts;
  for (const std::string& kind : TensorKinds()) {
    if (count[kind] > 0) parts.push_back(std::to_string(count[kind]) + " " + kind);
  }
  if (count[""] > 0) parts.push_back(std::to_string(count[""]) + " not ours");
  return StrJoin(parts, ", ");
}

template <typename T>
void PrintNumbers(const std::string& bytes, FILE* out) {
  const size_t n = bytes.size() / sizeof(T);
  std::vector<T> v(n);
  std::memcpy(v.data(), bytes.data(), n * sizeof(T));
  double sum = 0, sum_sq = 0, lo = INFINITY, hi = -INFINITY;
  int64_t non_finite = 0;
  for (T x : v) {
    const double d = static_cast<double>(x);
    if (!std::isfinite(d)) {
      ++non_finite;
      continue;
    }
    sum += d;
    sum_sq += d * d;
    lo = std::min(lo, d);
    hi = std::max(hi, d);
  }
  const double count = static_cast<double>(n - static_cast<size_t>(non_finite));
  const double mean = count > 0 ? sum / count : 0.0;
  const double std = count > 0 ? std::sqrt(std::max(0.0, sum_sq / count - mean * mean)) : 0.0;
  std::fprintf(out, "elements: %zu  min: %.6g  max: %.6g  mean: %.6g  std: %.6g  non-finite: %lld\n",
               n, count > 0 ? lo : 0.0, count > 0 ? hi : 0.0, mean, std,
               static_cast<long long>(non_finite));
  std::fprintf(out, "values%s:", n > kValuesShown ? " (first 20)" : "");
  for (size_t i = 0; i < n && i < kValuesShown; ++i) std::fprintf(out, " %.9g", static_cast<double>(v[i]));
  std::fprintf(out, "\n");
}

}  // namespace

Status RunInspect(const std::string& prefix, const std::string& tensor, FILE* out) {
  MNIST_RETURN_IF_ERROR(CheckCheckpointFlag("inspect", prefix));
  StatusOr<std::unique_ptr<BundleReader>> opened = BundleReader::Open(prefix);
  if (!opened.ok()) return opened.status();
  const BundleReader& reader = **opened;
  if (tensor.empty()) {
    uint64_t total = 0;
    for (const std::string& key : reader.Keys()) {
      StatusOr<BundleReader::Entry> e = reader.Lookup(key);
      if (!e.ok()) return e.status();
      std::fprintf(out, "%-40s %-10s %-14s %10llu bytes\n", EscapeControlBytes(key).c_str(),
                   DtypeName(e->dtype).c_str(), ShapeString(e->shape).c_str(),
                   static_cast<unsigned long long>(e->size));
      total += e->size;
    }
    std::fprintf(out, "%zu tensors, %llu bytes: %s\n", reader.Keys().size(),
                 static_cast<unsigned long long>(total), KindCounts(reader.Keys()).c_str());
    return Status::Ok();
  }
  StatusOr<BundleReader::Entry> e = reader.Lookup(tensor);
  if (e.status().code() == Status::Code::kNotFound) {  // a name the checkpoint does not hold
    return Status::InvalidArgument("--tensor " + tensor + ": " + e.status().message());
  }
  if (!e.ok()) return e.status();
  std::fprintf(out, "tensor_name: %s\ndtype: %s  shape: %s\n", tensor.c_str(),
               DtypeName(e->dtype).c_str(), ShapeString(e->shape).c_str());
  if (e->dtype == tensorflow::DT_STRING) {
    StatusOr<std::vector<std::string>> strings = reader.ReadStrings(tensor);
    if (!strings.ok()) return strings.status();
    for (const std::string& s : *strings) std::fprintf(out, "string of %zu bytes\n", s.size());
    return Status::Ok();
  }
  StatusOr<std::string> bytes = reader.ReadBytes(tensor);
  if (!bytes.ok()) return bytes.status();
  switch (e->dtype) {
    case tensorflow::DT_FLOAT: PrintNumbers<float>(*bytes, out); break;
    case tensorflow::DT_DOUBLE: PrintNumbers<double>(*bytes, out); break;
    case tensorflow::DT_INT32: PrintNumbers<int32_t>(*bytes, out); break;
    case tensorflow::DT_INT64: PrintNumbers<int64_t>(*bytes, out); break;
    case tensorflow::DT_UINT8: PrintNumbers<uint8_t>(*bytes, out); break;
    default:
      std::fprintf(out, "%zu bytes (values of this dtype are not shown)\n", bytes->size());
  }
  return Status::Ok();
}

}  // namespace mnist
