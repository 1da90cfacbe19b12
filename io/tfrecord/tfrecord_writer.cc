#include "io/tfrecord/tfrecord_writer.h"

#include <cstdint>

#include "io/base/byte_coding.h"
#include "io/base/file.h"
#include "io/bundle/crc32c.h"
#include "io/tfrecord/tfrecord_format.h"

namespace mnist {

void EncodeTFRecord(const std::string& data, std::string* out) {
  const size_t start = out->size();
  const uint64_t length = data.size();
  PutLE32(out, static_cast<uint32_t>(length));
  PutLE32(out, static_cast<uint32_t>(length >> 32));
  PutLE32(out, crc32c::Mask(crc32c::Value(out->data() + start, 8)));
  *out += data;
  PutLE32(out, crc32c::Mask(crc32c::Value(data.data(), data.size())));
  static_assert(kTFRecordHeaderSize == 12 && kTFRecordFooterSize == 4, "the layout above");
}

Status AppendTFRecords(const std::string& path, const std::vector<std::string>& records) {
  std::string bytes;
  for (const std::string& record : records) EncodeTFRecord(record, &bytes);
  return AppendToFile(path, bytes);
}

}  // namespace mnist
