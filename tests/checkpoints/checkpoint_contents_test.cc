// Tests for checkpoints/saver/checkpoint_contents.h: the table of what a
// checkpoint holds is what a save writes, name for name, and a restore reads
// every entry of it, refusing a checkpoint that lacks a required one by name.
#include "checkpoints/saver/checkpoint_contents.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "checkpoints/saver/saver.h"
#include "io/bundle/bundle_reader.h"
#include "io/bundle/bundle_writer.h"
#include "tests/support/model_fixture.h"
#include "tests/support/test_util.h"

namespace mnist {
namespace {

using testing::TempDir;
using Fixture = testing::ModelFixture;
using Restored = StateTensor::Restored;

// A fixture with a two-layer network and recorded settings, as training saves.
struct RecordedFixture : Fixture {
  RecordedFixture() : Fixture(1, {4, 3, 2}) {
    state.settings.recorded = true;
    state.settings.learning_rate = 0.01f;
    state.settings.l2 = 0.001f;
    state.settings.ema_decay = 0.99f;
    state.settings.validation_size = 7;
    state.settings.max_to_keep = 2;
    state.settings.data_dir = "data/mnist";
    state.settings.data_fingerprint = {1, 2, 3, 4, 5, 6, 7, 8};
    state.progress.batch_size = 10;
    state.progress.epoch_loss_sum = 1.5;
  }
};

std::vector<std::string> KeysOf(const std::string& prefix) {
  StatusOr<std::unique_ptr<BundleReader>> reader = BundleReader::Open(prefix);
  EXPECT_TRUE(reader.ok()) << reader.status().ToString();
  return reader.ok() ? (*reader)->Keys() : std::vector<std::string>{};
}

// Copies checkpoint `from` to `to` without tensor `dropped`.
void CopyWithout(const std::string& from, const std::string& to, const std::string& dropped) {
  StatusOr<std::unique_ptr<BundleReader>> reader = BundleReader::Open(from);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  BundleWriter writer(to);
  for (const std::string& key : (*reader)->Keys()) {
    if (key == dropped) continue;
    StatusOr<BundleReader::Entry> e = (*reader)->Lookup(key);
    ASSERT_TRUE(e.ok());
    if (e->dtype == tensorflow::DT_STRING) {
      StatusOr<std::vector<std::string>> strings = (*reader)->ReadStrings(key);
      ASSERT_TRUE(strings.ok());
      ASSERT_TRUE(writer.AddStrings(key, e->shape, *strings).ok());
      continue;
    }
    StatusOr<std::string> bytes = (*reader)->ReadBytes(key);
    ASSERT_TRUE(bytes.ok());
    ASSERT_TRUE(writer.Add(key, e->dtype, e->shape, bytes->data(), bytes->size()).ok());
  }
  ASSERT_TRUE(writer.Finish().ok());
}

Status RestoreForResume(const std::string& prefix, Fixture* into) {
  RestoreOptions options;
  options.training = true;
  return RestoreCheckpoint(prefix, options, &into->state);
}

TEST(CheckpointContentsTest, ASaveWritesExactlyTheTablesTensors) {
  TempDir dir;
  RecordedFixture f;
  ASSERT_TRUE(SaveCheckpoint(dir / "m-1", f.state).ok());
  std::vector<std::string> scratch;
  std::vector<std::string> table;
  for (const TensorToSave& t : TensorsToSave(f.state, &scratch)) table.push_back(t.name);
  std::sort(table.begin(), table.end());
  EXPECT_EQ(KeysOf(dir / "m-1"), table);
  // The table itself, pinned: a new entry is a deliberate change of the format.
  const std::vector<std::string> expected = {
      "beta1_power", "beta2_power",
      "dense/bias", "dense/bias/Adam", "dense/bias/Adam_1", "dense/bias/ExponentialMovingAverage",
      "dense/kernel", "dense/kernel/Adam", "dense/kernel/Adam_1",
      "dense/kernel/ExponentialMovingAverage",
      "dense_1/bias", "dense_1/bias/Adam", "dense_1/bias/Adam_1",
      "dense_1/bias/ExponentialMovingAverage",
      "dense_1/kernel", "dense_1/kernel/Adam", "dense_1/kernel/Adam_1",
      "dense_1/kernel/ExponentialMovingAverage",
      "global_step",
      "train_state/batch_in_epoch", "train_state/batch_size", "train_state/best_val_acc",
      "train_state/data_dir", "train_state/data_fingerprint", "train_state/ema_decay",
      "train_state/epoch", "train_state/epoch_loss_sum", "train_state/hidden", "train_state/l2",
      "train_state/lr", "train_state/max_to_keep", "train_state/seed",
      "train_state/validation_size"};
  EXPECT_EQ(table, expected);
}

TEST(CheckpointContentsTest, EveryTensorSavedHasAKindAndOthersHaveNone) {
  RecordedFixture f;
  std::vector<std::string> scratch;
  std::map<std::string, int> count;
  for (const TensorToSave& t : TensorsToSave(f.state, &scratch)) ++count[TensorKind(t.name)];
  // sizes {4, 3, 2}: 4 variables; Adam's m and v; the EMA shadows.
  EXPECT_EQ(count, (std::map<std::string, int>{{"model variables", 4}, {"Adam slots", 8},
                                                {"EMA shadows", 4}, {"scalars", 3},
                                                {"training state", 6}, {"recorded settings", 8}}));
  EXPECT_EQ(TensorKinds(), (std::vector<std::string>{"model variables", "Adam slots", "EMA shadows",
                                                      "scalars", "training state", "recorded settings"}));
  EXPECT_EQ(TensorKind("dense_12/kernel/Adam_1"), "Adam slots");
  for (const std::string key : {"hidden1/weights", "hidden1/weights/Adam", "dense/kernel/Momentum",
                                "dense_/bias", "dense_0x/bias", "dense/weights", "train_state/other",
                                "Adam", "", "dense_1", "densely/kernel"}) {
    EXPECT_EQ(TensorKind(key), "") << key;
  }
}

TEST(CheckpointContentsTest, WithoutSettingsOrEmaTheirEntriesAreNotSaved) {
  TempDir dir;
  RecordedFixture f;
  f.state.settings.recorded = false;
  f.state.ema = nullptr;
  ASSERT_TRUE(SaveCheckpoint(dir / "m-1", f.state).ok());
  for (const std::string& key : KeysOf(dir / "m-1")) {
    EXPECT_EQ(key.find(kEmaSuffix), std::string::npos) << key;
    EXPECT_NE(key, kLearningRateKey);
    EXPECT_NE(key, kDataDirKey);
  }
  for (const StateTensor& t : StateTensors()) {
    const std::vector<std::string> keys = KeysOf(dir / "m-1");
    const bool saved = std::find(keys.begin(), keys.end(), t.name) != keys.end();
    EXPECT_EQ(saved, t.saved == StateTensor::Saved::kAlways) << t.name;
  }
}

TEST(CheckpointContentsTest, ARestoreReadsBackEveryEntry) {
  TempDir dir;
  RecordedFixture saved;
  ASSERT_TRUE(SaveCheckpoint(dir / "m-1", saved.state).ok());
  Fixture restored(2, {4, 3, 2});
  ASSERT_TRUE(RestoreForResume(dir / "m-1", &restored).ok());
  for (const StateTensor& t : StateTensors()) {
    std::string want, got;
    std::vector<int64_t> want_shape, got_shape;
    t.get(saved.state, &want, &want_shape);
    t.get(restored.state, &got, &got_shape);
    EXPECT_EQ(got, want) << t.name;
    EXPECT_EQ(got_shape, want_shape) << t.name;
  }
  EXPECT_TRUE(restored.state.settings.recorded);
}

TEST(CheckpointContentsTest, ARestoreRefusesACheckpointMissingARequiredEntryNamingIt) {
  TempDir dir;
  RecordedFixture saved;
  ASSERT_TRUE(SaveCheckpoint(dir / "m-1", saved.state).ok());
  std::vector<std::string> required = {"dense_1/kernel", "dense/bias/Adam", "dense_1/kernel/Adam_1",
                                       "dense/kernel/ExponentialMovingAverage"};
  for (const StateTensor& t : StateTensors()) {
    const bool first_setting = t.name == std::string(kLearningRateKey);  // marks a checkpoint with settings
    if (t.restored == Restored::kRequired ||
        (t.restored == Restored::kWithSettings && !first_setting)) {
      required.push_back(t.name);
    }
  }
  int n = 0;
  for (const std::string& key : required) {
    SCOPED_TRACE(key);
    const std::string prefix = dir / ("lacks-" + std::to_string(n++));
    CopyWithout(dir / "m-1", prefix, key);
    Fixture restored(2, {4, 3, 2});
    const Status status = RestoreForResume(prefix, &restored);
    ASSERT_FALSE(status.ok());
    EXPECT_NE(status.message().find(key), std::string::npos) << status.ToString();
  }
  EXPECT_EQ(n, 17);  // 4 variables and slots, 7 required state tensors, 6 settings
}

TEST(CheckpointContentsTest, EntriesOlderCheckpointsLackRestoreAsZeroOrUnrecorded) {
  TempDir dir;
  RecordedFixture saved;
  ASSERT_TRUE(SaveCheckpoint(dir / "m-1", saved.state).ok());
  for (const std::string& key : {std::string(kEpochLossSumKey), std::string(kBatchSizeKey),
                                 std::string(kHiddenKey), std::string(kLearningRateKey)}) {
    SCOPED_TRACE(key);
    CopyWithout(dir / "m-1", dir / "older", key);
    Fixture restored(2, {4, 3, 2});
    restored.state.progress.epoch_loss_sum = 9;
    restored.state.progress.batch_size = 9;
    ASSERT_TRUE(RestoreForResume(dir / "older", &restored).ok());
    EXPECT_EQ(restored.state.progress.epoch_loss_sum, key == kEpochLossSumKey ? 0.0 : 1.5);
    EXPECT_EQ(restored.state.progress.batch_size, key == kBatchSizeKey ? 0 : 10);
    EXPECT_EQ(restored.state.settings.recorded, key != kLearningRateKey);
  }
}

TEST(CheckpointContentsTest, ShadowsACheckpointLacksStartAsTheVariables) {
  TempDir dir;
  RecordedFixture saved;
  saved.state.ema = nullptr;
  ASSERT_TRUE(SaveCheckpoint(dir / "m-1", saved.state).ok());
  Fixture restored(2, {4, 3, 2});
  ASSERT_TRUE(RestoreForResume(dir / "m-1", &restored).ok());
  for (size_t i = 0; i < restored.ema.shadows().size(); ++i) {
    EXPECT_EQ(restored.ema.shadows()[i].value, saved.model.variables()[i].value);
  }
}

TEST(CheckpointContentsTest, OnlyEpochBookkeepingAndChangeableSettingsMayDifferAtOneStep) {
  std::vector<std::string> may_differ;
  for (const StateTensor& t : StateTensors()) {
    if (MayDifferAtSameStep(t.name)) may_differ.push_back(t.name);
  }
  EXPECT_EQ(may_differ, (std::vector<std::string>{kEpochKey, kBatchInEpochKey, kBestValAccKey,
                                                  kEpochLossSumKey, kLearningRateKey, kL2Key,
                                                  kEmaDecayKey, kMaxToKeepKey, kDataDirKey}));
  EXPECT_FALSE(MayDifferAtSameStep("dense/kernel"));
  EXPECT_FALSE(MayDifferAtSameStep(kGlobalStepKey));
}

}  // namespace
}  // namespace mnist
