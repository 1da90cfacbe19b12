// `mnist --run GRAPH.pb [--feed NAME=VALUE]... [--fetch NAME[,NAME]]`: import
// a frozen GraphDef, ours or TensorFlow's, binary or text
// (nn/graph/graph_file.h), feed tensors by name and print the fetched ones,
// as import_graph_def(input_map=..., return_elements=...) and Session.run
// do.
//
// A VALUE is a scalar (`4.`, `4`, `true`), a nested list (`[[1,2],[3,4]]`)
// or a .npy file (nn/graph/feed_value.h, nn/graph/npy_file.h), converted to
// the fed node's dtype; or IDX images (a name ending in .idx, -ubyte or
// .gz) fed as float32 [N, pixels], each pixel byte x `pixel_scale` (by default / 255), as --predict feeds them. Any node may be fed: one that is no placeholder is
// overridden (input_map), and what only it reads does not run, so it may
// hold ops the executor lacks. The fetches (default: the graph's sinks) are
// printed in order, each as a header line and numpy's str() of the array
// (nn/graph/numpy_print.h):
//
//   y:0 shape (3,) float32
//   [2.5 3.  4.5]
//
// Errors: a VALUE that does not parse, that does not fit the node's dtype or
// shape, a feed or fetch naming no node, and a placeholder the fetches need
// but not fed are InvalidArgument naming the feed; the graph's own faults
// (an op we do not run, a cycle) are FailedPrecondition or DataLoss naming
// the file and the node.
#ifndef MNIST_APP_MODES_RUN_H_
#define MNIST_APP_MODES_RUN_H_

#include <cstdio>
#include <string>
#include <vector>

#include "data/dataset/batches.h"
#include "io/base/status.h"

namespace mnist {

struct Feed {
  std::string name;   // "node" or "node:0"
  std::string value;  // as typed: a literal, or a file ending in .npy
};

struct RunOptions {
  std::string model;                 // the GraphDef file, binary or text
  std::vector<Feed> feeds;           // in the order given
  std::vector<std::string> fetches;  // empty: the graph's sinks
  float pixel_scale = kDefaultPixelScale;  // IDX images are fed as pixel bytes x this
};

// "x=[1,2]" -> {"x", "[1,2]"}; InvalidArgument naming --feed otherwise.
StatusOr<Feed> ParseFeedFlag(const std::string& text);

// Runs the graph and prints each fetched tensor on `out`.
Status RunGraph(const RunOptions& options, FILE* out);

}  // namespace mnist

#endif  // MNIST_APP_MODES_RUN_H_
