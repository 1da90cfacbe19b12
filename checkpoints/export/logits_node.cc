#include "checkpoints/export/logits_node.h"

#include <algorithm>

#include "checkpoints/export/freeze.h"
#include "checkpoints/saver/checkpoint_layers.h"
#include "checkpoints/state/naming.h"
#include "io/base/strings.h"
#include "nn/graph/graph_edges.h"
#include "nn/graph/graph_order.h"
#include "nn/graph/graph_static_spec.h"
#include "nn/graph/tensor_name.h"

namespace mnist {
namespace {

// The ops whose first input is logits.
bool ReadsLogits(const std::string& op) {
  return op == "Softmax" || op == "ArgMax" || op == "InTopK" || op == "InTopKV2" ||
         op == "SoftmaxCrossEntropyWithLogits" || op == "SparseSoftmaxCrossEntropyWithLogits";
}

// The candidates of `graph`, in graph order, each with the ops reading it.
std::vector<LogitsNode> Candidates(const tensorflow::GraphDef& graph) {
  std::vector<LogitsNode> found;
  for (const tensorflow::NodeDef& node : graph.node()) {
    if (!ReadsLogits(node.op()) || node.input_size() == 0) continue;
    const std::optional<TensorName> input = ParseTensorName(node.input(0));
    if (!input || input->control || input->output != 0) continue;
    auto same = std::find_if(found.begin(), found.end(),
                             [&](const LogitsNode& c) { return c.name == input->node; });
    if (same == found.end()) {
      found.push_back({input->node, "", {}, {}});
      same = found.end() - 1;
    }
    if (std::find(same->feeds.begin(), same->feeds.end(), node.op()) == same->feeds.end()) {
      same->feeds.push_back(node.op());
    }
  }
  return found;
}

std::string DescribeAll(const std::vector<LogitsNode>& nodes) {
  std::vector<std::string> each;
  for (const LogitsNode& n : nodes) each.push_back(n.Describe());
  return StrJoin(each, "; ");
}

// FindCheckpointLogits on `graph`, its variables in `reader`; `where` names it.
StatusOr<LogitsNode> FindLogitsNode(const tensorflow::GraphDef& graph, const BundleReader& reader,
                                    int classes, bool use_ema, const std::string& where) {
  // Candidates reads names only; the graph is checked by the freezing below,
  // or here when there is nothing to freeze.
  std::vector<LogitsNode> candidates = Candidates(graph);
  const std::string wanted = "float [N, " + std::to_string(classes) + "] logits";
  if (candidates.empty()) {
    MNIST_RETURN_IF_ERROR(ReadGraphEdges(graph, where).status());
    return Status::InvalidArgument(where + ": no node feeds a Softmax, an ArgMax, an InTopK or a "
                                   "softmax cross-entropy loss, so none is known to be the " +
                                   wanted);
  }
  std::vector<std::string> names;
  for (const LogitsNode& c : candidates) names.push_back(c.name);
  StatusOr<FrozenGraph> frozen = ConvertVariablesToConstants(graph, reader, names, use_ema, where);
  if (!frozen.ok()) return frozen.status();
  StatusOr<GraphEdges> edges = ReadGraphEdges(frozen->graph, where);
  if (!edges.ok()) return edges.status();
  StatusOr<std::vector<int>> order = TopologicalOrder(frozen->graph, edges->inputs, where);
  if (!order.ok()) return order.status();
  std::vector<LogitsNode> qualified;
  for (LogitsNode& c : candidates) {
    const int index = edges->index.at(c.name);
    c.op = frozen->graph.node(index).op();
    c.spec = StaticSpec(frozen->graph, edges->inputs, *order, index);
    if (c.op != "Softmax" && IsLogits(c.spec, classes)) {
      qualified.push_back(c);
    }
  }
  if (qualified.size() == 1) return qualified[0];
  if (qualified.empty()) {
    return Status::InvalidArgument(where + ": no node is " + wanted + " (the ones that feed a "
                                   "Softmax, an ArgMax, an InTopK or a softmax cross-entropy loss: " +
                                   DescribeAll(candidates) + ")");
  }
  return Status::InvalidArgument(where + ": " + std::to_string(qualified.size()) + " nodes could be the " +
                                 wanted + ": " + DescribeAll(qualified));
}

}  // namespace

std::string LogitsNode::Describe() const {
  const std::string dtype = spec.dtype == tensorflow::DT_FLOAT || spec.dtype == tensorflow::DT_INVALID
                                ? ""
                                : DtypeName(spec.dtype) + " ";
  return name + " (" + (op == "Softmax" ? "a Softmax; " : "") + "feeds " + StrJoin(feeds, ", ") + "), " + dtype +
         ShapeString(spec.shape, spec.unknown_rank || spec.dtype == tensorflow::DT_INVALID);
}

bool IsLogits(const TensorSpec& spec, int classes) {
  return spec.dtype == tensorflow::DT_FLOAT && !spec.unknown_rank && spec.rank() == 2 &&
         spec.shape[1] == classes && (spec.shape[0] == -1 || spec.shape[0] >= 1);
}

StatusOr<LogitsNode> FindCheckpointLogits(const std::string& prefix, int classes, bool use_ema) {
  StatusOr<tensorflow::MetaGraphDef> meta = ReadMetaGraph(prefix);
  if (!meta.ok()) return meta.status();
  StatusOr<std::unique_ptr<BundleReader>> reader = BundleReader::Open(prefix);
  if (!reader.ok()) return reader.status();
  return FindLogitsNode(meta->graph_def(), **reader, classes, use_ema, MetaFilename(prefix));
}

}  // namespace mnist
