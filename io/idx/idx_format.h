// The IDX file format of the MNIST and Fashion-MNIST data sets.
//
//   byte 0-1   0x00 0x00
//   byte 2     element type; 0x08 = unsigned byte (the only type we read)
//   byte 3     rank R: 3 for image files, 1 for label files
//   then R big-endian uint32 dimensions, outermost first
//   then the elements, row-major, with no padding and nothing after them
//
// Read as one big-endian uint32, the first four bytes are the "magic number":
// 2051 (0x00000803) for images [count, rows, cols], 2049 (0x00000801) for
// labels [count]. Source: the format's description beside the original MNIST
// files (LeCun, Cortes, Burges). Reader: io/idx/idx_reader.cc; writer: tests/support/idx_writer.cc.
#ifndef MNIST_IO_IDX_IDX_FORMAT_H_
#define MNIST_IO_IDX_IDX_FORMAT_H_

#include <cstdint>

namespace mnist {

constexpr uint8_t kIdxTypeUnsignedByte = 0x08;
constexpr uint32_t kIdxImagesMagic = 2051;  // ubyte, rank 3
constexpr uint32_t kIdxLabelsMagic = 2049;  // ubyte, rank 1
constexpr int kIdxImagesHeaderBytes = 16;   // magic + 3 dims
constexpr int kIdxLabelsHeaderBytes = 8;    // magic + 1 dim

}  // namespace mnist

#endif  // MNIST_IO_IDX_IDX_FORMAT_H_
