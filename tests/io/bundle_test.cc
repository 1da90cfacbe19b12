// Tests for io/bundle/bundle_writer.h and io/bundle/bundle_reader.h: the TensorBundle (TF V2
// checkpoint) format, against leveldb's own table reader and against the
// TensorFlow-written files in tests/testdata/tf.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "io/bundle/bundle_format.h"
#include "io/bundle/bundle_reader.h"
#include "io/bundle/bundle_writer.h"
#include "io/bundle/crc32c.h"
#include "io/base/file.h"
#include "io/proto/tensor_bundle.pb.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::ReadFileOrDie;
using testing::TestdataPath;
using testing::TempDir;
using testing::WriteFileOrDie;
using testing::KeyValues;
using testing::ReadTableWithLeveldb;
using testing::WriteTableWithLeveldb;

template <typename T>
std::string Bytes(const std::vector<T>& values) {
  std::string out(values.size() * sizeof(T), '\0');
  if (!values.empty()) std::memcpy(out.data(), values.data(), out.size());
  return out;
}

std::vector<float> RandomFloats(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<float> out(n);
  for (float& v : out) v = static_cast<float>(static_cast<int32_t>(rng())) * 1e-9f;
  return out;
}

#define EXPECT_MESSAGE_HAS(status, text)                                                  \
  EXPECT_NE((status).message().find(text), std::string::npos)                            \
      << "message: " << (status).message() << "\nexpected to contain: " << (text)

std::string HeaderBytes(int32_t num_shards = 1) {
  tensorflow::BundleHeaderProto header;
  header.set_num_shards(num_shards);
  header.mutable_version()->set_producer(1);
  return header.SerializeAsString();
}

std::string EntryBytes(tensorflow::DataType dtype, std::vector<int64_t> shape, int64_t offset,
                       int64_t size, uint32_t crc = 0) {
  tensorflow::BundleEntryProto entry;
  entry.set_dtype(dtype);
  for (int64_t d : shape) entry.mutable_shape()->add_dim()->set_size(d);
  entry.set_offset(offset);
  entry.set_size(size);
  entry.set_crc32c(crc);
  return entry.SerializeAsString();
}

