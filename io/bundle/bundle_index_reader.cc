// BundleReader's reading of the `.index` (io/bundle/bundle_reader.h): the leveldb
// table's footer checked first, then the header entry and each
// BundleEntryProto, every size and offset checked before it is trusted.
// Its writer is io/bundle/bundle_writer.cc; the format constants are in
// io/bundle/bundle_format.h and io/bundle/table_bounds.h.
#include <leveldb/env.h>
#include <leveldb/iterator.h>
#include <leveldb/options.h>
#include <leveldb/slice.h>
#include <leveldb/status.h>
#include <leveldb/table.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <utility>

#include "io/bundle/bundle_format.h"
#include "io/bundle/bundle_reader.h"
#include "io/bundle/table_bounds.h"
#include "io/base/byte_coding.h"

namespace mnist {
namespace {

// The whole `.index` held in memory, served to leveldb::Table.
class StringFile final : public leveldb::RandomAccessFile {
 public:
  StringFile(const std::string& path, const std::string& bytes) : path_(path), bytes_(bytes) {}
  leveldb::Status Read(uint64_t offset, size_t n, leveldb::Slice* result,
                       char* /*scratch*/) const override {
    if (offset > bytes_.size()) {
      *result = leveldb::Slice();
      return leveldb::Status::Corruption(path_, "read at offset " + std::to_string(offset) +
                                                    " past the end of the file");
    }
    *result = leveldb::Slice(bytes_.data() + offset,
                             std::min<uint64_t>(n, bytes_.size() - offset));
    return leveldb::Status::OK();
  }

 private:
  const std::string& path_;
  const std::string& bytes_;
};


}  // namespace

Status BundleReader::ParseIndex(const std::string& index_path, const std::string& index_bytes) {
  // Check the footer ourselves first: leveldb's messages name no file or byte.
  if (index_bytes.size() < kTableFooterSize) {
    return Status::DataLoss(index_path + ": " + std::to_string(index_bytes.size()) +
                            " bytes is too short for a TensorBundle index (a leveldb table "
                            "ends with a " + std::to_string(kTableFooterSize) +
                            "-byte footer); truncated?");
  }
  const size_t magic_at = index_bytes.size() - 8;
  const uint64_t magic = LoadLE64(index_bytes.data() + magic_at);
  if (magic != kTableMagicNumber) {
    return Status::DataLoss(index_path + ": bad magic " + Hex64(magic) + " at byte " +
                            std::to_string(magic_at) + ", expected " +
                            Hex64(kTableMagicNumber) +
                            "; not a TensorBundle index (leveldb table), or truncated");
  }

  MNIST_RETURN_IF_ERROR(CheckTableBounds(index_path, index_bytes));
  StringFile file(index_path, index_bytes);
  leveldb::Options options;
  options.paranoid_checks = true;  // verify the index block's checksum too
  leveldb::Table* raw_table = nullptr;
  leveldb::Status s = leveldb::Table::Open(options, &file, index_bytes.size(), &raw_table);
  if (!s.ok()) {
    return Status::DataLoss(index_path + ": corrupt index table (" +
                            std::to_string(index_bytes.size()) + " bytes): " + s.ToString());
  }
  std::unique_ptr<leveldb::Table> table(raw_table);
  leveldb::ReadOptions read_options;
  read_options.verify_checksums = true;
  read_options.fill_cache = false;
  std::unique_ptr<leveldb::Iterator> it(table->NewIterator(read_options));

  bool have_header = false;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string key = it->key().ToString();
    const std::string value = it->value().ToString();
    if (!have_header) {
      if (!key.empty()) {
        return Status::DataLoss(index_path + ": first key is '" + key +
                                "', expected the empty key holding the bundle header");
      }
      MNIST_RETURN_IF_ERROR(ParseHeader(index_path, value));
      have_header = true;
      continue;
    }
    MNIST_RETURN_IF_ERROR(ParseEntry(index_path, key, value));
  }
  if (!it->status().ok()) {
    return Status::DataLoss(index_path + ": corrupt index table: " + it->status().ToString());
  }
  if (!have_header) {
    return Status::DataLoss(index_path + ": no header entry (the empty key); the table is empty");
  }
  return Status::Ok();
}

