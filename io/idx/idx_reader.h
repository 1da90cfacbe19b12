// Reads IDX image and label files (io/idx/idx_format.h), raw or gzip-compressed.
//
// Every check names the file: magic and rank, dimensions against the bytes
// actually present (before anything is allocated), trailing bytes, and label
// values. Images stay uint8, as stored; batches convert them to float.
//
// Thread safety: free functions; results are plain values.
#ifndef MNIST_IO_IDX_IDX_READER_H_
#define MNIST_IO_IDX_IDX_READER_H_

#include <cstdint>
#include <string>

#include "io/base/status.h"

namespace mnist {

// `count` images of rows x cols unsigned bytes, row-major, image after image.
struct IdxImages {
  uint32_t count = 0;
  uint32_t rows = 0;
  uint32_t cols = 0;
  std::string pixels;  // count * rows * cols bytes

  uint32_t pixels_per_image() const { return rows * cols; }
  const uint8_t* image(uint32_t i) const {
    return reinterpret_cast<const uint8_t*>(pixels.data()) + size_t{i} * rows * cols;
  }
};

struct IdxLabels {
  std::string labels;  // one byte per example

  uint32_t count() const { return static_cast<uint32_t>(labels.size()); }
  uint8_t label(uint32_t i) const { return static_cast<uint8_t>(labels[i]); }
};

// Parses an image file already in memory; `path` only names it in errors.
StatusOr<IdxImages> ParseIdxImages(const std::string& path, std::string bytes);
// Parses a label file already in memory; every label must be < num_classes.
StatusOr<IdxLabels> ParseIdxLabels(const std::string& path, std::string bytes,
                                   int num_classes = 10);

// Reads and parses `path` (gzip detected from its first bytes).
StatusOr<IdxImages> ReadIdxImages(const std::string& path);
StatusOr<IdxLabels> ReadIdxLabels(const std::string& path, int num_classes = 10);

}  // namespace mnist

#endif  // MNIST_IO_IDX_IDX_READER_H_
