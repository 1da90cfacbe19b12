// BundleWriter writes a TensorBundle, TensorFlow's V2 checkpoint format
// (io/bundle/bundle_format.h): `<prefix>.data-00000-of-00001` plus `<prefix>.index`,
// readable by TF's tf.train.load_checkpoint and by io/bundle/bundle_reader.h.
//
//   BundleWriter writer("logs/mnist.ckpt-1999");
//   writer.Add("dense/bias", tensorflow::DT_FLOAT, {1024}, bias, 4096);
//   ...
//   MNIST_RETURN_IF_ERROR(writer.Finish());
//
// Tensor bytes stream to a temporary data file as they are added (in Add
// order; add in sorted name order to match TF1's Saver byte for byte). Keys
// may come in any order; the index lists them sorted. Finish() fsyncs and
// renames the data file into place, removing any older index of the same
// prefix first, then builds the index in a temporary file, fsyncs it and
// renames it into place last: an index that exists means a complete bundle.
// A crash or an error (e.g. a full disk) leaves no partial file under the
// final names, and the temporaries are removed.
//
// The status is sticky: after the first failure Add does nothing and returns
// that failure, and Finish returns it too. The caller owns the tensor bytes;
// they are copied to the file before Add returns.
//
// Thread safety: none; one thread uses a writer.
#ifndef MNIST_IO_BUNDLE_BUNDLE_WRITER_H_
#define MNIST_IO_BUNDLE_BUNDLE_WRITER_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "io/proto/tensor_bundle.pb.h"
#include "io/proto/types.pb.h"
#include "io/base/status.h"

namespace mnist {

class BundleWriter {
 public:
  // Opens the temporary data file next to `prefix`; check status().
  explicit BundleWriter(std::string prefix);
  // Removes the temporaries if neither Finish() nor Abandon() ran.
  ~BundleWriter();

  BundleWriter(const BundleWriter&) = delete;
  BundleWriter& operator=(const BundleWriter&) = delete;

  // OK, or the first error so far.
  const Status& status() const { return status_; }
  const std::string& prefix() const { return prefix_; }

  // Appends the `n` bytes at `bytes` as tensor `key` with `dtype` and `shape`
  // (outermost dim first; {} for a scalar). `bytes` holds the elements
  // row-major, little-endian.
  // REQUIRES: key is non-empty and not added before; dtype has a fixed
  // element size (DataTypeSize > 0); n == product(shape) * DataTypeSize(dtype).
  // Violations are InvalidArgument and, like write errors, sticky.
  Status Add(const std::string& key, tensorflow::DataType dtype, std::vector<int64_t> shape,
             const void* bytes, size_t n);

  // Appends a DT_STRING tensor of `shape` whose elements, row-major, are
  // `values`. REQUIRES: values.size() == product(shape); key as for Add.
  Status AddStrings(const std::string& key, std::vector<int64_t> shape,
                    const std::vector<std::string>& values);

  // Completes the bundle (see above). Returns the first error of any call.
  // REQUIRES: neither Finish() nor Abandon() ran before.
  [[nodiscard]] Status Finish();

  // Gives up: removes the temporaries; the final names are untouched.
  void Abandon();

 private:
  // Checks key and shape, and sets `*num_elements`; sets the sticky status.
  Status CheckNewEntry(const std::string& key, const std::vector<int64_t>& shape,
                       uint64_t* num_elements);
  // Appends to the temporary data file; sets the sticky status on error.
  Status AppendData(const void* bytes, size_t n);
  // Records the entry for bytes just appended at data_size_ - size.
  void RecordEntry(const std::string& key, tensorflow::DataType dtype,
                   const std::vector<int64_t>& shape, uint64_t size, uint32_t crc);
  Status FinishDataFile();
  Status WriteIndex();
  void RemoveTemporaries();

  std::string prefix_;
  std::string data_path_;        // final name of the data file
  std::string index_path_;       // final name of the index
  std::string data_tmp_path_;    // where the data bytes go until Finish
  std::string index_tmp_path_;   // where the index is built during Finish
  int data_fd_ = -1;             // open on data_tmp_path_ until Finish
  bool data_in_place_ = false;   // renamed to data_path_, index not yet
  uint64_t data_size_ = 0;       // bytes written to the data file so far
  std::map<std::string, tensorflow::BundleEntryProto> entries_;  // sorted
  Status status_;
  bool done_ = false;  // Finish() or Abandon() ran
};

}  // namespace mnist

#endif  // MNIST_IO_BUNDLE_BUNDLE_WRITER_H_
