#include "io/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <random>

namespace mnist {
namespace {

// Opens `path` read-only; fills `size`.
Status OpenForRead(const std::string& path, int* fd, uint64_t* size) {
  *fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (*fd < 0) {
    if (errno == ENOENT) return Status::NotFound(path + ": no such file");
    return Status::FromErrno(path, "cannot open", errno);
  }
  struct stat st;
  if (::fstat(*fd, &st) != 0) {
    int err = errno;
    ::close(*fd);
    return Status::FromErrno(path, "cannot stat", err);
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(*fd);
    return Status::InvalidArgument(path + ": is a directory, expected a file");
  }
  *size = static_cast<uint64_t>(st.st_size);
  return Status::Ok();
}

std::string DirectoryOf(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

Status Inflate(const std::string& path, const std::string& in, std::string* out,
               uint64_t max_bytes) {
  // The gzip trailer's last four bytes hold the input size mod 2^32: a good
  // first guess for the output buffer, so the common case allocates once.
  // The trailer is untrusted: the guess never exceeds what deflate's best
  // ratio (1032:1) could give from this input.
  constexpr uint64_t kMaxDeflateRatio = 1032;
  size_t guess = in.size() * 4;
  if (in.size() >= 4) {
    const auto* t = reinterpret_cast<const unsigned char*>(in.data() + in.size() - 4);
    uint32_t isize = uint32_t{t[0]} | uint32_t{t[1]} << 8 | uint32_t{t[2]} << 16 |
                     uint32_t{t[3]} << 24;
    if (isize > 0 && isize <= max_bytes && isize <= in.size() * kMaxDeflateRatio) guess = isize;
  }
  out->clear();
  out->resize(std::min<uint64_t>(guess, max_bytes) + 1);

  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) return Status::IOError(path + ": zlib init failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  size_t produced = 0;
  size_t consumed_total = 0;
  Status status;
  while (true) {
    if (produced == out->size()) {
      if (out->size() > max_bytes) {
        status = Status::DataLoss(path + ": inflates to more than " +
                                  std::to_string(max_bytes) + " bytes, the limit");
        break;
      }
      out->resize(std::min<uint64_t>(uint64_t{out->size()} * 2, max_bytes + 1));
    }
    size_t in_left = in.size() - consumed_total;
    zs.avail_in = static_cast<uInt>(std::min<size_t>(in_left, 1u << 30));
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()) + consumed_total);
    size_t room = out->size() - produced;
    zs.avail_out = static_cast<uInt>(std::min<size_t>(room, 1u << 30));
    zs.next_out = reinterpret_cast<Bytef*>(&(*out)[produced]);
    uInt avail_in_before = zs.avail_in;
    uInt avail_out_before = zs.avail_out;
    int rc = inflate(&zs, Z_NO_FLUSH);
    consumed_total += avail_in_before - zs.avail_in;
    produced += avail_out_before - zs.avail_out;
    if (rc == Z_STREAM_END) {
      // Another gzip member may follow (as `cat a.gz b.gz` makes).
      if (consumed_total < in.size()) {
        inflateReset(&zs);
        continue;
      }
      break;
    }
    if (rc == Z_BUF_ERROR && consumed_total == in.size()) {
      status = Status::DataLoss(path + ": gzip stream is truncated after " +
                                std::to_string(in.size()) + " compressed bytes");
      break;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      status = Status::DataLoss(path + ": corrupt gzip stream near compressed byte " +
                                std::to_string(consumed_total) + ": " +
                                (zs.msg ? zs.msg : "inflate failed"));
      break;
    }
  }
  inflateEnd(&zs);
  if (!status.ok()) {
    out->clear();
    return status;
  }
  if (produced > max_bytes) {
    return Status::DataLoss(path + ": inflates to more than " + std::to_string(max_bytes) +
                            " bytes, the limit");
  }
  out->resize(produced);
  // The trailer's size is right for every well-formed single-member file,
  // so the buffer is then one byte too big: keep it, since shrinking would
  // copy it (a second 47 MB of training images at the peak of RSS). Only a
  // guess that doubled far past the data is given back.
  if (out->capacity() > produced + produced / 4) out->shrink_to_fit();
  return Status::Ok();
}

}  // namespace

Status WriteAll(int fd, const std::string& path, const char* data, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, data, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return Status::FromErrno(path, "write failed", errno);
    }
    data += w;
    n -= static_cast<size_t>(w);
  }
  return Status::Ok();
}

Status ReadFile(const std::string& path, std::string* out, uint64_t max_bytes) {
  int fd = -1;
  uint64_t size = 0;
  MNIST_RETURN_IF_ERROR(OpenForRead(path, &fd, &size));
  if (size > max_bytes) {
    ::close(fd);
    return Status::DataLoss(path + ": " + std::to_string(size) +
                            " bytes is more than the limit of " + std::to_string(max_bytes));
  }
  out->resize(size);
  size_t got = 0;
  while (got < size) {
    ssize_t r = ::read(fd, &(*out)[got], size - got);
    if (r < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return Status::FromErrno(path, "read failed", err);
    }
    if (r == 0) break;  // the file shrank under us
    got += static_cast<size_t>(r);
  }
  ::close(fd);
  out->resize(got);
  return Status::Ok();
}

