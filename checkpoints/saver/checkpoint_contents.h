// What a checkpoint holds: the one table of its tensors, by TensorFlow's
// names, that saving (checkpoints/saver/snapshot.h), restoring
// (checkpoints/saver/saver.h), the .meta's saver subgraph and variables
// collections (built from the saved list), the settings line (checkpoints/saver/recorded_run.h) and the
// re-save check (checkpoints/manager/checkpoint_manager.h) all read.
//
//   per model variable (dense/kernel, dense/bias, dense_1/kernel, ...,
//   named by nn/network/dense_layers.h), kVariableGroups:
//   <var>                                             float, the model
//   <var>/Adam, <var>/Adam_1                          float, Adam's m and v
//   <var>/ExponentialMovingAverage                    float, with --ema-decay
//   once, StateTensors():
//   beta1_power, beta2_power                          float scalars
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
// The last eight, the recorded settings, are written when
// RunSettings::recorded (training sets it); checkpoints written before
// settings were recorded lack them, and restore then leaves `recorded` false.
// Nothing else is needed to resume bit-identically: the init and shuffle RNGs
// are derived from (seed, epoch).
//
// Adding an optimizer slot is one entry of kVariableGroups; adding a
// recorded setting is its field in RunSettings and one entry of the table in
// checkpoint_contents.cc.
//
// Thread safety: constant tables and free functions with no shared state.
#ifndef MNIST_CHECKPOINTS_SAVER_CHECKPOINT_CONTENTS_H_
#define MNIST_CHECKPOINTS_SAVER_CHECKPOINT_CONTENTS_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "io/bundle/bundle_reader.h"
#include "io/base/status.h"
#include "io/proto/types.pb.h"
#include "nn/network/mlp.h"
#include "nn/optimizer/adam.h"
#include "nn/optimizer/ema.h"

namespace mnist {

constexpr char kGlobalStepKey[] = "global_step";
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

// Tensors kept per model variable: the variable itself, then what the
// optimizer and the EMA keep for it, named `<var><suffix>`.
struct VariableGroup {
  const char* suffix;  // "" for the model's own variables
  const char* kind;    // what --inspect calls them: "model variables", "Adam slots", ...
  // The group's variables in `state`, in the model's order; null when the
  // state keeps none (no Adam in eval, no EMA without --ema-decay).
  std::vector<Variable>* (*of)(const TrainingState& state);
  // Restoring a resume from a checkpoint without this group starts it as a
  // copy of the model's variables (a run new to --ema-decay) instead of
  // failing on the first one missing.
  bool starts_from_variables;
  // What TensorFlow trains: the model's own variables (the .meta's
  // trainable_variables collection); the rest are only global variables.
  bool trainable;
};
extern const std::vector<VariableGroup> kVariableGroups;  // model first

// A tensor held once per checkpoint: a scalar of the optimizer, where
// training stands, or a recorded setting.
struct StateTensor {
  enum class Saved { kAlways, kWithSettings };  // kWithSettings: when RunSettings::recorded
  enum class Restored {
    kRequired,        // a resume fails naming it when it is missing
    kZeroWhenAbsent,  // older checkpoints lack it: it restores as 0
    kWithSettings,    // one of the recorded settings: all of them or none
    kNever,           // derived from the network (train_state/hidden)
  };
  const char* name;
  tensorflow::DataType dtype;
  Saved saved;
  Restored restored;
  bool in_settings_line;         // ReadRecordedRun reads it when present
  bool may_differ_at_same_step;  // a re-save of one step may change it (a resume's new --lr ...)
  // Its value in `state` as the tensor's bytes (a string tensor: the string)
  // and its shape. REQUIRES: what it reads is set (state.adam for the beta
  // powers, state.model for the hidden widths).
  void (*get)(const TrainingState& state, std::string* bytes, std::vector<int64_t>* shape);
  // Sets it in `state` from bytes as `get` gives them; null for kNever.
  void (*set)(const std::string& bytes, TrainingState* state);
};
const std::vector<StateTensor>& StateTensors();

// One tensor a save writes: its name, type, shape and bytes (not owned).
struct TensorToSave {
  std::string name;
  tensorflow::DataType dtype;
  std::vector<int64_t> shape;
  const void* data;
  size_t bytes;
  bool trainable = false;  // a variable of a VariableGroup that is trainable
};

// Every tensor `state` saves, in table order: each variable group the state
// keeps, then the state tensors it saves, their bytes copied into `scratch`
// (which must outlive the result). REQUIRES: state.model and state.adam set.
std::vector<TensorToSave> TensorsToSave(const TrainingState& state,
                                        std::vector<std::string>* scratch);

// Reads tensor `key` of `reader` into `dst` (`bytes` long), CRC-checked.
// NotFound "has no tensor <key> (needed for <wanted_by>)" when it is missing,
// InvalidArgument when its dtype or shape differ.
Status ReadTensor(const BundleReader& reader, const std::string& key, tensorflow::DataType dtype,
                  const std::vector<int64_t>& shape, void* dst, size_t bytes,
                  const std::string& wanted_by);

// A resume's restore of everything but the model's variables: the optimizer's
// slots, the EMA shadows (if state->ema), then every state tensor as its
// StateTensor::Restored says. REQUIRES: state->model and state->adam set.
Status RestoreTrainingTensors(const BundleReader& reader, TrainingState* state);

// The recorded settings into state->settings (RunSettings::recorded says
// whether the checkpoint holds them) and the progress the settings line
// shows into state->progress, when present. Reads no variable.
Status ReadRecordedTensors(const BundleReader& reader, TrainingState* state);

// True when `reader` holds a tensor named `<anything><suffix>`: some of
// that variable group (CheckHasEmaShadows asks for the EMA shadows).
bool HoldsVariableGroup(const BundleReader& reader, const std::string& suffix);

// What the table calls tensor `key` (its kind, for a checkpoint's summary):
// a variable group's kind for `<var><suffix>` where <var> is named as
// nn/network/dense_layers.h names a model variable; for a state tensor
// "recorded settings" (Saved::kWithSettings), "training state" (the other
// train_state/ ones: where training stands) or "scalars" (the optimizer's
// beta powers and global_step); "" for a key outside the table (a
// TensorFlow checkpoint's own names).
std::string TensorKind(const std::string& key);

// Every kind TensorKind gives, each once, in table order.
std::vector<std::string> TensorKinds();

// True when a save of the same step may differ from an earlier one in tensor
// `key` (where the epoch stands, or a setting a resume may change).
bool MayDifferAtSameStep(const std::string& key);

}  // namespace mnist

#endif  // MNIST_CHECKPOINTS_SAVER_CHECKPOINT_CONTENTS_H_
