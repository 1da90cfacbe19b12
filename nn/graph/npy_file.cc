#include "nn/graph/npy_file.h"

#include <cstring>

#include "io/base/byte_coding.h"
#include "io/base/file.h"

namespace mnist {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;

// The value after `'key':` in the header dict, up to the next ',' outside
// parentheses (or the closing '}'), spaces trimmed; "" when absent.
std::string HeaderField(const std::string& header, const std::string& key) {
  size_t at = header.find("'" + key + "'");
  if (at == std::string::npos) return "";
  at = header.find(':', at);
  if (at == std::string::npos) return "";
  size_t end = at + 1;
  int depth = 0;
  while (end < header.size() && !(depth == 0 && (header[end] == ',' || header[end] == '}'))) {
    depth += header[end] == '(' ? 1 : header[end] == ')' ? -1 : 0;
    ++end;
  }
  std::string value = header.substr(at + 1, end - at - 1);
  while (!value.empty() && value.front() == ' ') value.erase(value.begin());
  while (!value.empty() && value.back() == ' ') value.pop_back();
  return value;
}

// "(2, 3)", "(3,)", "()" -> dims; false for anything else.
bool ParseShapeTuple(const std::string& text, std::vector<int64_t>* shape) {
  if (text.size() < 2 || text.front() != '(' || text.back() != ')') return false;
  size_t i = 1;
  while (i + 1 < text.size()) {
    while (text[i] == ' ' || text[i] == ',') ++i;
    if (i + 1 >= text.size()) break;
    int64_t d = 0;
    size_t digits = 0;
    while (i + 1 < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (d > kMaxTensorElements) return false;
      d = d * 10 + (text[i++] - '0');
      ++digits;
    }
    if (digits == 0) return false;
    shape->push_back(d);
  }
  return true;
}

}  // namespace

StatusOr<Tensor> ReadNpy(const std::string& path) {
  std::string bytes;
  MNIST_RETURN_IF_ERROR(ReadFile(path, &bytes, 1024 * 1024 + 8 * uint64_t(kMaxTensorElements)));
  auto bad = [&](const std::string& what) { return Status::InvalidArgument(path + ": " + what); };
  if (bytes.size() < kMagicSize + 4 || bytes.compare(0, kMagicSize, kMagic) != 0)
    return bad("not a .npy file (no \\x93NUMPY magic)");
  const int major = static_cast<unsigned char>(bytes[kMagicSize]);
  if (major < 1 || major > 3) return bad(".npy format version " + std::to_string(major) + " (1 to 3 are read)");
  const size_t length_size = major == 1 ? 2 : 4;
  const size_t header_at = kMagicSize + 2 + length_size;
  if (bytes.size() < header_at) return bad("truncated in the header length");
  const unsigned char* size_at = reinterpret_cast<const unsigned char*>(&bytes[kMagicSize + 2]);
  const uint64_t header_size = major == 1 ? uint64_t{size_at[0]} | uint64_t{size_at[1]} << 8  // little-endian
                                          : LoadLE32(size_at);
  if (bytes.size() - header_at < header_size) return bad("truncated in the header");
  const std::string header = bytes.substr(header_at, header_size);
  const std::string descr = HeaderField(header, "descr");
  const std::string order = HeaderField(header, "fortran_order");
  Tensor t;
  size_t item = 0;
  if (descr == "'<f4'" || descr == "'<f8'") {
    t.dtype = tensorflow::DT_FLOAT, item = descr == "'<f4'" ? 4 : 8;
  } else if (descr == "'<i4'" || descr == "'<i8'") {
    t.dtype = descr == "'<i4'" ? tensorflow::DT_INT32 : tensorflow::DT_INT64;
    item = descr == "'<i4'" ? 4 : 8;
  } else if (descr == "'|b1'") {
    t.dtype = tensorflow::DT_BOOL, item = 1;
  } else {
    return bad("dtype " + (descr.empty() ? std::string("missing") : descr) +
               " is not read (only '<f4', '<f8', '<i4', '<i8', '|b1')");
  }
  if (order != "False") {
    return bad("fortran_order " + (order.empty() ? std::string("missing") : order) +
               " (only C-order arrays, fortran_order False, are read)");
  }
  if (!ParseShapeTuple(HeaderField(header, "shape"), &t.shape))
    return bad("shape '" + HeaderField(header, "shape") + "' is no tuple of sizes");
  StatusOr<int64_t> n = ElementCount(t.shape);
  if (!n.ok()) return bad(n.status().message());
  const size_t data_at = header_at + header_size;
  const uint64_t want = static_cast<uint64_t>(*n) * item;
  if (bytes.size() - data_at != want) {
    return bad(std::to_string(bytes.size() - data_at) + " bytes of data, shape " +
               ShapeString(t.shape) + " of " + descr + " needs " + std::to_string(want));
  }
  const std::string data = bytes.substr(data_at);
  Status filled;
  if (t.dtype == tensorflow::DT_FLOAT) {
    filled = item == 4 ? FillFromContent<float>(data, *n, &t.floats) : FillFromContent<double>(data, *n, &t.floats);
  } else if (t.dtype == tensorflow::DT_BOOL) {
    filled = FillFromContent<uint8_t>(data, *n, &t.ints);
    for (int64_t& b : t.ints) b = b != 0;
  } else {
    filled = item == 4 ? FillFromContent<int32_t>(data, *n, &t.ints) : FillFromContent<int64_t>(data, *n, &t.ints);
  }
  if (!filled.ok()) return bad(filled.message());
  return t;
}

}  // namespace mnist
