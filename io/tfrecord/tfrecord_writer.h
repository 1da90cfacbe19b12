// Writes TFRecord files (io/tfrecord/tfrecord_format.h), as TensorFlow's
// RecordWriter does, uncompressed; the tests read them back with
// tests/support/tfrecord_reader.h.
//
// Records are appended a batch at a time, each batch flushed to disk
// (fsync) before Append returns, so a reader such as TensorBoard polling the
// file sees whole records: a write that fails part way (a full disk) is cut
// back off the file, which then still ends after a whole record.
//
// Thread safety: free functions; one writer per file.
#ifndef MNIST_IO_TFRECORD_TFRECORD_WRITER_H_
#define MNIST_IO_TFRECORD_TFRECORD_WRITER_H_

#include <string>
#include <vector>

#include "io/base/status.h"

namespace mnist {

// Appends `data` framed as one record (length, masked CRCs) to `out`.
void EncodeTFRecord(const std::string& data, std::string* out);

// Appends `records` to the TFRecord file `path` (created when missing) and
// fsyncs it. Errors name `path`; the file is then as it was before.
Status AppendTFRecords(const std::string& path, const std::vector<std::string>& records);

}  // namespace mnist

#endif  // MNIST_IO_TFRECORD_TFRECORD_WRITER_H_