std::vector<std::string> ListDir(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// A small two-tensor bundle at <dir>/model.ckpt: "bias" float[3] at offset 0,
// then "kernel" float[4,3] at offset 12.
std::string WriteSmallBundle(const TempDir& dir) {
  const std::string prefix = dir / "model.ckpt";
  BundleWriter writer(prefix);
  const std::vector<float> bias = {0.1f, 0.2f, 0.3f};
  const std::vector<float> kernel = RandomFloats(12, 5);
  EXPECT_TRUE(writer.Add("bias", tensorflow::DT_FLOAT, {3}, bias.data(), 12).ok());
  EXPECT_TRUE(writer.Add("kernel", tensorflow::DT_FLOAT, {4, 3}, kernel.data(), 48).ok());
  EXPECT_TRUE(writer.Finish().ok());
  return prefix;
}

StatusOr<std::unique_ptr<BundleReader>> OpenOrFail(const std::string& prefix) {
  StatusOr<std::unique_ptr<BundleReader>> reader = BundleReader::Open(prefix);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  return reader;
}

// The prefix of bundle tests/testdata/tf/<relative>; a missing one fails.
std::string FixturePrefix(const std::string& relative) {
  const std::string prefix = TestdataPath("tf/" + relative);
  EXPECT_TRUE(FileExists(IndexFilename(prefix))) << "missing fixture " << IndexFilename(prefix);
  return prefix;
}

float ReadFloatScalar(const BundleReader& reader, const std::string& key) {
  float value = -1.0f;
  Status st = reader.Read(key, &value, sizeof(value));
  EXPECT_TRUE(st.ok()) << st.ToString();
  return value;
}

// ---------------------------------------------------------------- writer --

TEST(BundleWriterTest, RoundTripsEveryDtypeAndShapeBitForBit) {
  TempDir dir;
  const std::string prefix = dir / "ckpt";
  const std::vector<float> big = RandomFloats(784 * 1024, 1);
  const std::vector<float> scalar = {-0.0f};
  const std::vector<double> doubles = {1.0 / 3.0, -2.5e300, 0.0, 4.0, 5.5};
  const std::vector<int64_t> step = {int64_t{1} << 40};
  const std::vector<int32_t> ints = {1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -12};
  const std::vector<float> empty;
  const std::vector<std::string> strings = {"", "abc", std::string(300, 'x')};
  {
    BundleWriter writer(prefix);
    ASSERT_TRUE(writer.status().ok()) << writer.status().ToString();
    // Added out of key order on purpose: the index sorts, the data does not.
    ASSERT_TRUE(writer.Add("dense/kernel", tensorflow::DT_FLOAT, {784, 1024}, big.data(),
                           big.size() * 4).ok());
    ASSERT_TRUE(writer.Add("beta1_power", tensorflow::DT_FLOAT, {}, scalar.data(), 4).ok());
    ASSERT_TRUE(writer.Add("doubles", tensorflow::DT_DOUBLE, {5}, doubles.data(), 40).ok());
    ASSERT_TRUE(writer.Add("global_step", tensorflow::DT_INT64, {}, step.data(), 8).ok());
    ASSERT_TRUE(writer.Add("ints", tensorflow::DT_INT32, {2, 3, 2}, ints.data(), 48).ok());
    ASSERT_TRUE(writer.Add("empty", tensorflow::DT_FLOAT, {0, 7}, empty.data(), 0).ok());
    ASSERT_TRUE(writer.AddStrings("names", {3}, strings).ok());
    ASSERT_TRUE(writer.Finish().ok());
  }
  EXPECT_EQ(ListDir(dir.path()),
            (std::vector<std::string>{"ckpt.data-00000-of-00001", "ckpt.index"}));

  auto reader = OpenOrFail(prefix);
  ASSERT_TRUE(reader.ok());
  const BundleReader& r = **reader;
  EXPECT_EQ(r.Keys(), (std::vector<std::string>{"beta1_power", "dense/kernel", "doubles",
                                                "empty", "global_step", "ints", "names"}));
  struct Expect {
    std::string key;
    tensorflow::DataType dtype;
    std::vector<int64_t> shape;
    std::string bytes;
  };
  const std::vector<Expect> expected = {
      {"dense/kernel", tensorflow::DT_FLOAT, {784, 1024}, Bytes(big)},
      {"beta1_power", tensorflow::DT_FLOAT, {}, Bytes(scalar)},
      {"doubles", tensorflow::DT_DOUBLE, {5}, Bytes(doubles)},
      {"global_step", tensorflow::DT_INT64, {}, Bytes(step)},
      {"ints", tensorflow::DT_INT32, {2, 3, 2}, Bytes(ints)},
      {"empty", tensorflow::DT_FLOAT, {0, 7}, ""},
  };
  uint64_t offset = 0;
  for (const Expect& e : expected) {
    SCOPED_TRACE(e.key);
    StatusOr<BundleReader::Entry> entry = r.Lookup(e.key);
    ASSERT_TRUE(entry.ok()) << entry.status().ToString();
    EXPECT_EQ(entry->dtype, e.dtype);
    EXPECT_EQ(entry->shape, e.shape);
    EXPECT_EQ(entry->offset, offset);  // data in Add order
    EXPECT_EQ(entry->size, e.bytes.size());
    offset += e.bytes.size();
    StatusOr<std::string> bytes = r.ReadBytes(e.key);
    ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
    EXPECT_TRUE(*bytes == e.bytes);
  }
  StatusOr<std::vector<std::string>> read_strings = r.ReadStrings("names");
  ASSERT_TRUE(read_strings.ok()) << read_strings.status().ToString();
  EXPECT_EQ(*read_strings, strings);
  EXPECT_EQ(r.Lookup("names")->size, 3u + 4u + 303u + 1u);  // varints (300 takes 2) + crc + bytes
}

TEST(BundleWriterTest, HeaderBytesAreExactlyWhatTensorFlowWrites) {
  TempDir dir;
  const std::string prefix = WriteSmallBundle(dir);
  KeyValues table = ReadTableWithLeveldb(IndexFilename(prefix));
  ASSERT_FALSE(table.empty());
  EXPECT_EQ(table[0].first, "");
  EXPECT_EQ(table[0].second, std::string("\x08\x01\x1a\x02\x08\x01", 6));
}

TEST(BundleWriterTest, IndexIsALeveldbTableWhoseEntriesDescribeTheDataBytes) {
  TempDir dir;
  const std::string prefix = WriteSmallBundle(dir);
  const std::string data = ReadFileOrDie(DataFilename(prefix, 0, 1));
  KeyValues table = ReadTableWithLeveldb(IndexFilename(prefix));
  ASSERT_EQ(table.size(), 3u);
  EXPECT_EQ(table[1].first, "bias");
  EXPECT_EQ(table[2].first, "kernel");
  uint64_t covered = 0;
  for (size_t i = 1; i < table.size(); ++i) {
    SCOPED_TRACE(table[i].first);
    tensorflow::BundleEntryProto entry;
    ASSERT_TRUE(entry.ParseFromString(table[i].second));
    EXPECT_EQ(entry.dtype(), tensorflow::DT_FLOAT);
    ASSERT_LE(static_cast<uint64_t>(entry.offset() + entry.size()), data.size());
    const std::string bytes = data.substr(static_cast<size_t>(entry.offset()),
                                          static_cast<size_t>(entry.size()));
    EXPECT_EQ(entry.crc32c(), crc32c::Mask(crc32c::Value(bytes.data(), bytes.size())));
    covered += static_cast<uint64_t>(entry.size());
  }
  EXPECT_EQ(covered, data.size());
  // The same bytes TF writes for a float[3] at offset 0 (TF_FORMAT.md section 2).
  const std::string bias = data.substr(0, 12);
  const uint32_t crc = crc32c::Mask(crc32c::Value(bias.data(), 12));
  std::string expected("\x08\x01\x12\x04\x12\x02\x08\x03\x28\x0c\x35", 11);
  for (int b = 0; b < 4; ++b) expected.push_back(static_cast<char>((crc >> (8 * b)) & 0xff));
  EXPECT_EQ(table[1].second, expected);
}

TEST(BundleWriterTest, WritesScalarShapeAsEmptyMessage) {
  TempDir dir;
  const std::string prefix = dir / "scalar";
  BundleWriter writer(prefix);
  const float value = 0.0f;
  ASSERT_TRUE(writer.Add("counter", tensorflow::DT_FLOAT, {}, &value, 4).ok());
  ASSERT_TRUE(writer.Finish().ok());
  KeyValues table = ReadTableWithLeveldb(IndexFilename(prefix));
  ASSERT_EQ(table.size(), 2u);
  EXPECT_EQ(table[1].second, std::string("\x08\x01\x12\x00\x28\x04\x35\xa6\x7b\x11\x3a", 11));
}

TEST(BundleWriterTest, RebuildsTensorFlowCounterBundleByteForByte) {
  const std::string fixture = FixturePrefix("serving_saved_model_counter/variables/variables");
  TempDir dir;
  const std::string prefix = dir / "variables";
  BundleWriter writer(prefix);
  const float counter = 0.0f;
  ASSERT_TRUE(writer.Add("counter", tensorflow::DT_FLOAT, {}, &counter, 4).ok());
  ASSERT_TRUE(writer.Finish().ok());
  EXPECT_TRUE(ReadFileOrDie(IndexFilename(prefix)) == ReadFileOrDie(IndexFilename(fixture)));
  EXPECT_TRUE(ReadFileOrDie(DataFilename(prefix, 0, 1)) ==
              ReadFileOrDie(DataFilename(fixture, 0, 1)));
}

TEST(BundleWriterTest, RebuildsTensorFlow2DataFileAndEntriesIncludingString) {
  const std::string fixture =
      FixturePrefix("serving_saved_model_half_plus_two_tf2_cpu/variables/variables");
  auto tf = OpenOrFail(fixture);
  ASSERT_TRUE(tf.ok());
  StatusOr<std::vector<std::string>> graph = (*tf)->ReadStrings("_CHECKPOINTABLE_OBJECT_GRAPH");
  ASSERT_TRUE(graph.ok()) << graph.status().ToString();

  TempDir dir;
  const std::string prefix = dir / "variables";
  BundleWriter writer(prefix);
  const float a = 0.5f, b = 2.0f, c = 3.0f;
  ASSERT_TRUE(writer.Add("a/.ATTRIBUTES/VARIABLE_VALUE", tensorflow::DT_FLOAT, {}, &a, 4).ok());
  ASSERT_TRUE(writer.Add("b/.ATTRIBUTES/VARIABLE_VALUE", tensorflow::DT_FLOAT, {}, &b, 4).ok());
  ASSERT_TRUE(writer.Add("c/.ATTRIBUTES/VARIABLE_VALUE", tensorflow::DT_FLOAT, {}, &c, 4).ok());
  ASSERT_TRUE(writer.AddStrings("_CHECKPOINTABLE_OBJECT_GRAPH", {}, *graph).ok());
  ASSERT_TRUE(writer.Finish().ok());

  EXPECT_TRUE(ReadFileOrDie(DataFilename(prefix, 0, 1)) ==
              ReadFileOrDie(DataFilename(fixture, 0, 1)));
  // TF's index is Snappy-compressed, ours is not; the records are identical.
  EXPECT_TRUE(ReadTableWithLeveldb(IndexFilename(prefix)) ==
              ReadTableWithLeveldb(IndexFilename(fixture)));
}

TEST(BundleWriterTest, RejectsDuplicateKeyAndStaysFailed) {
  TempDir dir;
  BundleWriter writer(dir / "ckpt");
  const float v = 1.0f;
  ASSERT_TRUE(writer.Add("w", tensorflow::DT_FLOAT, {}, &v, 4).ok());
  Status dup = writer.Add("w", tensorflow::DT_FLOAT, {}, &v, 4);
  EXPECT_EQ(dup.code(), Status::Code::kInvalidArgument);
  EXPECT_MESSAGE_HAS(dup, "'w'");
  // Sticky: a valid Add now does nothing, and Finish reports the first error.
  EXPECT_EQ(writer.Add("x", tensorflow::DT_FLOAT, {}, &v, 4).message(), dup.message());
  EXPECT_EQ(writer.Finish().message(), dup.message());
  EXPECT_TRUE(ListDir(dir.path()).empty());
}

TEST(BundleWriterTest, RejectsByteCountThatDoesNotMatchShapeAndDtype) {
  TempDir dir;
  BundleWriter writer(dir / "ckpt");
  const std::vector<float> v(6);
  Status st = writer.Add("w", tensorflow::DT_FLOAT, {2, 3}, v.data(), 20);
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
  EXPECT_MESSAGE_HAS(st, "'w' got 20 bytes");
  writer.Abandon();
}

TEST(BundleWriterTest, RejectsEmptyKeyNegativeDimAndStringDtypeInAdd) {
  TempDir dir;
  const float v = 1.0f;
  {
    BundleWriter writer(dir / "a");
    EXPECT_EQ(writer.Add("", tensorflow::DT_FLOAT, {}, &v, 4).code(),
              Status::Code::kInvalidArgument);
  }
  {
    BundleWriter writer(dir / "b");
    EXPECT_EQ(writer.Add("w", tensorflow::DT_FLOAT, {-1}, &v, 4).code(),
              Status::Code::kInvalidArgument);
  }
  {
    BundleWriter writer(dir / "c");
    EXPECT_EQ(writer.Add("w", tensorflow::DT_STRING, {}, &v, 4).code(),
              Status::Code::kInvalidArgument);
  }
  EXPECT_TRUE(ListDir(dir.path()).empty());
}

TEST(BundleWriterTest, DestructorRemovesTemporariesWhenNotFinished) {
  TempDir dir;
  {
    BundleWriter writer(dir / "ckpt");
    const float v = 1.0f;
    ASSERT_TRUE(writer.Add("w", tensorflow::DT_FLOAT, {}, &v, 4).ok());
    EXPECT_EQ(ListDir(dir.path()).size(), 1u);  // the temporary data file
  }
  EXPECT_TRUE(ListDir(dir.path()).empty());
}

TEST(BundleWriterTest, AbandonLeavesNoFilesAndFinishAfterwardsFails) {
  TempDir dir;
  BundleWriter writer(dir / "ckpt");
  const float v = 1.0f;
  ASSERT_TRUE(writer.Add("w", tensorflow::DT_FLOAT, {}, &v, 4).ok());
  writer.Abandon();
  EXPECT_TRUE(ListDir(dir.path()).empty());
  EXPECT_EQ(writer.Finish().code(), Status::Code::kFailedPrecondition);
}

TEST(BundleWriterTest, FailsInMissingDirectoryNamingTheFile) {
  TempDir dir;
  BundleWriter writer(dir / "no/such/dir/ckpt");
  EXPECT_EQ(writer.status().code(), Status::Code::kIOError);
  EXPECT_MESSAGE_HAS(writer.status(), "no/such/dir/ckpt.data-00000-of-00001");
  const float v = 1.0f;
  EXPECT_FALSE(writer.Add("w", tensorflow::DT_FLOAT, {}, &v, 4).ok());
  EXPECT_FALSE(writer.Finish().ok());
}

TEST(BundleWriterTest, OverwritesAnExistingBundleOfTheSamePrefix) {
  TempDir dir;
  const std::string prefix = WriteSmallBundle(dir);
  BundleWriter writer(prefix);
  const int64_t step = 7;
  ASSERT_TRUE(writer.Add("global_step", tensorflow::DT_INT64, {}, &step, 8).ok());
  ASSERT_TRUE(writer.Finish().ok());
  auto reader = OpenOrFail(prefix);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->Keys(), std::vector<std::string>{"global_step"});
  EXPECT_EQ(ListDir(dir.path()).size(), 2u);
}

