// Reads a TFRecord file (io/tfrecord/tfrecord_format.h) back, checking both
// CRCs of every record: the tests' reader of what io/tfrecord/tfrecord_writer.h
// writes (TensorBoard's events files). The product never reads these files,
// so the reader lives here.
#ifndef MNIST_TESTS_SUPPORT_TFRECORD_READER_H_
#define MNIST_TESTS_SUPPORT_TFRECORD_READER_H_

#include <string>
#include <vector>

#include "io/base/status.h"

namespace mnist {
namespace testing {

// The data of every record of `bytes`, in order. A record cut short, or a
// length or data CRC that does not match, is DataLoss naming `path`, the
// record's number and the byte offset of what is wrong.
StatusOr<std::vector<std::string>> ParseTFRecords(const std::string& path, const std::string& bytes);

// Reads `path` and parses it as above.
StatusOr<std::vector<std::string>> ReadTFRecords(const std::string& path);

}  // namespace testing
}  // namespace mnist

#endif  // MNIST_TESTS_SUPPORT_TFRECORD_READER_H_
