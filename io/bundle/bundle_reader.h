// BundleReader reads a TensorBundle, TensorFlow's V2 checkpoint format
// (io/bundle/bundle_format.h), as written by TF's Saver / tf.train.Checkpoint or by
// io/bundle/bundle_writer.h.
//
//   StatusOr<std::unique_ptr<BundleReader>> reader =
//       BundleReader::Open("logs/mnist.ckpt-1999");
//   if (!reader.ok()) return reader.status();
//   StatusOr<BundleReader::Entry> entry = (*reader)->Lookup("dense/bias");
//   ...check entry->dtype and entry->shape, size the buffer...
//   MNIST_RETURN_IF_ERROR((*reader)->Read("dense/bias", bias, entry->size));
//
// Open() reads the whole `.index` (a leveldb table, uncompressed or Snappy
// blocks, every block checksum verified), checks the header and every entry,
// and opens the data file; later reads go straight to the data file and
// verify each tensor's CRC32C. Nothing is allocated from a declared size
// before it is checked: the index's block handles against the index
// (io/bundle/table_bounds.h), every tensor's size against Options and the data
// file. Errors name the file and what is wrong:
//   NotFound         no `<prefix>.index`, and nothing else at `<prefix>`
//   InvalidArgument  `<prefix>` names something else: a directory, one of a
//                    bundle's files, a V1 checkpoint (io/bundle/bundle_prefix.h);
//                    or a valid bundle we do not support: more than one
//                    shard, big-endian data, a newer format version
//   DataLoss         a truncated or corrupt index, an entry that does not
//                    parse, has a dtype TensorFlow does not define (named
//                    by number) or points outside the data file, a sliced
//                    (partitioned) variable, a missing data file, a CRC
//                    mismatch
//
// Parsing the .index is io/bundle/bundle_index_reader.cc; reading tensors, io/bundle/bundle_reader.cc.
//
// Thread safety: after Open, all methods are const and safe to call from
// several threads at once (reads use pread on a shared descriptor).
#ifndef MNIST_IO_BUNDLE_BUNDLE_READER_H_
#define MNIST_IO_BUNDLE_BUNDLE_READER_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "io/bundle/bundle_format.h"
#include "io/proto/tensor_bundle.pb.h"
#include "io/proto/types.pb.h"
#include "io/base/status.h"

namespace mnist {

class BundleReader {
 public:
  // One tensor's index record.
  struct Entry {
    tensorflow::DataType dtype = tensorflow::DT_INVALID;
    std::vector<int64_t> shape;  // outermost first; empty for a scalar
    uint64_t offset = 0;         // bytes [offset, offset + size) of the data file
    uint64_t size = 0;
    uint32_t masked_crc32c = 0;  // as stored: crc32c::Mask of the CRC

    // Product of the dims (1 for a scalar).
    int64_t num_elements() const;
  };

  // Limits on what a bundle may declare (untrusted input).
  struct Options {
    // A tensor declaring more bytes is DataLoss at Open.
    uint64_t max_tensor_bytes = kDefaultMaxTensorBytes;
  };

  // Opens the bundle `<prefix>.index` + `<prefix>.data-00000-of-00001`.
  static StatusOr<std::unique_ptr<BundleReader>> Open(const std::string& prefix);
  static StatusOr<std::unique_ptr<BundleReader>> Open(const std::string& prefix,
                                                      const Options& options);
  ~BundleReader();

  BundleReader(const BundleReader&) = delete;
  BundleReader& operator=(const BundleReader&) = delete;

  const std::string& prefix() const { return prefix_; }
  const tensorflow::BundleHeaderProto& header() const { return header_; }

  // Tensor names in bytewise order (the header's empty key is not listed).
  std::vector<std::string> Keys() const;
  bool Contains(const std::string& key) const;
  // NotFound (naming prefix and key) when `key` is absent.
  StatusOr<Entry> Lookup(const std::string& key) const;

  // Reads tensor `key`'s bytes into `dst` and verifies their CRC32C.
  // REQUIRES: dst_bytes == Lookup(key)->size (else InvalidArgument); the
  // tensor is not DT_STRING (use ReadStrings).
  Status Read(const std::string& key, void* dst, size_t dst_bytes) const;
  // Read() into a new string of the entry's size.
  StatusOr<std::string> ReadBytes(const std::string& key) const;
  // Reads a DT_STRING tensor's elements, row-major; verifies the lengths'
  // checksum and the entry's CRC32C.
  StatusOr<std::vector<std::string>> ReadStrings(const std::string& key) const;

 private:
  BundleReader(std::string prefix, const Options& options)
      : prefix_(std::move(prefix)), options_(options) {}
  // Fills header_ and entries_ from the index bytes.
  Status ParseIndex(const std::string& index_path, const std::string& index_bytes);
  Status ParseHeader(const std::string& index_path, const std::string& value);
  Status ParseEntry(const std::string& index_path, const std::string& key,
                    const std::string& value);
  // Opens the data file and checks every entry lies inside it.
  Status OpenDataFile();
  // Finds `key`; NotFound otherwise.
  StatusOr<const Entry*> Find(const std::string& key) const;
  // Reads the raw bytes of `entry` into dst (size entry.size).
  Status ReadRaw(const std::string& key, const Entry& entry, char* dst) const;
  // DataLoss describing a CRC mismatch of `key`.
  Status CrcMismatch(const std::string& key, const Entry& entry, uint32_t stored,
                     uint32_t computed, const std::string& what) const;

  std::string prefix_;
  Options options_;
  std::string data_path_;
  int data_fd_ = -1;
  uint64_t data_file_size_ = 0;
  tensorflow::BundleHeaderProto header_;
  std::map<std::string, Entry> entries_;
};

}  // namespace mnist

#endif  // MNIST_IO_BUNDLE_BUNDLE_READER_H_
