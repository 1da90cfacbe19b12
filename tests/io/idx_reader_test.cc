// Tests for io/idx/idx_reader.h: round trips and every bad-file case, each error
// naming the file.
#include "io/idx/idx_reader.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

#include "io/base/file.h"
#include "tests/support/gzip_writer.h"
#include "io/base/gzip.h"
#include "tests/support/idx_writer.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::TempDir;

std::string Pixels(uint32_t n) {
  std::string p(n, '\0');
  for (uint32_t i = 0; i < n; ++i) p[i] = static_cast<char>(i % 251);
  return p;
}

// Expects `st` to be DataLoss (or `code`) with a message naming `path` and holding `needle`.
void ExpectError(const Status& st, const std::string& path, const std::string& needle,
                 Status::Code code = Status::Code::kDataLoss) {
  EXPECT_EQ(st.code(), code) << st.ToString();
  EXPECT_NE(st.message().find(path), std::string::npos) << st.message();
  EXPECT_NE(st.message().find(needle), std::string::npos) << st.message();
}

class IdxReaderTest : public ::testing::TestWithParam<bool> {};

TEST_P(IdxReaderTest, RoundTripsImagesAndLabels) {
  const bool gzip = GetParam();
  TempDir dir;
  const std::string pixels = Pixels(3 * 4 * 5);
  ASSERT_TRUE(WriteIdxFile(dir / "images", EncodeIdxImages(3, 4, 5, pixels), gzip).ok());
  ASSERT_TRUE(WriteIdxFile(dir / "labels", EncodeIdxLabels(std::string("\x01\x09\x00", 3)), gzip).ok());
  StatusOr<IdxImages> images = ReadIdxImages(dir / "images");
  ASSERT_TRUE(images.ok()) << images.status().ToString();
  EXPECT_EQ(images->count, 3u);
  EXPECT_EQ(images->rows, 4u);
  EXPECT_EQ(images->cols, 5u);
  EXPECT_EQ(images->pixels, pixels);
  EXPECT_EQ(images->image(2)[0], static_cast<uint8_t>(pixels[40]));
  StatusOr<IdxLabels> labels = ReadIdxLabels(dir / "labels");
  ASSERT_TRUE(labels.ok()) << labels.status().ToString();
  ASSERT_EQ(labels->count(), 3u);
  EXPECT_EQ(labels->label(1), 9);
}

INSTANTIATE_TEST_SUITE_P(RawAndGzip, IdxReaderTest, ::testing::Bool());

TEST(IdxReaderErrorsTest, RejectsBadMagicWithOffsetAndExpectedValue) {
  std::string bytes = EncodeIdxImages(1, 2, 2, Pixels(4));
  bytes[2] = 0;
  bytes[3] = 0;
  ExpectError(ParseIdxImages("imgs", bytes).status(), "imgs",
              "bad magic 0x00000000 at byte 0, expected 2051");
}

TEST(IdxReaderErrorsTest, RejectsLabelFileGivenAsImages) {
  ExpectError(ParseIdxImages("lbl", EncodeIdxLabels("\x01")).status(), "lbl", "rank 1, expected 3");
}

TEST(IdxReaderErrorsTest, RejectsImagesGivenAsLabels) {
  ExpectError(ParseIdxLabels("img", EncodeIdxImages(1, 2, 2, Pixels(4))).status(), "img",
              "expected 2049");
}

TEST(IdxReaderErrorsTest, RejectsImageFileTruncatedByOneByte) {
  std::string bytes = EncodeIdxImages(2, 3, 3, Pixels(18));
  bytes.pop_back();
  ExpectError(ParseIdxImages("imgs", bytes).status(), "imgs", "truncated");
}

TEST(IdxReaderErrorsTest, RejectsTrailingBytes) {
  std::string bytes = EncodeIdxLabels("\x01\x02") + "x";
  ExpectError(ParseIdxLabels("lbls", bytes).status(), "lbls", "trailing bytes");
}

