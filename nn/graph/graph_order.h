// The order a GraphDef's nodes can run in, and the cycle that prevents one.
//
// Only data edges order nodes (control inputs, "^node", do not). The walks
// are loops over explicit lists, never recursion, so a hostile graph cannot
// exhaust the stack.
#ifndef MNIST_NN_GRAPH_GRAPH_ORDER_H_
#define MNIST_NN_GRAPH_GRAPH_ORDER_H_

#include <string>
#include <vector>

#include "io/proto/graph.pb.h"
#include "io/base/status.h"

namespace mnist {

// Node indices of `graph` with every node after the nodes it reads, where
// inputs[i] lists the nodes node i reads (Kahn's algorithm). On a cycle,
// InvalidArgument "<where>: node 'a' (Op): is on a cycle: 'a' -> 'b' -> 'a'".
StatusOr<std::vector<int>> TopologicalOrder(const tensorflow::GraphDef& graph,
                                            const std::vector<std::vector<int>>& inputs,
                                            const std::string& where);

}  // namespace mnist

#endif  // MNIST_NN_GRAPH_GRAPH_ORDER_H_