// Lowers the file size limit so writes fail with EFBIG, the same path a full
// disk (ENOSPC) takes; restores it afterwards.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    old_handler_ = ::signal(SIGXFSZ, SIG_IGN);
    ::getrlimit(RLIMIT_FSIZE, &old_);
    struct rlimit lower = old_;
    lower.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &lower);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &old_);
    ::signal(SIGXFSZ, old_handler_);
  }

 private:
  struct rlimit old_;
  void (*old_handler_)(int);
};

TEST(BundleWriterTest, ReportsDataWriteFailureAndLeavesNoFiles) {
  TempDir dir;
  const std::vector<float> big = RandomFloats(784 * 1024, 2);
  Status add, finish;
  {
    FileSizeLimit limit(64 * 1024);
    BundleWriter writer(dir / "ckpt");
    add = writer.Add("dense/kernel", tensorflow::DT_FLOAT, {784, 1024}, big.data(), big.size() * 4);
    finish = writer.Finish();
  }
  EXPECT_EQ(add.code(), Status::Code::kIOError);
  EXPECT_MESSAGE_HAS(add, "ckpt.data-00000-of-00001");
  EXPECT_MESSAGE_HAS(add, "write failed");
  EXPECT_EQ(finish.message(), add.message());
  EXPECT_TRUE(ListDir(dir.path()).empty());
}

