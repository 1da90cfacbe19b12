// The network a checkpoint holds, rebuilt and restored: import_meta_graph +
// saver.restore for the one prefix given. Which prefix a command loads (the
// state file, --checkpoint, falling back past damaged ones) is decided in
// app/modes/model_source.h.
//
// Thread safety: a free function with no shared state.
#ifndef MNIST_CHECKPOINTS_SAVER_MODEL_LOADER_H_
#define MNIST_CHECKPOINTS_SAVER_MODEL_LOADER_H_

#include <memory>
#include <string>

#include "checkpoints/saver/saver.h"
#include "io/base/status.h"
#include "nn/network/mlp.h"

namespace mnist {

// Rebuilds the network saved under `prefix` (layer sizes from its .meta, or
// from the kernels' shapes) and restores its variables as `options` say
// (`options.training` is ignored: the model's variables only). Errors as
// BundleReader::Open's (a missing `.index` NotFound, a V1 checkpoint
// InvalidArgument, ...), then as CheckpointLayerSizes' and RestoreCheckpoint's.
StatusOr<std::unique_ptr<Mlp>> LoadModel(const std::string& prefix, const RestoreOptions& options);

}  // namespace mnist

#endif  // MNIST_CHECKPOINTS_SAVER_MODEL_LOADER_H_
