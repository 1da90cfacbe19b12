// A full disk while `mnist --train` saves (app/modes/train.h, io/base/file.h,
// io/bundle/bundle_writer.h): the save fails with an error naming the file, the
// previous checkpoint stays intact and listed, no partial or temporary file
// is left, and training stops with exit 1, or with
// --keep-going-on-save-error goes on and retries at the next improvement.
//
// Two ways to fill the disk: a file-size limit (setrlimit(RLIMIT_FSIZE),
// with SIGXFSZ at its default disposition: `mnist` ignores it itself, so a
// write past it fails with EFBIG), which works anywhere, and a small tmpfs (ENOSPC), which needs root and a kernel that
// lets us mount; that variant is skipped where mounting is not permitted.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <regex>

#include "checkpoints/state/checkpoint_state.h"
#include "io/base/file.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::ReadFileOrDie;
using testing::RunMnist;
using testing::TempDir;

class FullDiskTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::WriteSyntheticMnist(dir_ / "data", 600, 200, false); }
  std::string Flags(const std::string& ckpt) const {
    return "--threads 1 --data-dir " + (dir_ / "data") + " --ckpt-dir " + ckpt;
  }
  // Runs `mnist <args>` with a file-size limit of `limit` bytes (0: none);
  // returns the exit code and fills `log` with its output.
  int RunLimited(const std::string& args, rlim_t limit, std::string* log) {
    const std::string log_path = dir_ / "run.log";
    pid_t pid = fork();
    if (pid == 0) {
      // As a user's shell leaves it: `mnist` itself must turn SIGXFSZ into
      // EFBIG (issue 11: it was killed, exit 153, a temporary left).
      signal(SIGXFSZ, SIG_DFL);
      if (limit > 0) {
        struct rlimit r = {limit, limit};
        setrlimit(RLIMIT_FSIZE, &r);
      }
      if (freopen(log_path.c_str(), "w", stdout) == nullptr) _exit(126);
      dup2(fileno(stdout), 2);
      const std::string command = std::string(MNIST_BINARY) + " " + args;
      execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    *log = ReadFileOrDie(log_path);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  // Trains epoch 1 into `ckpt` with no limit and keeps what it saved.
  void TrainFirstEpoch(const std::string& ckpt) {
    ASSERT_EQ(RunLimited("--train --validation-size 0 --hidden 16,8 --epochs 1 " + Flags(ckpt), 0, &first_log_), 0) << first_log_;
    state_before_ = ReadFileOrDie(ckpt + "/checkpoint");
    data_before_ = ReadFileOrDie(ckpt + "/mnist.ckpt-1.data-00000-of-00001");
  }
  // What a failed save must leave: the state file and mnist.ckpt-1 as they
  // were, no temporary, and a checkpoint --eval restores.
  void ExpectPreviousCheckpointIntact(const std::string& ckpt) {
    EXPECT_EQ(ReadFileOrDie(ckpt + "/checkpoint"), state_before_);
    EXPECT_EQ(ReadFileOrDie(ckpt + "/mnist.ckpt-1.data-00000-of-00001"), data_before_);
    for (const auto& e : std::filesystem::directory_iterator(ckpt)) {
      const std::string name = e.path().filename();
      EXPECT_EQ(name.find(kAtomicTempInfix), std::string::npos) << name;
      EXPECT_EQ(name.find(kBundleTempInfix), std::string::npos) << name;
    }
    std::string out;
    EXPECT_EQ(RunMnist("--eval " + Flags(ckpt), &out), 0) << out;
    EXPECT_NE(out.find("restored " + ckpt + "/mnist.ckpt-1"), std::string::npos) << out;
  }
  TempDir dir_;
  std::string first_log_, state_before_, data_before_;
};

// A data file of --hidden 16,8 is 153 KB; the limit lets every other file
// (acc.txt, index, meta, state) through.
constexpr rlim_t kBelowOneDataFile = 20000;

TEST_F(FullDiskTest, FileSizeLimitStopsTrainingAndKeepsThePreviousCheckpoint) {
  const std::string ckpt = dir_ / "ckpt";
  ASSERT_NO_FATAL_FAILURE(TrainFirstEpoch(ckpt));
  std::string log;

  EXPECT_EQ(RunLimited("--train --validation-size 0 --hidden 16,8 --epochs 3 --resume " + Flags(ckpt), kBelowOneDataFile, &log), 1)
      << log;
  EXPECT_NE(log.find("File too large"), std::string::npos) << log;
  EXPECT_NE(log.find(ckpt + "/"), std::string::npos) << "names no file: " << log;
  EXPECT_EQ(log.find("epoch:3"), std::string::npos) << "went on after the error: " << log;
  ExpectPreviousCheckpointIntact(ckpt);
}

TEST_F(FullDiskTest, KeepGoingReportsEachFailedSaveAndRetriesAtTheNextImprovement) {
  const std::string ckpt = dir_ / "ckpt";
  ASSERT_NO_FATAL_FAILURE(TrainFirstEpoch(ckpt));
  std::string log;
  std::smatch first;
  ASSERT_TRUE(std::regex_search(first_log_, first, std::regex(R"(epoch:1, .*val_acc:([0-9.]+))"))) << first_log_;

  // Every save fails, so the best epoch's checkpoint is never saved: exit 1.
  ASSERT_EQ(RunLimited("--train --validation-size 0 --hidden 16,8 --epochs 5 --resume --keep-going-on-save-error " + Flags(ckpt),
                       kBelowOneDataFile, &log), 1)
      << log;
  EXPECT_NE(log.find("epoch:5"), std::string::npos) << log;
  // An unsaved best is no best: every later epoch that beats epoch 1, the
  // best saved, tries its mnist.ckpt-N again; no other epoch does.
  const std::regex epoch_line(R"(epoch:(\d+), val_loss:[0-9.]+, val_acc:([0-9.]+))");
  const double saved_best = std::stod(first[1].str());
  int attempts = 0;
  for (std::sregex_iterator it(log.begin(), log.end(), epoch_line), end; it != end; ++it) {
    const int epoch = std::stoi((*it)[1].str());
    const double accuracy = std::stod((*it)[2].str());
    const bool tried = log.find(ckpt + "/mnist.ckpt-" + std::to_string(epoch) + ".") != std::string::npos;
    EXPECT_EQ(tried, accuracy > saved_best) << "epoch " << epoch << ": " << log;
    attempts += tried;
  }
  EXPECT_GE(attempts, 2) << "shows no retry: " << log;
  EXPECT_NE(log.find("training goes on (--keep-going-on-save-error)"), std::string::npos) << log;
  // One closing line lists every save that failed, then says the best is lost.
  std::smatch summary;
  ASSERT_TRUE(std::regex_search(log, summary, std::regex(R"(mnist: (\d+) saves failed \(--keep-going-on-save-error\): ([^\n]*)\n)")))
      << log;
  EXPECT_EQ(std::stoi(summary[1].str()), attempts + 4) << log;  // and the 4 resume checkpoints
  EXPECT_NE(summary[2].str().find("last.ckpt-"), std::string::npos) << log;
  // It names each epoch whose best checkpoint went unsaved (issue 15).
  for (std::sregex_iterator it(log.begin(), log.end(), epoch_line), end; it != end; ++it) {
    const std::string name = "mnist.ckpt-" + (*it)[1].str();
    if (log.find(ckpt + "/" + name + ".") == std::string::npos) continue;
    EXPECT_NE((", " + summary[2].str() + ",").find(" " + name + ","), std::string::npos)
        << name << " missing from the summary: " << log;
  }
  EXPECT_NE(log.find("was never saved as mnist.ckpt-"), std::string::npos) << log;
  ExpectPreviousCheckpointIntact(ckpt);
}

// A best checkpoint whose save fails (its data file's name is taken by a
// directory) is not recorded as the best in the resume checkpoint written
// beside it; the run ends with exit 1, its best epoch unsaved.
TEST_F(FullDiskTest, AFailedBestSaveIsNotTheBestInTheResumeCheckpointBesideIt) {
  const std::string ckpt = dir_ / "ckpt";
  // A run that learns from epoch to epoch: 30 steps an epoch at --lr 0.01.
  const std::string train = "--train --validation-size 0 --hidden 16 --batch-size 20 --lr 0.01 ";
  std::string first_log, log;
  ASSERT_EQ(RunLimited(train + "--epochs 1 " + Flags(ckpt), 0, &first_log), 0) << first_log;
  std::filesystem::create_directory(ckpt + "/mnist.ckpt-2.data-00000-of-00001");
  ASSERT_EQ(RunLimited(train + "--epochs 2 --resume --keep-going-on-save-error " + Flags(ckpt), 0, &log), 1)
      << log;
  std::smatch first, second;
  ASSERT_TRUE(std::regex_search(first_log, first, std::regex(R"(epoch:1, .*val_acc:([0-9.]+))"))) << first_log;
  ASSERT_TRUE(std::regex_search(log, second, std::regex(R"(epoch:2, .*val_acc:([0-9.]+))"))) << log;
  ASSERT_GT(std::stod(second[1].str()), std::stod(first[1].str())) << "epoch 2 is no better: " << log;
  EXPECT_NE(log.find("1 save failed (--keep-going-on-save-error): mnist.ckpt-2\n"), std::string::npos) << log;
  std::string best;
  ASSERT_EQ(RunMnist("--inspect " + ckpt + "/last.ckpt-60 --tensor train_state/best_val_acc", &best), 0) << best;
  std::smatch recorded;
  ASSERT_TRUE(std::regex_search(best, recorded, std::regex(R"(values: ([0-9.]+))"))) << best;
  EXPECT_NEAR(std::stod(recorded[1].str()), std::stod(first[1].str()), 1e-6) << best << log;
}

// Mounts a tmpfs of `size` on `path` for the test's lifetime.
class SmallTmpfs {
 public:
  SmallTmpfs(const std::string& path, const std::string& size) : path_(path) {
    std::filesystem::create_directories(path);
    mounted_ = geteuid() == 0 &&
               mount("tmpfs", path.c_str(), "tmpfs", 0, ("size=" + size).c_str()) == 0;
  }
  ~SmallTmpfs() {
    if (mounted_) umount2(path_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }

 private:
  std::string path_;
  bool mounted_ = false;
};

TEST_F(FullDiskTest, FullTmpfsStopsTrainingAndKeepsThePreviousCheckpoint) {
  // Room for epoch 1 (two checkpoints of 153 KB data each, plus small files:
  // a .meta is about 25 KB)
  // but not for a third data file beside them.
  const std::string ckpt = dir_ / "small";
  SmallTmpfs tmpfs(ckpt, "440k");
  if (!tmpfs.mounted()) GTEST_SKIP() << "mounting a tmpfs is not permitted here";
  ASSERT_NO_FATAL_FAILURE(TrainFirstEpoch(ckpt));
  std::string log;

  EXPECT_EQ(RunLimited("--train --validation-size 0 --hidden 16,8 --epochs 3 --resume " + Flags(ckpt), 0, &log), 1) << log;
  EXPECT_NE(log.find("No space left on device"), std::string::npos) << log;
  EXPECT_NE(log.find(ckpt + "/"), std::string::npos) << "names no file: " << log;
  ExpectPreviousCheckpointIntact(ckpt);
}

// A disk that fills up under --keep-going-on-save-error: the run goes on,
// its closing line names every save that failed (each unsaved epoch's
// mnist.ckpt-N among them), and the exit code is 1 exactly when the best
// epoch's checkpoint is one of them.
TEST_F(FullDiskTest, FullTmpfsWithKeepGoingNamesEachUnsavedEpochAndExits1IfTheBestIsLost) {
  const std::string ckpt = dir_ / "small";
  SmallTmpfs tmpfs(ckpt, "440k");
  if (!tmpfs.mounted()) GTEST_SKIP() << "mounting a tmpfs is not permitted here";
  ASSERT_NO_FATAL_FAILURE(TrainFirstEpoch(ckpt));
  std::string log;
  const int code = RunLimited("--train --validation-size 0 --hidden 16,8 --epochs 4 --resume "
                              "--keep-going-on-save-error " + Flags(ckpt), 0, &log);
  EXPECT_NE(log.find("epoch:4"), std::string::npos) << log;
  EXPECT_NE(log.find("No space left on device"), std::string::npos) << log;
  std::smatch summary;
  ASSERT_TRUE(std::regex_search(log, summary, std::regex(R"(mnist: (\d+) saves? failed \(--keep-going-on-save-error\): ([^\n]*)\n)")))
      << log;
  const std::string listed = ", " + summary[2].str() + ",";
  // Every save reported as failed on the way is in the closing list.
  const std::regex failed(R"((mnist|last)\.ckpt-(\d+)[^\n]*training goes on)");
  for (std::sregex_iterator it(log.begin(), log.end(), failed), end; it != end; ++it) {
    const std::string name = (*it)[1].str() + ".ckpt-" + (*it)[2].str();
    EXPECT_NE(listed.find(" " + name + ","), std::string::npos) << name << ": " << log;
  }
  // The best epoch (the first with the highest val_acc, epoch 1's included).
  std::smatch first;
  ASSERT_TRUE(std::regex_search(first_log_, first, std::regex(R"(epoch:1, .*val_acc:([0-9.]+))")));
  double best = std::stod(first[1].str());
  int best_epoch = 1;
  const std::regex epoch_line(R"(epoch:(\d+), val_loss:[0-9.]+, val_acc:([0-9.]+))");
  for (std::sregex_iterator it(log.begin(), log.end(), epoch_line), end; it != end; ++it) {
    if (std::stod((*it)[2].str()) > best) {
      best = std::stod((*it)[2].str());
      best_epoch = std::stoi((*it)[1].str());
    }
  }
  const std::string best_name = "mnist.ckpt-" + std::to_string(best_epoch);
  const bool best_lost = listed.find(" " + best_name + ",") != std::string::npos;
  EXPECT_EQ(code, best_lost ? 1 : 0) << log;
  if (best_lost) {
    EXPECT_NE(log.find("the best epoch, " + std::to_string(best_epoch) + ", was never saved as " +
                       best_name + "; its weights are lost\n"), std::string::npos) << log;
  }
}

}  // namespace
}  // namespace mnist
