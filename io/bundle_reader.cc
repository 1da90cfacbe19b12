#include "io/bundle_reader.h"

#include <fcntl.h>
#include <leveldb/env.h>
#include <leveldb/iterator.h>
#include <leveldb/options.h>
#include <leveldb/slice.h>
#include <leveldb/status.h>
#include <leveldb/table.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <limits>
#include <utility>

#include "io/bundle_format.h"
#include "io/bundle_prefix.h"
#include "io/crc32c.h"
#include "io/file.h"
#include "io/table_bounds.h"
#include "io/varint.h"

namespace mnist {
namespace {

std::string Hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "0x%08x", v);
  return buf;
}

std::string Hex64(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "0x%016llx", static_cast<unsigned long long>(v));
  return buf;
}

uint64_t LoadLE64(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

uint32_t LoadLE32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

// "float[784,1024]"-style description for messages.
std::string Describe(tensorflow::DataType dtype, const std::vector<int64_t>& shape) {
  std::string out = DtypeName(dtype) + "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) out += ",";
    out += std::to_string(shape[i]);
  }
  return out + "]";
}

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

int64_t BundleReader::Entry::num_elements() const {
  int64_t n = 1;
  for (int64_t dim : shape) n *= dim;  // overflow ruled out when the entry was parsed
  return n;
}

StatusOr<std::unique_ptr<BundleReader>> BundleReader::Open(const std::string& prefix) {
  return Open(prefix, Options());
}

StatusOr<std::unique_ptr<BundleReader>> BundleReader::Open(const std::string& prefix,
                                                           const Options& options) {
  const std::string index_path = IndexFilename(prefix);
  std::string index_bytes;
  Status read = ReadFile(index_path, &index_bytes);
  if (read.code() == Status::Code::kNotFound) {
    const Status named = CheckBundlePrefix(prefix);  // what `prefix` names instead
    return named.ok() ? read : named;
  }
  MNIST_RETURN_IF_ERROR(read);

  std::unique_ptr<BundleReader> reader(new BundleReader(prefix, options));
  MNIST_RETURN_IF_ERROR(reader->ParseIndex(index_path, index_bytes));
  MNIST_RETURN_IF_ERROR(reader->OpenDataFile());
  return reader;
}

BundleReader::~BundleReader() {
  if (data_fd_ >= 0) ::close(data_fd_);
}

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
    return Status::InvalidArgument(index_path + ": bundle has " +
                                   std::to_string(header_.num_shards()) +
                                   " data shards; only single-shard bundles are supported");
  }
  if (header_.endianness() != tensorflow::BundleHeaderProto::LITTLE) {
    return Status::InvalidArgument(index_path +
                                   ": tensor bytes are big-endian, which is not supported");
  }
  // The version rules of TF's tensor_bundle.cc CheckVersions.
  const tensorflow::VersionDef& version = header_.version();
  if (version.producer() < kBundleMinProducer) {
    return Status::InvalidArgument(index_path + ": bundle format producer version " +
                                   std::to_string(version.producer()) + " is older than " +
                                   std::to_string(kBundleMinProducer) + ", the oldest supported");
  }
  if (version.min_consumer() > kBundleVersion) {
    return Status::InvalidArgument(index_path + ": bundle needs a reader of format version " +
                                   std::to_string(version.min_consumer()) + " or newer; this is " +
                                   std::to_string(kBundleVersion));
  }
  for (int32_t bad : version.bad_consumers()) {
    if (bad == kBundleVersion) {
      return Status::InvalidArgument(index_path + ": bundle disallows reader format version " +
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
    return Status::DataLoss(where + " is " + Describe(entry.dtype, entry.shape) + " (" +
                            std::to_string(count) + " x " + std::to_string(element_size) +
                            " bytes) but its size is " + std::to_string(entry.size));
  }
  entries_.emplace(key, std::move(entry));
  return Status::Ok();
}

Status BundleReader::OpenDataFile() {
  data_path_ = DataFilename(prefix_, 0, header_.num_shards());
  const Status opened = OpenForReading(data_path_, &data_fd_, &data_file_size_);
  if (opened.code() == Status::Code::kNotFound) {
    if (entries_.empty()) return Status::Ok();  // nothing to read from it
    return Status::DataLoss(data_path_ + ": missing; " + IndexFilename(prefix_) + " lists " +
                            std::to_string(entries_.size()) + " tensors stored in it");
  }
  MNIST_RETURN_IF_ERROR(opened);
  for (const auto& [key, entry] : entries_) {
    if (entry.offset > data_file_size_ || entry.size > data_file_size_ - entry.offset) {
      return Status::DataLoss(data_path_ + ": tensor '" + key + "' needs bytes [" +
                              std::to_string(entry.offset) + ", " +
                              std::to_string(entry.offset + entry.size) + ") but the file has " +
                              std::to_string(data_file_size_) + " bytes; truncated?");
    }
  }
  return Status::Ok();
}

std::vector<std::string> BundleReader::Keys() const {
  std::vector<std::string> keys;
  keys.reserve(entries_.size());
  for (const auto& [key, entry] : entries_) keys.push_back(key);
  return keys;
}

bool BundleReader::Contains(const std::string& key) const { return entries_.count(key) != 0; }

StatusOr<const BundleReader::Entry*> BundleReader::Find(const std::string& key) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    return Status::NotFound(prefix_ + ": no tensor '" + key + "' in " + IndexFilename(prefix_));
  }
  return &it->second;
}

StatusOr<BundleReader::Entry> BundleReader::Lookup(const std::string& key) const {
  StatusOr<const Entry*> entry = Find(key);
  if (!entry.ok()) return entry.status();
  return **entry;
}