TEST(BundleWriterTest, ReportsIndexWriteFailureAndRemovesTheRenamedDataFile) {
  TempDir dir;
  Status finish;
  {
    FileSizeLimit limit(16 * 1024);
    BundleWriter writer(dir / "ckpt");
    for (int i = 0; i < 1000; ++i) {
      const float v = static_cast<float>(i);
      char key[64];
      std::snprintf(key, sizeof(key), "layer_%04d/a_rather_long_variable_name", i);
      ASSERT_TRUE(writer.Add(key, tensorflow::DT_FLOAT, {}, &v, 4).ok());
    }
    finish = writer.Finish();
  }
  EXPECT_EQ(finish.code(), Status::Code::kIOError);
  EXPECT_MESSAGE_HAS(finish, "ckpt.index");
  EXPECT_TRUE(ListDir(dir.path()).empty());
}

// ---------------------------------------------------------------- reader --

TEST(BundleReaderTest, ReadsTf114HalfPlusTwoWithSnappyCompressedIndex) {
  const std::string prefix =
      FixturePrefix("serving_saved_model_half_plus_two_cpu/variables/variables");
  auto reader = OpenOrFail(prefix);
  ASSERT_TRUE(reader.ok());
  const BundleReader& r = **reader;
  EXPECT_EQ(r.Keys(), (std::vector<std::string>{"a", "a2", "b", "c", "c2"}));
  struct Expect {
    std::string key;
    float value;
    uint64_t offset;
    uint32_t masked_crc;
  };
  for (const Expect& e : {Expect{"a", 0.5f, 0, 0x1f273806u}, Expect{"a2", 0.5f, 4, 0x1f273806u},
                          Expect{"b", 2.0f, 8, 0x4f78fd10u}, Expect{"c", 3.0f, 12, 0xc382d6efu},
                          Expect{"c2", 3.0f, 16, 0xc382d6efu}}) {
    SCOPED_TRACE(e.key);
    StatusOr<BundleReader::Entry> entry = r.Lookup(e.key);
    ASSERT_TRUE(entry.ok());
    EXPECT_EQ(entry->dtype, tensorflow::DT_FLOAT);
    EXPECT_TRUE(entry->shape.empty());
    EXPECT_EQ(entry->offset, e.offset);
    EXPECT_EQ(entry->size, 4u);
    EXPECT_EQ(entry->masked_crc32c, e.masked_crc);
    EXPECT_EQ(ReadFloatScalar(r, e.key), e.value);
  }
  EXPECT_EQ(r.header().num_shards(), 1);
  EXPECT_EQ(r.header().version().producer(), 1);
}

