#include "tests/support/idx_writer.h"

#include "io/base/byte_coding.h"
#include "io/base/file.h"
#include "tests/support/gzip_writer.h"
#include "io/idx/idx_format.h"

namespace mnist {
std::string EncodeIdxImages(uint32_t count, uint32_t rows, uint32_t cols,
                            const std::string& pixels) {
  std::string out;
  out.reserve(kIdxImagesHeaderBytes + pixels.size());
  PutBE32(&out, kIdxImagesMagic);
  PutBE32(&out, count);
  PutBE32(&out, rows);
  PutBE32(&out, cols);
  out += pixels;
  return out;
}

std::string EncodeIdxLabels(const std::string& labels) {
  std::string out;
  PutBE32(&out, kIdxLabelsMagic);
  PutBE32(&out, static_cast<uint32_t>(labels.size()));
  out += labels;
  return out;
}

Status WriteIdxFile(const std::string& path, const std::string& bytes, bool gzip) {
  if (gzip) return WriteGzipFile(path, bytes);
  return WriteFileAtomically(path, bytes);
}

}  // namespace mnist
