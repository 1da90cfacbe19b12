// End-to-end tests of the checkpoint workflow through the `mnist` binary
// (app/modes/train.h, app/modes/eval.h, app/modes/inspect.h): best-only saving, eval of the
// latest, resume bit-identical to an uninterrupted run, fallback past a
// corrupt checkpoint, and TensorFlow fixtures. A full disk: full_disk_test.cc.
#include <gtest/gtest.h>
#include <filesystem>
#include <regex>

#include "checkpoints/manager/checkpoint_manager.h"
#include "checkpoints/state/checkpoint_state.h"
#include "checkpoints/state/naming.h"
#include "io/bundle/bundle_format.h"
#include "io/base/file.h"
#include "io/proto/tensor_bundle.pb.h"
#include "tests/support/model_fixture.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::RunMnist;
using testing::TempDir;

class CheckpointWorkflowTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::WriteSyntheticMnist(dir_ / "data", 600, 200, false); }
  std::string Flags(const std::string& ckpt) const {
    return "--threads 2 --data-dir " + (dir_ / "data") + " --ckpt-dir " + (dir_ / ckpt);
  }
  // Trains into <dir_>/ckpt keeping every best checkpoint; sets latest_ and
  // previous_ to the prefixes of the newest two.
  void TrainKeepingEveryBest() {
    std::string out;
    ASSERT_EQ(RunMnist("--train --validation-size 0 --hidden 32,16 --epochs 4 --max-to-keep 0 " + Flags("ckpt"), &out),
              0) << out;
    StatusOr<CheckpointState> state = ReadCheckpointState(dir_ / "ckpt", "checkpoint");
    ASSERT_TRUE(state.ok());
    ASSERT_GE(state->paths.size(), 2u) << "needs two improvements to test the fallback";
    latest_ = dir_ / ("ckpt/" + state->latest());
    previous_ = dir_ / ("ckpt/" + state->paths[state->paths.size() - 2]);
  }
  TempDir dir_;
  std::string latest_, previous_;
};

// The best val_acc listed in acc.txt, as printed there.
std::string BestAccuracy(const std::string& acc) {
  std::regex line(R"(\d+, val_acc: (\d\.\d{4}))");
  std::string best = "0";
  for (std::sregex_iterator it(acc.begin(), acc.end(), line), end; it != end; ++it) {
    if ((*it)[1].str() > best) best = (*it)[1].str();
  }
  return best;
}

TEST_F(CheckpointWorkflowTest, EvalRestoresLatestAndMatchesBestAccuracyLine) {
  std::string out;
  ASSERT_EQ(RunMnist("--train --validation-size 0 --hidden 32,16 --epochs 4 " + Flags("ckpt"), &out), 0) << out;
  const std::string best = BestAccuracy(testing::ReadFileOrDie(dir_ / "ckpt/acc.txt"));
  ASSERT_EQ(RunMnist("--eval " + Flags("ckpt"), &out), 0) << out;
  EXPECT_NE(out.find("val_acc:" + best), std::string::npos) << "best " << best << "\n" << out;
  StatusOr<CheckpointState> state = ReadCheckpointState(dir_ / "ckpt", "checkpoint");
  ASSERT_TRUE(state.ok());
  EXPECT_NE(out.find("restored " + (dir_ / "ckpt/") + state->latest()), std::string::npos) << out;
}

