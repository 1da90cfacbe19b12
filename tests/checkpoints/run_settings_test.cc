// End-to-end tests of the settings a checkpoint records (checkpoints/saver/saver.h
// train_state/*) and what --resume, --eval, --freeze and --export-onnx do
// with them (app/training/resume.h, app/modes/eval.h).
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>

#include "checkpoints/saver/saver.h"
#include "io/bundle/bundle_reader.h"
#include "io/base/file.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::ReadFileOrDie;
using testing::RunMnist;
using testing::TempDir;

// The settings of the run these tests stop and resume.
constexpr char kRunFlags[] =
    " --hidden 16 --lr 0.01 --ema-decay 0.99 --seed 5 --batch-size 50 --validation-size 100"
    " --max-to-keep 2 --threads 2";

class RunSettingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::WriteSyntheticMnist(dir_ / "data", 400, 100, /*gzip=*/false);
    testing::WriteSyntheticMnist(dir_ / "other", 400, 100, /*gzip=*/false, /*seed=*/9);
  }
  std::string Ckpt() const { return " --ckpt-dir " + (dir_ / "ckpt"); }
  // Trains the first epoch of the run into ckpt/.
  void TrainOneEpoch() {
    std::string out;
    ASSERT_EQ(RunMnist("--train --epochs 1 --data-dir " + (dir_ / "data") + Ckpt() + kRunFlags, &out), 0)
        << out;
  }
  float ReadFloat(const std::string& prefix, const std::string& key) {
    StatusOr<std::unique_ptr<BundleReader>> reader = BundleReader::Open(prefix);
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    float value = 0;
    EXPECT_TRUE((*reader)->Read(key, &value, sizeof(value)).ok());
    return value;
  }
  TempDir dir_;
};

TEST_F(RunSettingsTest, BareResumeTakesEverySettingFromTheCheckpointAndEndsAsAnUnstoppedRun) {
  std::string out;
  ASSERT_EQ(RunMnist("--train --epochs 2 --data-dir " + (dir_ / "data") + " --ckpt-dir " +
                         (dir_ / "whole") + kRunFlags, &out), 0) << out;
  ASSERT_NO_FATAL_FAILURE(TrainOneEpoch());

  ASSERT_EQ(RunMnist("--train --resume --epochs 2 --threads 2" + Ckpt(), &out), 0) << out;
  EXPECT_NE(out.find("settings: network 784-16-10, lr 0.01, l2 0.0001, ema 0.99, seed 5, batch 50, "
                     "validation 100, epochs 1, data " + (dir_ / "data")),
            std::string::npos) << out;
  EXPECT_EQ(ReadFileOrDie(dir_ / "ckpt/last.ckpt-12.data-00000-of-00001"),
            ReadFileOrDie(dir_ / "whole/last.ckpt-12.data-00000-of-00001"));
}

TEST_F(RunSettingsTest, ResumeWithFlagsThatAgreeGoesOn) {
  ASSERT_NO_FATAL_FAILURE(TrainOneEpoch());
  std::string out;
  EXPECT_EQ(RunMnist("--train --resume --epochs 2 --data-dir " + (dir_ / "data") + Ckpt() + kRunFlags, &out),
            0) << out;
  EXPECT_EQ(out.find("from now on"), std::string::npos) << out;
}

