// End-to-end tests of damaged state files (checkpoints/state/state_recovery.h): a
// garbled, empty or truncated `checkpoint` or `last_checkpoint` costs
// neither --resume, --overwrite nor --eval the run; and --resume in a
// directory without a run starts one.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "checkpoints/state/checkpoint_state.h"
#include "io/base/file.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::ReadFileOrDie;
using testing::RunMnist;
using testing::TempDir;
using testing::WriteFileOrDie;

class StateRecoveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::WriteSyntheticMnist(dir_ / "data", 200, 100, /*gzip=*/false);
    std::string out;
    ASSERT_EQ(RunMnist(Train() + " --epochs 2", &out), 0) << out;
  }
  std::string Train() const {
    return "--train --hidden 16 --threads 2 --validation-size 0 --data-dir " + (dir_ / "data") +
           " --ckpt-dir " + (dir_ / "ckpt");
  }
  TempDir dir_;
};

// What a damaged state file may hold.
const char* const kDamage[] = {"model_checkpoint_path: \"mnist.ck", "", "\x01garbage{{{"};

TEST_F(StateRecoveryTest, ResumeNamesADamagedStateFileAndGoesOnFromTheCheckpointsOnDisk) {
  for (const char* file : {"checkpoint", "last_checkpoint"}) {
    for (const char* damage : kDamage) {
      SCOPED_TRACE(std::string(file) + " holding \"" + damage + "\"");
      WriteFileOrDie(dir_ / "ckpt" + "/" + file, damage);
      std::string out;
      ASSERT_EQ(RunMnist(Train() + " --resume --epochs 3", &out), 0) << out;
      EXPECT_NE(out.find((dir_ / "ckpt") + "/" + file + ": damaged: rewritten from the checkpoints on disk"),
                std::string::npos) << out;
      EXPECT_TRUE(ReadCheckpointState(dir_ / "ckpt", file).ok());
      ASSERT_EQ(RunMnist(Train() + " --overwrite --epochs 2", &out), 0) << out;  // the next case
    }
  }
}

TEST_F(StateRecoveryTest, ResumeWithBothStateFilesDamagedUsesTheNewestCompleteCheckpoint) {
  WriteFileOrDie(dir_ / "ckpt/checkpoint", "");
  WriteFileOrDie(dir_ / "ckpt/last_checkpoint", "garbled");
  std::string out;
  ASSERT_EQ(RunMnist(Train() + " --resume --epochs 3", &out), 0) << out;
  EXPECT_NE(out.find("resumed from " + (dir_ / "ckpt") + "/last.ckpt-4: end of epoch 2 (step 4), best val_acc "), std::string::npos) << out;
  EXPECT_NE(out.find("epoch:3,"), std::string::npos) << out;
}

TEST_F(StateRecoveryTest, OverwriteStartsAnewWhateverTheStateFilesHold) {
  WriteFileOrDie(dir_ / "ckpt/checkpoint", "\x01garbage{{{");
  WriteFileOrDie(dir_ / "ckpt/last_checkpoint", "model_checkpoint_path: \"/etc/passwd\"\n");
  std::string out;
  ASSERT_EQ(RunMnist(Train() + " --overwrite --epochs 1", &out), 0) << out;
  EXPECT_FALSE(FileExists(dir_ / "ckpt/mnist.ckpt-2.index"));
  EXPECT_FALSE(FileExists(dir_ / "ckpt/last.ckpt-4.index"));
}

// Something other than a file where a state file belongs does not stop
// --overwrite either: an empty directory and a FIFO are removed; a directory
// with files in it is named and left alone (exit 1).
TEST_F(StateRecoveryTest, OverwriteRemovesWhatIsNoStateFileWhereOneBelongs) {
  std::filesystem::remove(dir_ / "ckpt/checkpoint");
  std::filesystem::create_directory(dir_ / "ckpt/checkpoint");
  std::filesystem::remove(dir_ / "ckpt/last_checkpoint");
  ASSERT_EQ(mkfifo((dir_ / "ckpt/last_checkpoint").c_str(), 0644), 0);
  std::string out;
  ASSERT_EQ(RunMnist(Train() + " --overwrite --epochs 1", &out), 0) << out;
  EXPECT_TRUE(std::filesystem::is_regular_file(dir_ / "ckpt/checkpoint")) << out;
  EXPECT_TRUE(std::filesystem::is_regular_file(dir_ / "ckpt/last_checkpoint")) << out;

  std::filesystem::remove(dir_ / "ckpt/checkpoint");
  std::filesystem::create_directory(dir_ / "ckpt/checkpoint");
  WriteFileOrDie(dir_ / "ckpt/checkpoint/mine.txt", "keep me\n");
  EXPECT_EQ(RunMnist(Train() + " --overwrite --epochs 1", &out), 1) << out;
  EXPECT_NE(out.find((dir_ / "ckpt/checkpoint") + ": is not a state file and cannot be removed"), std::string::npos)
      << out;
  EXPECT_TRUE(FileExists(dir_ / "ckpt/checkpoint/mine.txt"));
}

TEST_F(StateRecoveryTest, EvalFallsBackToTheNewestCompleteCheckpointOnDisk) {
  WriteFileOrDie(dir_ / "ckpt/checkpoint", "model_checkpoint_path: \"mnist.ck");
  std::string out;
  ASSERT_EQ(RunMnist("--eval --data-dir " + (dir_ / "data") + " --ckpt-dir " + (dir_ / "ckpt"), &out), 0)
      << out;
  EXPECT_NE(out.find("using the newest complete checkpoint on disk"), std::string::npos) << out;
  EXPECT_NE(out.find("restored " + (dir_ / "ckpt") + "/mnist.ckpt-"), std::string::npos) << out;
}

TEST(StateRecoveryEmptyTest, ResumeInADirectoryWithNoRunStartsOne) {
  TempDir dir;
  testing::WriteSyntheticMnist(dir / "data", 200, 100, /*gzip=*/false);
  std::string out;
  ASSERT_EQ(RunMnist("--train --resume --epochs 1 --hidden 16 --validation-size 0 --data-dir " +
                         (dir / "data") + " --ckpt-dir " + (dir / "ckpt"), &out), 0) << out;
  EXPECT_NE(out.find("no run in " + (dir / "ckpt") + ": starting one\n"), std::string::npos) << out;
  EXPECT_TRUE(FileExists(dir / "ckpt/last.ckpt-2.index"));
}

}  // namespace
}  // namespace mnist
