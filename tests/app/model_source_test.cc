// Tests for app/modes/model_source.h: which checkpoint a command uses, when
// an older one is tried instead of the latest, and the flags its errors name.
#include "app/modes/model_source.h"

#include <gtest/gtest.h>

#include "checkpoints/manager/checkpoint_manager.h"
#include "checkpoints/saver/saver.h"
#include "checkpoints/state/checkpoint_state.h"
#include "checkpoints/state/naming.h"
#include "io/base/file.h"
#include "tests/support/model_fixture.h"
#include "tests/support/test_util.h"
#include "tests/support/tf_mlp_checkpoint.h"

namespace mnist {
namespace {

using testing::TempDir;

// A directory whose state file lists m-1, m-2, m-3 (newest last); the
// checkpoints themselves are not needed by LoadFirstGood.
class LoadFirstGoodTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(WriteCheckpointState(dir_.path(), kBestStateFilename, {{"m-1", "m-2", "m-3"}}).ok());
    source_.ckpt_dir = dir_.path();
  }
  TempDir dir_;
  ModelSource source_;
};

TEST_F(LoadFirstGoodTest, SkipsDamagedCandidatesNewestFirst) {
  std::vector<std::string> tried, skipped;
  StatusOr<std::string> chosen = LoadFirstGood(
      source_,
      [&](const std::string& prefix) {
        tried.push_back(prefix);
        return prefix == dir_ / "m-1" ? Status::Ok() : Status::DataLoss(prefix + ": crc mismatch");
      },
      &skipped);
  ASSERT_TRUE(chosen.ok()) << chosen.status().ToString();
  EXPECT_EQ(*chosen, dir_ / "m-1");
  EXPECT_EQ(tried, (std::vector<std::string>{dir_ / "m-3", dir_ / "m-2", dir_ / "m-1"}));
  ASSERT_EQ(skipped.size(), 2u);
  EXPECT_EQ(skipped[0], dir_ / "m-3" + " fails its checks: " + (dir_ / "m-3") +
                            ": crc mismatch; trying the next newest");
}

// Issue 11, point 11: an --eval racing a --train --max-to-keep 1. The
// checkpoint it picked is pruned (its files deleted, the state file
// rewritten) between the pick and the open: it reads the state file again
// and restores the new one, instead of failing on the vanished .index.
TEST(LoadFirstGoodRaceTest, ACheckpointPrunedBeforeItIsOpenedSendsItBackToTheStateFile) {
  TempDir dir;
  testing::ModelFixture trained(1);
  StatusOr<CheckpointManager> trainer =
      CheckpointManager::Open(dir.path(), kBestBasename, kBestStateFilename, 1);
  ASSERT_TRUE(trainer.ok());
  ASSERT_TRUE(trainer->Save(53, trained.state).ok());
  ModelSource source;
  source.ckpt_dir = dir.path();
  std::vector<std::string> tried, skipped;
  StatusOr<std::string> chosen = LoadFirstGood(
      source,
      [&](const std::string& prefix) {
        tried.push_back(prefix);
        if (tried.size() == 1) {  // the trainer saves and prunes between pick and open
          EXPECT_TRUE(trainer->Save(54, trained.state).ok());
          EXPECT_FALSE(FileExists(prefix + ".index"));
        }
        return LoadModel(prefix, RestoreOptions{}).status();
      },
      &skipped);
  ASSERT_TRUE(chosen.ok()) << chosen.status().ToString();
  EXPECT_EQ(*chosen, dir / "mnist.ckpt-54");
  EXPECT_EQ(tried, (std::vector<std::string>{dir / "mnist.ckpt-53", dir / "mnist.ckpt-54"}));
  EXPECT_TRUE(skipped.empty());
}

