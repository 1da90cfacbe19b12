// Saving and restoring the whole training state as one TensorFlow checkpoint
// (tf.train.Saver's save/restore).
//
// A checkpoint with prefix P is P.data-00000-of-00001 and P.index (a
// TensorBundle, io/bundle/bundle_writer.h) written first, then P.meta (a
// MetaGraphDef, checkpoints/meta_graph/model_graph.h), each crash-safe. Its tensors, by
// TensorFlow's names:
//   dense/kernel, dense/bias, dense_1/kernel, ...     float, the model
//   <var>/Adam, <var>/Adam_1                          float, Adam's m and v
//   beta1_power, beta2_power                          float scalars
//   <var>/ExponentialMovingAverage                    float, with --ema-decay
//   global_step                                       int64, Adam steps so far
//   train_state/epoch, train_state/batch_in_epoch,    int64 (epochs done,
//   train_state/seed                                  batches of the next)
//   train_state/best_val_acc                          double
//   train_state/epoch_loss_sum                        double, the running
//                                                     loss of the partial epoch
//   train_state/batch_size                            int64, the run's --batch-size
//   train_state/lr, train_state/l2,                   float, the run's settings
//   train_state/ema_decay                             (the newest, when a resume
//                                                     changed them)
//   train_state/hidden                                int64 [layers], --hidden
//   train_state/validation_size,                      int64
//   train_state/max_to_keep
//   train_state/data_dir                              string, --data-dir as given
//   train_state/data_fingerprint                      int64 [4, 2]: per file (train
//                                                     images, train labels, test
//                                                     images, test labels) the size
//                                                     and CRC32C of its decompressed
//                                                     bytes
// The last eight are written when RunSettings::recorded (training sets it);
// checkpoints written before settings were recorded lack them, and restore
// then leaves `recorded` false.
// Nothing else is needed to resume bit-identically: the init and shuffle RNGs
// are derived from (seed, epoch).
#ifndef MNIST_CHECKPOINTS_SAVER_SAVER_H_
#define MNIST_CHECKPOINTS_SAVER_SAVER_H_

#include <array>
#include <map>
#include <string>
#include <vector>

#include "checkpoints/saver/checkpoint_layers.h"
#include "checkpoints/meta_graph/model_graph.h"
#include "io/bundle/bundle_reader.h"
#include "io/base/status.h"
#include "nn/optimizer/adam.h"
#include "nn/optimizer/ema.h"
#include "nn/network/mlp.h"

