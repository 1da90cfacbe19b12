// A flag whose value is a checkpoint prefix (--checkpoint, --inspect),
// checked before anything is read, so every mode says the same, naming the
// flag, when the value is a directory, one of a checkpoint's files, or
// nothing at all.
#ifndef MNIST_APP_CLI_CHECKPOINT_FLAG_H_
#define MNIST_APP_CLI_CHECKPOINT_FLAG_H_

#include <string>

#include "io/base/status.h"

namespace mnist {

// OK when `prefix` names a checkpoint (its .index is there). A value that
// names no checkpoint is InvalidArgument "--<flag> <why>"; for a directory
// holding a run it names the run's latest checkpoint (and, for --checkpoint,
// --ckpt-dir). A checkpoint in a format not read (TensorFlow V1) is FailedPrecondition.
// `flag` is the name without dashes ("checkpoint").
Status CheckCheckpointFlag(const std::string& flag, const std::string& prefix);

}  // namespace mnist

#endif  // MNIST_APP_CLI_CHECKPOINT_FLAG_H_
