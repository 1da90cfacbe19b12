// Tests for checkpoints/model_loader.h: which checkpoint a command uses, and
// when an older one is tried instead of the latest.
#include "checkpoints/model_loader.h"

#include <gtest/gtest.h>

#include "checkpoints/checkpoint_state.h"
#include "checkpoints/naming.h"
#include "tests/test_util.h"

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
  EXPECT_EQ(skipped[0], dir_ / "m-3" + " fails its checks: data loss: " + (dir_ / "m-3") +
                            ": crc mismatch; trying the next newest");
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

}  // namespace
}  // namespace mnist
