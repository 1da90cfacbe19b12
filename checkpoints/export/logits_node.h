// Which node of a TensorFlow graph holds a classifier's logits, when no one
// names it: the graph itself says so, through what reads them. A node whose
// output 0 is the first input of a Softmax, an ArgMax, an InTopK (or
// InTopKV2) or a softmax cross-entropy loss (SoftmaxCrossEntropyWithLogits,
// SparseSoftmaxCrossEntropyWithLogits) is a candidate; a candidate that is
// itself a Softmax (a softmax output fed to ArgMax) is not logits and is left
// out. A candidate qualifies when it is float [N, classes] (IsLogits), its
// shape found as TensorFlow's static shape inference finds it
// (nn/graph/graph_static_spec.h) on the graph frozen down to the candidates
// (checkpoints/export/freeze.h), so a variable's shape comes from the
// checkpoint.
//
// Thread safety: free functions with no shared state.
#ifndef MNIST_CHECKPOINTS_EXPORT_LOGITS_NODE_H_
#define MNIST_CHECKPOINTS_EXPORT_LOGITS_NODE_H_

#include <string>
#include <vector>

#include "io/base/status.h"
#include "nn/graph/graph_tensor.h"

namespace mnist {

struct LogitsNode {
  std::string name;                // the node
  std::string op;                  // its op
  std::vector<std::string> feeds;  // the ops that read it as logits, e.g. "Softmax"
  TensorSpec spec;                 // what the graph tells of it

  // "softmax_linear/add (feeds SparseSoftmaxCrossEntropyWithLogits), [?,10]";
  // a Softmax says so: "probabilities (a Softmax; feeds ArgMax), [?,10]".
  std::string Describe() const;
};

// True for float [N, classes] values, N unknown (-1) or fixed: logits, when
// the op that makes them is not Softmax (whose values are probabilities).
bool IsLogits(const TensorSpec& spec, int classes);

// The one qualifying candidate of the graph in `<prefix>.meta` (a
// checkpoint's training graph; its variables read from the bundle at
// `prefix`, the EMA shadows when `use_ema`). InvalidArgument naming the
// .meta when none qualifies (listing the candidates and their shapes, if
// any) and when several do (listing them). Errors of reading the files and
// of ConvertVariablesToConstants (a variable missing from the checkpoint, a
// malformed graph) as those give them.
StatusOr<LogitsNode> FindCheckpointLogits(const std::string& prefix, int classes, bool use_ema);

}  // namespace mnist

#endif  // MNIST_CHECKPOINTS_EXPORT_LOGITS_NODE_H_
