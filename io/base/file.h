// Whole-file reads and crash-safe whole-file writes.
//
// Reads return the file's bytes as they are (io/base/gzip.h ReadFileMaybeGzip
// inflates gzip input). Writes go to a
// temporary name in the same directory, are flushed and fsync'ed, then renamed
// over the target, and the directory is fsync'ed: a crash or a full disk
// leaves either the old file or the new one, never a mix, and no temporary.
//
// Thread safety: free functions with no shared state.
#ifndef MNIST_IO_BASE_FILE_H_
#define MNIST_IO_BASE_FILE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "io/base/status.h"

namespace mnist {

// Largest file (after inflating) ReadFileMaybeGzip accepts unless told
// otherwise: a gzip bomb or a hostile header must not exhaust memory.
constexpr uint64_t kDefaultMaxFileBytes = uint64_t{1} << 31;  // 2 GiB

// Opens `path` read-only without blocking, so a FIFO, socket or device
// given as an input cannot hang the open: anything but a regular file (a
// symlink is followed) is InvalidArgument "<path>: is a FIFO, not a regular
// file"; a missing one NotFound. Fills `fd` (O_CLOEXEC, reads block again;
// the caller closes it) and `size`. Every input file is opened through it.
Status OpenForReading(const std::string& path, int* fd, uint64_t* size);

// Resizes `out` to `n` bytes; running out of memory is OutOfMemory naming
// the file being read and the MiB it needs, not an exception from deep inside.
Status ResizeForReading(const std::string& path, std::string* out, uint64_t n);

// Reads all of `path` into `out`. NotFound when it does not exist; a file
// larger than `max_bytes` is DataLoss, refused before anything is allocated.
Status ReadFile(const std::string& path, std::string* out,
                uint64_t max_bytes = kDefaultMaxFileBytes);

// Writes `data` to `path` atomically (temp file, fsync, rename, fsync dir).
// On failure `path` is untouched and the temporary is removed.
Status WriteFileAtomically(const std::string& path, const std::string& data);

// Temporaries are "<final name><infix><16 lowercase hex digits>", with infix
// kAtomicTempInfix (WriteFileAtomically) or kBundleTempInfix (BundleWriter,
// TensorFlow's ".tempstate"), in the directory of the final name.
constexpr char kAtomicTempInfix[] = ".tmp";
constexpr char kBundleTempInfix[] = ".tempstate";

// A fresh temporary name for `path` with `infix` (one of the two above).
std::string TemporaryPathFor(const std::string& path, const char* infix);

// fsync, then close (always); the first failure, naming `path`.
Status SyncAndClose(int fd, const std::string& path);

// True when `filename` (no directory) is such a temporary; sets `final_name`
// to the name it was to become.
bool ParseTemporaryName(const std::string& filename, std::string* final_name);

// Removes the temporaries in `dir` whose final name `keep_if` accepts: what
// a killed writer left. Temporaries of other names are left alone.
template <typename Predicate>
Status RemoveStaleTemporaries(const std::string& dir, Predicate keep_if);

// True when `path` names an existing file or directory.
bool FileExists(const std::string& path);

// True when `path` names an existing directory.
bool IsDirectory(const std::string& path);

// Writes all `n` bytes to `fd` (retrying short writes and EINTR); errors
// name `path`.
Status WriteAll(int fd, const std::string& path, const char* data, size_t n);

// fsyncs the directory holding `path`, so a rename into it is durable.
Status SyncParentDirectory(const std::string& path);

// Removes `path`; a file that is already gone is not an error.
Status RemoveFileIfExists(const std::string& path);

// Creates directory `path` and its missing parents; an existing one is fine.
Status CreateDirectories(const std::string& path);

// CreateDirectories for the directory holding `path` (nothing for a bare name).
Status CreateParentDirectories(const std::string& path);

// Appends `line` to `path` (created if missing) and fsyncs it. When the
// write fails part way (a full disk), the file is cut back to its old size.
Status AppendToFile(const std::string& path, const std::string& line);

// Names of the entries of directory `dir` (no "." or ".."), in no order.
StatusOr<std::vector<std::string>> ListDirectory(const std::string& dir);

template <typename Predicate>
Status RemoveStaleTemporaries(const std::string& dir, Predicate keep_if) {
  StatusOr<std::vector<std::string>> names = ListDirectory(dir);
  if (!names.ok()) return names.status();
  for (const std::string& name : *names) {
    std::string final_name;
    if (ParseTemporaryName(name, &final_name) && keep_if(final_name)) {
      MNIST_RETURN_IF_ERROR(RemoveFileIfExists(dir + "/" + name));
    }
  }
  return Status::Ok();
}

}  // namespace mnist

#endif  // MNIST_IO_BASE_FILE_H_
