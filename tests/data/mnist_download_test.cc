// Tests for data/download/mnist_download.h and data/download/url_fetch.h,
// against a local HTTP server on 127.0.0.1 (tests/support/http_server.py):
// a good file lands with its bytes; a truncated, oversized, wrong-MD5 or
// missing file is rejected with one line naming the URL and leaves nothing
// behind; mirrors are tried in order; when every mirror fails the error is
// one line naming the fallback; the progress line is rewritten in place. The
// real table is checked against the two original label files in
// tests/testdata/mnist.
#include "data/download/mnist_download.h"

#include <gtest/gtest.h>
#include <md5.h>  // libmd

#include <algorithm>
#include <filesystem>

#include "io/base/file.h"
#include "tests/support/http_server.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::LocalHttpServer;
using testing::TempDir;

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> names;
  if (!std::filesystem::is_directory(dir)) return names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) names.push_back(e.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

std::string Md5Of(const std::string& bytes) {
  char hex[MD5_DIGEST_STRING_LENGTH];
  return MD5Data(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), hex);
}

// The end of every failed download's message: what the data loader uses instead.
std::string Fallback() {
  const std::string dir = DefaultDataDir();
  return "; using " + (dir == kDebianFashionMnistDir ? "Fashion-MNIST from " + dir : dir);
}

class MnistDownloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 2; ++i) {
      std::string bytes = "stand-in file " + std::to_string(i) + " ";
      for (int k = 0; k < 3000; ++k) bytes += static_cast<char>(k * (i + 3));
      const std::string name = "file" + std::to_string(i) + ".gz";
      testing::WriteFileOrDie(dir_ / ("mirror/" + name), bytes);
      files_.push_back(RemoteFile{name, bytes.size(), Md5Of(bytes)});
      contents_.push_back(bytes);
    }
  }
  DownloadOptions Options(std::vector<std::string> mirrors) const {
    DownloadOptions options;
    options.dir = dir_ / "out";
    options.mirrors = std::move(mirrors);
    options.files = files_;
    return options;
  }
  // The message of downloading file0.gz alone from `mirror`, which must fail.
  std::string FailureOfFile0(const std::string& mirror) {
    DownloadOptions options = Options({mirror});
    options.files.resize(1);
    Status status = DownloadMnist(options, out_);
    EXPECT_FALSE(status.ok());
    EXPECT_TRUE(FilesIn(dir_ / "out").empty());  // nothing left behind, no temp file
    return status.message();
  }
  std::string Size0() const { return std::to_string(files_[0].size); }

  TempDir dir_;
  const bool made_ = std::filesystem::create_directories(dir_ / "mirror");
  LocalHttpServer server_{dir_ / "mirror"};
  std::vector<RemoteFile> files_;
  std::vector<std::string> contents_;
  FILE* out_ = stdout;
};

TEST_F(MnistDownloadTest, GoodFilesLandWithTheirBytes) {
  ASSERT_TRUE(DownloadMnist(Options({server_.url()}), out_).ok());
  EXPECT_EQ(FilesIn(dir_ / "out"), (std::vector<std::string>{"file0.gz", "file1.gz"}));
  EXPECT_EQ(testing::ReadFileOrDie(dir_ / "out/file0.gz"), contents_[0]);
  EXPECT_EQ(testing::ReadFileOrDie(dir_ / "out/file1.gz"), contents_[1]);
}

TEST_F(MnistDownloadTest, TransferCutShortIsOneLineNamingTheUrl) {
  EXPECT_EQ(FailureOfFile0(server_.url("cut/")),
            "could not download MNIST (offline?): " + server_.url("cut/") +
                "file0.gz: transfer closed with " + std::to_string(files_[0].size - files_[0].size / 2) +
                " bytes remaining to read" + Fallback());
}

TEST_F(MnistDownloadTest, ShortFileIsOneLineGivingBothSizes) {
  testing::WriteFileOrDie(dir_ / "mirror/file0.gz", contents_[0].substr(0, 1000));
  EXPECT_EQ(FailureOfFile0(server_.url()), "could not download MNIST (offline?): " + server_.url() +
                                               "file0.gz: 1000 bytes, expected " + Size0() +
                                               Fallback());
}

TEST_F(MnistDownloadTest, OversizedFileIsStoppedByItsLength) {
  testing::WriteFileOrDie(dir_ / "mirror/file0.gz", contents_[0] + "x");
  EXPECT_EQ(FailureOfFile0(server_.url()),
            "could not download MNIST (offline?): " + server_.url() +
                "file0.gz: Maximum file size exceeded (the published size is " + Size0() +
                " bytes)" + Fallback());
}

TEST_F(MnistDownloadTest, OversizedFileWithoutALengthIsStoppedAsItArrives) {
  testing::WriteFileOrDie(dir_ / "mirror/file0.gz", contents_[0] + "x");
  EXPECT_EQ(FailureOfFile0(server_.url("nolength/")),
            "could not download MNIST (offline?): " + server_.url("nolength/") +
                "file0.gz: more than the published " + Size0() + " bytes arrived" + Fallback());
}

TEST_F(MnistDownloadTest, WrongMd5IsOneLineGivingBothDigests) {
  std::string bad = contents_[0];
  bad[100] ^= 1;
  testing::WriteFileOrDie(dir_ / "mirror/file0.gz", bad);
  EXPECT_EQ(FailureOfFile0(server_.url()), "could not download MNIST (offline?): " + server_.url() +
                                               "file0.gz: md5 " + Md5Of(bad) + ", expected " +
                                               files_[0].md5 + Fallback());
}

