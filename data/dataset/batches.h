// Shuffling and batching: which examples go into each step, as float columns.
//
// A batch is a column-major features x batch float matrix (one example per
// column; pixels scaled to [0, 1]) plus its labels. The epoch's order is a
// Fisher-Yates permutation drawn from our own RNG seeded by (seed, epoch), so
// a resumed run visits the data in exactly the order the first run did.
#ifndef MNIST_DATA_DATASET_BATCHES_H_
#define MNIST_DATA_DATASET_BATCHES_H_

#include <cstdint>
#include <vector>

#include "data/dataset/dataset.h"

namespace mnist {

// The example order of `epoch` (1-based) for a split of `n` examples.
std::vector<uint32_t> EpochOrder(uint32_t n, uint64_t seed, int64_t epoch);

// Number of batches in an epoch of `n` examples; a last partial batch counts.
inline int64_t BatchCount(uint32_t n, int batch_size) {
  return (int64_t{n} + batch_size - 1) / batch_size;
}

// Writes images order[begin, end) of `images` (order null: begin, ..., end - 1)
// into `x` (pixels x (end-begin), column-major, values / 255).
// REQUIRES: x has room for pixels_per_image * (end - begin) floats.
void FillImages(const IdxImages& images, const uint32_t* order, int64_t begin, int64_t end, float* x);

// Writes examples order[begin, end) of `split` (order null: begin, ..., end - 1)
// into `x` (input_size x (end-begin), column-major, values / 255) and their
// labels into `labels`.
// REQUIRES: x has room for input_size * (end - begin) floats, labels for end - begin.
void FillBatch(const Split& split, const uint32_t* order, int64_t begin, int64_t end, float* x,
               int32_t* labels);

}  // namespace mnist

#endif  // MNIST_DATA_DATASET_BATCHES_H_
