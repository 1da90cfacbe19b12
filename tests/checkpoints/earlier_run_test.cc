// End-to-end tests of `mnist --train` meeting an earlier or a concurrent run
// in its --ckpt-dir (app/training/resume.h, io/base/directory_lock.h): nothing of the
// earlier run is replaced unless asked, and two runs never share a directory.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <string>

#include "io/base/file.h"
#include "io/base/directory_lock.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::MnistProcess;
using testing::ReadFileOrDie;
using testing::RunMnist;
using testing::TempDir;

// A small run's flags, without --epochs.
std::string Flags(const TempDir& dir) {
  return "--train --validation-size 0 --hidden 16 --data-dir " + (dir / "data") + " --ckpt-dir " + (dir / "ckpt");
}

// A directory with data and a finished 2-epoch run in ckpt/.
void TrainTwoEpochs(const TempDir& dir) {
  testing::WriteSyntheticMnist(dir / "data", 200, 100, /*gzip=*/false);
  std::string out;
  ASSERT_EQ(RunMnist(Flags(dir) + " --epochs 2", &out), 0) << out;
}

TEST(EarlierRunTest, NewRunIsRefusedAndTheEarlierCheckpointsStayAsTheyWere) {
  TempDir dir;
  TrainTwoEpochs(dir);
  const std::string state = ReadFileOrDie(dir / "ckpt/checkpoint");
  const std::string resume_data = ReadFileOrDie(dir / "ckpt/last.ckpt-4.data-00000-of-00001");
  std::string out;
  EXPECT_NE(RunMnist(Flags(dir) + " --epochs 1 --seed 7", &out), 0);
  EXPECT_NE(out.find((dir / "ckpt") + ": holds the checkpoints of an earlier run"), std::string::npos) << out;
  EXPECT_NE(out.find("--resume"), std::string::npos) << out;
  EXPECT_NE(out.find("--overwrite"), std::string::npos) << out;
  EXPECT_EQ(ReadFileOrDie(dir / "ckpt/checkpoint"), state);
  EXPECT_EQ(ReadFileOrDie(dir / "ckpt/last.ckpt-4.data-00000-of-00001"), resume_data);
}

TEST(EarlierRunTest, OverwriteDeletesTheEarlierRunAndStartsAfresh) {
  TempDir dir;
  TrainTwoEpochs(dir);
  std::string out;
  ASSERT_EQ(RunMnist(Flags(dir) + " --epochs 1 --overwrite", &out), 0) << out;
  EXPECT_NE(out.find("--overwrite: deleted the earlier run's checkpoints"), std::string::npos) << out;
  EXPECT_FALSE(FileExists(dir / "ckpt/mnist.ckpt-2.index"));
  EXPECT_FALSE(FileExists(dir / "ckpt/last.ckpt-4.index"));
  EXPECT_EQ(ReadFileOrDie(dir / "ckpt/checkpoint"),
            "model_checkpoint_path: \"mnist.ckpt-1\"\nall_model_checkpoint_paths: \"mnist.ckpt-1\"\n");
}

// The lock comes first: a second --train is refused before it loads its data
// (here a --data-dir that does not exist, which would be the error otherwise).
TEST(EarlierRunTest, ALockedDirectoryIsRefusedBeforeTheDataIsLoaded) {
  TempDir dir;
  StatusOr<std::unique_ptr<DirectoryLock>> held = DirectoryLock::Acquire(dir.path(), "the test holds it");
  ASSERT_TRUE(held.ok()) << held.status().ToString();
  std::string out;
  EXPECT_EQ(RunMnist("--train --epochs 1 --data-dir " + (dir / "no-such-data") + " --ckpt-dir " + dir.path(), &out),
            1) << out;
  EXPECT_NE(out.find(dir.path() + ": in use by another process"), std::string::npos) << out;
  EXPECT_EQ(out.find("no-such-data"), std::string::npos) << out;  // the data was never looked at
}

TEST(EarlierRunTest, SecondTrainingOnTheSameDirectoryIsRefusedWhileTheFirstRuns) {
  TempDir dir;
  testing::WriteSyntheticMnist(dir / "data", 2000, 100, /*gzip=*/false);
  MnistProcess first(Flags(dir) + " --epochs 1000");
  ASSERT_TRUE(first.WaitForOutput("epoch:1,")) << first.output();
  std::string out;
  EXPECT_EQ(RunMnist(Flags(dir) + " --epochs 1000 --resume", &out), 1) << out;
  EXPECT_NE(out.find((dir / "ckpt") + ": in use by another process"), std::string::npos) << out;
  first.Signal(SIGINT);
  EXPECT_EQ(first.Wait(), 130) << first.output();
  // Once the first has gone, the directory is free again.
  EXPECT_EQ(RunMnist(Flags(dir) + " --epochs 1 --resume", &out), 0) << out;
}

TEST(EarlierRunTest, ResumeFallsBackToTheBestCheckpointWhenTheResumeOneIsDamaged) {
  TempDir dir;
  TrainTwoEpochs(dir);
  const std::string data = dir / "ckpt/last.ckpt-4.data-00000-of-00001";
  std::filesystem::resize_file(data, 100);
  std::string out;
  ASSERT_EQ(RunMnist(Flags(dir) + " --epochs 3 --resume", &out), 0) << out;
  EXPECT_NE(out.find(data), std::string::npos) << out;
  EXPECT_NE(out.find("resuming from " + (dir / "ckpt/mnist.ckpt-")), std::string::npos) << out;
  EXPECT_NE(out.find("epoch:3,"), std::string::npos) << out;
}

TEST(EarlierRunTest, ResumeRefusesAHiddenThatDiffersFromTheCheckpoints) {
  TempDir dir;
  TrainTwoEpochs(dir);
  std::string out;
  std::string flags = Flags(dir);
  flags.replace(flags.find("--hidden 16"), 11, "--hidden 32");
  EXPECT_EQ(RunMnist(flags + " --epochs 3 --resume", &out), 2);
  EXPECT_NE(out.find("--hidden 32: "), std::string::npos) << out;
  EXPECT_NE(out.find("was trained with --hidden 16"), std::string::npos) << out;
}

TEST(EarlierRunTest, ResumeOfAFinishedRunSaysThereIsNothingToDo) {
  TempDir dir;
  TrainTwoEpochs(dir);
  std::string out;
  EXPECT_EQ(RunMnist(Flags(dir) + " --epochs 2 --resume", &out), 0) << out;
  EXPECT_NE(out.find("already trained to epoch 2 (--epochs 2): nothing to do"), std::string::npos) << out;
}

}  // namespace
}  // namespace mnist
