// Tests for checkpoints/saver/saver.h and checkpoints/meta_graph/model_graph.h: the full
// training state round trip, TensorFlow names, the rebuilt network, rename
// maps, EMA shadows and restore errors.
#include "checkpoints/saver/saver.h"

#include <gtest/gtest.h>

#include "checkpoints/state/naming.h"
#include "io/bundle/bundle_reader.h"
#include "io/base/file.h"
#include "tests/support/model_fixture.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::TempDir;

using Fixture = testing::ModelFixture;

void ExpectSameVariables(const std::vector<Variable>& a, const std::vector<Variable>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].name, b[i].name);
    ASSERT_EQ(a[i].value.size(), b[i].value.size());
    EXPECT_EQ(0, std::memcmp(a[i].value.data(), b[i].value.data(), a[i].value.size() * sizeof(float)))
        << a[i].name << " differs";
  }
}

TEST(SaverTest, RoundTripsTheWholeTrainingStateBitForBit) {
  TempDir dir;
  Fixture saved(1);
  ASSERT_TRUE(SaveCheckpoint(dir / "m-2", saved.state).ok());
  Fixture restored(2);  // different numbers everywhere
  RestoreOptions options;
  options.training = true;
  ASSERT_TRUE(RestoreCheckpoint(dir / "m-2", options, &restored.state).ok());
  ExpectSameVariables(saved.model.variables(), restored.model.variables());
  ExpectSameVariables(saved.adam.m(), restored.adam.m());
  ExpectSameVariables(saved.adam.v(), restored.adam.v());
  ExpectSameVariables(saved.ema.shadows(), restored.ema.shadows());
  EXPECT_EQ(saved.adam.beta1_power(), restored.adam.beta1_power());
  EXPECT_EQ(saved.adam.beta2_power(), restored.adam.beta2_power());
  EXPECT_EQ(restored.state.progress.global_step, 3);
  EXPECT_EQ(restored.state.progress.epoch, 2);
  EXPECT_EQ(restored.state.progress.batch_in_epoch, 1);
  EXPECT_EQ(restored.state.progress.seed, 1u);
  EXPECT_EQ(restored.state.progress.best_val_acc, 0.875);
}

TEST(SaverTest, WritesTensorFlowNamesTypesAndShapes) {
  TempDir dir;
  Fixture f(1);
  ASSERT_TRUE(SaveCheckpoint(dir / "m-2", f.state).ok());
  StatusOr<std::unique_ptr<BundleReader>> reader = BundleReader::Open(dir / "m-2");
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  const std::vector<std::string> keys = (*reader)->Keys();
  for (const char* key : {"dense/kernel", "dense/kernel/Adam", "dense/kernel/Adam_1",
                          "dense/kernel/ExponentialMovingAverage", "dense_1/bias/Adam",
                          "dense_2/bias", "beta1_power", "beta2_power", "global_step",
                          "train_state/epoch", "train_state/best_val_acc"}) {
    EXPECT_TRUE((*reader)->Contains(key)) << key;
  }
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
  EXPECT_EQ((*reader)->Lookup("dense/kernel")->shape, (std::vector<int64_t>{12, 8}));
  EXPECT_EQ((*reader)->Lookup("global_step")->dtype, tensorflow::DT_INT64);
  EXPECT_TRUE((*reader)->Lookup("beta1_power")->shape.empty());
}

TEST(SaverTest, MetaGraphRebuildsTheNetworkShape) {
  TempDir dir;
  Fixture f(1);
  ASSERT_TRUE(SaveCheckpoint(dir / "m-2", f.state).ok());
  StatusOr<std::vector<int>> sizes = CheckpointLayerSizes(dir / "m-2");
  ASSERT_TRUE(sizes.ok()) << sizes.status().ToString();
  EXPECT_EQ(*sizes, (std::vector<int>{12, 8, 6, 3}));
  // Without the .meta, the kernels' shapes in the index tell the same.
  ASSERT_TRUE(RemoveFileIfExists(MetaFilename(dir / "m-2")).ok());
  EXPECT_EQ(*CheckpointLayerSizes(dir / "m-2"), (std::vector<int>{12, 8, 6, 3}));
}

