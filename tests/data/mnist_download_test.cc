// Tests for data/download/mnist_download.h, with curl fetching from a local directory
// through file:// URLs: a good file is kept, a file with one changed byte or
// the wrong size is rejected and leaves nothing behind, mirrors are tried in
// order, and when every mirror fails the error is one line naming the
// fallback. The real table is checked against the two original label files in
// tests/testdata/mnist.
#include "data/download/mnist_download.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "io/base/file.h"
#include "io/base/md5.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::TempDir;

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> names;
  if (!std::filesystem::is_directory(dir)) return names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) names.push_back(e.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

class MnistDownloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_ / "mirror");
    for (int i = 0; i < 2; ++i) {
      std::string bytes = "stand-in file " + std::to_string(i) + " ";
      for (int k = 0; k < 3000; ++k) bytes += static_cast<char>(k * (i + 3));
      const std::string name = "file" + std::to_string(i) + ".gz";
      testing::WriteFileOrDie(dir_ / ("mirror/" + name), bytes);
      files_.push_back(RemoteFile{name, bytes.size(), Md5Hex(bytes)});
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
  std::string FileUrl(const std::string& sub) const { return "file://" + (dir_ / sub) + "/"; }

  TempDir dir_;
  std::vector<RemoteFile> files_;
  std::vector<std::string> contents_;
  FILE* out_ = stdout;
};

TEST_F(MnistDownloadTest, GoodFilesAreFetchedAndKept) {
  ASSERT_TRUE(DownloadMnist(Options({FileUrl("mirror")}), out_).ok());
  EXPECT_EQ(FilesIn(dir_ / "out"), (std::vector<std::string>{"file0.gz", "file1.gz"}));
  EXPECT_EQ(testing::ReadFileOrDie(dir_ / "out/file1.gz"), contents_[1]);
}

TEST_F(MnistDownloadTest, OneChangedByteIsRejectedAndNotLeftBehind) {
  std::string bad = contents_[0];
  bad[100] ^= 1;
  testing::WriteFileOrDie(dir_ / "mirror/file0.gz", bad);
  Status status = DownloadMnist(Options({FileUrl("mirror")}), out_);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("file0.gz: md5 " + Md5Hex(bad) + ", expected " + files_[0].md5),
            std::string::npos) << status.message();
  EXPECT_EQ(FilesIn(dir_ / "out"), std::vector<std::string>{"file1.gz"});  // the good one stays
}

TEST_F(MnistDownloadTest, WrongSizeIsRejected) {
  testing::WriteFileOrDie(dir_ / "mirror/file1.gz", contents_[1] + "x");
  Status status = DownloadMnist(Options({FileUrl("mirror")}), out_);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("mirror/file1.gz: curl: printed more than " +
                                  std::to_string(files_[1].size) + " bytes"),
            std::string::npos) << status.message();
  EXPECT_EQ(FilesIn(dir_ / "out"), std::vector<std::string>{"file0.gz"});
}

TEST_F(MnistDownloadTest, TriesTheNextMirrorAfterAMissingOrBadFile) {
  std::filesystem::create_directories(dir_ / "broken");
  std::string bad = contents_[1];
  bad[7] ^= 0x20;
  testing::WriteFileOrDie(dir_ / "broken/file1.gz", bad);  // file0.gz is missing there
  ASSERT_TRUE(DownloadMnist(Options({FileUrl("broken"), FileUrl("mirror")}), out_).ok());
  EXPECT_EQ(testing::ReadFileOrDie(dir_ / "out/file0.gz"), contents_[0]);
  EXPECT_EQ(testing::ReadFileOrDie(dir_ / "out/file1.gz"), contents_[1]);
}

TEST_F(MnistDownloadTest, KeepsAGoodFileAlreadyThereAndReplacesABadOne) {
  std::filesystem::create_directories(dir_ / "out");
  testing::WriteFileOrDie(dir_ / "out/file0.gz", contents_[0]);
  testing::WriteFileOrDie(dir_ / "out/file1.gz", "truncated");
  std::filesystem::remove(dir_ / "mirror/file0.gz");  // so it cannot have been fetched
  ASSERT_TRUE(DownloadMnist(Options({FileUrl("mirror")}), out_).ok());
  EXPECT_EQ(testing::ReadFileOrDie(dir_ / "out/file1.gz"), contents_[1]);
}

TEST_F(MnistDownloadTest, UnreachableMirrorsGiveOneLineNamingTheFallback) {
  // Port 9 on the loopback refuses connections at once: an offline stand-in.
  Status status = DownloadMnist(Options({"http://127.0.0.1:9/", "http://127.0.0.1:9/x/"}), out_);
  ASSERT_FALSE(status.ok());
  const std::string& message = status.message();
  EXPECT_EQ(message.find("could not download MNIST (offline?): "), 0u) << message;
  EXPECT_NE(message.find("http://127.0.0.1:9/"), std::string::npos) << message;
  EXPECT_NE(message.find("file0.gz: curl: (7)"), std::string::npos) << message;
  EXPECT_NE(message.find("(the last of 2 mirrors tried), and 1 more files; using "),
            std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  EXPECT_TRUE(FilesIn(dir_ / "out").empty());
}

TEST_F(MnistDownloadTest, MissingCurlSaysSo) {
  DownloadOptions options = Options({FileUrl("mirror")});
  options.curl = "no-such-curl-mnist-test";
  Status status = DownloadMnist(options, out_);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("no-such-curl-mnist-test: cannot run"), std::string::npos)
      << status.message();
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
  options.mirrors = {"file://" + real};
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
