// The TensorBundle (TensorFlow V2 checkpoint) format: constants and file names
// shared by io/bundle/bundle_writer.cc (which produces it) and io/bundle/bundle_reader.cc
// (which checks it). Full description: ../shared/TF_FORMAT.md section 4;
// TF's own code: core/util/tensor_bundle/{tensor_bundle.cc,naming.cc}.
//
// A bundle with prefix P is two files:
//   P.data-00000-of-00001  the raw bytes of every tensor, concatenated in the
//                          order they were added; no header, no footer, no
//                          padding. Numeric tensors are row-major elements in
//                          little-endian order. A DT_STRING tensor is the
//                          varint64 length of each element, a 4-byte masked
//                          CRC32C of those lengths (each as a little-endian
//                          uint32), then the element bytes.
//   P.index                a leveldb-format SSTable (leveldb doc/table_format.md,
//                          footer magic kTableMagicNumber). Key "" maps to a
//                          BundleHeaderProto, every other key (a tensor name,
//                          bytewise sorted) to a BundleEntryProto giving dtype,
//                          shape, [offset, offset + size) in the data file and
//                          the masked CRC32C of those bytes
//                          (io/proto/tensor_bundle.proto).
// The data file is complete before the index is renamed into place, so an
// index that exists means the bundle is complete.
//
// Thread safety: constants and pure functions.
#ifndef MNIST_IO_BUNDLE_BUNDLE_FORMAT_H_
#define MNIST_IO_BUNDLE_BUNDLE_FORMAT_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "io/bundle/crc32c.h"
#include "io/proto/types.pb.h"

namespace mnist {

// Key of the BundleHeaderProto; the empty key sorts before every tensor name.
constexpr char kBundleHeaderKey[] = "";

// Bundle format version written as BundleHeaderProto.version.producer
// (TF's kTensorBundleVersion = 1; min_consumer is left at 0). A reader with
// version kBundleVersion accepts producer >= kBundleMinProducer, refuses a
// min_consumer above kBundleVersion or a bad_consumers list naming it.
constexpr int32_t kBundleVersion = 1;
constexpr int32_t kBundleMinProducer = 0;

// Largest tensor a BundleReader accepts unless told otherwise: a larger
// declared size is refused when the index is read, before any allocation.
// The 784-1024-512-10 network's largest tensor is 3 MiB.
constexpr uint64_t kDefaultMaxTensorBytes = uint64_t{1} << 30;  // 1 GiB

// We write and read single-shard bundles only (TF's default for one Saver).
constexpr int32_t kBundleNumShards = 1;

// Options of the `.index` table, as TF's BundleWriter::Finish sets them:
// 256 KiB blocks, a restart point every 16 keys, no compression (TF turned it
// off so that builds without Snappy can read every checkpoint), no filter
// block. Readers must still accept Snappy blocks: the tensorflow/serving
// fixtures have them.
constexpr size_t kIndexBlockSize = 262144;
constexpr int kIndexBlockRestartInterval = 16;

// The last 8 bytes of every leveldb table (and so of every `.index`), stored
// little-endian: 57 fb 80 8b 24 75 47 db. Same value as leveldb's
// kTableMagicNumber.
constexpr uint64_t kTableMagicNumber = 0xdb4775248b80fb57ull;
// The footer: two padded BlockHandles (40 bytes) plus the 8-byte magic.
constexpr size_t kTableFooterSize = 48;


// "<prefix>.index".
inline std::string IndexFilename(const std::string& prefix) { return prefix + ".index"; }

// "<prefix>.data-00000-of-00001" for shard 0 of 1 (TF's naming.cc, %05d).
inline std::string DataFilename(const std::string& prefix, int32_t shard, int32_t num_shards) {
  char suffix[48];
  std::snprintf(suffix, sizeof(suffix), ".data-%05d-of-%05d", static_cast<int>(shard),
                static_cast<int>(num_shards));
  return prefix + suffix;
}

// Bytes per element of a fixed-size dtype; 0 for DT_STRING, DT_RESOURCE,
// DT_VARIANT, *_REF and unknown values, whose byte size the shape alone does
// not give.
inline size_t DataTypeSize(tensorflow::DataType dtype) {
  switch (dtype) {
    case tensorflow::DT_INT8:
    case tensorflow::DT_UINT8:
    case tensorflow::DT_BOOL:
    case tensorflow::DT_QINT8:
    case tensorflow::DT_QUINT8:
      return 1;
    case tensorflow::DT_INT16:
    case tensorflow::DT_UINT16:
    case tensorflow::DT_HALF:
    case tensorflow::DT_BFLOAT16:
    case tensorflow::DT_QINT16:
    case tensorflow::DT_QUINT16:
      return 2;
    case tensorflow::DT_FLOAT:
    case tensorflow::DT_INT32:
    case tensorflow::DT_UINT32:
    case tensorflow::DT_QINT32:
      return 4;
    case tensorflow::DT_DOUBLE:
    case tensorflow::DT_INT64:
    case tensorflow::DT_UINT64:
    case tensorflow::DT_COMPLEX64:
      return 8;
    case tensorflow::DT_COMPLEX128:
      return 16;
    default:
      return 0;
  }
}

// "DT_FLOAT" etc.; a value no TensorFlow dtype has (a damaged or hostile
// file) as "dtype 1000 (unknown)", never "".
inline std::string DtypeName(tensorflow::DataType dtype) {
  if (tensorflow::DataType_IsValid(dtype)) return tensorflow::DataType_Name(dtype);
  return "dtype " + std::to_string(static_cast<int>(dtype)) + " (unknown)";
}

// "DT_FLOAT[784,1024]"-style description of a tensor for messages.
inline std::string DescribeTensor(tensorflow::DataType dtype, const std::vector<int64_t>& shape) {
  std::string out = DtypeName(dtype) + "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) out += ",";
    out += std::to_string(shape[i]);
  }
  return out + "]";
}

// Extends the CRC32C of a DT_STRING tensor's lengths by one `length`: taken
// as a little-endian uint32, or uint64 when it does not fit in 32 bits (not
// as its varint bytes). Writer and reader both use it.
inline uint32_t ExtendLengthCrc(uint32_t crc, uint64_t length) {
  char word[8];
  for (int b = 0; b < 8; ++b) word[b] = static_cast<char>((length >> (8 * b)) & 0xff);
  return crc32c::Extend(crc, word, length > 0xffffffffu ? 8 : 4);
}

}  // namespace mnist

#endif  // MNIST_IO_BUNDLE_BUNDLE_FORMAT_H_
