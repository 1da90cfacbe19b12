// What network a checkpoint holds, read without restoring it: its layer
// sizes, from its `.meta` graph (import_meta_graph) checked against the
// shapes of its `dense*/kernel` tensors, or from those alone.
//
// Thread safety: free functions with no shared state.
#ifndef MNIST_CHECKPOINTS_SAVER_CHECKPOINT_LAYERS_H_
#define MNIST_CHECKPOINTS_SAVER_CHECKPOINT_LAYERS_H_

#include <map>
#include <string>
#include <vector>

#include "io/bundle/bundle_reader.h"
#include "io/proto/meta_graph.pb.h"
#include "io/base/status.h"

namespace mnist {

// Reads `<prefix>.meta` (import_meta_graph's input) with ReadMetaGraphFile
// (checkpoints/meta_graph/meta_graph_file.h): NotFound when absent, DataLoss
// naming the file when it does not parse.
StatusOr<tensorflow::MetaGraphDef> ReadMetaGraph(const std::string& prefix);

// Layer sizes as one string, "784-1024-512-10".
std::string SizesString(const std::vector<int>& sizes);

// The layer sizes of the network saved under `prefix`: from P.meta when it is
// there (import_meta_graph), checked against the kernels' shapes in the index
// when it has them, else from those shapes. With a `var_map` (checkpoint name
// -> model name, as --var-map) the kernels are looked up in the index under
// the names mapped to dense/kernel, ... since the .meta then describes
// someone else's graph.
StatusOr<std::vector<int>> CheckpointLayerSizes(const std::string& prefix,
                                               const std::map<std::string, std::string>& var_map = {});
StatusOr<std::vector<int>> CheckpointLayerSizes(const BundleReader& reader,
                                               const std::map<std::string, std::string>& var_map = {});

}  // namespace mnist

#endif  // MNIST_CHECKPOINTS_SAVER_CHECKPOINT_LAYERS_H_