Status ReadFileMaybeGzip(const std::string& path, std::string* out, uint64_t max_bytes) {
  std::string raw;
  MNIST_RETURN_IF_ERROR(ReadFile(path, &raw, max_bytes));
  bool gzip = raw.size() >= 2 && static_cast<unsigned char>(raw[0]) == 0x1f &&
              static_cast<unsigned char>(raw[1]) == 0x8b;
  if (!gzip) {  // ReadFile has refused more than max_bytes
    *out = std::move(raw);
    return Status::Ok();
  }
  return Inflate(path, raw, out, max_bytes);
}

Status SyncParentDirectory(const std::string& path) {
  std::string dir = DirectoryOf(path);
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::FromErrno(dir, "cannot open directory to sync", errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0 && err != EINVAL) return Status::FromErrno(dir, "fsync of directory failed", err);
  return Status::Ok();
}

std::string TemporaryPathFor(const std::string& path, const char* infix) {
  static thread_local std::mt19937_64 names{std::random_device{}()};
  char suffix[32];
  std::snprintf(suffix, sizeof(suffix), "%016llx", static_cast<unsigned long long>(names()));
  return path + infix + suffix;
}

Status SyncAndClose(int fd, const std::string& path) {
  Status st;
  if (::fsync(fd) != 0) st = Status::FromErrno(path, "fsync failed", errno);
  if (::close(fd) != 0 && st.ok()) st = Status::FromErrno(path, "close failed", errno);
  return st;
}

Status WriteFileAtomically(const std::string& path, const std::string& data) {
  const std::string tmp = TemporaryPathFor(path, kAtomicTempInfix);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  // Named as the file the caller asked for: the temporary is ours.
  if (fd < 0) return Status::FromErrno(path, "cannot create", errno);
  Status st = WriteAll(fd, tmp, data.data(), data.size());
  const Status closed = SyncAndClose(fd, tmp);
  if (st.ok()) st = closed;
  if (st.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    st = Status::FromErrno(path, "cannot rename " + tmp + " to it", errno);
  }
  if (!st.ok()) {
    ::unlink(tmp.c_str());
    return st;
  }
  return SyncParentDirectory(path);
}

Status WriteGzipFile(const std::string& path, const std::string& data) {
  gzFile gz = gzopen(path.c_str(), "wb");
  if (gz == nullptr) return Status::FromErrno(path, "cannot create", errno);
  size_t done = 0;
  while (done < data.size()) {
    unsigned chunk = static_cast<unsigned>(std::min<size_t>(data.size() - done, 1u << 30));
    if (gzwrite(gz, data.data() + done, chunk) != static_cast<int>(chunk)) {
      gzclose(gz);
      return Status::IOError(path + ": gzip write failed");
    }
    done += chunk;
  }
  if (gzclose(gz) != Z_OK) return Status::IOError(path + ": gzip close failed");
  return Status::Ok();
}

bool ParseTemporaryName(const std::string& filename, std::string* final_name) {
  constexpr size_t kHexDigits = 16;
  if (filename.size() < kHexDigits || filename.find('/') != std::string::npos) return false;
  const size_t hex_at = filename.size() - kHexDigits;
  for (size_t i = hex_at; i < filename.size(); ++i) {
    const char c = filename[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  for (const std::string infix : {kAtomicTempInfix, kBundleTempInfix}) {
    if (hex_at > infix.size() && filename.compare(hex_at - infix.size(), infix.size(), infix) == 0) {
      *final_name = filename.substr(0, hex_at - infix.size());
      return true;
    }
  }
  return false;
}

StatusOr<std::vector<std::string>> ListDirectory(const std::string& dir) {
  std::error_code ec;
  std::vector<std::string> names;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    names.push_back(it->path().filename().string());
  }
  if (ec) return Status::IOError(dir + ": cannot list directory: " + ec.message());
  return names;
}

bool FileExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

bool IsDirectory(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

Status RemoveFileIfExists(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return Status::FromErrno(path, "cannot remove", errno);
  }
  return Status::Ok();
}

Status CreateDirectories(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return Status::IOError(path + ": cannot create directory: " + ec.message());
  if (!std::filesystem::is_directory(path, ec)) {
    return Status::InvalidArgument(path + ": exists but is not a directory");
  }
  return Status::Ok();
}

Status CreateParentDirectories(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos || slash == 0) return Status::Ok();
  return CreateDirectories(path.substr(0, slash));
}

Status AppendToFile(const std::string& path, const std::string& line) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return Status::FromErrno(path, "cannot open for append", errno);
  struct stat st_before;
  const off_t size_before = ::fstat(fd, &st_before) == 0 ? st_before.st_size : -1;
  Status st = WriteAll(fd, path, line.data(), line.size());
  // A full disk may take part of the line: cut it off again, so the file
  // holds whole lines only.
  if (!st.ok() && size_before >= 0) (void)::ftruncate(fd, size_before);
  if (st.ok() && ::fsync(fd) != 0) st = Status::FromErrno(path, "fsync failed", errno);
  if (::close(fd) != 0 && st.ok()) st = Status::FromErrno(path, "close failed", errno);
  return st;
}

}  // namespace mnist
