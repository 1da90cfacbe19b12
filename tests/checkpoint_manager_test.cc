// Tests for checkpoints/checkpoint_manager.h: retention with K = 0, 1, 3,
// across restarts, re-saving a step, and a directory that moved.
#include "checkpoints/checkpoint_manager.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "checkpoints/checkpoint_state.h"
#include "checkpoints/naming.h"
#include "io/file.h"
#include "tests/test_util.h"

namespace mnist {
namespace {

using testing::TempDir;

struct Small {
  Mlp model{{4, 3, 2}};
  Adam adam{AdamOptions{}, model.variables()};
  TrainingState state{&model, &adam, nullptr, TrainProgress{}, RunSettings{}};
};

std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) names.push_back(e.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> Kept(int max_to_keep, int saves, const std::string& dir) {
  Small s;
  StatusOr<CheckpointManager> m = CheckpointManager::Open(dir, kBestBasename, kBestStateFilename, max_to_keep);
  EXPECT_TRUE(m.ok());
  for (int step = 1; step <= saves; ++step) EXPECT_TRUE(m->Save(step, s.state).ok());
  return m->kept();
}

TEST(CheckpointManagerTest, KeepsNewestThreeAndRewritesState) {
  TempDir dir;
  EXPECT_EQ(Kept(3, 5, dir.path()),
            (std::vector<std::string>{"mnist.ckpt-3", "mnist.ckpt-4", "mnist.ckpt-5"}));
  EXPECT_EQ(ReadCheckpointState(dir.path(), kBestStateFilename)->paths,
            (std::vector<std::string>{"mnist.ckpt-3", "mnist.ckpt-4", "mnist.ckpt-5"}));
  std::vector<std::string> expected = {"checkpoint"};
  for (int n = 3; n <= 5; ++n) {
    for (const char* ext : {".data-00000-of-00001", ".index", ".meta"}) {
      expected.push_back("mnist.ckpt-" + std::to_string(n) + ext);
    }
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(FilesIn(dir.path()), expected);
}

TEST(CheckpointManagerTest, MaxToKeepOneKeepsOnlyTheLatest) {
  TempDir dir;
  EXPECT_EQ(Kept(1, 4, dir.path()), std::vector<std::string>{"mnist.ckpt-4"});
  EXPECT_EQ(FilesIn(dir.path()).size(), 4u);  // 3 files + state
}

TEST(CheckpointManagerTest, MaxToKeepZeroKeepsAll) {
  TempDir dir;
  EXPECT_EQ(Kept(0, 5, dir.path()).size(), 5u);
  EXPECT_EQ(FilesIn(dir.path()).size(), 16u);
}

TEST(CheckpointManagerTest, RetentionCarriesAcrossRestarts) {
  TempDir dir;
  Small s;
  {
    StatusOr<CheckpointManager> m = CheckpointManager::Open(dir.path(), kBestBasename, kBestStateFilename, 3);
    for (int step = 1; step <= 3; ++step) ASSERT_TRUE(m->Save(step, s.state).ok());
  }
  StatusOr<CheckpointManager> again = CheckpointManager::Open(dir.path(), kBestBasename, kBestStateFilename, 3);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->kept().size(), 3u);
  ASSERT_TRUE(again->Save(10, s.state).ok());
  EXPECT_EQ(again->kept(), (std::vector<std::string>{"mnist.ckpt-2", "mnist.ckpt-3", "mnist.ckpt-10"}));
  EXPECT_FALSE(FileExists(dir / "mnist.ckpt-1.index"));
  EXPECT_FALSE(FileExists(dir / "mnist.ckpt-1.data-00000-of-00001"));
}

TEST(CheckpointManagerTest, SaveReportsTheNamesRetentionDeleted) {
  TempDir dir;
  Small s;
  StatusOr<CheckpointManager> m = CheckpointManager::Open(dir.path(), kBestBasename, kBestStateFilename, 2);
  std::vector<std::string> deleted = {"stale"};
  ASSERT_TRUE(m->Save(1, s.state, &deleted).ok());
  ASSERT_TRUE(m->Save(2, s.state, &deleted).ok());
  EXPECT_TRUE(deleted.empty());
  ASSERT_TRUE(m->Save(3, s.state, &deleted).ok());
  EXPECT_EQ(deleted, std::vector<std::string>{"mnist.ckpt-1"});
}

TEST(CheckpointManagerTest, SavingAListedStepMovesItToTheEnd) {
  TempDir dir;
  Small s;
  StatusOr<CheckpointManager> m = CheckpointManager::Open(dir.path(), kBestBasename, kBestStateFilename, 3);
  for (int step : {1, 2, 1}) ASSERT_TRUE(m->Save(step, s.state).ok());
  EXPECT_EQ(m->kept(), (std::vector<std::string>{"mnist.ckpt-2", "mnist.ckpt-1"}));
}

TEST(CheckpointManagerTest, MovedDirectoryStillRestores) {
  TempDir dir;
  Small s;
  {
    StatusOr<CheckpointManager> m = CheckpointManager::Open(dir / "a", kBestBasename, kBestStateFilename, 3);
    ASSERT_TRUE(m->Save(1, s.state).ok());
  }
  std::filesystem::rename(dir / "a", dir / "b");
  StatusOr<std::string> latest = LatestCheckpoint(dir / "b", kBestStateFilename);
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  EXPECT_EQ(*latest, dir / "b/mnist.ckpt-1");
  Small target;
  EXPECT_TRUE(RestoreCheckpoint(*latest, RestoreOptions{}, &target.state).ok());
}

TEST(CheckpointManagerTest, GarbledStateFileIsAnErrorNotOverwritten) {
  TempDir dir;
  testing::WriteFileOrDie(dir / "checkpoint", "{{{ not a state file");
  StatusOr<CheckpointManager> m = CheckpointManager::Open(dir.path(), kBestBasename, kBestStateFilename, 3);
  EXPECT_EQ(m.status().code(), Status::Code::kDataLoss);
  EXPECT_EQ(testing::ReadFileOrDie(dir / "checkpoint"), "{{{ not a state file");
}

TEST(CheckpointManagerTest, NegativeMaxToKeepIsRejected) {
  TempDir dir;
  StatusOr<CheckpointManager> m = CheckpointManager::Open(dir.path(), kBestBasename, kBestStateFilename, -1);
  EXPECT_EQ(m.status().code(), Status::Code::kBadFlag);
  EXPECT_NE(m.status().message().find("--max-to-keep -1"), std::string::npos);
}

TEST(CheckpointManagerTest, PruningDeletesOnlyTheFilesOfItsOwnCheckpointsInTheDirectory) {
  TempDir dir, elsewhere;
  const std::vector<std::string> bystanders = {
      "notes.txt", "mnist.ckpt-1.index.bak", "mnist.ckpt-1", "last.ckpt-1.index",
      "mnist.ckpt-1.data-00001-of-00002", "acc.txt"};
  for (const std::string& name : bystanders) testing::WriteFileOrDie(dir / name, "x");
  testing::WriteFileOrDie(elsewhere / "mnist.ckpt-1.index", "outside");
  const std::vector<std::string> kept = Kept(1, 3, dir.path());
  EXPECT_EQ(kept, std::vector<std::string>{"mnist.ckpt-3"});
  for (const std::string& name : bystanders) EXPECT_TRUE(FileExists(dir / name)) << name;
  EXPECT_FALSE(FileExists(dir / "mnist.ckpt-1.index"));
  EXPECT_FALSE(FileExists(dir / "mnist.ckpt-2.meta"));
  EXPECT_EQ(testing::ReadFileOrDie(elsewhere / "mnist.ckpt-1.index"), "outside");
}

TEST(CheckpointManagerTest, StateNamingCheckpointsElsewhereDeletesNothing) {
  TempDir root;
  const std::string dir = root / "ckpt";
  const std::string other = root / "other";
  Kept(0, 2, other);  // a real checkpoint directory next to ours
  const std::vector<std::string> before = FilesIn(other);
  std::filesystem::create_directories(dir);
  for (const std::string& bad : {other + "/mnist.ckpt-1", std::string("../other/mnist.ckpt-1")}) {
    testing::WriteFileOrDie(dir + "/checkpoint", "model_checkpoint_path: \"" + bad +
                                                     "\"\nall_model_checkpoint_paths: \"" + bad + "\"\n");
    StatusOr<CheckpointManager> m = CheckpointManager::Open(dir, kBestBasename, kBestStateFilename, 1);
    ASSERT_FALSE(m.ok()) << bad;
    EXPECT_EQ(m.status().code(), Status::Code::kInvalidArgument) << bad;
  }
  EXPECT_EQ(FilesIn(other), before);
}

TEST(CheckpointManagerTest, OpenRemovesTemporariesAKilledSaveLeftAndNoOthers) {
  TempDir dir;
  const std::vector<std::string> stale = {
      "mnist.ckpt-3.data-00000-of-00001.tempstate0123456789abcdef",
      "mnist.ckpt-3.index.tempstate0123456789abcdef", "mnist.ckpt-3.meta.tmp0123456789abcdef",
      "checkpoint.tmp0123456789abcdef"};
  const std::vector<std::string> foreign = {
      "last.ckpt-3.index.tempstate0123456789abcdef",  // another manager's
      "last_checkpoint.tmp0123456789abcdef", "notes.txt.tmp0123456789abcdef",
      "mnist.ckpt-3.index.tmp-mine", "mnist.ckpt-3.index.tempstate-mine"};
  for (const std::string& name : stale) testing::WriteFileOrDie(dir / name, "x");
  for (const std::string& name : foreign) testing::WriteFileOrDie(dir / name, "x");
  StatusOr<CheckpointManager> m = CheckpointManager::Open(dir.path(), kBestBasename, kBestStateFilename, 3);
  ASSERT_TRUE(m.ok());
  for (const std::string& name : stale) EXPECT_FALSE(FileExists(dir / name)) << name;
  for (const std::string& name : foreign) EXPECT_TRUE(FileExists(dir / name)) << name;
}

}  // namespace
}  // namespace mnist
