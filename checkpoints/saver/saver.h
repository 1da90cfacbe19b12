// Saving and restoring the whole training state as one TensorFlow checkpoint
// (tf.train.Saver's save/restore). What a checkpoint holds, by TensorFlow's
// names, is the table in checkpoints/saver/checkpoint_contents.h; saving is
// checkpoints/saver/snapshot.h, reading a checkpoint's recorded run without
// restoring it checkpoints/saver/recorded_run.h.
#ifndef MNIST_CHECKPOINTS_SAVER_SAVER_H_
#define MNIST_CHECKPOINTS_SAVER_SAVER_H_

#include <map>
#include <string>
#include <vector>

#include "checkpoints/saver/checkpoint_contents.h"
#include "checkpoints/saver/checkpoint_layers.h"
#include "checkpoints/saver/recorded_run.h"
#include "checkpoints/saver/snapshot.h"
#include "io/bundle/bundle_reader.h"
#include "io/base/status.h"

namespace mnist {

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
// checkpoint and the tensor: NotFound when missing; a var_map entry onto a
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
// otherwise FailedPrecondition "<prefix> has no ExponentialMovingAverage shadows".
Status CheckHasEmaShadows(const BundleReader& reader);

// The global_step saved under `prefix` (CRC-checked).
StatusOr<int64_t> ReadGlobalStep(const std::string& prefix);

}  // namespace mnist

#endif  // MNIST_CHECKPOINTS_SAVER_SAVER_H_
