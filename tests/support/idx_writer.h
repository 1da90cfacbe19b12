// Writes IDX image and label files (io/idx/idx_format.h), raw or gzip.
// Used by tests, the crash harness and the benchmark to make small data sets;
// io/idx/idx_reader.h reads what these write.
#ifndef MNIST_TESTS_SUPPORT_IDX_WRITER_H_
#define MNIST_TESTS_SUPPORT_IDX_WRITER_H_

#include <cstdint>
#include <string>

#include "io/base/status.h"

namespace mnist {

// The bytes of an image file: header [count, rows, cols] then `pixels`.
// REQUIRES: pixels.size() == count * rows * cols.
std::string EncodeIdxImages(uint32_t count, uint32_t rows, uint32_t cols,
                            const std::string& pixels);
// The bytes of a label file: header [labels.size()] then the labels.
std::string EncodeIdxLabels(const std::string& labels);

// Writes `bytes` to `path`, gzip-compressed when `gzip` is true.
Status WriteIdxFile(const std::string& path, const std::string& bytes, bool gzip);

}  // namespace mnist

#endif  // MNIST_TESTS_SUPPORT_IDX_WRITER_H_
