// Saving a checkpoint in two halves: a snapshot copied out of the training
// state (what is copied: checkpoints/saver/checkpoint_contents.h), then
// written to disk, so that a background thread can write while training goes
// on (checkpoints/manager/background_saver.h).
//
// A checkpoint with prefix P is P.data-00000-of-00001 and P.index (a
// TensorBundle, io/bundle/bundle_writer.h) written first, then P.meta (a
// MetaGraphDef, checkpoints/meta_graph/model_graph.h), each crash-safe.
//
// Thread safety: a snapshot is a plain value; one writer at a time.
#ifndef MNIST_CHECKPOINTS_SAVER_SNAPSHOT_H_
#define MNIST_CHECKPOINTS_SAVER_SNAPSHOT_H_

#include <string>
#include <vector>

#include "checkpoints/meta_graph/model_graph.h"
#include "checkpoints/saver/checkpoint_contents.h"
#include "io/base/status.h"

namespace mnist {

// A checkpoint copied out of the training state: the tensors' bytes laid out
// as the data file will hold them, their names, types and shapes, and the
// serialized .meta. Taking one is the only part of a save that must stop
// training (a copy of ~16 MB); writing it can run on another thread.
struct CheckpointSnapshot {
  std::vector<SavedTensorSpec> specs;  // sorted by name
  std::vector<size_t> offsets;         // of each tensor in `data`
  std::string data;
  std::string meta;                    // empty if it could not be serialized
  int meta_max_to_keep = 0;            // the SaverDef's max_to_keep in `meta`
};

// Copies `state` into `snapshot`, reusing its buffers (the data buffer is not
// allocated again when the sizes match the last snapshot's).
// REQUIRES: state.model and state.adam set.
void TakeSnapshot(const TrainingState& state, CheckpointSnapshot* snapshot);

// Sets the train_state/best_val_acc a snapshot records.
void SetSnapshotBestValAcc(double best_val_acc, CheckpointSnapshot* snapshot);

// Writes `snapshot` under `prefix` (data, index, then meta; crash-safe).
Status WriteSnapshot(const std::string& prefix, const CheckpointSnapshot& snapshot);

// Writes data, index, then meta for `state` under `prefix`: TakeSnapshot
// then WriteSnapshot. REQUIRES: state.model and state.adam are set.
Status SaveCheckpoint(const std::string& prefix, const TrainingState& state);

}  // namespace mnist

#endif  // MNIST_CHECKPOINTS_SAVER_SNAPSHOT_H_
