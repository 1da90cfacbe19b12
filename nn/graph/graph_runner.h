// Running an imported graph (nn/graph/graph_import.h) over many examples,
// batch by batch, as a classifier is run on a data set.
//
// The graph has exactly one fed input, float, taking examples of
// `example_size` values: [B, example_size], or [B, d1, d2, ...] when the
// placeholder's own dims multiply to example_size (e.g. [-1, 28, 28, 1]).
// An input of another known shape (e.g. `logits` [?, 10] chosen as the
// input) is an error naming it, its shape and the examples'.
// A placeholder with a fixed batch dim (a graph frozen with shape [100, 784])
// gets exactly that many rows: the last batch is padded with zeros, and the
// padding is cut from every output whose first dim is the batch.
//
// Thread safety: Run is const; the runner borrows the graph, which must
// outlive it.
#ifndef MNIST_NN_GRAPH_GRAPH_RUNNER_H_
#define MNIST_NN_GRAPH_GRAPH_RUNNER_H_

#include <cstdint>
#include <vector>

#include "nn/graph/graph_import.h"
#include "io/base/status.h"

namespace mnist {

class BatchRunner {
 public:
  // `batch_size` 0 chooses: the placeholder's fixed batch, else
  // `default_batch`. InvalidArgument when the graph does not take one float
  // input of `example_size` values per example; InvalidArgument when a given batch
  // size differs from the placeholder's fixed one.
  static StatusOr<BatchRunner> Create(const ImportedGraph* graph, int64_t example_size,
                                      int batch_size, int default_batch);

  int batch_size() const { return batch_size_; }

  // Runs the n examples x[0 .. n * example_size) (row-major, one example after
  // the other) and returns the graph's outputs for them.
  // REQUIRES: 0 < n <= batch_size().
  StatusOr<std::vector<TensorPtr>> Run(const float* x, int n) const;

 private:
  const ImportedGraph* graph_ = nullptr;
  int64_t example_size_ = 0;
  std::vector<int64_t> example_shape_;  // dims after the batch dim
  int batch_size_ = 0;
  bool fixed_batch_ = false;  // pad every batch to batch_size_
};

}  // namespace mnist

#endif  // MNIST_NN_GRAPH_GRAPH_RUNNER_H_
