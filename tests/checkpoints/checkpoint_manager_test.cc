// Tests for checkpoints/manager/checkpoint_manager.h: retention with K = 0, 1, 3,
// across restarts, re-saving a step, and a directory that moved.
#include "checkpoints/manager/checkpoint_manager.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "checkpoints/state/checkpoint_state.h"
#include "checkpoints/state/naming.h"
#include "io/bundle/bundle_reader.h"
#include "io/base/file.h"
#include "tests/support/test_util.h"

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
    EXPECT_EQ(m.status().code(), Status::Code::kFailedPrecondition) << bad;
  }
  EXPECT_EQ(FilesIn(other), before);
}

// Issue 11, point 2: unlink() stops at a NUL, so "notes.txt\0" would delete
// notes.txt. Such a state file is refused before anything is deleted.
TEST(CheckpointManagerTest, StateNamingAFileThroughANulIsRefusedAndDeletesNothing) {
  TempDir dir;
  Kept(0, 1, dir.path());
  testing::WriteFileOrDie(dir / "notes.txt", "notes");
  testing::WriteFileOrDie(dir / "metrics.csv", "epoch\n");
  testing::WriteFileOrDie(dir / "checkpoint",
                          "model_checkpoint_path: \"mnist.ckpt-1\"\n"
                          "all_model_checkpoint_paths: \"notes.txt\\000\"\n"
                          "all_model_checkpoint_paths: \"metrics.csv\\000\"\n"
                          "all_model_checkpoint_paths: \"mnist.ckpt-1\"\n");
  StatusOr<CheckpointManager> m = CheckpointManager::Open(dir.path(), kBestBasename, kBestStateFilename, 1);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), Status::Code::kDataLoss);
  EXPECT_EQ(m.status().message(), dir / "checkpoint" +
                                      ": checkpoint path \"notes.txt\\x00\" has a NUL byte at byte 9, "
                                      "which no checkpoint name has; refusing the file");
  EXPECT_EQ(testing::ReadFileOrDie(dir / "notes.txt"), "notes");
  EXPECT_EQ(testing::ReadFileOrDie(dir / "metrics.csv"), "epoch\n");
}

// Pruning deletes only what it can prove is its own: a state file naming
// anything but this manager's `<basename>-N` is refused, naming it.
TEST(CheckpointManagerTest, StateNamingFilesOfOtherKindsIsRefusedAndDeletesNothing) {
  TempDir dir;
  Kept(0, 1, dir.path());
  for (const char* name : {"metrics.csv", "acc.txt", "last.ckpt-1.index", "mnist.ckpt-01.index"}) {
    testing::WriteFileOrDie(dir / name, "x");
  }
  const struct {
    const char* state_file;
    const char* basename;
    const char* listed;
  } cases[] = {{kBestStateFilename, kBestBasename, "metrics.csv"},
               {kBestStateFilename, kBestBasename, "acc.txt"},
               {kBestStateFilename, kBestBasename, "last.ckpt-1"},
               {kBestStateFilename, kBestBasename, "mnist.ckpt-01"},
               {kBestStateFilename, kBestBasename, "./sub/mnist.ckpt-1"},
               {kResumeStateFilename, kResumeBasename, "mnist.ckpt-1"}};
  for (const auto& c : cases) {
    testing::WriteFileOrDie(dir / c.state_file, std::string("model_checkpoint_path: \"") + c.listed + "\"\n");
    StatusOr<CheckpointManager> m = CheckpointManager::Open(dir.path(), c.basename, c.state_file, 1);
    ASSERT_FALSE(m.ok()) << c.listed;
    EXPECT_EQ(m.status().code(), Status::Code::kDataLoss) << c.listed;
    EXPECT_EQ(m.status().message().find(dir / c.state_file + ": lists \""), 0u) << m.status().message();
    EXPECT_NE(m.status().message().find(std::string("(") + c.basename + "-N)"), std::string::npos)
        << m.status().message();
  }
  for (const char* name : {"metrics.csv", "acc.txt", "last.ckpt-1.index", "mnist.ckpt-01.index",
                                  "mnist.ckpt-1.index"}) {
    EXPECT_TRUE(FileExists(dir / name)) << name;
  }
}

