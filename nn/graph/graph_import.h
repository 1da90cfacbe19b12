// Importing a frozen GraphDef and running it: TensorFlow's import_graph_def
// (with input_map and return_elements) followed by Session.run, for the ops
// of nn/graph/graph_ops.h on float32 / int32 / int64 tensors.
//
//   StatusOr<tensorflow::GraphDef> graph = ReadGraphDef("model/frozen_model.pb");  // graph_file.h
//   StatusOr<ImportedGraph> imported = ImportedGraph::Import(*graph, {path, {"input"}, {}});
//   StatusOr<std::vector<TensorPtr>> outputs = imported->Run({images});
//
// The graph may be untrusted, so Import checks the whole of it first, every
// error naming the file and the node: more than kMaxGraphNodes nodes, an
// empty or repeated name, an input naming no node (dangling; these three
// DataLoss, nn/graph/graph_edges.h), a cycle. On the part the returned
// tensors need, given the feeds (a fed node's inputs are cut off, so what
// only they read may be anything), it then checks every op is supported
// (before anything else there), that no output but 0 is read, and that
// dtypes and shapes fit, as far as the
// attrs, the constants and the placeholders' shapes tell. Run checks the
// concrete shapes again and evaluates that part in topological order. Inputs
// are "node" or "node:0"; control inputs ("^node") must name a node but do
// not order anything. Every walk is a loop, never recursion, so no graph can
// exhaust the stack.
//
// Import and Select: graph_import.cc; Prepare: graph_prepare.cc; Run:
// graph_run.cc.
//
// Thread safety: after Import, Run is const and may be called concurrently.
#ifndef MNIST_NN_GRAPH_GRAPH_IMPORT_H_
#define MNIST_NN_GRAPH_GRAPH_IMPORT_H_

#include <string>
#include <vector>

#include "nn/graph/graph_limits.h"
#include "nn/graph/graph_tensor.h"
#include "io/proto/graph.pb.h"
#include "io/base/status.h"

namespace mnist {

struct OpKernel;  // nn/graph/graph_ops.h


struct ImportOptions {
  std::string where;  // names the graph (its file) in errors
  // The tensors the caller feeds (input_map), "node" or "node:0"; any node,
  // not only a Placeholder: feeding a node cuts off what it reads, and what
  // is fed must fit what the node would produce
  // (nn/graph/graph_static_spec.h). Empty: every Placeholder the outputs
  // need, in graph order.
  std::vector<std::string> inputs;
  // The tensors to return (return_elements). Empty: the graph's sinks (nodes
  // no data input reads, NoOps excepted), in graph order.
  std::vector<std::string> outputs;
  // A name in `inputs` or `outputs` that is no node, or not output 0, is
  // InvalidArgument.
  // True: `inputs` is all that is fed, even when empty, so a placeholder the
  // outputs need is never fed by default (InvalidArgument naming it).
  bool only_inputs = false;
};

class ImportedGraph {
 public:
  static StatusOr<ImportedGraph> Import(const tensorflow::GraphDef& graph,
                                        const ImportOptions& options);

  // The fed and returned tensors' node names, and what import knows of them
  // (an input's spec is what it accepts: -1 dims take any size).
  const std::vector<std::string>& input_names() const { return input_names_; }
  const std::vector<TensorSpec>& input_specs() const { return input_specs_; }
  const std::vector<std::string>& output_names() const { return output_names_; }
  const std::vector<TensorSpec>& output_specs() const { return output_specs_; }
  // The op of the node that produces output i (e.g. "Softmax").
  const std::string& output_op(size_t i) const { return nodes_[output_nodes_[i]].def.op(); }

  // Runs the graph. `inputs` holds one tensor per input_names(), in order,
  // of the input's dtype and a shape its spec accepts.
  StatusOr<std::vector<TensorPtr>> Run(const std::vector<TensorPtr>& inputs) const;

 private:
  struct Node {
    tensorflow::NodeDef def;           // a Const's `value` attr is moved into `spec.value`
    std::vector<int> inputs;           // data inputs, as indices into nodes_
    int feed = -1;                     // index into the inputs when the caller feeds it
    const OpKernel* kernel = nullptr;  // null for a fed node or a Const
    TensorSpec spec;                   // what import knows of its output
  };

  // Builds nodes_ (the part the outputs need, in order) from the checked graph.
  Status Select(const tensorflow::GraphDef& graph, const std::vector<std::vector<int>>& inputs,
                const std::vector<int>& order, const std::vector<int>& feeds,
                const std::vector<int>& outputs, bool only_inputs);
  Status Prepare(Node* node);  // infers node->spec from its inputs' specs
  Status Error(const Node& node, const std::string& what) const;

  std::string where_;
  int producer_ = 0;         // GraphDef.versions.producer: old graphs mean other things
  std::vector<Node> nodes_;  // the needed nodes, in topological order
  std::vector<std::string> input_names_, output_names_;
  std::vector<TensorSpec> input_specs_, output_specs_;
  std::vector<int> output_nodes_;  // indices into nodes_
};

}  // namespace mnist

#endif  // MNIST_NN_GRAPH_GRAPH_IMPORT_H_