TEST_F(CheckpointWorkflowTest, ResumeIsBitIdenticalToAnUninterruptedRun) {
  std::string out;
  ASSERT_EQ(RunMnist("--train --validation-size 0 --hidden 32,16 --epochs 4 --max-to-keep 0 " + Flags("whole"), &out), 0) << out;
  ASSERT_EQ(RunMnist("--train --validation-size 0 --hidden 32,16 --epochs 2 --max-to-keep 0 " + Flags("split"), &out), 0) << out;
  ASSERT_EQ(RunMnist("--train --validation-size 0 --hidden 32,16 --epochs 4 --max-to-keep 0 --resume " + Flags("split"), &out), 0) << out;
  EXPECT_NE(out.find("resumed from"), std::string::npos) << out;
  EXPECT_EQ(out.find("epoch:1,"), std::string::npos) << "redid epoch 1:\n" << out;
  EXPECT_EQ(testing::ReadFileOrDie(dir_ / "whole/acc.txt"), testing::ReadFileOrDie(dir_ / "split/acc.txt"));
  // 600 examples / batch 100 = 6 steps an epoch: the resume checkpoint is last.ckpt-24.
  EXPECT_EQ(testing::ReadFileOrDie(dir_ / "whole/last.ckpt-24.data-00000-of-00001"),
            testing::ReadFileOrDie(dir_ / "split/last.ckpt-24.data-00000-of-00001"));
  EXPECT_EQ(testing::ReadFileOrDie(dir_ / "whole/checkpoint"), testing::ReadFileOrDie(dir_ / "split/checkpoint"));
  for (const auto& e : std::filesystem::directory_iterator(dir_ / "whole")) {
    const std::string name = e.path().filename();
    if (name.find("mnist.ckpt-") == 0 && name.find(".data-") != std::string::npos) {
      EXPECT_EQ(testing::ReadFileOrDie(e.path()), testing::ReadFileOrDie(dir_ / "split/" + name)) << name;
    }
  }
}

TEST_F(CheckpointWorkflowTest, ResumeWithNothingToResumeStartsARunAndSaysSo) {
  std::string out;
  EXPECT_EQ(RunMnist("--train --validation-size 0 --hidden 32,16 --epochs 2 --resume " + Flags("empty"), &out), 0)
      << out;
  EXPECT_NE(out.find("no run in " + (dir_ / "empty") + ": starting one\n"), std::string::npos) << out;
}

// Writes into `dir` the resume checkpoint last.ckpt-2 (and last_checkpoint,
// but no best one) that a stop after batch 2 of epoch 1 at `batch_size` leaves.
void SaveStoppedInFirstEpoch(const std::string& dir, int64_t batch_size) {
  testing::ModelFixture stopped(1, {784, 32, 16, 10});
  stopped.state.ema = nullptr;
  stopped.state.progress = {/*global_step=*/2, /*epoch=*/0, /*batch_in_epoch=*/2, /*seed=*/0,
                            /*best_val_acc=*/-1.0, /*epoch_loss_sum=*/4.5, batch_size};
  StatusOr<CheckpointManager> last = CheckpointManager::Open(dir, kResumeBasename, kResumeStateFilename, 1);
  ASSERT_TRUE(last.ok());
  ASSERT_TRUE(last->Save(2, stopped.state).ok());
}

TEST_F(CheckpointWorkflowTest, MidEpochResumeNeedsTheBatchSizeOfTheStoppedRun) {
  SaveStoppedInFirstEpoch(dir_ / "ckpt", /*batch_size=*/50);
  std::string out;
  EXPECT_EQ(RunMnist("--train --validation-size 0 --hidden 32,16 --epochs 1 --resume --batch-size 100 " + Flags("ckpt"), &out), 2);
  EXPECT_NE(out.find("--batch-size 100: "), std::string::npos) << out;
  EXPECT_NE(out.find("was trained with --batch-size 50"), std::string::npos) << out;
  EXPECT_EQ(RunMnist("--train --validation-size 0 --hidden 32,16 --epochs 1 --resume --batch-size 50 " + Flags("ckpt"), &out), 0) << out;
  EXPECT_NE(out.find("epoch:1,"), std::string::npos) << out;
}

TEST_F(CheckpointWorkflowTest, EvalFallsBackPastACorruptLatestCheckpoint) {
  ASSERT_NO_FATAL_FAILURE(TrainKeepingEveryBest());
  const std::string& latest = latest_;
  std::string out;
  std::string data = testing::ReadFileOrDie(latest + ".data-00000-of-00001");
  data[100] ^= 1;  // inside dense/bias or dense/kernel
  testing::WriteFileOrDie(latest + ".data-00000-of-00001", data);
  ASSERT_EQ(RunMnist("--eval " + Flags("ckpt"), &out), 0) << out;
  EXPECT_NE(out.find(latest + " fails its checks"), std::string::npos) << out;
  EXPECT_NE(out.find("crc"), std::string::npos) << out;
  EXPECT_NE(out.find("restored " + previous_), std::string::npos) << out;
}

