// The `checkpoint` state file: which checkpoints a directory keeps.
//
// A CheckpointState (io/proto/checkpoint_state.proto) in protobuf text format,
// as TensorFlow's Saver writes it:
//   model_checkpoint_path: "mnist.ckpt-7"
//   all_model_checkpoint_paths: "mnist.ckpt-3"
//   all_model_checkpoint_paths: "mnist.ckpt-7"
// oldest first, the last equal to model_checkpoint_path. We record names
// relative to the directory, so a moved or copied directory still restores.
// Newer TF's timestamp fields (3, 4) are accepted when read.
//
// A recorded path is trusted only when it stays inside the directory: an
// absolute path elsewhere, a `..` component, or a symlink leading out (on
// the way to the checkpoint, or as one of its .index, .data or .meta files)
// is refused, and so is a state file that is itself a symlink leading out,
// so a directory from someone else cannot make us read or delete files
// outside it. A recorded name with a NUL or other control byte, or too long
// for a file name, is refused before it is used for anything, and a name
// listed twice counts once. The manager that prunes a directory reads its own
// state file with ReadOwnCheckpointState, which accepts only the names it
// writes, so pruning deletes nothing it cannot prove is its own.
#ifndef MNIST_CHECKPOINTS_STATE_CHECKPOINT_STATE_H_
#define MNIST_CHECKPOINTS_STATE_CHECKPOINT_STATE_H_

#include <string>
#include <vector>

#include "io/base/status.h"

namespace mnist {

struct CheckpointState {
  // Names relative to the directory, oldest first; the newest is last.
  std::vector<std::string> paths;
  const std::string& latest() const { return paths.back(); }
};

// Reads <dir>/<filename>. NotFound when the file is missing; DataLoss naming
// the file when it does not parse, names no model_checkpoint_path, or names
// a path with a NUL or control byte or too long to exist; InvalidArgument
// naming it when a path leads outside `dir`. Paths are TensorFlow's too
// ("model.ckpt-1000", "model.ckpt", absolute ones inside `dir`). Duplicates
// are collapsed (the last one stays).
StatusOr<CheckpointState> ReadCheckpointState(const std::string& dir, const std::string& filename);

// ReadCheckpointState of the state file a CheckpointManager of `basename`
// keeps: also DataLoss naming the file when a name is not exactly
// `<basename>-N` (naming.h IsCheckpointNameOf): `metrics.csv`, `../x`, a
// checkpoint of the other kind, "mnist.ckpt-07" ...
StatusOr<CheckpointState> ReadOwnCheckpointState(const std::string& dir,
                                                 const std::string& filename,
                                                 const std::string& basename);

// ReadCheckpointState's work on `text`, the contents of state file `path`
// (named in errors) of directory `dir`.
StatusOr<CheckpointState> ParseCheckpointState(const std::string& dir, const std::string& path,
                                               const std::string& text);

// Writes <dir>/<filename> atomically. REQUIRES: !state.paths.empty().
Status WriteCheckpointState(const std::string& dir, const std::string& filename,
                            const CheckpointState& state);

// The path a recorded entry names, made relative to `dir` when it is an
// absolute path inside it; InvalidArgument when it leads outside `dir`.
StatusOr<std::string> ContainedName(const std::string& dir, const std::string& recorded,
                                    const std::string& state_path);

// The newest checkpoint recorded in <dir>/<filename> whose `.index` exists, as
// "<dir>/<name>" (tf.train.latest_checkpoint). NotFound names what is missing;
// a name that is no prefix (a V1 checkpoint, ...) is CheckBundlePrefix's error.
StatusOr<std::string> LatestCheckpoint(const std::string& dir, const std::string& filename);

}  // namespace mnist

#endif  // MNIST_CHECKPOINTS_STATE_CHECKPOINT_STATE_H_
