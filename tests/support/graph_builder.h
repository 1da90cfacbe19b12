// Building GraphDefs by hand in tests: nodes, placeholders and constants,
// the tensors fed to them, and importing and running them
// (nn/graph/graph_import.h).
#ifndef MNIST_TESTS_SUPPORT_GRAPH_BUILDER_H_
#define MNIST_TESTS_SUPPORT_GRAPH_BUILDER_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "io/proto/graph.pb.h"
#include "nn/graph/graph_import.h"
#include "nn/graph/graph_tensor.h"

namespace mnist {
namespace testing {

using tensorflow::DataType;
using tensorflow::GraphDef;
using tensorflow::NodeDef;

inline NodeDef* AddNode(GraphDef* g, const std::string& name, const std::string& op,
                 std::vector<std::string> inputs = {}) {
  NodeDef* n = g->add_node();
  n->set_name(name);
  n->set_op(op);
  for (const std::string& in : inputs) n->add_input(in);
  return n;
}
inline void SetType(NodeDef* n, const std::string& attr, DataType t) { (*n->mutable_attr())[attr].set_type(t); }
inline void AddPlaceholder(GraphDef* g, const std::string& name, DataType t, std::vector<int64_t> shape) {
  NodeDef* n = AddNode(g, name, "Placeholder");
  SetType(n, "dtype", t);
  auto* s = (*n->mutable_attr())["shape"].mutable_shape();
  for (int64_t d : shape) s->add_dim()->set_size(d);
}
inline tensorflow::TensorProto* AddConst(GraphDef* g, const std::string& name, DataType t, std::vector<int64_t> shape) {
  NodeDef* n = AddNode(g, name, "Const");
  SetType(n, "dtype", t);
  tensorflow::TensorProto* v = (*n->mutable_attr())["value"].mutable_tensor();
  v->set_dtype(t);
  for (int64_t d : shape) v->mutable_tensor_shape()->add_dim()->set_size(d);
  return v;
}
inline void AddFloatConst(GraphDef* g, const std::string& name, std::vector<int64_t> shape, std::vector<float> values) {
  tensorflow::TensorProto* v = AddConst(g, name, tensorflow::DT_FLOAT, shape);
  for (float x : values) v->add_float_val(x);
}
inline void AddIntConst(GraphDef* g, const std::string& name, std::vector<int64_t> shape, std::vector<int32_t> values) {
  tensorflow::TensorProto* v = AddConst(g, name, tensorflow::DT_INT32, shape);
  for (int32_t x : values) v->add_int_val(x);
}

inline TensorPtr FloatTensor(std::vector<int64_t> shape, std::vector<float> values) {
  auto t = std::make_shared<Tensor>();
  t->shape = std::move(shape);
  t->floats = std::move(values);
  return t;
}
inline TensorPtr IntTensor(DataType dtype, std::vector<int64_t> shape, std::vector<int64_t> values) {
  auto t = std::make_shared<Tensor>();
  t->dtype = dtype;
  t->shape = std::move(shape);
  t->ints = std::move(values);
  return t;
}

// Imports `g` (default inputs/outputs unless given) and runs it on `inputs`.
inline StatusOr<std::vector<TensorPtr>> ImportAndRun(const GraphDef& g, const std::vector<TensorPtr>& inputs,
                                              std::vector<std::string> feeds = {},
                                              std::vector<std::string> fetches = {}) {
  StatusOr<ImportedGraph> imported = ImportedGraph::Import(g, {"test.pb", feeds, fetches});
  if (!imported.ok()) return imported.status();
  return imported->Run(inputs);
}

// The error of importing (or, when import passes, running) `g`.
inline std::string ErrorOf(const GraphDef& g, const std::vector<TensorPtr>& inputs = {},
                    std::vector<std::string> feeds = {}, std::vector<std::string> fetches = {}) {
  StatusOr<std::vector<TensorPtr>> out = ImportAndRun(g, inputs, feeds, fetches);
  EXPECT_FALSE(out.ok()) << "the graph was accepted";
  return out.ok() ? "" : out.status().message();
}

}  // namespace testing
}  // namespace mnist

#endif  // MNIST_TESTS_SUPPORT_GRAPH_BUILDER_H_