TEST_F(MnistDownloadTest, MissingFileGivesTheHttpStatus) {
  std::filesystem::remove(dir_ / "mirror/file0.gz");
  EXPECT_EQ(FailureOfFile0(server_.url()),
            "could not download MNIST (offline?): " + server_.url() +
                "file0.gz: The requested URL returned error: 404" + Fallback());
}

TEST_F(MnistDownloadTest, ABadFileDoesNotStopTheOthers) {
  std::string bad = contents_[0];
  bad[100] ^= 1;
  testing::WriteFileOrDie(dir_ / "mirror/file0.gz", bad);
  EXPECT_FALSE(DownloadMnist(Options({server_.url()}), out_).ok());
  EXPECT_EQ(FilesIn(dir_ / "out"), std::vector<std::string>{"file1.gz"});  // the good one stays
}

TEST_F(MnistDownloadTest, TriesTheNextMirrorAfterACutTransfer) {
  // cut/ sends half of each file; the whole mirror then has both.
  ASSERT_TRUE(DownloadMnist(Options({server_.url("cut/"), server_.url()}), out_).ok());
  EXPECT_EQ(testing::ReadFileOrDie(dir_ / "out/file0.gz"), contents_[0]);
  EXPECT_EQ(testing::ReadFileOrDie(dir_ / "out/file1.gz"), contents_[1]);
}

TEST_F(MnistDownloadTest, KeepsAGoodFileAlreadyThereAndReplacesABadOne) {
  std::filesystem::create_directories(dir_ / "out");
  testing::WriteFileOrDie(dir_ / "out/file0.gz", contents_[0]);
  testing::WriteFileOrDie(dir_ / "out/file1.gz", "truncated");
  std::filesystem::remove(dir_ / "mirror/file0.gz");  // so it cannot have been fetched
  ASSERT_TRUE(DownloadMnist(Options({server_.url()}), out_).ok());
  EXPECT_EQ(testing::ReadFileOrDie(dir_ / "out/file1.gz"), contents_[1]);
}

TEST_F(MnistDownloadTest, ProgressLineIsRewrittenInPlaceThenErased) {
  DownloadOptions options = Options({server_.url()});
  options.files.resize(1);
  TempDir scratch;
  FILE* progress = std::fopen((scratch / "progress").c_str(), "w+");
  ASSERT_NE(progress, nullptr);
  options.progress = progress;
  ASSERT_TRUE(DownloadMnist(options, out_).ok());
  std::fclose(progress);
  const std::string shown = testing::ReadFileOrDie(scratch / "progress");
  EXPECT_EQ(shown.rfind("\rfile0.gz: ", 0), 0u) << shown;
  EXPECT_NE(shown.find("\rfile0.gz: 100% of 3 kB\r\033[K"), std::string::npos) << shown;
  EXPECT_EQ(shown.find('\n'), std::string::npos) << shown;  // one line, rewritten
  EXPECT_EQ(shown.substr(shown.size() - 4), "\r\033[K") << shown;
}

TEST_F(MnistDownloadTest, UnreachableMirrorsGiveOneLineNamingTheFallback) {
  // Port 9 on the loopback refuses connections at once: an offline stand-in.
  Status status = DownloadMnist(Options({"http://127.0.0.1:9/", "http://127.0.0.1:9/x/"}), out_);
  ASSERT_FALSE(status.ok());
  const std::string& message = status.message();
  EXPECT_EQ(message.find("could not download MNIST (offline?): http://127.0.0.1:9/x/file0.gz: "
                         "Failed to connect to 127.0.0.1 port 9 after "),
            0u) << message;
  EXPECT_NE(message.find(" ms: Couldn't connect to server (the last of 2 mirrors tried), and 1 "
                         "more files" + Fallback()),
            std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  EXPECT_TRUE(FilesIn(dir_ / "out").empty());
}

TEST(MnistFilesTest, TableNamesTheFourStandardFiles) {
  std::vector<std::string> names;
  for (const RemoteFile& f : MnistFiles()) names.push_back(f.name);
  EXPECT_EQ(names, (std::vector<std::string>{
                       std::string(kTrainImagesStem) + ".gz", std::string(kTrainLabelsStem) + ".gz",
                       std::string(kTestImagesStem) + ".gz", std::string(kTestLabelsStem) + ".gz"}));
  for (const RemoteFile& f : MnistFiles()) EXPECT_EQ(f.md5.size(), 32u) << f.name;
}

// tests/testdata/mnist holds the two original label files (the image files
// are too large to keep): the table's size and MD5 must accept them.
TEST(MnistFilesTest, TableAcceptsTheRealLabelFiles) {
  const std::string real = testing::TestdataPath("mnist");
  DownloadOptions options;
  for (const RemoteFile& f : MnistFiles()) {
    if (f.name.find("labels") != std::string::npos) options.files.push_back(f);
  }
  ASSERT_EQ(options.files.size(), 2u);
  TempDir dir;
  options.dir = dir / "mnist";
  LocalHttpServer server(real);
  options.mirrors = {server.url()};
  ASSERT_TRUE(DownloadMnist(options, stdout).ok());
  EXPECT_EQ(FilesIn(dir / "mnist").size(), options.files.size());
}

TEST(DownloadCommandTest, OfflinePrintsOneLineAndExitsOne) {
  TempDir dir;
  std::string out;
  EXPECT_EQ(testing::RunMnist("--download --data-dir " + (dir / "mnist") +
                                  " --mirror http://127.0.0.1:9/",
                              &out),
            1);
  EXPECT_EQ(out.find("mnist: could not download MNIST (offline?): "), 0u) << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
  EXPECT_NE(out.find("; using "), std::string::npos) << out;
  EXPECT_FALSE(FileExists(dir / "mnist"));
}

}  // namespace
}  // namespace mnist
