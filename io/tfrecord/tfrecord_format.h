// The TFRecord file format (TensorFlow's tensorflow/core/lib/io/record_writer.cc
// and record_reader.cc), in which TensorBoard's events files are written.
// Shared by our writer (io/tfrecord/tfrecord_writer.h) and the tests' reader
// (tests/support/tfrecord_reader.h).
//
// A file is records one after another, nothing before, between or after:
//
//   <beginning_of_file>
//   [record 1]  uint64 length          little-endian, bytes of data
//               uint32 length_crc      masked CRC32C of the 8 length bytes
//               byte   data[length]    here a serialized tensorflow.Event
//               uint32 data_crc        masked CRC32C of data
//   [record 2]  ...
//   <end_of_file>
//
// Both CRCs are masked as leveldb and the TensorBundle mask theirs
// (io/bundle/crc32c.h Mask: rotate right 15, add 0xa282ead8), and stored
// little-endian.
#ifndef MNIST_IO_TFRECORD_TFRECORD_FORMAT_H_
#define MNIST_IO_TFRECORD_TFRECORD_FORMAT_H_

#include <cstddef>

namespace mnist {

// Bytes before a record's data: uint64 length + uint32 masked CRC of it.
constexpr size_t kTFRecordHeaderSize = 8 + 4;
// Bytes after a record's data: uint32 masked CRC of the data.
constexpr size_t kTFRecordFooterSize = 4;

}  // namespace mnist

#endif  // MNIST_IO_TFRECORD_TFRECORD_FORMAT_H_