TEST_F(RunSettingsTest, ResumeWithAFlagThatChangesTheArithmeticIsExitTwoNamingBothValues) {
  ASSERT_NO_FATAL_FAILURE(TrainOneEpoch());
  struct Case {
    std::string flag, recorded, given;
  };
  for (const Case& c : {Case{"--hidden", "16", "8"}, Case{"--seed", "5", "6"},
                        Case{"--batch-size", "50", "25"}, Case{"--validation-size", "100", "50"}}) {
    std::string out;
    EXPECT_EQ(RunMnist("--train --resume --epochs 2" + Ckpt() + " " + c.flag + " " + c.given, &out), 2)
        << c.flag << ": " << out;
    EXPECT_NE(out.find(c.flag + " " + c.given + ": "), std::string::npos) << out;
    EXPECT_NE(out.find("trained with " + c.flag + " " + c.recorded), std::string::npos) << out;
  }
  std::string out;
  EXPECT_EQ(RunMnist("--train --resume --epochs 2" + Ckpt() + " --data-dir " + (dir_ / "other"), &out), 2)
      << out;
  EXPECT_NE(out.find("--data-dir " + (dir_ / "other") + ": "), std::string::npos) << out;
  EXPECT_NE(out.find("was trained on " + (dir_ / "data")), std::string::npos) << out;
}

TEST_F(RunSettingsTest, AChangedLearningRateIsSaidRecordedAndInMetrics) {
  ASSERT_NO_FATAL_FAILURE(TrainOneEpoch());
  std::string out;
  ASSERT_EQ(RunMnist("--train --resume --epochs 2 --lr 0.001" + Ckpt(), &out), 0) << out;
  EXPECT_NE(out.find("--lr: 0.01 in the checkpoint, 0.001 from now on\n"), std::string::npos) << out;
  EXPECT_FLOAT_EQ(ReadFloat(dir_ / "ckpt/last.ckpt-12", kLearningRateKey), 0.001f);
  const std::string metrics = ReadFileOrDie(dir_ / "ckpt/metrics.csv");
  EXPECT_NE(metrics.find(",lr\n1,6,"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find(",0.01\n2,12,"), std::string::npos) << metrics;
  EXPECT_EQ(metrics.substr(metrics.size() - 7), ",0.001\n") << metrics;
}

TEST_F(RunSettingsTest, EmaShadowsAreKeptAcrossAResumeWithoutTheFlag) {
  ASSERT_NO_FATAL_FAILURE(TrainOneEpoch());
  std::string out;
  ASSERT_EQ(RunMnist("--train --resume --epochs 2" + Ckpt(), &out), 0) << out;
  EXPECT_FLOAT_EQ(ReadFloat(dir_ / "ckpt/last.ckpt-12", kEmaDecayKey), 0.99f);
  EXPECT_EQ(RunMnist("--eval --use-ema" + Ckpt(), &out), 0) << out;
}

TEST_F(RunSettingsTest, EvalUsesTheRecordedDataSetAndNotesAnother) {
  ASSERT_NO_FATAL_FAILURE(TrainOneEpoch());
  std::string out;
  ASSERT_EQ(RunMnist("--eval" + Ckpt(), &out), 0) << out;
  EXPECT_NE(out.find("data: " + (dir_ / "data") + ": test set, 100 images"), std::string::npos) << out;
  EXPECT_EQ(out.find("note: "), std::string::npos) << out;
  ASSERT_EQ(RunMnist("--eval --data-dir " + (dir_ / "other") + Ckpt(), &out), 0) << out;
  EXPECT_NE(out.find("note: trained on " + (dir_ / "data") + ", evaluating on " + (dir_ / "other") + "\n"),
            std::string::npos) << out;
}

TEST_F(RunSettingsTest, EvalFreezeAndExportPrintTheSettingsLine) {
  ASSERT_NO_FATAL_FAILURE(TrainOneEpoch());
  const std::string line = "settings: network 784-16-10, lr 0.01, l2 0.0001, ema 0.99, seed 5, "
                           "batch 50, validation 100, epochs 1, data " + (dir_ / "data") + "\n";
  for (const std::string& mode : {std::string("--eval"), "--freeze --output " + (dir_ / "m.pb"),
                                  "--export-onnx " + (dir_ / "m.onnx")}) {
    std::string out;
    ASSERT_EQ(RunMnist(mode + Ckpt(), &out), 0) << out;
    EXPECT_NE(out.find(line), std::string::npos) << mode << ": " << out;
  }
}

}  // namespace
}  // namespace mnist
