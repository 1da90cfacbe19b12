#include "io/bundle/bundle_writer.h"

#include <fcntl.h>
#include <leveldb/env.h>
#include <leveldb/options.h>
#include <leveldb/slice.h>
#include <leveldb/status.h>
#include <leveldb/table_builder.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <limits>
#include <utility>

#include "io/bundle/bundle_format.h"
#include "io/bundle/crc32c.h"
#include "io/base/file.h"
#include "io/base/byte_coding.h"

namespace mnist {
namespace {

int CreateExclusive(const std::string& path) {
  return ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
}

// The leveldb::TableBuilder's output: a POSIX file with a write buffer. The
// first error is kept as our own Status so that errno's text (e.g. "No space
// left on device") reaches the caller with the file name.
class IndexFile final : public leveldb::WritableFile {
 public:
  IndexFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~IndexFile() override {
    if (fd_ >= 0) ::close(fd_);
  }

  leveldb::Status Append(const leveldb::Slice& data) override {
    if (!error_.ok()) return ToLeveldb();
    buffer_.append(data.data(), data.size());
    return buffer_.size() >= kBufferBytes ? Flush() : leveldb::Status::OK();
  }
  leveldb::Status Flush() override {
    if (error_.ok() && !buffer_.empty()) {
      error_ = WriteAll(fd_, path_, buffer_.data(), buffer_.size());
      buffer_.clear();
    }
    return ToLeveldb();
  }
  leveldb::Status Sync() override {
    Flush();
    if (error_.ok() && ::fsync(fd_) != 0) error_ = Status::FromErrno(path_, "fsync failed", errno);
    return ToLeveldb();
  }
  leveldb::Status Close() override {
    Flush();
    if (fd_ >= 0) {
      if (::close(fd_) != 0 && error_.ok()) {
        error_ = Status::FromErrno(path_, "close failed", errno);
      }
      fd_ = -1;
    }
    return ToLeveldb();
  }

  const Status& error() const { return error_; }

 private:
  static constexpr size_t kBufferBytes = 64 * 1024;

  leveldb::Status ToLeveldb() const {
    return error_.ok() ? leveldb::Status::OK() : leveldb::Status::IOError(error_.message());
  }

