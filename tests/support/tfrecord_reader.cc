#include "tests/support/tfrecord_reader.h"

#include <cstdint>

#include "io/base/byte_coding.h"
#include "io/base/file.h"
#include "io/bundle/crc32c.h"
#include "io/tfrecord/tfrecord_format.h"

namespace mnist {
namespace testing {

StatusOr<std::vector<std::string>> ParseTFRecords(const std::string& path, const std::string& bytes) {
  std::vector<std::string> records;
  size_t offset = 0;
  while (offset < bytes.size()) {
    const std::string where =
        path + ": record " + std::to_string(records.size() + 1) + " at byte " + std::to_string(offset);
    if (bytes.size() - offset < kTFRecordHeaderSize) {
      return Status::DataLoss(where + ": header cut short (" + std::to_string(bytes.size() - offset) +
                              " of " + std::to_string(kTFRecordHeaderSize) + " bytes)");
    }
    const char* header = bytes.data() + offset;
    const uint64_t length = LoadLE64(header);
    if (crc32c::Unmask(LoadLE32(header + 8)) != crc32c::Value(header, 8)) {
      return Status::DataLoss(where + ": length CRC mismatch");
    }
    const size_t data_offset = offset + kTFRecordHeaderSize;
    if (length > bytes.size() - data_offset ||
        bytes.size() - data_offset - length < kTFRecordFooterSize) {
      return Status::DataLoss(where + ": " + std::to_string(length) + " bytes of data and CRC, " +
                              std::to_string(bytes.size() - data_offset) + " left");
    }
    const char* data = bytes.data() + data_offset;
    const size_t n = static_cast<size_t>(length);
    if (crc32c::Unmask(LoadLE32(data + n)) != crc32c::Value(data, n)) {
      return Status::DataLoss(where + ": data CRC mismatch");
    }
    records.emplace_back(data, n);
    offset = data_offset + n + kTFRecordFooterSize;
  }
  return records;
}

StatusOr<std::vector<std::string>> ReadTFRecords(const std::string& path) {
  std::string bytes;
  MNIST_RETURN_IF_ERROR(ReadFile(path, &bytes));
  return ParseTFRecords(path, bytes);
}

}  // namespace testing
}  // namespace mnist
