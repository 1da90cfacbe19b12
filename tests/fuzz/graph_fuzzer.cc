// libFuzzer target: reading a network back from a graph
// (checkpoints/model_graph.h LayerSizesFromGraph), the input parsed both as
// a frozen GraphDef (.pb) and as a MetaGraphDef (.meta).
#include <cstddef>
#include <cstdint>
#include <string>

#include "checkpoints/model_graph.h"

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
