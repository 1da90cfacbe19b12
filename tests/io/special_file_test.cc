// Special files where `mnist` reads an input (io/base/file.h OpenForReading,
// issue 11): a FIFO, a directory, a socket, and symlinks to /dev/zero and
// /dev/null, in the place of each data file, each state file, each file of
// a checkpoint, --predict's graph, images and labels, and --plot's
// metrics.csv. Each must be an error naming the file and what it is, exit 1;
// a FIFO used to hang in open() for ever, /dev/zero to read without end.
// Every run has a deadline (RunMnistUnder), so a hang fails the test.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>

#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::RunLimits;
using testing::TempDir;

struct Kind {
  const char* name;
  const char* said;  // what the error calls it
};
constexpr Kind kKinds[] = {
    {"fifo", "a FIFO"},
    {"directory", "a directory"},
    {"socket", "a socket"},
    {"dev_zero", "a character device"},
    {"dev_null", "a character device"},
};

// Replaces `path` with a special file of `kind`. The socket stays bound
// (its fd is leaked on purpose until the process ends: a few per test).
void MakeSpecial(const std::string& path, const Kind& kind) {
  std::filesystem::remove_all(path);
  const std::string name = kind.name;
  if (name == "fifo") {
    ASSERT_EQ(mkfifo(path.c_str(), 0644), 0) << path;
  } else if (name == "directory") {
    ASSERT_TRUE(std::filesystem::create_directory(path)) << path;
  } else if (name == "socket") {
    const int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_un address = {};
    address.sun_family = AF_UNIX;
    ASSERT_LT(path.size(), sizeof(address.sun_path)) << path;
    path.copy(address.sun_path, path.size());
    ASSERT_EQ(bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)), 0) << path;
  } else {
    std::filesystem::create_symlink(name == "dev_zero" ? "/dev/zero" : "/dev/null", path);
  }
}

// Copies `from` to `to` (a directory tree), then makes `to/file` special and
// runs `mnist <args>`: exit 1, naming the file and what it is. A state
// file's symlinks are refused first for leading out of the directory
// (`contained`).
void ExpectRefused(const std::string& from, const std::string& to, const std::string& file,
                   const std::string& args, bool contained = false) {
  for (const Kind& kind : kKinds) {
    SCOPED_TRACE(file + " as " + kind.name);
    std::filesystem::remove_all(to);
    std::filesystem::copy(from, to, std::filesystem::copy_options::recursive);
    MakeSpecial(to + "/" + file, kind);
    std::string out;
    RunLimits limits;
    limits.timeout_seconds = 60;
    EXPECT_EQ(testing::RunMnistUnder(limits, args, &out), 1) << out;
    const bool symlink = std::string(kind.name).rfind("dev_", 0) == 0;
    const std::string said = contained && symlink ? ": is a symlink leading out of " + to
                                                  : std::string(": is ") + kind.said + ", not a regular file";
    EXPECT_NE(out.find(to + "/" + file + said), std::string::npos) << out;
  }
}

// 13 places x 5 kinds: 65 runs of `mnist`.
class SpecialFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::WriteSyntheticMnist(dir_ / "data", 100, 50, false);
  }
  // Trains one epoch into dir_/ckpt and freezes it to dir_/model/g.pb.
  void TrainAndFreeze() {
    std::string out;
    ASSERT_EQ(testing::RunMnist("--train --epochs 1 --hidden 8 --threads 1 --validation-size 0 --data-dir " + (dir_ / "data") +
                                    " --ckpt-dir " + (dir_ / "ckpt"), &out), 0) << out;
    ASSERT_EQ(testing::RunMnist("--freeze --ckpt-dir " + (dir_ / "ckpt") + " --output " + (dir_ / "model/g.pb"),
                                &out), 0) << out;
  }
  TempDir dir_;
};

TEST_F(SpecialFileTest, AsADataFileIsAnErrorNamingIt) {
  for (const char* file : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                           "t10k-labels-idx1-ubyte"}) {
    ExpectRefused(dir_ / "data", dir_ / "d", file,
                  "--train --epochs 1 --hidden 8 --validation-size 0 --data-dir " + (dir_ / "d") + " --ckpt-dir " + (dir_ / "c"));
  }
}

TEST_F(SpecialFileTest, AsAStateFileOrACheckpointFileIsAnErrorNamingIt) {
  TrainAndFreeze();
  const std::string eval = "--eval --data-dir " + (dir_ / "data") + " --ckpt-dir " + (dir_ / "k");
  ExpectRefused(dir_ / "ckpt", dir_ / "k", "checkpoint", eval, /*contained=*/true);
  ExpectRefused(dir_ / "ckpt", dir_ / "k", "last_checkpoint",
                "--train --resume --epochs 2 --hidden 8 --data-dir " + (dir_ / "data") + " --ckpt-dir " +
                    (dir_ / "k"),
                /*contained=*/true);
  const std::string one = "--eval --data-dir " + (dir_ / "data") + " --checkpoint " + (dir_ / "k/mnist.ckpt-1");
  for (const char* file : {"mnist.ckpt-1.index", "mnist.ckpt-1.data-00000-of-00001", "mnist.ckpt-1.meta"}) {
    ExpectRefused(dir_ / "ckpt", dir_ / "k", file, one);
  }
}

TEST_F(SpecialFileTest, AsAGraphOrImagesOrLabelsToPredictIsAnErrorNamingIt) {
  TrainAndFreeze();
  std::filesystem::copy(dir_ / "data/t10k-images-idx3-ubyte", dir_ / "model/images");
  std::filesystem::copy(dir_ / "data/t10k-labels-idx1-ubyte", dir_ / "model/labels");
  const std::string predict = "--predict " + (dir_ / "m/g.pb") + " --images " + (dir_ / "m/images") +
                              " --labels " + (dir_ / "m/labels");
  for (const char* file : {"g.pb", "images", "labels"}) ExpectRefused(dir_ / "model", dir_ / "m", file, predict);
}

TEST_F(SpecialFileTest, AsMetricsToPlotIsAnErrorNamingIt) {
  TrainAndFreeze();
  ExpectRefused(dir_ / "ckpt", dir_ / "k", "metrics.csv", "--plot --ckpt-dir " + (dir_ / "k"));
}

}  // namespace
}  // namespace mnist
