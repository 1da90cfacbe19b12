#include "io/idx/idx_reader.h"

#include <cstdint>

#include "io/base/byte_coding.h"
#include "io/base/file.h"
#include "io/base/gzip.h"
#include "io/idx/idx_format.h"

namespace mnist {
namespace {

// Checks the 4-byte magic and that the header is complete.
Status CheckHeader(const std::string& path, const std::string& bytes, uint32_t magic,
                   size_t header_bytes, const char* kind) {
  // The magic is checked first, so a label file given as images (9 bytes
  // and up) is named for what it is rather than for being short.
  if (bytes.size() < 4) {
    return Status::DataLoss(path + ": " + std::to_string(bytes.size()) +
                            " bytes is too short for an IDX " + kind + " file");
  }
  uint32_t found = LoadBE32(bytes.data());
  if (found != magic) {
    std::string why;
    if ((found >> 16) == 0 && ((found >> 8) & 0xff) == kIdxTypeUnsignedByte) {
      why = " (rank " + std::to_string(found & 0xff) + ", expected " +
            std::to_string(magic & 0xff) + ")";
    } else if ((found >> 16) == 0) {
      why = " (element type " + Hex32((found >> 8) & 0xff) + ", expected unsigned byte 0x08)";
    }
    return Status::DataLoss(path + ": bad magic " + Hex32(found) + " at byte 0, expected " +
                            std::to_string(magic) + " (" + Hex32(magic) + ") for an IDX " +
                            kind + " file" + why);
  }
  if (bytes.size() < header_bytes) {
    return Status::DataLoss(path + ": " + std::to_string(bytes.size()) +
                            " bytes is shorter than the " + std::to_string(header_bytes) +
                            "-byte header of an IDX " + kind + " file");
  }
  return Status::Ok();
}

// count x rows x cols in `bytes`; false when it overflows. Three 32-bit
// dims can overflow even a 64-bit product (found by tests/fuzz/idx_fuzzer:
// 0x11000000 x 0x20000 x 0x1000000 wraps to 0).
bool ImagePayloadBytes(uint32_t count, uint32_t rows, uint32_t cols, uint64_t* bytes) {
  const uint64_t per_image = uint64_t{rows} * cols;
  return per_image <= UINT32_MAX && !__builtin_mul_overflow(per_image, uint64_t{count}, bytes);
}

Status CheckPayload(const std::string& path, uint64_t have, uint64_t declared,
                    size_t header_bytes, const std::string& dims) {
  if (have == declared) return Status::Ok();
  return Status::DataLoss(path + ": header declares " + dims + " = " + std::to_string(declared) +
                          " bytes after the " + std::to_string(header_bytes) +
                          "-byte header, but the file holds " + std::to_string(have) +
                          (have < declared ? " (truncated)" : " (trailing bytes)"));
}

}  // namespace

StatusOr<IdxImages> ParseIdxImages(const std::string& path, std::string bytes) {
  MNIST_RETURN_IF_ERROR(CheckHeader(path, bytes, kIdxImagesMagic, kIdxImagesHeaderBytes, "image"));
  IdxImages out;
  out.count = LoadBE32(bytes.data() + 4);
  out.rows = LoadBE32(bytes.data() + 8);
  out.cols = LoadBE32(bytes.data() + 12);
  uint64_t declared = 0;
  if (!ImagePayloadBytes(out.count, out.rows, out.cols, &declared)) {
    return Status::DataLoss(path + ": header declares " + std::to_string(out.count) + " x " +
                            std::to_string(out.rows) + " x " + std::to_string(out.cols) +
                            " bytes, more than any file holds");
  }
  MNIST_RETURN_IF_ERROR(CheckPayload(
      path, bytes.size() - kIdxImagesHeaderBytes, declared, kIdxImagesHeaderBytes,
      std::to_string(out.count) + " x " + std::to_string(out.rows) + " x " +
          std::to_string(out.cols)));
  bytes.erase(0, kIdxImagesHeaderBytes);  // in place: no second 47 MB buffer
  out.pixels = std::move(bytes);
  return out;
}

StatusOr<IdxLabels> ParseIdxLabels(const std::string& path, std::string bytes, int num_classes) {
  MNIST_RETURN_IF_ERROR(CheckHeader(path, bytes, kIdxLabelsMagic, kIdxLabelsHeaderBytes, "label"));
  uint32_t count = LoadBE32(bytes.data() + 4);
  MNIST_RETURN_IF_ERROR(CheckPayload(path, bytes.size() - kIdxLabelsHeaderBytes, count,
                                     kIdxLabelsHeaderBytes, std::to_string(count) + " labels"));
  for (size_t i = kIdxLabelsHeaderBytes; i < bytes.size(); ++i) {
    int label = static_cast<unsigned char>(bytes[i]);
    if (label >= num_classes) {
      return Status::DataLoss(path + ": label " + std::to_string(label) + " of example " +
                              std::to_string(i - kIdxLabelsHeaderBytes) + " (byte " +
                              std::to_string(i) + ") is outside 0-" +
                              std::to_string(num_classes - 1));
    }
  }
  bytes.erase(0, kIdxLabelsHeaderBytes);
  IdxLabels out;
  out.labels = std::move(bytes);
  return out;
}

namespace {

// The size an image file's header declares (header included), or 0 when
// `head` is no image header or its dims overflow (ParseIdxImages says which).
uint64_t DeclaredImageFileSize(const std::string& head) {
  if (LoadBE32(head.data()) != kIdxImagesMagic) return 0;
  uint64_t payload = 0;
  if (!ImagePayloadBytes(LoadBE32(head.data() + 4), LoadBE32(head.data() + 8),
                         LoadBE32(head.data() + 12), &payload)) {
    return 0;
  }
  return kIdxImagesHeaderBytes + payload;
}

uint64_t DeclaredLabelFileSize(const std::string& head) {
  if (LoadBE32(head.data()) != kIdxLabelsMagic) return 0;
  return kIdxLabelsHeaderBytes + uint64_t{LoadBE32(head.data() + 4)};
}

}  // namespace

StatusOr<IdxImages> ReadIdxImages(const std::string& path) {
  std::string bytes;
  MNIST_RETURN_IF_ERROR(ReadFileMaybeGzip(path, &bytes, kDefaultMaxFileBytes,
                                          {kIdxImagesHeaderBytes, DeclaredImageFileSize}));
  return ParseIdxImages(path, std::move(bytes));
}

StatusOr<IdxLabels> ReadIdxLabels(const std::string& path, int num_classes) {
  std::string bytes;
  MNIST_RETURN_IF_ERROR(ReadFileMaybeGzip(path, &bytes, kDefaultMaxFileBytes,
                                          {kIdxLabelsHeaderBytes, DeclaredLabelFileSize}));
  return ParseIdxLabels(path, std::move(bytes), num_classes);
}

}  // namespace mnist