TEST(BundleReaderTest, ReadsTf15CounterWithUncompressedIndex) {
  const std::string prefix = FixturePrefix("serving_saved_model_counter/variables/variables");
  auto reader = OpenOrFail(prefix);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->Keys(), std::vector<std::string>{"counter"});
  EXPECT_EQ((*reader)->Lookup("counter")->masked_crc32c, 0x3a117ba6u);
  EXPECT_EQ(ReadFloatScalar(**reader, "counter"), 0.0f);
}

TEST(BundleReaderTest, ReadsTf214BundleIncludingStringObjectGraph) {
  const std::string prefix =
      FixturePrefix("serving_saved_model_half_plus_two_tf2_cpu/variables/variables");
  auto reader = OpenOrFail(prefix);
  ASSERT_TRUE(reader.ok());
  const BundleReader& r = **reader;
  EXPECT_EQ(r.Keys(), (std::vector<std::string>{
                          "_CHECKPOINTABLE_OBJECT_GRAPH", "a/.ATTRIBUTES/VARIABLE_VALUE",
                          "b/.ATTRIBUTES/VARIABLE_VALUE", "c/.ATTRIBUTES/VARIABLE_VALUE"}));
  EXPECT_EQ(ReadFloatScalar(r, "a/.ATTRIBUTES/VARIABLE_VALUE"), 0.5f);
  EXPECT_EQ(ReadFloatScalar(r, "b/.ATTRIBUTES/VARIABLE_VALUE"), 2.0f);
  EXPECT_EQ(ReadFloatScalar(r, "c/.ATTRIBUTES/VARIABLE_VALUE"), 3.0f);

  StatusOr<BundleReader::Entry> entry = r.Lookup("_CHECKPOINTABLE_OBJECT_GRAPH");
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(entry->dtype, tensorflow::DT_STRING);
  EXPECT_TRUE(entry->shape.empty());
  EXPECT_EQ(entry->offset, 12u);
  EXPECT_EQ(entry->size, 619u);
  StatusOr<std::vector<std::string>> graph = r.ReadStrings("_CHECKPOINTABLE_OBJECT_GRAPH");
  ASSERT_TRUE(graph.ok()) << graph.status().ToString();
  ASSERT_EQ(graph->size(), 1u);
  EXPECT_EQ((*graph)[0].size(), 613u);
  EXPECT_EQ(r.Read("_CHECKPOINTABLE_OBJECT_GRAPH", nullptr, 619).code(),
            Status::Code::kInvalidArgument);
}

