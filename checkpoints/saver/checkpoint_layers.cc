#include "checkpoints/saver/checkpoint_layers.h"

#include "nn/graph/graph_tensor.h"
#include "checkpoints/meta_graph/graph_layer_sizes.h"
#include "checkpoints/meta_graph/meta_graph_file.h"
#include "checkpoints/state/naming.h"
#include "io/base/file.h"
#include "io/base/strings.h"
#include "nn/network/dense_layers.h"

namespace mnist {
namespace {

// The layer sizes the `dense*/kernel` tensors of a bundle chain; NotFound
// when it has none, InvalidArgument when `var_map` renames what it lacks.
StatusOr<std::vector<int>> KernelChain(const BundleReader& reader,
                                       const std::map<std::string, std::string>& var_map) {
  std::map<std::string, std::string> saved_as;  // model name -> checkpoint name
  for (const auto& [ckpt_name, model_name] : var_map) saved_as[model_name] = ckpt_name;
  std::vector<int> sizes;
  for (int l = 0;; ++l) {
    const std::string kernel = NamedDenseLayer(l).kernel;
    const std::string key = saved_as.count(kernel) ? saved_as[kernel] : kernel;
    StatusOr<BundleReader::Entry> e = reader.Lookup(key);
    if (!e.ok()) break;
    if (e->shape.size() != 2 || (l > 0 && e->shape[0] != sizes.back()) || e->shape[1] < 1 ||
        e->shape[0] < 1 || e->shape[0] > (1 << 24) || e->shape[1] > (1 << 24)) {
      return Status::DataLoss(reader.prefix() + ": tensor " + key + " has shape " +
                              ShapeString(e->shape) + ", which does not chain");
    }
    if (l == 0) sizes.push_back(static_cast<int>(e->shape[0]));
    sizes.push_back(static_cast<int>(e->shape[1]));
  }
  if (sizes.size() < 2) {
    const std::string kernel = NamedDenseLayer(0).kernel;
    const std::string first = saved_as.count(kernel) ? saved_as[kernel] : kernel;
    if (saved_as.count(kernel)) {
      return Status::InvalidArgument(reader.prefix() + ": var map entry " + first + "=" + kernel +
                                     ": the checkpoint has no tensor " + first);
    }
    if (!var_map.empty()) {
      return Status::InvalidArgument(reader.prefix() + ": has no " + kernel +
                                     " tensor, and the var map maps none to it");
    }
    return Status::NotFound(reader.prefix() + ": no .meta and no " + first +
                            " tensor, so no network to rebuild");
  }
  return sizes;
}

}  // namespace

StatusOr<tensorflow::MetaGraphDef> ReadMetaGraph(const std::string& prefix) {
  return ReadMetaGraphFile(MetaFilename(prefix));
}

std::string SizesString(const std::vector<int>& sizes) { return StrJoin(sizes, "-"); }

StatusOr<std::vector<int>> CheckpointLayerSizes(const std::string& prefix,
                                               const std::map<std::string, std::string>& var_map) {
  StatusOr<std::unique_ptr<BundleReader>> reader = BundleReader::Open(prefix);
  if (!reader.ok()) return reader.status();
  return CheckpointLayerSizes(**reader, var_map);
}

StatusOr<std::vector<int>> CheckpointLayerSizes(const BundleReader& reader,
                                               const std::map<std::string, std::string>& var_map) {
  const std::string& prefix = reader.prefix();
  StatusOr<std::vector<int>> from_index = KernelChain(reader, var_map);
  // No .meta (e.g. a TF2-style checkpoint), or renamed variables (the .meta
  // then describes someone else's graph): the kernels' shapes tell.
  const std::string meta_path = MetaFilename(prefix);
  if (!var_map.empty() || !FileExists(meta_path)) return from_index;
  StatusOr<tensorflow::MetaGraphDef> meta = ReadMetaGraph(prefix);
  if (!meta.ok()) return meta.status();
  StatusOr<std::vector<int>> from_meta = LayerSizesFromGraph(meta->graph_def(), meta_path);
  if (!from_meta.ok()) return from_meta;
  if (from_index.ok() && *from_index != *from_meta) {
    return Status::DataLoss(meta_path + ": describes layers " + SizesString(*from_meta) +
                            ", but the kernels in " + IndexFilename(prefix) + " chain " +
                            SizesString(*from_index));
  }
  return from_meta;
}

}  // namespace mnist
