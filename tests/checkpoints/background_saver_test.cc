// Tests for checkpoints/manager/background_saver.h: a save written on the worker is
// the same checkpoint a plain Save writes, the snapshot is taken at Start
// (training may change the weights meanwhile), and failures are reported.
#include "checkpoints/manager/background_saver.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "checkpoints/state/naming.h"
#include "io/base/file.h"
#include "tests/support/model_fixture.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::TempDir;

TEST(BackgroundSaverTest, WritesWhatAPlainSaveWritesFromTheSnapshotAtStart) {
  TempDir dir;
  testing::ModelFixture s(3);
  StatusOr<CheckpointManager> plain = CheckpointManager::Open(dir / "plain", kBestBasename, kBestStateFilename, 3);
  StatusOr<CheckpointManager> best = CheckpointManager::Open(dir / "bg", kBestBasename, kBestStateFilename, 3);
  StatusOr<CheckpointManager> last = CheckpointManager::Open(dir / "bg", kResumeBasename, kResumeStateFilename, 1);
  ASSERT_TRUE(plain.ok() && best.ok() && last.ok());
  ASSERT_TRUE(plain->Save(1, s.state).ok());

  BackgroundSaver saver;
  ASSERT_TRUE(saver.Start({{&*best, 1}, {&*last, 3}}, s.state).ok());
  s.model.kernel(0).value.setConstant(42.0f);  // training goes on meanwhile
  std::vector<BackgroundSaver::Result> done = saver.Wait();
  ASSERT_EQ(done.size(), 2u);
  for (const BackgroundSaver::Result& r : done) EXPECT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_FALSE(saver.failed());
  const std::string expected = testing::ReadFileOrDie(dir / "plain/mnist.ckpt-1.data-00000-of-00001");
  EXPECT_EQ(testing::ReadFileOrDie(dir / "bg/mnist.ckpt-1.data-00000-of-00001"), expected);
  EXPECT_EQ(testing::ReadFileOrDie(dir / "bg/last.ckpt-3.data-00000-of-00001"), expected);
  EXPECT_EQ(testing::ReadFileOrDie(dir / "bg/mnist.ckpt-1.meta"), testing::ReadFileOrDie(dir / "plain/mnist.ckpt-1.meta"));
  EXPECT_EQ(best->kept(), std::vector<std::string>{"mnist.ckpt-1"});
  EXPECT_TRUE(saver.Wait().empty());  // nothing in flight any more
}

TEST(BackgroundSaverTest, ReportsAFailedSaveAndListsNothing) {
  TempDir dir;
  testing::ModelFixture s(3);
  StatusOr<CheckpointManager> best = CheckpointManager::Open(dir / "ckpt", kBestBasename, kBestStateFilename, 3);
  ASSERT_TRUE(best.ok());
  std::filesystem::remove_all(dir / "ckpt");  // the directory vanishes under it
  BackgroundSaver saver;
  ASSERT_TRUE(saver.Start({{&*best, 1}}, s.state).ok());
  std::vector<BackgroundSaver::Result> done = saver.Wait();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_FALSE(done[0].status.ok());
  EXPECT_NE(done[0].status.message().find(dir / "ckpt/mnist.ckpt-1"), std::string::npos)
      << done[0].status.message();
  EXPECT_TRUE(saver.failed());
  EXPECT_TRUE(best->kept().empty());
}

TEST(BackgroundSaverTest, ASecondStartWhileBusyIsRefusedAndStartsNothing) {
  TempDir dir;
  testing::ModelFixture s(3);
  StatusOr<CheckpointManager> best = CheckpointManager::Open(dir.path(), kBestBasename, kBestStateFilename, 0);
  ASSERT_TRUE(best.ok());
  BackgroundSaver saver;
  ASSERT_TRUE(saver.Start({{&*best, 1}}, s.state).ok());
  const Status second = saver.Start({{&*best, 2}}, s.state);
  const std::vector<BackgroundSaver::Result> done = saver.Wait();  // busy until waited for
  EXPECT_EQ(second.code(), Status::Code::kFailedPrecondition) << second.ToString();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].job.step, 1);
  EXPECT_FALSE(FileExists(dir / "mnist.ckpt-2.index"));
}

}  // namespace
}  // namespace mnist
