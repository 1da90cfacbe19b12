// Reading a GraphDef file, as TensorFlow's tf.io.gfile + GraphDef.ParseFromString
// or text_format.Parse do: binary (TensorFlow's .pb) or protobuf text
// (.pbtxt), whichever the bytes are.
//
// Protobuf's binary parser accepts much that is no GraphDef: fields it does
// not know are kept aside, so an ONNX model (whose field 1 is a varint where
// GraphDef's is a node) "parses" as a GraphDef without nodes. A file that
// gives no node is therefore not taken for an empty graph: the error says
// what it is, when it is an ONNX model.
//
// Thread safety: a free function with no shared state.
#ifndef MNIST_NN_GRAPH_GRAPH_FILE_H_
#define MNIST_NN_GRAPH_GRAPH_FILE_H_

#include <string>

#include "io/proto/graph.pb.h"
#include "io/base/status.h"

namespace mnist {

// The GraphDef in `path`, binary or text, with at least one node. Errors
// name the file: NotFound or IOError reading it; FailedPrecondition for an
// ONNX model or a graph without nodes; DataLoss for bytes that are neither
// format.
StatusOr<tensorflow::GraphDef> ReadGraphDef(const std::string& path);

// True when the file at `path` reads as an ONNX model (what ReadGraphDef
// refuses as one); false when it is not, or cannot be read.
bool IsOnnxModelFile(const std::string& path);

}  // namespace mnist

#endif  // MNIST_NN_GRAPH_GRAPH_FILE_H_
