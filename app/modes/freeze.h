// `mnist --freeze`: restore a checkpoint (as --eval picks it) and write its
// network as one frozen GraphDef (checkpoints/export/freeze.h), binary or text.
#ifndef MNIST_APP_MODES_FREEZE_H_
#define MNIST_APP_MODES_FREEZE_H_

#include <cstdio>
#include <string>

#include "app/modes/model_source.h"
#include "io/base/status.h"

namespace mnist {

struct FreezeOptions {
  ModelSource source;                            // which checkpoint; --use-ema freezes the shadows
  std::string output = "model/frozen_model.pb";  // the GraphDef file; its directory is created
  bool text = false;                             // protobuf text format instead of binary
};

// Prints `restored <prefix>`, `Converted N variables to const ops.`,
// `K ops in the final graph.` and the file written with its size.
Status RunFreeze(const FreezeOptions& options, FILE* out, FILE* err);

}  // namespace mnist

#endif  // MNIST_APP_MODES_FREEZE_H_
