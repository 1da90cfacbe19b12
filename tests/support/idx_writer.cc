#include "tests/support/idx_writer.h"

#include "io/base/file.h"
#include "tests/support/gzip_writer.h"
#include "io/idx/idx_format.h"

namespace mnist {
namespace {

void PutBigEndian32(std::string* out, uint32_t v) {
  out->push_back(static_cast<char>(v >> 24));
  out->push_back(static_cast<char>(v >> 16));
  out->push_back(static_cast<char>(v >> 8));
  out->push_back(static_cast<char>(v));
}

}  // namespace

std::string EncodeIdxImages(uint32_t count, uint32_t rows, uint32_t cols,
                            const std::string& pixels) {
  std::string out;
  out.reserve(kIdxImagesHeaderBytes + pixels.size());
  PutBigEndian32(&out, kIdxImagesMagic);
  PutBigEndian32(&out, count);
  PutBigEndian32(&out, rows);
  PutBigEndian32(&out, cols);
  out += pixels;
  return out;
}

std::string EncodeIdxLabels(const std::string& labels) {
  std::string out;
  PutBigEndian32(&out, kIdxLabelsMagic);
  PutBigEndian32(&out, static_cast<uint32_t>(labels.size()));
  out += labels;
  return out;
}

Status WriteIdxFile(const std::string& path, const std::string& bytes, bool gzip) {
  if (gzip) return WriteGzipFile(path, bytes);
  return WriteFileAtomically(path, bytes);
}

}  // namespace mnist