TEST(BundleReaderTest, RejectsV1CheckpointWithClearMessage) {
  const std::string dir = TestdataPath("tf/serving_bad_half_plus_two");
  ASSERT_TRUE(FileExists(dir + "/export"));
  auto reader = BundleReader::Open(dir + "/export");
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_MESSAGE_HAS(reader.status(),
                     dir + "/export is a TensorFlow V1 checkpoint (TensorSliceWriter format), "
                           "which is not supported; re-save it with TF's V2 format");
}

TEST(BundleReaderTest, ReportsMissingIndexAsNotFound) {
  TempDir dir;
  auto reader = BundleReader::Open(dir / "nothing");
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), Status::Code::kNotFound);
  EXPECT_MESSAGE_HAS(reader.status(), dir / "nothing.index");
}

TEST(BundleReaderTest, RejectsFlippedDataByteWithCrcError) {
  TempDir dir;
  const std::string prefix = WriteSmallBundle(dir);
  const std::string data_path = DataFilename(prefix, 0, 1);
  std::string data = ReadFileOrDie(data_path);
  data[12 + 5] ^= 0x01;  // inside "kernel"
  WriteFileOrDie(data_path, data);

  auto reader = OpenOrFail(prefix);
  ASSERT_TRUE(reader.ok());
  EXPECT_TRUE((*reader)->ReadBytes("bias").ok());
  StatusOr<std::string> kernel = (*reader)->ReadBytes("kernel");
  ASSERT_FALSE(kernel.ok());
  const Status& st = kernel.status();
  EXPECT_EQ(st.code(), Status::Code::kDataLoss);
  EXPECT_MESSAGE_HAS(st, "checksum mismatch");
  EXPECT_MESSAGE_HAS(st, "'kernel'");
  EXPECT_MESSAGE_HAS(st, data_path);
  EXPECT_MESSAGE_HAS(st, "offset 12, size 48");
  EXPECT_MESSAGE_HAS(st, "stored crc32c 0x");
  EXPECT_MESSAGE_HAS(st, "computed 0x");
}

TEST(BundleReaderTest, RejectsCorruptStringLengthsWithCrcError) {
  TempDir dir;
  const std::string prefix = dir / "strings";
  {
    BundleWriter writer(prefix);
    ASSERT_TRUE(writer.AddStrings("s", {2}, {"hello", "world!"}).ok());
    ASSERT_TRUE(writer.Finish().ok());
  }
  const std::string data_path = DataFilename(prefix, 0, 1);
  std::string data = ReadFileOrDie(data_path);
  data[0] = 6;  // first length 5 -> 6; the total still matches
  data[1] = 5;
  WriteFileOrDie(data_path, data);
  auto reader = OpenOrFail(prefix);
  ASSERT_TRUE(reader.ok());
  StatusOr<std::vector<std::string>> values = (*reader)->ReadStrings("s");
  ASSERT_FALSE(values.ok());
  EXPECT_EQ(values.status().code(), Status::Code::kDataLoss);
  EXPECT_MESSAGE_HAS(values.status(), "string lengths of tensor 's'");
}

TEST(BundleReaderTest, RejectsIndexTruncatedByOneByteNamingTheFile) {
  TempDir dir;
  const std::string prefix = WriteSmallBundle(dir);
  const std::string index_path = IndexFilename(prefix);
  std::string index = ReadFileOrDie(index_path);
  WriteFileOrDie(index_path, index.substr(0, index.size() - 1));
  auto reader = BundleReader::Open(prefix);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), Status::Code::kDataLoss);
  EXPECT_MESSAGE_HAS(reader.status(), index_path + ": bad magic");
}

