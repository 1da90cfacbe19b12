// libFuzzer target: reading a network back from a graph
// (checkpoints/meta_graph/graph_layer_sizes.h LayerSizesFromGraph), the input parsed both as
// a frozen GraphDef (.pb) and as a MetaGraphDef (.meta).
#include <cstddef>
#include <cstdint>
#include <string>

#include <google/protobuf/stubs/logging.h>

#include "checkpoints/meta_graph/graph_layer_sizes.h"
#include "checkpoints/meta_graph/model_graph.h"

// Protobuf logs every invalid UTF-8 string it parses; the return value is
// what counts here, and the logging would slow the fuzzer down.
extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tensorflow::GraphDef graph;
  if (graph.ParseFromArray(data, static_cast<int>(size))) {
    (void)mnist::LayerSizesFromGraph(graph, "fuzz.pb");
  }
  tensorflow::MetaGraphDef meta;
  if (meta.ParseFromArray(data, static_cast<int>(size))) {
    (void)mnist::LayerSizesFromGraph(meta.graph_def(), "fuzz.meta");
  }
  return 0;
}
