// Tests for app/training/epoch_log.h: acc.txt and metrics.csv recorded together, a
// new run starting them afresh, and a resume that keeps its epochs, restores
// what one file or its checkpoint knows of and the logs lack, and never
// lists an epoch twice.
#include "app/training/epoch_log.h"

#include <gtest/gtest.h>

#include <cmath>

#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::ReadFileOrDie;
using testing::TempDir;
using testing::WriteFileOrDie;

MetricsRow Row(int64_t epoch) {
  return MetricsRow{epoch, epoch * 6, 0.5, 0.4, 0.5 + 0.1 * static_cast<double>(epoch), 1.5, 400.0, "", {}};
}

std::string Header() { return std::string(kMetricsHeader) + "\n"; }

TEST(EpochLogTest, RecordsEachEpochInBothLogsAtOnce) {
  TempDir dir;
  ASSERT_TRUE(StartEpochLogs(dir.path(), ResumedEpoch{}).ok());
  MetricsRow saved = Row(1);
  saved.saved = "mnist.ckpt-1";
  ASSERT_TRUE(RecordEpoch(dir.path(), saved).ok());
  ASSERT_TRUE(RecordEpoch(dir.path(), Row(2)).ok());
  EXPECT_EQ(ReadFileOrDie(dir / "metrics.csv"), Header() + FormatMetricsRow(saved) + FormatMetricsRow(Row(2)));
  EXPECT_EQ(ReadFileOrDie(dir / "acc.txt"), "1, val_acc: 0.6000\n2, val_acc: 0.7000\n");
}

TEST(EpochLogTest, RecordingAnEpochAgainReplacesItsRow) {
  TempDir dir;
  ASSERT_TRUE(StartEpochLogs(dir.path(), ResumedEpoch{}).ok());
  MetricsRow expected = Row(1);
  expected.saved = "mnist.ckpt-1";
  ASSERT_TRUE(RecordEpoch(dir.path(), expected).ok());
  ASSERT_TRUE(RecordEpoch(dir.path(), Row(1)).ok());  // its save failed
  EXPECT_EQ(ReadFileOrDie(dir / "metrics.csv"), Header() + FormatMetricsRow(Row(1)));
  EXPECT_EQ(ReadFileOrDie(dir / "acc.txt"), "1, val_acc: 0.6000\n");
}

TEST(EpochLogTest, NewRunStartsBothAfreshWhateverWasThere) {
  TempDir dir;
  WriteFileOrDie(dir / "metrics.csv", "not a metrics file\n");
  WriteFileOrDie(dir / "acc.txt", "1, val_acc: 0.5000\n");
  ASSERT_TRUE(StartEpochLogs(dir.path(), ResumedEpoch{}).ok());
  EXPECT_EQ(ReadFileOrDie(dir / "metrics.csv"), Header());
  EXPECT_EQ(ReadFileOrDie(dir / "acc.txt"), "");
}

TEST(EpochLogTest, ResumeKeepsEpochsUpToItsCheckpointAndNeverListsOneTwice) {
  TempDir dir;
  ASSERT_TRUE(StartEpochLogs(dir.path(), ResumedEpoch{}).ok());
  for (int epoch = 1; epoch <= 4; ++epoch) ASSERT_TRUE(RecordEpoch(dir.path(), Row(epoch)).ok());
  // Epochs 3 and 4 were evaluated but never checkpointed: trained again.
  ASSERT_TRUE(StartEpochLogs(dir.path(), ResumedEpoch{2, 12, std::nan(""), ""}).ok());
  ASSERT_TRUE(RecordEpoch(dir.path(), Row(3)).ok());
  EXPECT_EQ(ReadFileOrDie(dir / "metrics.csv"),
            Header() + FormatMetricsRow(Row(1)) + FormatMetricsRow(Row(2)) + FormatMetricsRow(Row(3)));
  EXPECT_EQ(ReadFileOrDie(dir / "acc.txt"), "1, val_acc: 0.6000\n2, val_acc: 0.7000\n3, val_acc: 0.8000\n");
}

TEST(EpochLogTest, ResumeRestoresWhatEitherLogOrTheCheckpointKnows) {
  TempDir dir;
  // Row 1 lacks its acc.txt line, line 2 its row, and epoch 3, the
  // checkpoint's, is in neither.
  WriteFileOrDie(dir / "metrics.csv", Header() + FormatMetricsRow(Row(1)));
  WriteFileOrDie(dir / "acc.txt", "2, val_acc: 0.7000\n");
  ASSERT_TRUE(StartEpochLogs(dir.path(), ResumedEpoch{3, 18, 0.75, "mnist.ckpt-3"}).ok());
  EXPECT_EQ(ReadFileOrDie(dir / "metrics.csv"),
            Header() + FormatMetricsRow(Row(1)) + "2,,,,0.7000,,,,,\n" + "3,18,,,0.7500,,,mnist.ckpt-3,,\n");
  EXPECT_EQ(ReadFileOrDie(dir / "acc.txt"), "1, val_acc: 0.6000\n2, val_acc: 0.7000\n3, val_acc: 0.7500\n");
}

TEST(EpochLogTest, ResumeFromACheckpointThatKnowsNoAccuracyLeavesItEmpty) {
  TempDir dir;
  ASSERT_TRUE(StartEpochLogs(dir.path(), ResumedEpoch{1, 6, std::nan(""), ""}).ok());
  EXPECT_EQ(ReadFileOrDie(dir / "metrics.csv"), Header() + "1,6,,,,,,,,\n");
  EXPECT_EQ(ReadFileOrDie(dir / "acc.txt"), "");
}

TEST(EpochLogTest, ResumeRefusesAGarbledMetricsFileNamingIt) {
  TempDir dir;
  WriteFileOrDie(dir / "metrics.csv", Header() + "1,2,3\n");
  Status status = StartEpochLogs(dir.path(), ResumedEpoch{1, 6, std::nan(""), ""});
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find(dir / "metrics.csv:2:"), std::string::npos) << status.message();
  EXPECT_EQ(ReadFileOrDie(dir / "metrics.csv"), Header() + "1,2,3\n");
}

}  // namespace
}  // namespace mnist
