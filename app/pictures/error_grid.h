// `mnist --eval --errors FILE.png`: the misclassified test images as a PNG
// grid, so a user sees what the model confuses.
//
// Each tile is the 28x28 image at twice its size (white strokes on black, as
// stored), with "T>P" under it: the true class T in green, the predicted
// class P in red; under that, in blue, the image's index in the test set
// (0-based, as the IDX file orders them), so it can be found again. A legend
// "TRUE > PREDICTED  TEST INDEX" in the same colours heads the grid. Tiles go
// row by row in test-set order, kErrorGridColumns a row.
//
// Thread safety: pure functions, except WriteErrorGrid, which writes a file.
#ifndef MNIST_APP_PICTURES_ERROR_GRID_H_
#define MNIST_APP_PICTURES_ERROR_GRID_H_

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "data/dataset/dataset.h"
#include "io/png/png_writer.h"
#include "io/base/status.h"

namespace mnist {

constexpr int kErrorGridColumns = 8;

struct Misclassified {
  uint32_t index = 0;  // in the split
  int label = 0;       // the true class
  int predicted = 0;
};

// The first `max` examples whose prediction differs from their label, in
// split order. REQUIRES: predictions.size() == split.size().
std::vector<Misclassified> FindMisclassified(const Split& split,
                                             const std::vector<int32_t>& predictions, size_t max);

// The size of a grid of `tiles` images of rows x cols pixels.
void ErrorGridSize(size_t tiles, int rows, int cols, int* width, int* height);

// Draws the grid. REQUIRES: !errors.empty(), every index < images.count.
RgbImage RenderErrorGrid(const IdxImages& images, const std::vector<Misclassified>& errors);

// Finds up to `max` misclassified examples, writes their grid to `path`
// crash-safe and says so on `out` (with nothing to show, writes nothing).
Status WriteErrorGrid(const std::string& path, const Split& split,
                      const std::vector<int32_t>& predictions, int max, FILE* out);

}  // namespace mnist

#endif  // MNIST_APP_PICTURES_ERROR_GRID_H_
