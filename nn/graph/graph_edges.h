// A GraphDef's nodes by name and its data edges as node indices, checked once
// for every reader of graphs (the importer, freeze, the model-graph reader),
// and the walk upstream along them.
//
// A graph file whose nodes do not hold together - a node without a name, two
// nodes of one name, an input that is not "node", "node:k" or "^node"
// (nn/graph/tensor_name.h), or one naming no node of the graph (dangling) -
// is DataLoss: the file is corrupt, as a truncated one is, and a checkpoint
// whose .meta is so is passed over for an older one like any other damaged
// checkpoint (app/modes/model_source.h). Walks are loops over explicit
// lists, never recursion, so no graph can exhaust the stack.
//
// Thread safety: pure functions.
#ifndef MNIST_NN_GRAPH_GRAPH_EDGES_H_
#define MNIST_NN_GRAPH_GRAPH_EDGES_H_

#include <string>
#include <unordered_map>
#include <vector>

#include "io/base/status.h"
#include "io/proto/graph.pb.h"

namespace mnist {

struct GraphEdges {
  std::unordered_map<std::string, int> index;  // node name -> its position in the graph
  std::vector<std::vector<int>> inputs;        // inputs[i]: the nodes node i reads, in order
                                               // (data inputs; control inputs left out)
};

// "<where>: node 'name' (Op): <what>", the form of every error about a node.
std::string NodeMessage(const std::string& where, const tensorflow::NodeDef& node,
                        const std::string& what);

// DataLoss naming `where` and the limit when `graph` has more than
// kMaxGraphNodes nodes: a file past it is refused as a corrupt one is (and a
// checkpoint's .meta past it passed over), before anything is indexed.
Status CheckGraphSize(const tensorflow::GraphDef& graph, const std::string& where);

// The edges of `graph`, after CheckGraphSize and the checks above: DataLoss
// "<where>: node 'add' (Add): input 'x' names no node (dangling)".
StatusOr<GraphEdges> ReadGraphEdges(const tensorflow::GraphDef& graph, const std::string& where);

// Which nodes `from` reach through data inputs (`from` included), not going
// past a node i with stop[i] (it is included; `stop` empty: none stops).
std::vector<bool> Upstream(const std::vector<std::vector<int>>& inputs, const std::vector<int>& from,
                           const std::vector<bool>& stop = {});

}  // namespace mnist

#endif  // MNIST_NN_GRAPH_GRAPH_EDGES_H_