// Issue 11, point 12: a tensor whose dtype TensorFlow does not define is
// damage, named by number: --inspect fails on it, --eval falls back past it.
TEST_F(CheckpointWorkflowTest, UnknownDtypeIsDamageNamedByNumber) {
  ASSERT_NO_FATAL_FAILURE(TrainKeepingEveryBest());
  const std::string& latest = latest_;
  testing::KeyValues index = testing::ReadTableWithLeveldb(IndexFilename(latest));
  bool changed = false;
  for (auto& [key, value] : index) {
    if (key != "dense/kernel") continue;
    tensorflow::BundleEntryProto entry;
    ASSERT_TRUE(entry.ParseFromString(value));
    entry.set_dtype(static_cast<tensorflow::DataType>(1000));
    value = entry.SerializeAsString();
    changed = true;
  }
  ASSERT_TRUE(changed) << "no dense/kernel in " << IndexFilename(latest);
  testing::WriteTableWithLeveldb(IndexFilename(latest), index);
  const std::string damage = IndexFilename(latest) + ": entry 'dense/kernel' has dtype 1000 (unknown)";
  std::string out;
  EXPECT_EQ(RunMnist("--inspect " + latest, &out), 1) << out;
  EXPECT_NE(out.find("mnist: " + damage), std::string::npos) << out;
  ASSERT_EQ(RunMnist("--eval " + Flags("ckpt"), &out), 0) << out;
  EXPECT_NE(out.find(latest + " fails its checks: " + damage), std::string::npos) << out;
  EXPECT_NE(out.find("restored " + previous_), std::string::npos) << out;
}

// Asking for something no checkpoint of the run has is not damage: one error,
// about the latest, and no older checkpoint tried.
TEST_F(CheckpointWorkflowTest, RequestsThatDoNotFitAreReportedOnceAgainstTheLatest) {
  std::string out;
  ASSERT_EQ(RunMnist("--train --validation-size 0 --epochs 4 --max-to-keep 0 " + Flags("ckpt"), &out), 0) << out;
  StatusOr<CheckpointState> state = ReadCheckpointState(dir_ / "ckpt", "checkpoint");
  ASSERT_TRUE(state.ok());
  ASSERT_GE(state->paths.size(), 2u) << "needs an older checkpoint to fall back to";
  const std::string latest = dir_ / ("ckpt/" + state->latest());
  // A name the flags give that is not there is a bad flag (exit 2); --use-ema
  // on a run without shadows asks what this run cannot give (exit 1).
  const std::string ckpt = " --ckpt-dir " + (dir_ / "ckpt");
  struct Case {
    std::string args;
    int exit_code;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"--eval --output nosuch " + Flags("ckpt"), 2, latest + ".meta: output 'nosuch' names no node"},
      {"--eval --output logits --input nosuch " + Flags("ckpt"), 2,
       latest + ".meta: input 'nosuch' names no node"},
      {"--eval --var-map nowhere=dense/bias " + Flags("ckpt"), 2,
       latest + ": var map entry nowhere=dense/bias: the checkpoint has no tensor nowhere"},
      {"--eval --use-ema " + Flags("ckpt"), 1,
       latest + " has no ExponentialMovingAverage shadows: its run was trained without --ema-decay"},
      {"--eval --use-ema --output logits " + Flags("ckpt"), 1,
       latest + " has no ExponentialMovingAverage shadows"},
      {"--freeze --use-ema --output " + (dir_ / "f.pb") + ckpt, 1,
       latest + " has no ExponentialMovingAverage shadows"},
      {"--export-onnx " + (dir_ / "m.onnx") + " --use-ema" + ckpt, 1,
       latest + " has no ExponentialMovingAverage shadows"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(RunMnist(c.args, &out), c.exit_code) << c.args << "\n" << out;
    EXPECT_NE(out.find(c.error), std::string::npos) << c.args << "\n" << out;
    EXPECT_EQ(out.find("fails its checks"), std::string::npos) << c.args << "\n" << out;
    EXPECT_EQ(out.find(state->paths[0]), std::string::npos) << c.args << "\n" << out;
  }
}