// Issue 11, point 3: a name listed twice counts once, so pruning one copy
// never leaves the other listing deleted files.
TEST(CheckpointManagerTest, ANameListedTwiceCountsOnce) {
  TempDir dir;
  Small s;
  Kept(0, 3, dir.path());
  testing::WriteFileOrDie(dir / "checkpoint",
                          "model_checkpoint_path: \"mnist.ckpt-3\"\n"
                          "all_model_checkpoint_paths: \"mnist.ckpt-1\"\n"
                          "all_model_checkpoint_paths: \"mnist.ckpt-1\"\n"
                          "all_model_checkpoint_paths: \"mnist.ckpt-3\"\n");
  StatusOr<CheckpointManager> m = CheckpointManager::Open(dir.path(), kBestBasename, kBestStateFilename, 3);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->kept(), (std::vector<std::string>{"mnist.ckpt-1", "mnist.ckpt-3"}));
  ASSERT_TRUE(m->Save(4, s.state).ok());
  for (int step : {5, 6}) {
    StatusOr<CheckpointState> state = ReadCheckpointState(dir.path(), kBestStateFilename);
    ASSERT_TRUE(state.ok()) << state.status().ToString();
    for (const std::string& listed : state->paths) {
      EXPECT_TRUE(FileExists(dir / (listed + ".index"))) << listed << " is listed but deleted";
    }
    ASSERT_TRUE(m->Save(step, s.state).ok());
  }
  EXPECT_EQ(m->kept(), (std::vector<std::string>{"mnist.ckpt-4", "mnist.ckpt-5", "mnist.ckpt-6"}));
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

// Issue 11: a stop after an epoch's last batch saves last.ckpt-S, and the
// resume then ends that epoch at the same step S. The listed files must not
// be rewritten in place (a kill there left a state naming a checkpoint with
// no .index): they already hold the same tensors, so they are kept.
TEST(CheckpointManagerTest, ResavingAListedStepWithTheSameTensorsKeepsItsFiles) {
  TempDir dir;
  Small s;
  s.state.progress = TrainProgress{/*global_step=*/6, /*epoch=*/1, /*batch_in_epoch=*/3, 1, 0.5, 2.0, 10};
  s.state.settings.recorded = true;  // a training run's: a string tensor (data_dir) among them
  s.state.settings.learning_rate = 0.001f;
  s.state.settings.data_dir = "data/mnist";
  StatusOr<CheckpointManager> m = CheckpointManager::Open(dir.path(), kResumeBasename, kResumeStateFilename, 1);
  ASSERT_TRUE(m.ok());
  ASSERT_TRUE(m->Save(6, s.state).ok());
  const std::string data = testing::ReadFileOrDie(dir / "last.ckpt-6.data-00000-of-00001");
  const std::string index = testing::ReadFileOrDie(dir / "last.ckpt-6.index");
  s.state.progress.epoch = 2;  // the same step, the epoch now ended
  s.state.progress.batch_in_epoch = 0;
  s.state.progress.epoch_loss_sum = 0.0;
  s.state.settings.learning_rate = 0.0005f;  // lowered on resume, on purpose
  s.state.settings.data_dir = "./data/mnist";  // the same files, spelt otherwise
  ASSERT_TRUE(m->Save(6, s.state).ok());
  EXPECT_EQ(testing::ReadFileOrDie(dir / "last.ckpt-6.data-00000-of-00001"), data);
  EXPECT_EQ(testing::ReadFileOrDie(dir / "last.ckpt-6.index"), index);
  EXPECT_EQ(ReadCheckpointState(dir.path(), kResumeStateFilename)->paths, std::vector<std::string>{"last.ckpt-6"});
}

