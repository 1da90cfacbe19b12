// Tests for io/tfrecord/tfrecord_writer.h and the tests' reader
// (tests/support/tfrecord_reader.h): the framing byte by byte, records read
// back in order across appends, and a changed or missing byte found by the
// reader's CRC and length checks, named by record and offset.
#include "io/tfrecord/tfrecord_writer.h"

#include <gtest/gtest.h>

#include <cstdint>

#include "io/base/byte_coding.h"
#include "io/tfrecord/tfrecord_format.h"
#include "tests/support/test_util.h"
#include "tests/support/tfrecord_reader.h"

namespace mnist {
namespace {

using testing::TempDir;

// TensorFlow's mask (core/lib/hash/crc32c.h), written out here.
uint32_t Masked(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + 0xa282ead8u; }

TEST(TFRecordTest, FramesLengthCrcDataCrcLittleEndian) {
  std::string record;
  EncodeTFRecord("123456789", &record);
  ASSERT_EQ(record.size(), kTFRecordHeaderSize + 9 + kTFRecordFooterSize);
  EXPECT_EQ(LoadLE64(record.data()), 9u);
  EXPECT_EQ(record.substr(12, 9), "123456789");
  // 0xE3069283: CRC32C of "123456789", the catalogue's check value.
  EXPECT_EQ(LoadLE32(record.data() + 21), Masked(0xE3069283u));
}

TEST(TFRecordTest, AppendedRecordsReadBackInOrder) {
  TempDir dir;
  const std::string path = dir / "events";
  const std::string big(100000, 'x');
  ASSERT_TRUE(AppendTFRecords(path, {"first", ""}).ok());
  ASSERT_TRUE(AppendTFRecords(path, {big}).ok());
  StatusOr<std::vector<std::string>> records = testing::ReadTFRecords(path);
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  EXPECT_EQ(*records, (std::vector<std::string>{"first", "", big}));
}

TEST(TFRecordTest, AppendToAPathUnderAFileFailsNamingIt) {
  TempDir dir;
  testing::WriteFileOrDie(dir / "file", "x");
  const Status s = AppendTFRecords(dir / "file/events", {"a"});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find(dir / "file/events"), std::string::npos) << s.ToString();
}

// Two records "ab" (bytes 0-17) and "cd" (18-35).
std::string TwoRecords() {
  std::string bytes;
  EncodeTFRecord("ab", &bytes);
  EncodeTFRecord("cd", &bytes);
  return bytes;
}

TEST(TFRecordTest, ReaderFindsAChangedDataByte) {
  std::string bytes = TwoRecords();
  bytes[18 + 12] ^= 1;  // the second record's first data byte
  StatusOr<std::vector<std::string>> records = testing::ParseTFRecords("f", bytes);
  ASSERT_EQ(records.status().code(), Status::Code::kDataLoss);
  EXPECT_EQ(records.status().message(), "f: record 2 at byte 18: data CRC mismatch");
}

TEST(TFRecordTest, ReaderFindsAChangedLengthByte) {
  std::string bytes = TwoRecords();
  bytes[0] ^= 4;
  StatusOr<std::vector<std::string>> records = testing::ParseTFRecords("f", bytes);
  ASSERT_EQ(records.status().code(), Status::Code::kDataLoss);
  EXPECT_EQ(records.status().message(), "f: record 1 at byte 0: length CRC mismatch");
}

TEST(TFRecordTest, ReaderFindsAFileCutShort) {
  const std::string bytes = TwoRecords();
  StatusOr<std::vector<std::string>> records = testing::ParseTFRecords("f", bytes.substr(0, 35));
  ASSERT_EQ(records.status().code(), Status::Code::kDataLoss);
  EXPECT_EQ(records.status().message(), "f: record 2 at byte 18: 2 bytes of data and CRC, 5 left");
  records = testing::ParseTFRecords("f", bytes.substr(0, 25));
  ASSERT_EQ(records.status().code(), Status::Code::kDataLoss);
  EXPECT_EQ(records.status().message(), "f: record 2 at byte 18: header cut short (7 of 12 bytes)");
}

}  // namespace
}  // namespace mnist