TEST(BundleReaderTest, RejectsIndexCutInHalfNamingTheFile) {
  TempDir dir;
  const std::string prefix = WriteSmallBundle(dir);
  const std::string index_path = IndexFilename(prefix);
  std::string index = ReadFileOrDie(index_path);
  WriteFileOrDie(index_path, index.substr(0, index.size() / 2));
  auto reader = BundleReader::Open(prefix);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), Status::Code::kDataLoss);
  EXPECT_MESSAGE_HAS(reader.status(), index_path);
}

TEST(BundleReaderTest, RejectsIndexWithFlippedBlockByteAsChecksumFailure) {
  TempDir dir;
  const std::string prefix = WriteSmallBundle(dir);
  const std::string index_path = IndexFilename(prefix);
  std::string index = ReadFileOrDie(index_path);
  index[10] ^= 0x20;  // inside the data block, so its block CRC no longer matches
  WriteFileOrDie(index_path, index);
  auto reader = BundleReader::Open(prefix);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), Status::Code::kDataLoss);
  EXPECT_MESSAGE_HAS(reader.status(), index_path);
  EXPECT_MESSAGE_HAS(reader.status(), "checksum");
}

TEST(BundleReaderTest, RejectsFileThatIsNotATable) {
  TempDir dir;
  WriteFileOrDie(dir / "junk.index", std::string(100, 'x'));
  auto reader = BundleReader::Open(dir / "junk");
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), Status::Code::kDataLoss);
  EXPECT_MESSAGE_HAS(reader.status(), dir / "junk.index: bad magic 0x7878787878787878 at byte 92");
}

TEST(BundleReaderTest, RejectsMissingDataFileNamingIt) {
  TempDir dir;
  const std::string prefix = WriteSmallBundle(dir);
  ASSERT_TRUE(RemoveFileIfExists(DataFilename(prefix, 0, 1)).ok());
  auto reader = BundleReader::Open(prefix);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), Status::Code::kDataLoss);
  EXPECT_MESSAGE_HAS(reader.status(), DataFilename(prefix, 0, 1) + ": missing");
}

TEST(BundleReaderTest, RejectsTruncatedDataFileAtOpen) {
  TempDir dir;
  const std::string prefix = WriteSmallBundle(dir);
  const std::string data_path = DataFilename(prefix, 0, 1);
  std::string data = ReadFileOrDie(data_path);
  WriteFileOrDie(data_path, data.substr(0, data.size() - 1));
  auto reader = BundleReader::Open(prefix);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), Status::Code::kDataLoss);
  EXPECT_MESSAGE_HAS(reader.status(), data_path + ": tensor 'kernel' needs bytes [12, 60)");
}

TEST(BundleReaderTest, RejectsEntryOffsetBeyondEndBeforeAllocating) {
  TempDir dir;
  const std::string prefix = dir / "huge";
  WriteFileOrDie(DataFilename(prefix, 0, 1), std::string(16, '\0'));
  const int64_t offset = int64_t{1} << 40;
  WriteTableWithLeveldb(IndexFilename(prefix),
                        {{"", HeaderBytes()},
                         {"w", EntryBytes(tensorflow::DT_FLOAT, {1024, 1024}, offset, 4 << 20)}});
  auto reader = BundleReader::Open(prefix);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), Status::Code::kDataLoss);
  EXPECT_MESSAGE_HAS(reader.status(), "tensor 'w' needs bytes [1099511627776, ");
  EXPECT_MESSAGE_HAS(reader.status(), "the file has 16 bytes");
}

TEST(BundleReaderTest, RejectsEntryThatDoesNotParse) {
  TempDir dir;
  const std::string prefix = dir / "bad";
  WriteFileOrDie(DataFilename(prefix, 0, 1), "");
  WriteTableWithLeveldb(IndexFilename(prefix), {{"", HeaderBytes()}, {"w", "\xff\xff\xff"}});
  auto reader = BundleReader::Open(prefix);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), Status::Code::kDataLoss);
  EXPECT_MESSAGE_HAS(reader.status(),
                     IndexFilename(prefix) + ": entry 'w' (3 bytes) does not parse");
}