TEST(CheckpointManagerTest, ResavingAListedStepThatIsDamagedUnlistsItBeforeWriting) {
  TempDir dir;
  Small s;
  StatusOr<CheckpointManager> m = CheckpointManager::Open(dir.path(), kBestBasename, kBestStateFilename, 0);
  ASSERT_TRUE(m.ok());
  ASSERT_TRUE(m->Save(1, s.state).ok());
  ASSERT_TRUE(m->Save(2, s.state).ok());
  testing::WriteFileOrDie(dir / "mnist.ckpt-2.data-00000-of-00001", "damaged");
  // A directory where its .meta goes makes the new write fail after data and
  // index: the state must then list only mnist.ckpt-1, and no file of
  // mnist.ckpt-2 may be left.
  std::filesystem::remove(dir / "mnist.ckpt-2.meta");
  std::filesystem::create_directory(dir / "mnist.ckpt-2.meta");
  EXPECT_FALSE(m->Save(2, s.state).ok());
  EXPECT_EQ(ReadCheckpointState(dir.path(), kBestStateFilename)->paths, std::vector<std::string>{"mnist.ckpt-1"});
  std::filesystem::remove(dir / "mnist.ckpt-2.meta");
  ASSERT_TRUE(m->Save(2, s.state).ok());
  EXPECT_TRUE(BundleReader::Open(dir / "mnist.ckpt-2").ok());
  EXPECT_EQ(ReadCheckpointState(dir.path(), kBestStateFilename)->paths,
            (std::vector<std::string>{"mnist.ckpt-1", "mnist.ckpt-2"}));
}

TEST(CheckpointManagerTest, SaveFailingAtTheMetaStepRemovesItsDataAndIndex) {
  TempDir dir;
  Small s;
  StatusOr<CheckpointManager> m = CheckpointManager::Open(dir.path(), kBestBasename, kBestStateFilename, 3);
  ASSERT_TRUE(m.ok());
  ASSERT_TRUE(m->Save(1, s.state).ok());
  std::filesystem::create_directory(dir / "mnist.ckpt-2.meta");  // the .meta cannot be renamed there
  const Status failed = m->Save(2, s.state);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.message().find(dir / "mnist.ckpt-2.meta"), std::string::npos) << failed.ToString();
  EXPECT_FALSE(FileExists(dir / "mnist.ckpt-2.index"));
  EXPECT_FALSE(FileExists(dir / "mnist.ckpt-2.data-00000-of-00001"));
  EXPECT_EQ(m->kept(), std::vector<std::string>{"mnist.ckpt-1"});
  EXPECT_EQ(ReadCheckpointState(dir.path(), kBestStateFilename)->paths, std::vector<std::string>{"mnist.ckpt-1"});
}

TEST(CheckpointManagerTest, RemoveUnlistedDeletesOnlyOlderFilesOfOurExactNaming) {
  TempDir dir;
  Small s;
  StatusOr<CheckpointManager> m = CheckpointManager::Open(dir.path(), kResumeBasename, kResumeStateFilename, 1);
  ASSERT_TRUE(m.ok());
  ASSERT_TRUE(m->Save(240, s.state).ok());
  ASSERT_TRUE(m->Save(480, s.state).ok());
  const std::vector<std::string> orphans = {"last.ckpt-240.index", "last.ckpt-240.data-00000-of-00001",
                                            "last.ckpt-240.meta", "last.ckpt-7.meta"};
  const std::vector<std::string> kept = {
      "last.ckpt-960.index",       // newer: a save in flight when it was killed
      "last.ckpt-0240.index",      // not a name we write
      "last.ckpt-240.index.bak", "last.ckpt-240", "mnist.ckpt-1.index", "notes.txt",
      "last.ckpt-100.index",       // listed by the other state file
      "last.ckpt-480.index", "last.ckpt-480.meta", "last.ckpt-480.data-00000-of-00001"};
  for (const std::string& name : orphans) testing::WriteFileOrDie(dir / name, "x");
  for (const std::string& name : kept) {
    if (!FileExists(dir / name)) testing::WriteFileOrDie(dir / name, "x");
  }
  std::vector<std::string> removed;
  ASSERT_TRUE(m->RemoveUnlisted(/*all=*/false, {"last.ckpt-100"}, &removed).ok());
  std::vector<std::string> expected = orphans;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(removed, expected);
  for (const std::string& name : orphans) EXPECT_FALSE(FileExists(dir / name)) << name;
  for (const std::string& name : kept) EXPECT_TRUE(FileExists(dir / name)) << name;

  removed.clear();
  ASSERT_TRUE(m->RemoveUnlisted(/*all=*/true, {"last.ckpt-100"}, &removed).ok());
  EXPECT_EQ(removed, std::vector<std::string>{"last.ckpt-960.index"});
  EXPECT_TRUE(FileExists(dir / "last.ckpt-480.index"));
}

}  // namespace
}  // namespace mnist