Status BundleReader::ParseHeader(const std::string& index_path, const std::string& value) {
  if (!header_.ParseFromString(value)) {
    return Status::DataLoss(index_path + ": header (empty key, " + std::to_string(value.size()) +
                            " bytes) does not parse as a BundleHeaderProto");
  }
  if (header_.num_shards() <= 0) {
    return Status::DataLoss(index_path + ": header says num_shards " +
                            std::to_string(header_.num_shards()) + ", expected at least 1");
  }
  if (header_.num_shards() != kBundleNumShards) {
    return Status::FailedPrecondition(index_path + ": bundle has " +
                                   std::to_string(header_.num_shards()) +
                                   " data shards; only single-shard bundles are supported");
  }
  if (header_.endianness() != tensorflow::BundleHeaderProto::LITTLE) {
    return Status::FailedPrecondition(index_path +
                                   ": tensor bytes are big-endian, which is not supported");
  }
  // The version rules of TF's tensor_bundle.cc CheckVersions.
  const tensorflow::VersionDef& version = header_.version();
  if (version.producer() < kBundleMinProducer) {
    return Status::FailedPrecondition(index_path + ": bundle format producer version " +
                                   std::to_string(version.producer()) + " is older than " +
                                   std::to_string(kBundleMinProducer) + ", the oldest supported");
  }
  if (version.min_consumer() > kBundleVersion) {
    return Status::FailedPrecondition(index_path + ": bundle needs a reader of format version " +
                                   std::to_string(version.min_consumer()) + " or newer; this is " +
                                   std::to_string(kBundleVersion));
  }
  for (int32_t bad : version.bad_consumers()) {
    if (bad == kBundleVersion) {
      return Status::FailedPrecondition(index_path + ": bundle disallows reader format version " +
                                     std::to_string(kBundleVersion));
    }
  }
  return Status::Ok();
}

Status BundleReader::ParseEntry(const std::string& index_path, const std::string& key,
                                const std::string& value) {
  tensorflow::BundleEntryProto proto;
  const std::string where = index_path + ": entry '" + key + "'";
  if (!proto.ParseFromString(value)) {
    return Status::DataLoss(where + " (" + std::to_string(value.size()) +
                            " bytes) does not parse as a BundleEntryProto");
  }
  if (proto.slices_size() > 0) {
    return Status::DataLoss(where + " is a partitioned variable stored as " +
                            std::to_string(proto.slices_size()) +
                            " slices, which is not supported");
  }
  Entry entry;
  entry.dtype = proto.dtype();
  if (entry.dtype == tensorflow::DT_INVALID) return Status::DataLoss(where + " has no dtype");
  if (!tensorflow::DataType_IsValid(entry.dtype)) {
    return Status::DataLoss(where + " has " + DtypeName(entry.dtype) +
                            ", which is no TensorFlow dtype");
  }
  if (proto.shape().unknown_rank()) return Status::DataLoss(where + " has an unknown rank");
  uint64_t count = 1;
  for (const auto& dim : proto.shape().dim()) {
    if (dim.size() < 0 ||
        __builtin_mul_overflow(count, static_cast<uint64_t>(dim.size()), &count) ||
        count > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return Status::DataLoss(where + " has a bad dimension " + std::to_string(dim.size()));
    }
    entry.shape.push_back(dim.size());
  }
  if (proto.shard_id() != 0) {
    return Status::DataLoss(where + " is in shard " + std::to_string(proto.shard_id()) +
                            " of a single-shard bundle");
  }
  if (proto.offset() < 0 || proto.size() < 0) {
    return Status::DataLoss(where + " has a negative offset " + std::to_string(proto.offset()) +
                            " or size " + std::to_string(proto.size()));
  }
  entry.offset = static_cast<uint64_t>(proto.offset());
  entry.size = static_cast<uint64_t>(proto.size());
  if (entry.size > options_.max_tensor_bytes) {
    return Status::DataLoss(where + " declares " + std::to_string(entry.size) +
                            " bytes, more than the limit of " +
                            std::to_string(options_.max_tensor_bytes));
  }
  entry.masked_crc32c = proto.crc32c();
  const size_t element_size = DataTypeSize(entry.dtype);
  uint64_t expected = 0;
  if (element_size > 0 &&
      (__builtin_mul_overflow(count, element_size, &expected) || expected != entry.size)) {
    return Status::DataLoss(where + " is " + DescribeTensor(entry.dtype, entry.shape) + " (" +
                            std::to_string(count) + " x " + std::to_string(element_size) +
                            " bytes) but its size is " + std::to_string(entry.size));
  }
  entries_.emplace(key, std::move(entry));
  return Status::Ok();
}
}  // namespace mnist
