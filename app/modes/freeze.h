// `mnist --freeze`: restore a checkpoint (as --eval picks it) and write its
// network as one frozen GraphDef (checkpoints/export/freeze.h), binary or text.
//
// With `output_nodes` the checkpoint may be any TensorFlow 1 checkpoint: its
// graph (`<prefix>.meta`, or `meta`: another .meta or a SavedModel's
// saved_model.pb) is frozen down to what those nodes need, as freeze_graph's
// convert_variables_to_constants does, keeping ops the executor cannot run.
// With --ckpt-dir the checkpoint is the state file's latest
// (get_checkpoint_state), older ones tried when it is damaged, as --eval does.
#ifndef MNIST_APP_MODES_FREEZE_H_
#define MNIST_APP_MODES_FREEZE_H_

#include <cstdio>
#include <string>
#include <vector>

#include "app/modes/model_source.h"
#include "io/base/status.h"

namespace mnist {

struct FreezeOptions {
  ModelSource source;                            // which checkpoint; --use-ema freezes the shadows
  std::string output = "model/frozen_model.pb";  // the GraphDef file; its directory is created
  bool text = false;                             // protobuf text format instead of binary
  std::vector<std::string> output_nodes;         // the graph's outputs; empty: our network
  std::string meta;                              // the graph, when not <prefix>.meta
};

// Prints `restored <prefix>` (with output_nodes: `restored <prefix>:
// TensorFlow graph <meta> -> <nodes>`), `Converted N variables to const
// ops.`, `K ops in the final graph.` and the file written with its size. An
// output node naming no node, or a `meta` that is no file, is InvalidArgument.
Status RunFreeze(const FreezeOptions& options, FILE* out, FILE* err);

}  // namespace mnist

#endif  // MNIST_APP_MODES_FREEZE_H_