TEST_F(CheckpointWorkflowTest, ACheckpointDirectoryOrFileGivenAsPrefixSaysWhatToGive) {
  std::string out;
  ASSERT_EQ(RunMnist("--train --validation-size 0 --epochs 2 " + Flags("ckpt"), &out), 0) << out;
  StatusOr<CheckpointState> state = ReadCheckpointState(dir_ / "ckpt", "checkpoint");
  ASSERT_TRUE(state.ok());
  const std::string latest = dir_ / ("ckpt/" + state->latest());
  const std::string ckpt = " --ckpt-dir " + (dir_ / "ckpt");
  const std::string modes[] = {"--eval --threads 2 --data-dir " + (dir_ / "data"),
                               "--freeze --output " + (dir_ / "f.pb"), "--export-onnx " + (dir_ / "m.onnx")};
  for (const std::string& mode : modes) {
    EXPECT_EQ(RunMnist(mode + " --checkpoint " + (dir_ / "ckpt"), &out), 2) << mode;
    EXPECT_NE(out.find("--checkpoint " + (dir_ / "ckpt") + " is a directory, not a checkpoint prefix: use "
                       "--ckpt-dir " + (dir_ / "ckpt") + " for its latest checkpoint, or give the prefix of "
                       "one, e.g. --checkpoint " + latest),
              std::string::npos) << mode << "\n" << out;
    for (const std::string& file : {latest + ".index", latest + ".data-00000-of-00001"}) {
      EXPECT_EQ(RunMnist(mode + " --checkpoint " + file, &out), 2) << mode;
      EXPECT_NE(out.find(file + " is a file of the checkpoint " + latest + ", not its prefix; give the prefix " +
                         latest),
                std::string::npos) << mode << "\n" << out;
      // Not the V1 message (the phrase, not "V1": a random temp path may hold that).
      EXPECT_EQ(out.find("V1 checkpoint"), std::string::npos) << mode << "\n" << out;
    }
  }
  EXPECT_EQ(RunMnist("--inspect " + latest + ".index", &out), 2);
  EXPECT_NE(out.find("mnist: --inspect " + latest + ".index is a file of the checkpoint " + latest +
                     ", not its prefix; give the prefix " + latest),
            std::string::npos) << out;
  EXPECT_EQ(RunMnist("--inspect " + (dir_ / "ckpt"), &out), 2);
  EXPECT_NE(out.find("mnist: --inspect " + (dir_ / "ckpt") + " is a directory, not a checkpoint prefix: give "
                     "the prefix of one, e.g. --inspect " + latest),
            std::string::npos) << out;
}

TEST_F(CheckpointWorkflowTest, EvalSaysWhichDataSetItEvaluatesOn) {
  std::string out;
  ASSERT_EQ(RunMnist("--train --validation-size 0 --epochs 1 " + Flags("ckpt"), &out), 0) << out;
  for (const char* graph : {"", " --output logits"}) {
    ASSERT_EQ(RunMnist("--eval " + Flags("ckpt") + graph, &out), 0) << out;
    EXPECT_NE(out.find("\ndata: " + (dir_ / "data") + ": test set, 200 images of 28x28; pixels x 1/255\n"), std::string::npos)
        << graph << "\n" << out;
    // Scripts parse this line: its format stays.
    EXPECT_TRUE(std::regex_search(out, std::regex(R"(\nval_loss:\d\.\d{6}, val_acc:\d\.\d{6}\n)"))) << out;
  }
}

