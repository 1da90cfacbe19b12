// The run a checkpoint records, read without restoring it: its network's
// layer sizes, its settings and how far it got, and the one line that
// describes them (eval, freeze and export print it; a resume checks it).
//
// Thread safety: free functions with no shared state.
#ifndef MNIST_CHECKPOINTS_SAVER_RECORDED_RUN_H_
#define MNIST_CHECKPOINTS_SAVER_RECORDED_RUN_H_

#include <string>
#include <vector>

#include "checkpoints/saver/checkpoint_contents.h"
#include "checkpoints/saver/checkpoint_layers.h"
#include "io/bundle/bundle_reader.h"
#include "io/base/status.h"

namespace mnist {

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

}  // namespace mnist

#endif  // MNIST_CHECKPOINTS_SAVER_RECORDED_RUN_H_
