#include "io/base/file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <random>

namespace mnist {
namespace {

// What a file of mode `mode` is, for "<path>: is a FIFO, not a regular file".
const char* FileKind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  return "a special file";
}

Status NotARegularFile(const std::string& path, mode_t mode) {
  return Status::FailedPrecondition(path + ": is " + FileKind(mode) + ", not a regular file");
}

std::string DirectoryOf(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// Transparent huge pages for a large buffer before its first touch: the
// training images (47 MB) then fault in 2 MiB at a time instead of 4 KiB,
// which takes a third of a second off start-up on a virtual machine, where
// each fault is slow. Only advice: where the kernel has no such pages (or
// says never), nothing changes.
constexpr uintptr_t kHugePageBytes = uintptr_t{2} << 20;

void AdviseHugePages(char* data, size_t n) {
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(data) + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
  const uintptr_t end = (reinterpret_cast<uintptr_t>(data) + n) & ~(kHugePageBytes - 1);
  if (end > begin) (void)::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

}  // namespace

Status ResizeForReading(const std::string& path, std::string* out, uint64_t n) {
  try {
    if (n > out->capacity() && n >= kHugePageBytes * 2) {
      std::string grown;  // fresh pages, advised before what *out holds is copied in
      grown.reserve(n);
      AdviseHugePages(grown.data(), n);
      grown.append(*out);
      out->swap(grown);
    }
    out->resize(n);
  } catch (const std::exception&) {  // std::bad_alloc, or std::length_error past max_size()
    return Status::OutOfMemory(path + ": reading it needs " + std::to_string((n + (1 << 20) - 1) >> 20) +
                               " MiB");
  }
  return Status::Ok();
}

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

Status OpenForReading(const std::string& path, int* fd, uint64_t* size) {
  *fd = -1;
  // O_NONBLOCK: opening a FIFO with no writer returns at once instead of
  // waiting for one (forever); the type check below then refuses it.
  const int opened = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  struct stat st;
  if (opened < 0) {
    const int err = errno;
    if (err == ENOENT) return Status::NotFound(path + ": no such file");
    // A socket cannot be opened at all (ENXIO): say what it is.
    if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) return NotARegularFile(path, st.st_mode);
    return Status::FromErrno(path, "cannot open", err);
  }
  Status status;
  int flags = 0;
  if (::fstat(opened, &st) != 0) {
    status = Status::FromErrno(path, "cannot stat", errno);
  } else if (!S_ISREG(st.st_mode)) {
    status = NotARegularFile(path, st.st_mode);
  } else if ((flags = ::fcntl(opened, F_GETFL)) < 0 ||
             ::fcntl(opened, F_SETFL, flags & ~O_NONBLOCK) != 0) {
    status = Status::FromErrno(path, "cannot open", errno);
  }
  if (!status.ok()) {
    ::close(opened);
    return status;
  }
  *fd = opened;
  *size = static_cast<uint64_t>(st.st_size);
  return Status::Ok();
}

Status ReadFile(const std::string& path, std::string* out, uint64_t max_bytes) {
  int fd = -1;
  uint64_t size = 0;
  MNIST_RETURN_IF_ERROR(OpenForReading(path, &fd, &size));
  if (size > max_bytes) {
    ::close(fd);
    return Status::DataLoss(path + ": " + std::to_string(size) +
                            " bytes is more than the limit of " + std::to_string(max_bytes));
  }
  Status allocated = ResizeForReading(path, out, size);
  if (!allocated.ok()) {
    ::close(fd);
    return allocated;
  }
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
  // O_NONBLOCK: a FIFO there fails at once (no reader) or is refused below.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
                  0644);
  struct stat st_before;
  if (fd < 0) {
    const int err = errno;
    if (::stat(path.c_str(), &st_before) == 0 && !S_ISREG(st_before.st_mode)) {
      return NotARegularFile(path, st_before.st_mode);
    }
    return Status::FromErrno(path, "cannot open for append", err);
  }
  const bool stated = ::fstat(fd, &st_before) == 0;
  if (stated && !S_ISREG(st_before.st_mode)) {
    ::close(fd);
    return NotARegularFile(path, st_before.st_mode);
  }
  (void)::fcntl(fd, F_SETFL, O_APPEND);  // writes block again
  const off_t size_before = stated ? st_before.st_size : -1;
  Status st = WriteAll(fd, path, line.data(), line.size());
  // A full disk may take part of the line: cut it off again, so the file
  // holds whole lines only.
  if (!st.ok() && size_before >= 0) (void)::ftruncate(fd, size_before);
  if (st.ok() && ::fsync(fd) != 0) st = Status::FromErrno(path, "fsync failed", errno);
  if (::close(fd) != 0 && st.ok()) st = Status::FromErrno(path, "close failed", errno);
  return st;
}

}  // namespace mnist