// A state file that changes under every read is re-read twice, then the
// vanished candidate's error stands: the re-reading always ends.
TEST_F(LoadFirstGoodTest, ReReadsTheStateFileAtMostTwice) {
  std::vector<std::string> tried;
  StatusOr<std::string> chosen = LoadFirstGood(
      source_,
      [&](const std::string& prefix) {
        tried.push_back(prefix);
        const std::string next = "m-" + std::to_string(10 + tried.size());
        EXPECT_TRUE(WriteCheckpointState(dir_.path(), kBestStateFilename, {{next}}).ok());
        return Status::NotFound(prefix + ".index: gone");
      },
      nullptr);
  EXPECT_EQ(chosen.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(tried, (std::vector<std::string>{dir_ / "m-3", dir_ / "m-11", dir_ / "m-12"}));
}

TEST_F(LoadFirstGoodTest, ARequestThatDoesNotFitStopsAtTheLatest) {
  for (const Status& request : {Status::InvalidArgument("output 'nosuch' names no node"),
                                Status::FailedPrecondition("wrong state")}) {
    std::vector<std::string> tried, skipped;
    StatusOr<std::string> chosen = LoadFirstGood(
        source_,
        [&](const std::string& prefix) {
          tried.push_back(prefix);
          return request;
        },
        &skipped);
    EXPECT_EQ(chosen.status().code(), request.code());
    EXPECT_EQ(chosen.status().message(), request.message());
    EXPECT_EQ(tried, std::vector<std::string>{dir_ / "m-3"});
    EXPECT_TRUE(skipped.empty());
  }
}

TEST_F(LoadFirstGoodTest, WhenEveryCandidateIsDamagedTheErrorOfTheOldestIsReturned) {
  std::vector<std::string> skipped;
  StatusOr<std::string> chosen = LoadFirstGood(
      source_, [](const std::string& prefix) { return Status::NotFound(prefix + ".index: no such file"); },
      &skipped);
  EXPECT_EQ(chosen.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(chosen.status().message(), dir_ / "m-1" + ".index: no such file");
  EXPECT_EQ(skipped.size(), 2u);
}

TEST(IsDamageTest, FileErrorsAreDamageRequestErrorsAreNot) {
  EXPECT_TRUE(IsDamage(Status::NotFound("x")));
  EXPECT_TRUE(IsDamage(Status::DataLoss("x")));
  EXPECT_TRUE(IsDamage(Status::IOError("x")));
  EXPECT_FALSE(IsDamage(Status::InvalidArgument("x")));
  EXPECT_FALSE(IsDamage(Status::FailedPrecondition("x")));
}

// The flags a failure to load names are added here, in app/: checkpoints/
// says what is wrong with the checkpoint in plain words.
TEST(WithSourceHintTest, UseEmaOnACheckpointWithoutShadowsSaysToTrainWithEmaDecay) {
  TempDir dir;
  testing::ModelFixture f(1);
  f.state.ema = nullptr;
  ASSERT_TRUE(SaveCheckpoint(dir / "m", f.state).ok());
  ModelSource source;
  source.checkpoint = dir / "m";
  source.use_ema = true;
  StatusOr<LoadedModel> loaded = LoadLatestModel(source);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_EQ(loaded.status().message(), dir / "m" + " has no ExponentialMovingAverage shadows: its run was trained "
                                                   "without --ema-decay, so --use-ema has nothing to restore");
  // The same failure without --use-ema asked for gets no hint.
  source.use_ema = false;
  const Status plain = Status::FailedPrecondition("x");
  EXPECT_EQ(WithSourceHint(plain, dir / "m", source).message(), "x");
}

TEST(WithSourceHintTest, ATensorFlowLayoutCheckpointSaysToNameItsLogitsNode) {
  TempDir dir;
  testing::ModelFixture f(1);
  testing::WriteTensorFlowMlpCheckpoint(f.model, dir / "model.ckpt-1", -1);
  ModelSource source;
  source.checkpoint = dir / "model.ckpt-1";
  StatusOr<LoadedModel> loaded = LoadLatestModel(source);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), Status::Code::kDataLoss);
  EXPECT_EQ(loaded.status().message(), dir / "model.ckpt-1.meta" + ": no dense/kernel node, so no network to "
                                       "rebuild (a TensorFlow graph?); name its logits node with --output");
  // Our own layout damaged, or a failure to read at all, is left as it is.
  ASSERT_TRUE(SaveCheckpoint(dir / "ours", f.state).ok());
  EXPECT_EQ(WithSourceHint(Status::DataLoss("crc"), dir / "ours", source).message(), "crc");
  EXPECT_EQ(WithSourceHint(Status::NotFound("gone"), dir / "absent", source).message(), "gone");
}

TEST(CandidateCheckpointsTest, AFolderWithoutCheckpointsSaysHowToTrain) {
  TempDir dir;
  ModelSource source;
  source.ckpt_dir = dir / "none";
  EXPECT_EQ(CandidateCheckpoints(source).status().message(),
            dir / "none" + ": no such folder; train first with mnist --train");
  source.ckpt_dir = dir.path();
  EXPECT_EQ(CandidateCheckpoints(source).status().message(),
            dir.path() + " holds no checkpoint (no checkpoint file there); train first with mnist --train");
}

}  // namespace
}  // namespace mnist
