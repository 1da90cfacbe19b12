#include "nn/graph/graph_order.h"

#include <algorithm>

#include "nn/graph/graph_edges.h"

namespace mnist {

StatusOr<std::vector<int>> TopologicalOrder(const tensorflow::GraphDef& graph,
                                            const std::vector<std::vector<int>>& inputs,
                                            const std::string& where) {
  const int n = graph.node_size();
  std::vector<int> pending(n);  // inputs not yet ordered
  std::vector<std::vector<int>> consumers(n);
  for (int i = 0; i < n; ++i) {
    pending[i] = static_cast<int>(inputs[i].size());
    for (int j : inputs[i]) consumers[j].push_back(i);
  }
  std::vector<int> order;
  for (int i = 0; i < n; ++i) {
    if (pending[i] == 0) order.push_back(i);
  }
  for (size_t k = 0; k < order.size(); ++k) {
    for (int c : consumers[order[k]]) {
      if (--pending[c] == 0) order.push_back(c);
    }
  }
  if (static_cast<int>(order.size()) == n) return order;

  // Walk back through inputs still pending until a node repeats: it is on a
  // cycle, and the walk since its first visit is the cycle, against the flow.
  int at = static_cast<int>(
      std::find_if(pending.begin(), pending.end(), [](int p) { return p > 0; }) - pending.begin());
  std::vector<int> seen(n, -1);
  std::vector<int> path;
  while (seen[at] < 0) {
    seen[at] = static_cast<int>(path.size());
    path.push_back(at);
    at = *std::find_if(inputs[at].begin(), inputs[at].end(), [&](int j) { return pending[j] > 0; });
  }
  const tensorflow::NodeDef& node = graph.node(at);
  std::string cycle = "'" + node.name() + "'";
  for (size_t k = path.size(); k-- > static_cast<size_t>(seen[at]) + 1;) {
    if (cycle.size() > 200) {
      cycle += " -> ...";
      break;
    }
    cycle += " -> '" + graph.node(path[k]).name() + "'";
  }
  return Status::FailedPrecondition(
      NodeMessage(where, node, "is on a cycle: " + cycle + " -> '" + node.name() + "'"));
}

}  // namespace mnist