Status BundleReader::ReadRaw(const std::string& key, const Entry& entry, char* dst) const {
  uint64_t done = 0;
  while (done < entry.size) {
    const size_t chunk = static_cast<size_t>(std::min<uint64_t>(entry.size - done, 1u << 30));
    const ssize_t r = ::pread(data_fd_, dst + done, chunk, static_cast<off_t>(entry.offset + done));
    if (r < 0) {
      if (errno == EINTR) continue;
      return Status::FromErrno(data_path_, "read of tensor '" + key + "' failed", errno);
    }
    if (r == 0) {
      return Status::DataLoss(data_path_ + ": tensor '" + key + "' ends early: read " +
                              std::to_string(done) + " of " + std::to_string(entry.size) +
                              " bytes at offset " + std::to_string(entry.offset) +
                              " (the file shrank?)");
    }
    done += static_cast<uint64_t>(r);
  }
  return Status::Ok();
}

Status BundleReader::CrcMismatch(const std::string& key, const Entry& entry, uint32_t stored,
                                 uint32_t computed, const std::string& what) const {
  return Status::DataLoss(prefix_ + ": checksum mismatch for " + what + " of tensor '" + key +
                          "' in " + data_path_ + " at offset " + std::to_string(entry.offset) +
                          ", size " + std::to_string(entry.size) + ": stored crc32c " +
                          Hex32(stored) + ", computed " + Hex32(computed));
}

Status BundleReader::Read(const std::string& key, void* dst, size_t dst_bytes) const {
  StatusOr<const Entry*> found = Find(key);
  if (!found.ok()) return found.status();
  const Entry& entry = **found;
  if (entry.dtype == tensorflow::DT_STRING) {
    return Status::InvalidArgument(prefix_ + ": tensor '" + key +
                                   "' is DT_STRING; read it with ReadStrings");
  }
  if (dst_bytes != entry.size) {
    return Status::InvalidArgument(prefix_ + ": tensor '" + key + "' (" +
                                   Describe(entry.dtype, entry.shape) + ") has " +
                                   std::to_string(entry.size) + " bytes, the buffer " +
                                   std::to_string(dst_bytes));
  }
  char* bytes = static_cast<char*>(dst);
  MNIST_RETURN_IF_ERROR(ReadRaw(key, entry, bytes));
  const uint32_t computed = crc32c::Value(bytes, entry.size);
  const uint32_t stored = crc32c::Unmask(entry.masked_crc32c);
  if (computed != stored) return CrcMismatch(key, entry, stored, computed, "the bytes");
  return Status::Ok();
}

StatusOr<std::string> BundleReader::ReadBytes(const std::string& key) const {
  StatusOr<const Entry*> found = Find(key);
  if (!found.ok()) return found.status();
  std::string bytes((*found)->size, '\0');  // size already checked against the data file
  MNIST_RETURN_IF_ERROR(Read(key, bytes.data(), bytes.size()));
  return bytes;
}

StatusOr<std::vector<std::string>> BundleReader::ReadStrings(const std::string& key) const {
  StatusOr<const Entry*> found = Find(key);
  if (!found.ok()) return found.status();
  const Entry& entry = **found;
  if (entry.dtype != tensorflow::DT_STRING) {
    return Status::InvalidArgument(prefix_ + ": tensor '" + key + "' is " +
                                   Describe(entry.dtype, entry.shape) +
                                   ", not DT_STRING; read it with Read");
  }
  std::string raw(entry.size, '\0');
  MNIST_RETURN_IF_ERROR(ReadRaw(key, entry, raw.data()));
  const std::string where = data_path_ + ": string tensor '" + key + "' at offset " +
                            std::to_string(entry.offset);

  // Layout and checksums: io/bundle_format.h, TF_FORMAT.md section 4.
  const char* p = raw.data();
  const char* const end = raw.data() + raw.size();
  const uint64_t count = static_cast<uint64_t>(entry.num_elements());
  std::vector<uint64_t> lengths;
  lengths.reserve(static_cast<size_t>(std::min<uint64_t>(count, raw.size())));
  uint32_t crc = 0;
  uint64_t total = 0;
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t length = 0;
    if (!GetVarint(&p, end, 64, &length)) {
      return Status::DataLoss(where + ": length " + std::to_string(i) + " of " +
                              std::to_string(count) + " runs past the entry's " +
                              std::to_string(entry.size) + " bytes");
    }
    crc = ExtendLengthCrc(crc, length);
    if (length > raw.size() || total + length > raw.size()) {
      return Status::DataLoss(where + ": element " + std::to_string(i) + " claims " +
                              std::to_string(length) + " bytes, more than the entry holds");
    }
    total += length;
    lengths.push_back(length);
  }
  if (end - p < 4) {
    return Status::DataLoss(where + ": no room for the lengths' checksum");
  }
  const uint32_t stored_lengths_crc = crc32c::Unmask(LoadLE32(p));
  if (stored_lengths_crc != crc) {
    return CrcMismatch(key, entry, stored_lengths_crc, crc, "the string lengths");
  }
  crc = crc32c::Extend(crc, p, 4);
  p += 4;
  if (static_cast<uint64_t>(end - p) != total) {
    return Status::DataLoss(where + ": lengths add up to " + std::to_string(total) +
                            " bytes but " + std::to_string(end - p) + " follow them");
  }
  crc = crc32c::Extend(crc, p, total);
  const uint32_t stored = crc32c::Unmask(entry.masked_crc32c);
  if (stored != crc) return CrcMismatch(key, entry, stored, crc, "the bytes");

  std::vector<std::string> values;
  values.reserve(lengths.size());
  for (uint64_t length : lengths) {
    values.emplace_back(p, length);
    p += length;
  }
  return values;
}

}  // namespace mnist