TEST(SaverTest, MetaGraphHasSaverDefAndRestoreOps) {
  TempDir dir;
  Fixture f(1);
  ASSERT_TRUE(SaveCheckpoint(dir / "m-2", f.state).ok());
  tensorflow::MetaGraphDef meta;
  ASSERT_TRUE(meta.ParseFromString(testing::ReadFileOrDie(dir / "m-2.meta")));
  EXPECT_EQ(meta.saver_def().restore_op_name(), "save/restore_all");
  EXPECT_EQ(meta.saver_def().version(), tensorflow::SaverDef::V2);
  std::map<std::string, std::string> ops;
  for (const auto& n : meta.graph_def().node()) ops[n.name()] = n.op();
  EXPECT_EQ(ops["input"], "Placeholder");
  EXPECT_EQ(ops["dense/kernel"], "VariableV2");
  EXPECT_EQ(ops["dense_1/MatMul"], "MatMul");
  EXPECT_EQ(ops["dense_1/Relu"], "Relu");
  EXPECT_EQ(ops["logits"], "Identity");
  EXPECT_EQ(ops["save/RestoreV2"], "RestoreV2");
  EXPECT_EQ(ops["global_step"], "VariableV2");
}

TEST(SaverTest, RestoresUnderAnotherNameWithVarMap) {
  TempDir dir;
  Fixture f(1);
  ASSERT_TRUE(SaveCheckpoint(dir / "m-2", f.state).ok());
  Fixture target(2);
  RestoreOptions options;
  options.var_map = {{"dense_1/kernel", "dense_1/kernel"}, {"dense/bias", "dense/bias"}};
  std::vector<std::string> notes;
  ASSERT_TRUE(RestoreCheckpoint(dir / "m-2", options, &target.state, &notes).ok());
  EXPECT_EQ(notes.size(), 2u);
  // A map onto a variable the model lacks names it.
  options.var_map = {{"dense/kernel", "nope/kernel"}};
  Status bad = RestoreCheckpoint(dir / "m-2", options, &target.state);
  EXPECT_EQ(bad.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(bad.message().find("nope/kernel"), std::string::npos) << bad.message();
}

TEST(SaverTest, VarMapLoadsACheckpointSavedUnderOtherNames) {
  // A checkpoint whose layers are called hidden1/... as in TF's old tutorial.
  TempDir dir;
  Fixture f(1);
  for (int l = 0; l < f.model.num_layers(); ++l) {
    f.model.kernel(l).name = "hidden" + std::to_string(l + 1) + "/weights";
    f.model.bias(l).name = "hidden" + std::to_string(l + 1) + "/biases";
  }
  f.state.ema = nullptr;
  Adam renamed_adam(AdamOptions{}, f.model.variables());
  f.state.adam = &renamed_adam;
  ASSERT_TRUE(SaveCheckpoint(dir / "old-1", f.state).ok());
  Fixture target(2);
  RestoreOptions options;
  for (int l = 0; l < 3; ++l) {
    options.var_map["hidden" + std::to_string(l + 1) + "/weights"] = NamedDenseLayer(l).kernel;
    options.var_map["hidden" + std::to_string(l + 1) + "/biases"] = NamedDenseLayer(l).bias;
  }
  ASSERT_TRUE(RestoreCheckpoint(dir / "old-1", options, &target.state).ok());
  for (int l = 0; l < 3; ++l) {
    EXPECT_EQ(target.model.kernel(l).value, f.model.kernel(l).value);
  }
  // Without the map, the missing variable is named.
  Status missing = RestoreCheckpoint(dir / "old-1", RestoreOptions{}, &target.state);
  EXPECT_EQ(missing.code(), Status::Code::kNotFound);
  EXPECT_NE(missing.message().find("has no tensor dense/kernel"), std::string::npos) << missing.message();
}

TEST(SaverTest, UseEmaRestoresTheShadowsIntoTheVariables) {
  TempDir dir;
  Fixture f(1);
  ASSERT_TRUE(SaveCheckpoint(dir / "m-2", f.state).ok());
  Fixture target(2);
  RestoreOptions options;
  options.use_ema = true;
  ASSERT_TRUE(RestoreCheckpoint(dir / "m-2", options, &target.state).ok());
  ExpectSameVariables(target.model.variables(), [&] {
    std::vector<Variable> v = f.ema.shadows();
    for (size_t i = 0; i < v.size(); ++i) v[i].name = f.model.variables()[i].name;
    return v;
  }());
}

TEST(SaverTest, UseEmaOnACheckpointWithoutShadowsSaysItsRunHadNoEmaDecay) {
  TempDir dir;
  Fixture f(1);
  f.state.ema = nullptr;
  ASSERT_TRUE(SaveCheckpoint(dir / "m-2", f.state).ok());
  Fixture target(2);
  RestoreOptions options;
  options.use_ema = true;
  Status st = RestoreCheckpoint(dir / "m-2", options, &target.state);
  EXPECT_EQ(st.code(), Status::Code::kFailedPrecondition);
  EXPECT_EQ(st.message(), dir / "m-2" + " has no ExponentialMovingAverage shadows");
}

TEST(SaverTest, VarMapNamingAMissingTensorIsAnInvalidArgument) {
  TempDir dir;
  Fixture f(1);
  ASSERT_TRUE(SaveCheckpoint(dir / "m-2", f.state).ok());
  Fixture target(2);
  RestoreOptions options;
  options.var_map = {{"nowhere", "dense/bias"}};
  Status st = RestoreCheckpoint(dir / "m-2", options, &target.state);
  EXPECT_EQ(st.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(st.message().find(dir / "m-2" + ": var map entry nowhere=dense/bias: the checkpoint has no tensor nowhere"),
            std::string::npos) << st.message();
  StatusOr<std::vector<int>> sizes = CheckpointLayerSizes(dir / "m-2", {{"nowhere", "dense/kernel"}});
  EXPECT_EQ(sizes.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(sizes.status().message().find("var map entry nowhere=dense/kernel: the checkpoint has no tensor nowhere"),
            std::string::npos) << sizes.status().message();
}

TEST(SaverTest, ShapeMismatchNamesTensorAndBothShapes) {
  TempDir dir;
  Fixture f(1);
  ASSERT_TRUE(SaveCheckpoint(dir / "m-2", f.state).ok());
  Mlp wider({12, 9, 6, 3});
  TrainingState state{&wider, nullptr, nullptr, TrainProgress{}, RunSettings{}};
  Status st = RestoreCheckpoint(dir / "m-2", RestoreOptions{}, &state);
  EXPECT_EQ(st.code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(st.message().find("dense/kernel has shape [12,8], but model variable dense/kernel needs [12,9]"),
            std::string::npos) << st.message();
}

TEST(SaverTest, FlippedDataByteIsCaughtByCrcOnRestore) {
  TempDir dir;
  Fixture f(1);
  ASSERT_TRUE(SaveCheckpoint(dir / "m-2", f.state).ok());
  const std::string data_path = dir / "m-2.data-00000-of-00001";
  std::string bytes = testing::ReadFileOrDie(data_path);
  bytes[bytes.size() / 2] ^= 0x10;
  testing::WriteFileOrDie(data_path, bytes);
  Fixture target(2);
  RestoreOptions options;
  options.training = true;
  Status st = RestoreCheckpoint(dir / "m-2", options, &target.state);
  EXPECT_EQ(st.code(), Status::Code::kDataLoss) << st.ToString();
  EXPECT_NE(st.message().find("crc"), std::string::npos) << st.message();
}

TEST(ExponentialMovingAverageTest, MatchesHandComputation) {
  std::vector<Variable> vars(1);
  vars[0].name = "w";
  vars[0].value = Vector::Constant(1, 1.0f);
  ExponentialMovingAverage ema(0.99f, vars);
  EXPECT_EQ(ema.shadows()[0].name, "w/ExponentialMovingAverage");
  double shadow = 1.0;
  const double values[] = {2.0, 4.0, -1.0};
  for (int step = 1; step <= 3; ++step) {
    vars[0].value[0] = static_cast<float>(values[step - 1]);
    ema.Update(vars, step);
    const double d = std::min(0.99, (1.0 + step) / (10.0 + step));
    shadow -= (1 - d) * (shadow - values[step - 1]);
    EXPECT_NEAR(ema.shadows()[0].value[0], shadow, 1e-6) << "step " << step;
  }
  // Far along, the decay is the given 0.99.
  vars[0].value[0] = 0.0f;
  const float before = ema.shadows()[0].value[0];
  ema.Update(vars, 100000);
  EXPECT_NEAR(ema.shadows()[0].value[0], before * 0.99f, 1e-6);
}

// The settings line quotes the data directory a checkpoint recorded: bytes
// from a file, so control bytes are escaped, never printed raw.
TEST(SettingsLineTest, EscapesControlBytesOfTheRecordedDataDirectory) {
  RecordedRun run;
  run.settings.recorded = true;
  run.settings.data_dir = std::string("data\x1b[2J\rgone\0tail", 20);
  run.sizes = {784, 16, 10};
  const std::string line = SettingsLine(run);
  EXPECT_NE(line.find("settings: network 784-16-10, "), std::string::npos) << line;
  EXPECT_NE(line.find(", data data\\x1b[2J\\x0dgone\\x00tail"), std::string::npos) << line;
  EXPECT_EQ(line.find('\x1b'), std::string::npos) << line;
}

}  // namespace
}  // namespace mnist