namespace mnist {

constexpr char kGlobalStepKey[] = "global_step";
constexpr char kBeta1PowerKey[] = "beta1_power";
constexpr char kBeta2PowerKey[] = "beta2_power";
constexpr char kEpochKey[] = "train_state/epoch";
constexpr char kBatchInEpochKey[] = "train_state/batch_in_epoch";
constexpr char kSeedKey[] = "train_state/seed";
constexpr char kBestValAccKey[] = "train_state/best_val_acc";
constexpr char kEpochLossSumKey[] = "train_state/epoch_loss_sum";
constexpr char kBatchSizeKey[] = "train_state/batch_size";
constexpr char kLearningRateKey[] = "train_state/lr";
constexpr char kL2Key[] = "train_state/l2";
constexpr char kEmaDecayKey[] = "train_state/ema_decay";
constexpr char kHiddenKey[] = "train_state/hidden";
constexpr char kValidationSizeKey[] = "train_state/validation_size";
constexpr char kMaxToKeepKey[] = "train_state/max_to_keep";
constexpr char kDataDirKey[] = "train_state/data_dir";
constexpr char kDataFingerprintKey[] = "train_state/data_fingerprint";

// The four data files in the order of train_state/data_fingerprint's rows.
constexpr int kDataFiles = 4;

// Where training stands, besides the tensors.
struct TrainProgress {
  int64_t global_step = 0;     // Adam steps taken
  int64_t epoch = 0;           // epochs completed
  int64_t batch_in_epoch = 0;  // batches done of epoch + 1 (non-zero after a stop mid-epoch)
  uint64_t seed = 0;           // the run's --seed
  double best_val_acc = -1.0;  // best test accuracy so far; -1 before the first
  double epoch_loss_sum = 0.0;  // sum of the batch losses of epoch + 1 so far
  int64_t batch_size = 0;       // examples per step of the run; 0 = not recorded
};

// The settings a run was trained with, besides seed and batch size (in
// TrainProgress); the hidden widths are the network's own.
struct RunSettings {
  bool recorded = false;       // the values below are the run's: saved with it, and set
                               // by a restore from a checkpoint that holds them
  float learning_rate = 0.0f;  // Adam's lr
  float l2 = 0.0f;
  float ema_decay = 0.0f;      // 0 = no EMA shadows
  int64_t validation_size = 0;  // training images held out to validate
  int64_t max_to_keep = 0;
  std::string data_dir;        // as given (or the default it resolved to)
  std::array<int64_t, 2 * kDataFiles> data_fingerprint{};  // size, CRC32C per file
};

// What a checkpoint holds. `adam` and `ema` may be null (eval, freeze).
struct TrainingState {
  Mlp* model = nullptr;
  Adam* adam = nullptr;
  ExponentialMovingAverage* ema = nullptr;
  TrainProgress progress;
  RunSettings settings;
};

// The settings and progress recorded in checkpoint `reader` (no tensor of
// the model is read). `settings.recorded` is false for a checkpoint written
// before settings were recorded; `progress` then holds what it has.
struct RecordedRun {
  RunSettings settings;
  TrainProgress progress;
  std::vector<int> sizes;  // layer sizes of its network
};
StatusOr<RecordedRun> ReadRecordedRun(const BundleReader& reader);

// One line describing a recorded run, e.g. "settings: network 784-1024-512-10,
// lr 0.001, l2 0.0001, ema 0.99, seed 5, batch 100, validation 5000,
// epochs 3, data data/mnist"; empty when `run` holds no settings.
std::string SettingsLine(const RecordedRun& run);

// Writes data, index, then meta for `state` under `prefix`: TakeSnapshot
// then WriteSnapshot. REQUIRES: state.model and state.adam are set.
Status SaveCheckpoint(const std::string& prefix, const TrainingState& state);

// A checkpoint copied out of the training state: the tensors' bytes laid out
// as the data file will hold them, their names, types and shapes, and the
// serialized .meta. Taking one is the only part of a save that must stop
// training (a copy of ~16 MB); writing it can run on another thread.
struct CheckpointSnapshot {
  std::vector<SavedTensorSpec> specs;  // sorted by name
  std::vector<size_t> offsets;         // of each tensor in `data`
  std::string data;
  std::string meta;                    // empty if it could not be serialized
};

// Copies `state` into `snapshot`, reusing its buffers (no allocation when the
// sizes match the last snapshot's). REQUIRES: state.model and state.adam set.
void TakeSnapshot(const TrainingState& state, CheckpointSnapshot* snapshot);

// Sets the train_state/best_val_acc a snapshot records.
void SetSnapshotBestValAcc(double best_val_acc, CheckpointSnapshot* snapshot);

// Writes `snapshot` under `prefix` (data, index, then meta; crash-safe).
Status WriteSnapshot(const std::string& prefix, const CheckpointSnapshot& snapshot);

struct RestoreOptions {
  // Also restore Adam's slots and powers, the EMA shadows and the progress
  // (a resume). False restores the model's variables only (eval, freeze).
  bool training = false;
  // Load each variable from its `<var>/ExponentialMovingAverage` shadow
  // (ExponentialMovingAverage.variables_to_restore()).
  bool use_ema = false;
  // Checkpoint name -> model variable name (tf.train.Saver({"old": var})).
  std::map<std::string, std::string> var_map;
};

// Restores from `prefix` into `state`. With `training`, EMA shadows the
// checkpoint lacks start as copies of the restored variables, and
// state->settings is read (RunSettings::recorded false when it has none).
// Every tensor read is CRC-checked; a
// missing tensor, or one of another dtype or shape, is an error naming the
// checkpoint and the tensor: NotFound when missing; a --var-map onto a
// variable the model lacks, or from a tensor the checkpoint lacks, is
// InvalidArgument; `use_ema` on a checkpoint without shadows FailedPrecondition. Fills
// `notes` (if given) with one line per renamed variable.
Status RestoreCheckpoint(const std::string& prefix, const RestoreOptions& options,
                         TrainingState* state, std::vector<std::string>* notes = nullptr);
// The same from a bundle already open (one read of its index for a caller
// that also asks CheckpointLayerSizes).
Status RestoreCheckpoint(const BundleReader& reader, const RestoreOptions& options,
                         TrainingState* state, std::vector<std::string>* notes = nullptr);

// OK when `reader` holds ExponentialMovingAverage shadows (nn/optimizer/ema.h);
// otherwise FailedPrecondition naming the checkpoint and saying that its run was
// trained without --ema-decay, so --use-ema has nothing to restore.
Status CheckHasEmaShadows(const BundleReader& reader);

// The global_step saved under `prefix` (CRC-checked).
StatusOr<int64_t> ReadGlobalStep(const std::string& prefix);

}  // namespace mnist

#endif  // MNIST_CHECKPOINTS_SAVER_SAVER_H_
