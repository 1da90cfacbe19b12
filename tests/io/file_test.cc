// Tests for io/base/file.h: gzip detection, atomic writes, appends.
#include "io/base/file.h"
#include "tests/support/gzip_writer.h"
#include "io/base/gzip.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::TempDir;

TEST(FileTest, ReadsRawAndGzipToTheSameBytes) {
  TempDir dir;
  std::string data(100000, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 7);
  ASSERT_TRUE(WriteFileAtomically(dir / "raw", data).ok());
  ASSERT_TRUE(WriteGzipFile(dir / "packed", data).ok());
  std::string raw, unpacked;
  ASSERT_TRUE(ReadFileMaybeGzip(dir / "raw", &raw).ok());
  ASSERT_TRUE(ReadFileMaybeGzip(dir / "packed", &unpacked).ok());
  EXPECT_EQ(raw, data);
  EXPECT_EQ(unpacked, data);
}

// Buffers of several MiB are advised to use huge pages before they are
// filled (io/base/file.cc): the bytes must come out the same, whether the
// buffer is sized once (raw) or grows while inflating, keeping what it holds
// (two gzip members: the trailer's size guess covers only the second).
TEST(FileTest, ReadsLargeFilesWholeWhenTheBufferGrows) {
  TempDir dir;
  std::string first(9 * 1024 * 1024 + 3, '\0'), second(5 * 1024 * 1024 + 1, '\0');
  for (size_t i = 0; i < first.size(); ++i) first[i] = static_cast<char>(i * 131 + (i >> 12));
  for (size_t i = 0; i < second.size(); ++i) second[i] = static_cast<char>(i * 17 + (i >> 9));
  ASSERT_TRUE(WriteFileAtomically(dir / "raw", first + second).ok());
  ASSERT_TRUE(WriteGzipFile(dir / "a.gz", first).ok());
  ASSERT_TRUE(WriteGzipFile(dir / "b.gz", second).ok());
  std::string a, b;
  ASSERT_TRUE(ReadFile(dir / "a.gz", &a).ok());
  ASSERT_TRUE(ReadFile(dir / "b.gz", &b).ok());
  ASSERT_TRUE(WriteFileAtomically(dir / "both.gz", a + b).ok());
  std::string raw, unpacked;
  ASSERT_TRUE(ReadFileMaybeGzip(dir / "raw", &raw).ok());
  ASSERT_TRUE(ReadFileMaybeGzip(dir / "both.gz", &unpacked).ok());
  EXPECT_TRUE(raw == first + second);
  EXPECT_TRUE(unpacked == first + second);
}

TEST(FileTest, DetectsGzipByContentNotName) {
  TempDir dir;
  ASSERT_TRUE(WriteGzipFile(dir / "no_suffix", "hello").ok());
  std::string out;
  ASSERT_TRUE(ReadFileMaybeGzip(dir / "no_suffix", &out).ok());
  EXPECT_EQ(out, "hello");
}

TEST(FileTest, TruncatedGzipIsDataLossNamingFile) {
  TempDir dir;
  std::string data(50000, 'a');
  for (size_t i = 0; i < data.size(); i += 3) data[i] = static_cast<char>(i);
  ASSERT_TRUE(WriteGzipFile(dir / "f.gz", data).ok());
  std::string packed = testing::ReadFileOrDie(dir / "f.gz");
  testing::WriteFileOrDie(dir / "f.gz", packed.substr(0, packed.size() / 2));
  std::string out;
  Status st = ReadFileMaybeGzip(dir / "f.gz", &out);
  EXPECT_EQ(st.code(), Status::Code::kDataLoss);
  EXPECT_NE(st.message().find(dir / "f.gz"), std::string::npos) << st.message();
}

TEST(FileTest, InflatedSizeAboveLimitIsRefused) {
  TempDir dir;
  ASSERT_TRUE(WriteGzipFile(dir / "bomb", std::string(1 << 20, '\0')).ok());
  std::string out;
  Status st = ReadFileMaybeGzip(dir / "bomb", &out, /*max_bytes=*/1000);
  EXPECT_EQ(st.code(), Status::Code::kDataLoss);
  EXPECT_NE(st.message().find("limit"), std::string::npos) << st.message();
}

TEST(FileTest, MissingFileIsNotFound) {
  std::string out;
  Status st = ReadFile("/nonexistent/dir/file", &out);
  EXPECT_EQ(st.code(), Status::Code::kNotFound);
  EXPECT_NE(st.message().find("/nonexistent/dir/file"), std::string::npos);
}

TEST(FileTest, AtomicWriteReplacesAndLeavesNoTemporary) {
  TempDir dir;
  ASSERT_TRUE(WriteFileAtomically(dir / "state", "one").ok());
  ASSERT_TRUE(WriteFileAtomically(dir / "state", "two").ok());
  EXPECT_EQ(testing::ReadFileOrDie(dir / "state"), "two");
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 1);
}

TEST(FileTest, AtomicWriteIntoMissingDirectoryFailsNamingIt) {
  TempDir dir;
  Status st = WriteFileAtomically(dir / "no/such/file", "x");
  EXPECT_EQ(st.code(), Status::Code::kIOError);
  EXPECT_NE(st.message().find("no/such/file"), std::string::npos) << st.message();
}

TEST(FileTest, AppendAddsLines) {
  TempDir dir;
  ASSERT_TRUE(AppendToFile(dir / "acc.txt", "1, a\n").ok());
  ASSERT_TRUE(AppendToFile(dir / "acc.txt", "2, b\n").ok());
  EXPECT_EQ(testing::ReadFileOrDie(dir / "acc.txt"), "1, a\n2, b\n");
}

TEST(FileTest, ParsesOnlyOurTemporaryNames) {
  std::string final_name;
  EXPECT_TRUE(ParseTemporaryName("checkpoint.tmp0123456789abcdef", &final_name));
  EXPECT_EQ(final_name, "checkpoint");
  EXPECT_TRUE(ParseTemporaryName("m-1.index.tempstatefedcba9876543210", &final_name));
  EXPECT_EQ(final_name, "m-1.index");
  for (const char* other : {"checkpoint", "checkpoint.tmp", "checkpoint.tmp0123456789abcde",
                            "checkpoint.tmp0123456789ABCDEF", "x.tmp0123456789abcdefg",
                            ".tmp0123456789abcdef", "a/b.tmp0123456789abcdef",
                            "notes.tmpl0123456789abcdef"}) {
    EXPECT_FALSE(ParseTemporaryName(other, &final_name)) << other;
  }
}

TEST(FileTest, RemovesStaleTemporariesOfChosenNamesOnly) {
  TempDir dir;
  for (const char* name : {"acc.txt", "acc.txt.tmp0123456789abcdef", "other.tmp0123456789abcdef",
                           "acc.txt.tempstate0123456789abcdef", "acc.txt.tmp-notes"}) {
    testing::WriteFileOrDie(dir / name, "x");
  }
  ASSERT_TRUE(RemoveStaleTemporaries(dir.path(), [](const std::string& final_name) {
                return final_name == "acc.txt";
              }).ok());
  StatusOr<std::vector<std::string>> left = ListDirectory(dir.path());
  ASSERT_TRUE(left.ok());
  std::sort(left->begin(), left->end());
  EXPECT_EQ(*left, (std::vector<std::string>{"acc.txt", "acc.txt.tmp-notes",
                                             "other.tmp0123456789abcdef"}));
}

}  // namespace
}  // namespace mnist