TEST(BundleReaderTest, RejectsEntrySizeThatDisagreesWithShape) {
  TempDir dir;
  const std::string prefix = dir / "bad";
  WriteFileOrDie(DataFilename(prefix, 0, 1), std::string(64, '\0'));
  WriteTableWithLeveldb(IndexFilename(prefix),
                        {{"", HeaderBytes()},
                         {"w", EntryBytes(tensorflow::DT_FLOAT, {4, 3}, 0, 40)}});
  auto reader = BundleReader::Open(prefix);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), Status::Code::kDataLoss);
  EXPECT_MESSAGE_HAS(reader.status(), "'w' is DT_FLOAT[4,3] (12 x 4 bytes) but its size is 40");
}

// Issue 11, point 12: a dtype TensorFlow does not define is damage, named by
// number (it used to pass, and messages then printed an empty dtype name).
TEST(BundleReaderTest, RejectsUnknownDtypeAsDataLossNamingItByNumber) {
  TempDir dir;
  const std::string prefix = dir / "bad";
  WriteFileOrDie(DataFilename(prefix, 0, 1), std::string(48, '\0'));
  WriteTableWithLeveldb(IndexFilename(prefix),
                        {{"", HeaderBytes()},
                         {"dense/kernel", EntryBytes(static_cast<tensorflow::DataType>(1000), {4, 3}, 0, 48)}});
  auto reader = BundleReader::Open(prefix);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), Status::Code::kDataLoss);
  EXPECT_MESSAGE_HAS(reader.status(), IndexFilename(prefix) +
                                          ": entry 'dense/kernel' has dtype 1000 (unknown), "
                                          "which is no TensorFlow dtype");
}

TEST(BundleReaderTest, RejectsSlicedEntryAsNotSupported) {
  TempDir dir;
  const std::string prefix = dir / "sliced";
  WriteFileOrDie(DataFilename(prefix, 0, 1), "");
  tensorflow::BundleEntryProto entry;
  entry.set_dtype(tensorflow::DT_FLOAT);
  entry.mutable_shape()->add_dim()->set_size(10);
  entry.add_slices()->add_extent()->set_length(5);
  WriteTableWithLeveldb(IndexFilename(prefix),
                        {{"", HeaderBytes()}, {"part", entry.SerializeAsString()}});
  auto reader = BundleReader::Open(prefix);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), Status::Code::kDataLoss);
  EXPECT_MESSAGE_HAS(reader.status(), "'part' is a partitioned variable");
  EXPECT_MESSAGE_HAS(reader.status(), "not supported");
}

TEST(BundleReaderTest, RejectsMultiShardBundleAsNotSupported) {
  TempDir dir;
  const std::string prefix = dir / "sharded";
  WriteTableWithLeveldb(IndexFilename(prefix), {{"", HeaderBytes(/*num_shards=*/2)}});
  auto reader = BundleReader::Open(prefix);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_MESSAGE_HAS(reader.status(), "2 data shards; only single-shard bundles are supported");
}

TEST(BundleReaderTest, RejectsIndexWithoutHeader) {
  TempDir dir;
  const std::string prefix = dir / "headless";
  WriteFileOrDie(DataFilename(prefix, 0, 1), std::string(4, '\0'));
  WriteTableWithLeveldb(IndexFilename(prefix),
                        {{"w", EntryBytes(tensorflow::DT_FLOAT, {}, 0, 4)}});
  auto reader = BundleReader::Open(prefix);
  ASSERT_FALSE(reader.ok());
  EXPECT_EQ(reader.status().code(), Status::Code::kDataLoss);
  EXPECT_MESSAGE_HAS(reader.status(), "expected the empty key");
}

TEST(BundleReaderTest, ReportsUnknownKeyAndWrongBufferSize) {
  TempDir dir;
  const std::string prefix = WriteSmallBundle(dir);
  auto reader = OpenOrFail(prefix);
  ASSERT_TRUE(reader.ok());
  EXPECT_FALSE((*reader)->Contains("nope"));
  EXPECT_TRUE((*reader)->Contains("bias"));
  StatusOr<BundleReader::Entry> missing = (*reader)->Lookup("nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  EXPECT_MESSAGE_HAS(missing.status(), "no tensor 'nope'");
  float small[2];
  Status st = (*reader)->Read("bias", small, sizeof(small));
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
  EXPECT_MESSAGE_HAS(st, "'bias' (DT_FLOAT[3]) has 12 bytes, the buffer 8");
  EXPECT_EQ((*reader)->ReadStrings("bias").status().code(), Status::Code::kInvalidArgument);
}

TEST(BundleReaderTest, ReadsEmptyBundle) {
  TempDir dir;
  const std::string prefix = dir / "empty";
  BundleWriter writer(prefix);
  ASSERT_TRUE(writer.Finish().ok());
  auto reader = OpenOrFail(prefix);
  ASSERT_TRUE(reader.ok());
  EXPECT_TRUE((*reader)->Keys().empty());
}

}  // namespace
}  // namespace mnist