  std::string path_;
  int fd_;
  std::string buffer_;
  Status error_;
};

}  // namespace

BundleWriter::BundleWriter(std::string prefix)
    : prefix_(std::move(prefix)),
      data_path_(DataFilename(prefix_, 0, kBundleNumShards)),
      index_path_(IndexFilename(prefix_)),
      data_tmp_path_(TemporaryPathFor(data_path_, kBundleTempInfix)) {
  data_fd_ = CreateExclusive(data_tmp_path_);
  if (data_fd_ < 0) status_ = Status::FromErrno(data_tmp_path_, "cannot create", errno);
}

BundleWriter::~BundleWriter() {
  if (!done_) RemoveTemporaries();
}

Status BundleWriter::CheckNewEntry(const std::string& key, const std::vector<int64_t>& shape,
                                   uint64_t* num_elements) {
  if (done_) return Status::FailedPrecondition(prefix_ + ": Add after Finish or Abandon");
  if (!status_.ok()) return status_;
  if (key.empty()) {
    status_ = Status::InvalidArgument(prefix_ +
                                      ": a tensor may not use the empty key, which holds the "
                                      "bundle header");
    return status_;
  }
  if (entries_.count(key) != 0) {
    status_ = Status::InvalidArgument(prefix_ + ": tensor '" + key + "' added twice");
    return status_;
  }
  uint64_t count = 1;
  for (int64_t dim : shape) {
    if (dim < 0 || __builtin_mul_overflow(count, static_cast<uint64_t>(dim), &count) ||
        count > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      status_ = Status::InvalidArgument(prefix_ + ": tensor '" + key + "' has a bad shape (dim " +
                                        std::to_string(dim) + ")");
      return status_;
    }
  }
  *num_elements = count;
  return Status::Ok();
}

Status BundleWriter::AppendData(const void* bytes, size_t n) {
  status_ = WriteAll(data_fd_, data_tmp_path_, static_cast<const char*>(bytes), n);
  if (status_.ok()) data_size_ += n;
  return status_;
}

void BundleWriter::RecordEntry(const std::string& key, tensorflow::DataType dtype,
                               const std::vector<int64_t>& shape, uint64_t size, uint32_t crc) {
  tensorflow::BundleEntryProto& entry = entries_[key];
  entry.set_dtype(dtype);
  // mutable_shape() marks the field present, so a scalar is written as the
  // empty message `12 00`, as TF writes it.
  tensorflow::TensorShapeProto* proto_shape = entry.mutable_shape();
  for (int64_t dim : shape) proto_shape->add_dim()->set_size(dim);
  entry.set_shard_id(0);
  entry.set_offset(static_cast<int64_t>(data_size_ - size));
  entry.set_size(static_cast<int64_t>(size));
  entry.set_crc32c(crc32c::Mask(crc));
}

Status BundleWriter::Add(const std::string& key, tensorflow::DataType dtype,
                         std::vector<int64_t> shape, const void* bytes, size_t n) {
  uint64_t num_elements = 0;
  MNIST_RETURN_IF_ERROR(CheckNewEntry(key, shape, &num_elements));
  const size_t element_size = DataTypeSize(dtype);
  if (element_size == 0) {
    status_ = Status::InvalidArgument(prefix_ + ": tensor '" + key + "' has dtype " +
                                      std::to_string(static_cast<int>(dtype)) +
                                      ", which has no fixed element size (use AddStrings for "
                                      "DT_STRING)");
    return status_;
  }
  uint64_t expected = 0;
  if (__builtin_mul_overflow(num_elements, element_size, &expected) || expected != n) {
    status_ = Status::InvalidArgument(prefix_ + ": tensor '" + key + "' got " + std::to_string(n) +
                                      " bytes, its shape and dtype need " +
                                      std::to_string(num_elements) + " x " +
                                      std::to_string(element_size));
    return status_;
  }
  MNIST_RETURN_IF_ERROR(AppendData(bytes, n));
  RecordEntry(key, dtype, shape, n, crc32c::Value(bytes, n));
  return Status::Ok();
}

Status BundleWriter::AddStrings(const std::string& key, std::vector<int64_t> shape,
                                const std::vector<std::string>& values) {
  uint64_t num_elements = 0;
  MNIST_RETURN_IF_ERROR(CheckNewEntry(key, shape, &num_elements));
  if (num_elements != values.size()) {
    status_ = Status::InvalidArgument(prefix_ + ": string tensor '" + key + "' has " +
                                      std::to_string(values.size()) +
                                      " values, its shape needs " + std::to_string(num_elements));
    return status_;
  }
  // Layout (TF_FORMAT.md section 4): varint64 lengths, masked CRC32C of the
  // lengths, string bytes. The lengths' CRC covers each length as a
  // little-endian uint32 (uint64 above 4 GiB), not as the varint bytes; the
  // entry CRC covers those same length words, the 4 stored bytes, the strings.
  std::string encoded;
  uint32_t crc = 0;
  for (const std::string& value : values) {
    const uint64_t length = value.size();
    PutVarint64(&encoded, length);
    crc = ExtendLengthCrc(crc, length);
  }
  const size_t length_crc_at = encoded.size();
  PutLE32(&encoded, crc32c::Mask(crc));
  crc = crc32c::Extend(crc, encoded.data() + length_crc_at, 4);
  for (const std::string& value : values) {
    encoded += value;
    crc = crc32c::Extend(crc, value.data(), value.size());
  }
  MNIST_RETURN_IF_ERROR(AppendData(encoded.data(), encoded.size()));
  RecordEntry(key, tensorflow::DT_STRING, shape, encoded.size(), crc);
  return Status::Ok();
}

Status BundleWriter::Finish() {
  if (done_) return Status::FailedPrecondition(prefix_ + ": Finish or Abandon already ran");
  done_ = true;
  if (status_.ok()) status_ = FinishDataFile();
  if (status_.ok()) status_ = WriteIndex();
  if (!status_.ok()) RemoveTemporaries();
  return status_;
}

void BundleWriter::Abandon() {
  if (done_) return;
  done_ = true;
  RemoveTemporaries();
}

Status BundleWriter::FinishDataFile() {
  const int fd = data_fd_;
  data_fd_ = -1;
  MNIST_RETURN_IF_ERROR(SyncAndClose(fd, data_tmp_path_));
  // An index left by an older bundle of this prefix would describe the data
  // file we are about to replace: remove it first, so that any index on disk
  // always matches its data file.
  MNIST_RETURN_IF_ERROR(RemoveFileIfExists(index_path_));
  if (::rename(data_tmp_path_.c_str(), data_path_.c_str()) != 0) {
    return Status::FromErrno(data_path_, "cannot rename " + data_tmp_path_ + " to it", errno);
  }
  data_in_place_ = true;
  return Status::Ok();
}

Status BundleWriter::WriteIndex() {
  index_tmp_path_ = TemporaryPathFor(index_path_, kBundleTempInfix);
  const int fd = CreateExclusive(index_tmp_path_);
  if (fd < 0) return Status::FromErrno(index_tmp_path_, "cannot create", errno);
  IndexFile file(index_tmp_path_, fd);

  leveldb::Options options;
  options.block_size = kIndexBlockSize;
  options.block_restart_interval = kIndexBlockRestartInterval;
  options.compression = leveldb::kNoCompression;
  options.filter_policy = nullptr;
  leveldb::TableBuilder builder(options, &file);

  tensorflow::BundleHeaderProto header;
  header.set_num_shards(kBundleNumShards);
  header.set_endianness(tensorflow::BundleHeaderProto::LITTLE);
  header.mutable_version()->set_producer(kBundleVersion);
  std::string value;
  header.SerializeToString(&value);
  builder.Add(kBundleHeaderKey, value);
  for (const auto& [key, entry] : entries_) {  // std::map: bytewise sorted keys
    entry.SerializeToString(&value);
    builder.Add(key, value);
  }
  // Finish() reports the first error of any Add and always closes the builder.
  const leveldb::Status built = builder.Finish();
  file.Sync();
  file.Close();
  if (!file.error().ok()) return file.error();
  if (!built.ok()) return Status::IOError(index_tmp_path_ + ": " + built.ToString());

  if (::rename(index_tmp_path_.c_str(), index_path_.c_str()) != 0) {
    return Status::FromErrno(index_path_, "cannot rename " + index_tmp_path_ + " to it", errno);
  }
  index_tmp_path_.clear();
  data_in_place_ = false;  // the bundle is complete
  return SyncParentDirectory(index_path_);
}

void BundleWriter::RemoveTemporaries() {
  if (data_fd_ >= 0) {
    ::close(data_fd_);
    data_fd_ = -1;
  }
  // Best effort: the error being reported matters more than a failed unlink.
  RemoveFileIfExists(data_tmp_path_);
  if (!index_tmp_path_.empty()) RemoveFileIfExists(index_tmp_path_);
  if (data_in_place_) RemoveFileIfExists(data_path_);
  data_in_place_ = false;
}

}  // namespace mnist
