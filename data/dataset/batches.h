// Shuffling and batching: which examples go into each step, as float columns.
//
// A batch is a column-major features x batch float matrix (one example per
// column; each pixel byte times the pixel scale, by default 1/255 so values
// lie in [0, 1]) plus its labels. The epoch's order is a
// Fisher-Yates permutation drawn from our own RNG seeded by (seed, epoch), so
// a resumed run visits the data in exactly the order the first run did.
#ifndef MNIST_DATA_DATASET_BATCHES_H_
#define MNIST_DATA_DATASET_BATCHES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset/dataset.h"

namespace mnist {

// What a network sees of a pixel byte b is b * pixel scale: 1/255 (values in
// [0, 1]) for ours and for most TensorFlow MNIST graphs, 1 for a graph trained
// on raw 0-255 pixels. The one default (--pixel-scale, app/cli/flags.cc).
constexpr float kDefaultPixelScale = 1.0f / 255.0f;

// The scale as the data lines print it: "1/255" when it is 1/k for a whole k
// > 1 (as a float), else as %g ("1", "0.5").
std::string PixelScaleText(float scale);

// The example order of `epoch` (1-based) for a split of `n` examples.
std::vector<uint32_t> EpochOrder(uint32_t n, uint64_t seed, int64_t epoch);

// Number of batches in an epoch of `n` examples; a last partial batch counts.
inline int64_t BatchCount(uint32_t n, int batch_size) {
  return (int64_t{n} + batch_size - 1) / batch_size;
}

// Writes images order[begin, end) of `images` (order null: begin, ..., end - 1)
// into `x` (pixels x (end-begin), column-major, values x pixel_scale).
// REQUIRES: x has room for pixels_per_image * (end - begin) floats.
void FillImages(const IdxImages& images, const uint32_t* order, int64_t begin, int64_t end, float* x,
                float pixel_scale = kDefaultPixelScale);

// Writes examples order[begin, end) of `split` (order null: begin, ..., end - 1)
// into `x` (input_size x (end-begin), column-major, values x pixel_scale) and
// their labels into `labels`.
// REQUIRES: x has room for input_size * (end - begin) floats, labels for end - begin.
void FillBatch(const Split& split, const uint32_t* order, int64_t begin, int64_t end, float* x,
               int32_t* labels, float pixel_scale = kDefaultPixelScale);

}  // namespace mnist

#endif  // MNIST_DATA_DATASET_BATCHES_H_