TEST(IdxReaderErrorsTest, RejectsHeaderShorterThanSixteenBytes) {
  std::string bytes = EncodeIdxImages(1, 1, 1, Pixels(1)).substr(0, 10);
  ExpectError(ParseIdxImages("imgs", bytes).status(), "imgs", "shorter than the 16-byte header");
}

TEST(IdxReaderErrorsTest, RejectsHugeDeclaredSizeBeforeAllocating) {
  std::string bytes = EncodeIdxImages(1u << 20, 1024, 1024, "");  // 1 TiB declared
  ExpectError(ParseIdxImages("imgs", bytes).status(), "imgs", "truncated");
  bytes = EncodeIdxImages(0xffffffffu, 0xffffffffu, 0xffffffffu, "");
  ExpectError(ParseIdxImages("imgs", bytes).status(), "imgs", "more than any file holds");
}

TEST(IdxReaderErrorsTest, RejectsDimensionsWhoseProductWrapsAround) {
  // Found by tests/fuzz/idx_fuzzer: 0x11000000 x 0x20000 x 0x1000000 is
  // 17 x 2^65, which wraps to 0 in 64 bits and matched an empty payload.
  const std::string header("\x00\x00\x08\x03\x11\x00\x00\x00\x00\x02\x00\x00\x01\x00\x00\x00", 16);
  StatusOr<IdxImages> images = ParseIdxImages("wrap", header);
  ASSERT_FALSE(images.ok());
  ExpectError(images.status(), "wrap", "header declares 285212672 x 131072 x 16777216 bytes");
}

TEST(IdxReaderErrorsTest, RejectsLabelOutsideZeroToNine) {
  ExpectError(ParseIdxLabels("lbls", EncodeIdxLabels(std::string("\x03\x0c", 2))).status(), "lbls",
              "label 12 of example 1 (byte 9) is outside 0-9");
}

TEST(IdxReaderErrorsTest, MissingFileIsNotFoundNamingIt) {
  TempDir dir;
  ExpectError(ReadIdxImages(dir / "absent").status(), dir / "absent", "no such file",
              Status::Code::kNotFound);
}

TEST(IdxReaderErrorsTest, TruncatedGzipNamesTheFile) {
  TempDir dir;
  ASSERT_TRUE(WriteIdxFile(dir / "imgs.gz", EncodeIdxImages(50, 28, 28, Pixels(50 * 784)), true).ok());
  std::string packed = testing::ReadFileOrDie(dir / "imgs.gz");
  testing::WriteFileOrDie(dir / "imgs.gz", packed.substr(0, packed.size() - 20));
  ExpectError(ReadIdxImages(dir / "imgs.gz").status(), dir / "imgs.gz", "gzip");
}

// A gzip image file whose header declares more than the 2 GiB cap is
// refused from its header, naming the file, before anything is allocated.
TEST(IdxReaderGzipTest, AHeaderDeclaringMoreThanTheCapIsRefusedFromTheHeader) {
  TempDir dir;
  ASSERT_TRUE(WriteIdxFile(dir / "big.gz", EncodeIdxImages(3000000, 28, 28, Pixels(784)), /*gzip=*/true).ok());
  ExpectError(ReadIdxImages(dir / "big.gz").status(), dir / "big.gz",
              "header declares 2352000016 bytes, more than the limit of 2147483648");
}

// A gzip bomb behind a small header stops at the size the header declares.
TEST(IdxReaderGzipTest, OutputBeyondWhatTheHeaderDeclaresStopsThere) {
  TempDir dir;
  const std::string bytes = EncodeIdxLabels("\x01\x02") + std::string(10 << 20, '\0');
  ASSERT_TRUE(WriteGzipFile(dir / "bomb.gz", bytes).ok());
  ExpectError(ReadIdxLabels(dir / "bomb.gz").status(), dir / "bomb.gz",
              "inflates to more than 10 bytes, what its header declares");
}

