#include "checkpoints/meta_graph/meta_graph_file.h"

#include "io/base/file.h"
#include "io/proto/saved_model.pb.h"

namespace mnist {
namespace {

// True when `bytes` are a SavedModel: they parse as one, every top-level
// field is a SavedModel field of the right wire type, and its first meta
// graph holds nodes (a MetaGraphDef's graph_def, field 2, would otherwise
// pass for a meta graph when nothing else is in the file).
bool ParseSavedModel(const std::string& bytes, tensorflow::SavedModel* saved) {
  return saved->ParseFromString(bytes) &&
         saved->GetReflection()->GetUnknownFields(*saved).empty() &&
         saved->meta_graphs_size() > 0 && saved->meta_graphs(0).graph_def().node_size() > 0;
}

}  // namespace

StatusOr<tensorflow::MetaGraphDef> ReadMetaGraphFile(const std::string& path) {
  std::string bytes;
  MNIST_RETURN_IF_ERROR(ReadFile(path, &bytes));
  tensorflow::SavedModel saved;
  if (ParseSavedModel(bytes, &saved)) return std::move(*saved.mutable_meta_graphs(0));
  tensorflow::MetaGraphDef meta;
  if (!meta.ParseFromString(bytes)) {
    return Status::DataLoss(path + ": not a MetaGraphDef (.meta) or a SavedModel (saved_model.pb): " +
                            std::to_string(bytes.size()) + " bytes that parse as neither");
  }
  return meta;
}

}  // namespace mnist
