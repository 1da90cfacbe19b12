#include "nn/graph/graph_file.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>
#include <onnx/onnx_pb.h>

#include "io/base/file.h"

namespace mnist {
namespace {

// True when `bytes` read as an ONNX ModelProto: an IR version and a graph
// with nodes, which no GraphDef has (its fields 1 and 7 are other things).
bool IsOnnxModel(const std::string& bytes) {
  onnx::ModelProto model;
  return model.ParseFromString(bytes) && model.ir_version() > 0 && model.has_graph() &&
         model.graph().node_size() > 0;
}

}  // namespace

bool IsOnnxModelFile(const std::string& path) {
  std::string bytes;
  return ReadFile(path, &bytes).ok() && IsOnnxModel(bytes);
}

StatusOr<tensorflow::GraphDef> ReadGraphDef(const std::string& path) {
  std::string bytes;
  MNIST_RETURN_IF_ERROR(ReadFile(path, &bytes));
  tensorflow::GraphDef graph;
  const bool binary = graph.ParseFromString(bytes);
  if (binary && graph.node_size() > 0) return graph;
  graph.Clear();
  // Text format, with the parser's complaint kept for the message, not logged.
  struct FirstError : google::protobuf::io::ErrorCollector {
    void AddError(int line, int column, const std::string& message) override {
      if (text.empty())
        text =
            "line " + std::to_string(line + 1) + ":" + std::to_string(column + 1) + ": " + message;
    }
    std::string text;
  } error;
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&error);
  const bool text = parser.ParseFromString(bytes, &graph);
  if (text && graph.node_size() > 0) return graph;
  if (IsOnnxModel(bytes)) {
    return Status::FailedPrecondition(path + ": an ONNX model, not a TensorFlow GraphDef");
  }
  if (binary || text) {
    return Status::FailedPrecondition(path + ": reads as a GraphDef without nodes (" +
                                   std::to_string(bytes.size()) +
                                   " bytes), so not a frozen model");
  }
  return Status::DataLoss(path + ": neither a binary GraphDef nor a text one (" +
                          std::to_string(bytes.size()) + " bytes; as text, " + error.text + ")");
}

}  // namespace mnist