TEST_F(CheckpointWorkflowTest, EvalWithoutCheckpointsSaysWhatIsMissing) {
  std::string out;
  EXPECT_EQ(RunMnist("--eval " + Flags("none"), &out), 1);
  EXPECT_NE(out.find("train first"), std::string::npos) << out;
}

TEST_F(CheckpointWorkflowTest, EvalOfOnlyAResumeCheckpointSaysHowToUseIt) {
  SaveStoppedInFirstEpoch(dir_ / "ckpt", /*batch_size=*/100);
  const std::string resume = dir_ / "ckpt/last.ckpt-2";
  std::string out;
  EXPECT_EQ(RunMnist("--eval " + Flags("ckpt"), &out), 1);
  EXPECT_NE(out.find((dir_ / "ckpt") + " holds no best checkpoint, only the resume checkpoint " + resume +
                     " of a run stopped early; use it with --checkpoint " + resume +
                     ", or continue training with mnist --train --resume --ckpt-dir " + (dir_ / "ckpt")),
            std::string::npos) << out;
  EXPECT_EQ(out.find("train first"), std::string::npos) << out;
  ASSERT_EQ(RunMnist("--eval --threads 2 --data-dir " + (dir_ / "data") + " --checkpoint " + resume, &out), 0)
      << out;
  EXPECT_NE(out.find("restored " + resume), std::string::npos) << out;
}

TEST_F(CheckpointWorkflowTest, VarMapOntoAVariableTheModelLacksExitsTwoWithoutFallingBack) {
  std::string out;
  ASSERT_EQ(RunMnist("--train --validation-size 0 --hidden 32,16 --epochs 4 --max-to-keep 0 " + Flags("ckpt"), &out), 0) << out;
  EXPECT_EQ(RunMnist("--eval --var-map foo=bar " + Flags("ckpt"), &out), 2);
  EXPECT_NE(out.find("mnist: var map entry foo=bar: the model has no variable bar"), std::string::npos) << out;
  EXPECT_EQ(out.find("fails its checks"), std::string::npos) << out;  // no checkpoint is blamed
}

TEST_F(CheckpointWorkflowTest, EvalOfNamedCheckpointWithEmaShadows) {
  std::string out;
  ASSERT_EQ(RunMnist("--train --validation-size 0 --hidden 32,16 --epochs 2 --ema-decay 0.99 " + Flags("ckpt"), &out), 0) << out;
  ASSERT_EQ(RunMnist("--eval --use-ema --threads 2 --data-dir " + (dir_ / "data") + " --checkpoint " +
                         (dir_ / "ckpt/last.ckpt-12"), &out), 0)
      << out;
  EXPECT_NE(out.find("(EMA shadows)"), std::string::npos) << out;
}

TEST(InspectTest, ListsTensorsOfATensorFlowCheckpoint) {
  const std::string index =
      testing::TestdataPath("tf/serving_saved_model_half_plus_two_cpu/variables/variables.index");
  const std::string prefix = index.substr(0, index.size() - 6);
  std::string out;
  ASSERT_EQ(RunMnist("--inspect " + prefix, &out), 0) << out;
  EXPECT_NE(out.find("a "), std::string::npos) << out;
  EXPECT_NE(out.find("DT_FLOAT"), std::string::npos) << out;
  EXPECT_NE(out.find("5 tensors, 20 bytes"), std::string::npos) << out;
  ASSERT_EQ(RunMnist("--inspect " + prefix + " --tensor b", &out), 0) << out;
  EXPECT_NE(out.find("values: 2"), std::string::npos) << out;
}

TEST(InspectTest, TensorFlowV1CheckpointGetsAClearError) {
  const std::string prefix = testing::TestdataPath("tf/serving_bad_half_plus_two/export");
  std::string out;
  EXPECT_EQ(RunMnist("--inspect " + prefix, &out), 1);
  EXPECT_NE(out.find("is a TensorFlow V1 checkpoint"), std::string::npos) << out;
}

}  // namespace
}  // namespace mnist
