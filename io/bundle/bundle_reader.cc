#include "io/bundle/bundle_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <limits>
#include <utility>

#include "io/bundle/bundle_format.h"
#include "io/bundle/bundle_prefix.h"
#include "io/bundle/crc32c.h"
#include "io/base/file.h"
#include "io/base/byte_coding.h"

namespace mnist {
namespace {

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
                                   DescribeTensor(entry.dtype, entry.shape) + ") has " +
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
                                   DescribeTensor(entry.dtype, entry.shape) +
                                   ", not DT_STRING; read it with Read");
  }
  std::string raw(entry.size, '\0');
  MNIST_RETURN_IF_ERROR(ReadRaw(key, entry, raw.data()));
  const std::string where = data_path_ + ": string tensor '" + key + "' at offset " +
                            std::to_string(entry.offset);

  // Layout and checksums: io/bundle/bundle_format.h, TF_FORMAT.md section 4.
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
