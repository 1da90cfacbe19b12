#include "checkpoints/freeze.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/text_format.h>

#include "checkpoints/model_graph.h"
#include "io/file.h"

namespace mnist {

FrozenGraph FreezeModel(const Mlp& model) {
  FrozenGraph frozen;
  frozen.graph = BuildFrozenGraph(model, model.variables());
  frozen.converted_variables = static_cast<int>(model.variables().size());
  return frozen;
}

Status WriteGraph(const tensorflow::GraphDef& graph, const std::string& path, bool as_text,
                  int64_t* file_bytes) {
  std::string bytes;
  bool ok = false;
  if (as_text) {
    ok = google::protobuf::TextFormat::PrintToString(graph, &bytes);
  } else {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);  // attr maps sorted by key, as TF writes them
    ok = graph.SerializeToCodedStream(&coded);
  }  // `coded` flushes into `bytes` here
  if (!ok) return Status::InvalidArgument(path + ": cannot serialize the GraphDef");
  const size_t slash = path.rfind('/');
  if (slash != std::string::npos && slash > 0) {
    MNIST_RETURN_IF_ERROR(CreateDirectories(path.substr(0, slash)));
  }
  MNIST_RETURN_IF_ERROR(WriteFileAtomically(path, bytes));
  if (file_bytes != nullptr) *file_bytes = static_cast<int64_t>(bytes.size());
  return Status::Ok();
}

int64_t ConstTensorBytes(const tensorflow::GraphDef& graph) {
  int64_t total = 0;
  for (const tensorflow::NodeDef& node : graph.node()) {
    if (node.op() != "Const") continue;
    auto value = node.attr().find("value");
    if (value != node.attr().end()) {
      total += static_cast<int64_t>(value->second.tensor().tensor_content().size());
    }
  }
  return total;
}

}  // namespace mnist