// Runs `read` in a child whose address space may grow by `extra` bytes only;
// returns its exit code (what `read` returned), or -1 when it died.
int InLimitedChild(uint64_t extra, int (*read)(const std::string&), const std::string& path) {
  const pid_t pid = fork();
  if (pid == 0) {
    FILE* statm = std::fopen("/proc/self/statm", "r");
    unsigned long long pages = 0;
    if (statm == nullptr || std::fscanf(statm, "%llu", &pages) != 1) _exit(99);
    std::fclose(statm);
    const rlim_t limit = pages * static_cast<rlim_t>(sysconf(_SC_PAGESIZE)) + extra;
    const struct rlimit r = {limit, limit};
    if (setrlimit(RLIMIT_AS, &r) != 0) _exit(98);
    _exit(read(path));
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// 64 MiB of images, as two gzip members (the second empty, as `cat` makes),
// so the gzip trailer's size (0) gives no hint: only the header tells.
std::string WriteSixtyFourMiBOfImages(const TempDir& dir) {
  const uint32_t count = (64u << 20) / 784;
  const std::string first = dir / "first.gz", second = dir / "second.gz";
  EXPECT_TRUE(WriteIdxFile(first, EncodeIdxImages(count, 28, 28, std::string(size_t{count} * 784, '\1')),
                           /*gzip=*/true).ok());
  EXPECT_TRUE(WriteGzipFile(second, "").ok());
  testing::WriteFileOrDie(dir / "images.gz", testing::ReadFileOrDie(first) + testing::ReadFileOrDie(second));
  return dir / "images.gz";
}

int ReadImagesOk(const std::string& path) { return ReadIdxImages(path).ok() ? 0 : 1; }

int ReadImagesOutOfMemoryNamingIt(const std::string& path) {
  const Status st = ReadIdxImages(path).status();
  return st.code() == Status::Code::kOutOfMemory && st.message() == path + ": reading it needs 64 MiB" ? 0 : 1;
}

// The buffer is allocated once, at the declared size: reading 64 MiB fits in
// 64 MiB and a quarter more (doubling from a small guess peaked at 1.5-2x).
TEST(IdxReaderGzipTest, AllocatesTheDeclaredSizeOnceNotByDoubling) {
  if (!testing::kMemoryLimitWorks) GTEST_SKIP() << "RLIMIT_AS and AddressSanitizer do not mix";
  TempDir dir;
  const std::string path = WriteSixtyFourMiBOfImages(dir);
  EXPECT_EQ(InLimitedChild((80u << 20) + 2 * testing::ReadFileOrDie(path).size(), ReadImagesOk, path), 0);
}

// Memory running out while reading is an error naming the file and the MiB
// it needs, not a std::bad_alloc from deep inside.
TEST(IdxReaderGzipTest, RunningOutOfMemoryNamesTheFileAndWhatItNeeds) {
  if (!testing::kMemoryLimitWorks) GTEST_SKIP() << "RLIMIT_AS and AddressSanitizer do not mix";
  TempDir dir;
  const std::string path = WriteSixtyFourMiBOfImages(dir);
  EXPECT_EQ(InLimitedChild(32u << 20, ReadImagesOutOfMemoryNamingIt, path), 0);
}

TEST(IdxReaderTest, ReadsRealMnistTestDigits) {
  StatusOr<IdxImages> got =
      ReadIdxImages(testing::TestdataPath("mnist/t10k-images-first1000-idx3-ubyte.gz"));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->count, 1000u);
  EXPECT_EQ(got->rows, 28u);
  EXPECT_EQ(got->cols, 28u);
  StatusOr<IdxLabels> labels = ReadIdxLabels(testing::TestdataPath("mnist/t10k-labels-idx1-ubyte.gz"));
  ASSERT_TRUE(labels.ok()) << labels.status().ToString();
  EXPECT_EQ(labels->count(), 10000u);  // the original file, whole
  EXPECT_EQ(labels->label(0), 7);    // the famous first test digit
  StatusOr<IdxLabels> first = ReadIdxLabels(testing::TestdataPath("mnist/t10k-labels-first1000-idx1-ubyte.gz"));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->count(), 1000u);
  for (uint32_t i = 0; i < first->count(); ++i) ASSERT_EQ(first->label(i), labels->label(i)) << i;
}

}  // namespace
}  // namespace mnist
