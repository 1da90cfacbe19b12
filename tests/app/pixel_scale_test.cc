// End-to-end tests of --pixel-scale (app/modes/eval.h, app/modes/predict.h;
// the flag itself: flags_test, the scale's text: batches_test): what the
// network sees of a pixel byte is byte x the scale, 1/255 unless the flag
// says otherwise. A graph whose first kernel was trained on raw 0-255 pixels
// (here: a trained network's first kernel divided by 255) evaluates and
// predicts with --pixel-scale 1 as the original does with the default.
#include <gtest/gtest.h>

#include <regex>

#include "checkpoints/export/freeze.h"
#include "checkpoints/saver/model_loader.h"
#include "checkpoints/state/checkpoint_state.h"
#include "checkpoints/state/naming.h"
#include "tests/support/test_util.h"
#include "tests/support/tf_mlp_checkpoint.h"

namespace mnist {
namespace {

using testing::RunMnist;
using testing::TempDir;

// A trained network, and the same network with its first kernel / 255 (as
// if trained on raw pixels), as TensorFlow checkpoints and frozen graphs.
class RawPixelGraphTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    testing::WriteSyntheticMnist(*dir_ / "data", 600, 200, false);
    std::string out;
    ASSERT_EQ(RunMnist("--train --validation-size 0 --hidden 16 --batch-size 10 --epochs 2 " + Data() +
                       " --ckpt-dir " + (*dir_ / "ckpt"), &out), 0) << out;
    StatusOr<std::string> latest = LatestCheckpoint(*dir_ / "ckpt", kBestStateFilename);
    ASSERT_TRUE(latest.ok()) << latest.status().ToString();
    StatusOr<std::unique_ptr<Mlp>> loaded = LoadModel(*latest, RestoreOptions{});
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    Mlp& model = **loaded;
    testing::WriteTensorFlowMlpCheckpoint(model, *dir_ / "tf/scaled.ckpt-1", -1);
    ASSERT_TRUE(WriteGraph(FreezeModel(model).graph, *dir_ / "scaled.pb", false).ok());
    for (float& w : model.kernel(0).value) w /= 255.0f;
    testing::WriteTensorFlowMlpCheckpoint(model, *dir_ / "tf/raw.ckpt-1", -1);
    ASSERT_TRUE(WriteGraph(FreezeModel(model).graph, *dir_ / "raw.pb", false).ok());
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string Data() { return "--threads 2 --data-dir " + (*dir_ / "data"); }
  static std::string Predict(const std::string& graph) {
    return "--predict " + (*dir_ / graph) + " --images " + (*dir_ / "data/t10k-images-idx3-ubyte") +
           " --labels " + (*dir_ / "data/t10k-labels-idx1-ubyte");
  }
  static std::string Match(const std::string& out, const std::string& pattern) {
    std::smatch m;
    return std::regex_search(out, m, std::regex(pattern)) ? m[1].str() : "none";
  }
  static TempDir* dir_;
};
TempDir* RawPixelGraphTest::dir_ = nullptr;

TEST_F(RawPixelGraphTest, EvalWithPixelScaleOneMatchesTheOriginal) {
  std::string scaled, raw, wrong;
  ASSERT_EQ(RunMnist("--eval --checkpoint " + (*dir_ / "tf/scaled.ckpt-1") + " " + Data(), &scaled), 0) << scaled;
  ASSERT_EQ(RunMnist("--eval --checkpoint " + (*dir_ / "tf/raw.ckpt-1") + " --pixel-scale 1 " + Data(), &raw), 0)
      << raw;
  EXPECT_NE(scaled.find("test set, 200 images of 28x28; pixels x 1/255\n"), std::string::npos) << scaled;
  EXPECT_NE(raw.find("test set, 200 images of 28x28; pixels x 1\n"), std::string::npos) << raw;
  const std::string acc = R"(val_acc:(\d\.\d+))", loss = R"(val_loss:(\d+\.\d+))";
  EXPECT_GT(std::stod(Match(scaled, acc)), 0.5) << scaled;  // trained: the check means something
  EXPECT_EQ(Match(raw, acc), Match(scaled, acc)) << scaled << raw;
  EXPECT_NEAR(std::stod(Match(raw, loss)), std::stod(Match(scaled, loss)), 1e-4) << scaled << raw;
  // The raw-pixel graph fed pixels / 255, as before the flag, is another classifier.
  ASSERT_EQ(RunMnist("--eval --checkpoint " + (*dir_ / "tf/raw.ckpt-1") + " " + Data(), &wrong), 0) << wrong;
  EXPECT_GT(std::abs(std::stod(Match(wrong, loss)) - std::stod(Match(scaled, loss))), 0.1) << scaled << wrong;
}

TEST_F(RawPixelGraphTest, PredictWithPixelScaleOneMatchesTheOriginal) {
  std::string scaled, raw;
  ASSERT_EQ(RunMnist(Predict("scaled.pb"), &scaled), 0) << scaled;
  ASSERT_EQ(RunMnist(Predict("raw.pb") + " --pixel-scale 1", &raw), 0) << raw;
  EXPECT_NE(scaled.find("batches of 1000; pixels x 1/255\n"), std::string::npos) << scaled;
  EXPECT_NE(raw.find("batches of 1000; pixels x 1\n"), std::string::npos) << raw;
  const std::string acc = R"(val_acc:(\d\.\d+))";
  EXPECT_GT(std::stod(Match(scaled, acc)), 0.5) << scaled;
  EXPECT_EQ(Match(raw, acc), Match(scaled, acc)) << scaled << raw;
  EXPECT_EQ(raw.substr(raw.find("class  accuracy")), scaled.substr(scaled.find("class  accuracy")));
}

TEST_F(RawPixelGraphTest, OurOwnCheckpointTakesTheScaleToo) {
  std::string plain, explicit_default, raw;
  const std::string ckpt = " --ckpt-dir " + (*dir_ / "ckpt") + " " + Data();
  ASSERT_EQ(RunMnist("--eval" + ckpt, &plain), 0) << plain;
  ASSERT_EQ(RunMnist("--eval --pixel-scale 1/255" + ckpt, &explicit_default), 0) << explicit_default;
  EXPECT_EQ(plain, explicit_default);
  ASSERT_EQ(RunMnist("--eval --pixel-scale 1" + ckpt, &raw), 0) << raw;
  EXPECT_NE(raw.find("; pixels x 1\n"), std::string::npos) << raw;
  EXPECT_NE(Match(raw, R"(val_loss:(\d+\.\d+))"), Match(plain, R"(val_loss:(\d+\.\d+))")) << plain << raw;
}

TEST_F(RawPixelGraphTest, BadScaleIsExit2BeforeAnythingIsRead) {
  for (const char* value : {"0", "-1", "nan"}) {
    std::string out;
    EXPECT_EQ(RunMnist(std::string("--eval --pixel-scale ") + value + " " + Data(), &out), 2) << out;
    EXPECT_NE(out.find(std::string("--pixel-scale ") + value), std::string::npos) << out;
    EXPECT_EQ(RunMnist(Predict("raw.pb") + " --pixel-scale " + value, &out), 2) << out;
  }
}

}  // namespace
}  // namespace mnist
