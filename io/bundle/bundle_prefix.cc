#include "io/bundle/bundle_prefix.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/base/file.h"
#include "io/base/strings.h"
#include "io/bundle/bundle_format.h"

namespace mnist {
namespace {

// "<dir>/<name>", without doubling a trailing slash of `dir`.
std::string InDirectory(const std::string& dir, const std::string& name) {
  return dir.empty() || dir.back() == '/' ? dir + name : dir + "/" + name;
}

// The prefix of the most recently written bundle in `dir`; "" when none.
std::string NewestPrefixIn(const std::string& dir) {
  StatusOr<std::vector<std::string>> names = ListDirectory(dir);
  if (!names.ok()) return "";
  const std::string suffix = IndexFilename("");
  std::string newest;
  struct timespec newest_time = {0, 0};
  for (const std::string& name : *names) {
    std::string stem;
    if (!StripSuffix(name, suffix, &stem)) continue;
    struct stat st;
    if (::stat(InDirectory(dir, name).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    const struct timespec& t = st.st_mtim;
    if (newest.empty() || t.tv_sec > newest_time.tv_sec ||
        (t.tv_sec == newest_time.tv_sec && t.tv_nsec > newest_time.tv_nsec)) {
      newest = stem;
      newest_time = t;
    }
  }
  return newest.empty() ? "" : InDirectory(dir, newest);
}

// True when `path` ends with a leveldb table's magic, as a V1 checkpoint
// (one SSTable named exactly `<prefix>`) and every `.index` do.
bool EndsWithTableMagic(const std::string& path, off_t size) {
  if (size < static_cast<off_t>(kTableFooterSize)) return false;
  int fd = -1;
  uint64_t opened_size = 0;
  if (!OpenForReading(path, &fd, &opened_size).ok()) return false;
  unsigned char tail[8];
  const bool read = ::pread(fd, tail, sizeof(tail), size - 8) == static_cast<ssize_t>(sizeof(tail));
  ::close(fd);
  uint64_t magic = 0;
  for (int i = 7; i >= 0; --i) magic = (magic << 8) | tail[i];
  return read && magic == kTableMagicNumber;
}

}  // namespace

Status CheckBundlePrefix(const std::string& prefix) {
  if (FileExists(IndexFilename(prefix))) return Status::Ok();
  if (IsDirectory(prefix)) {
    const std::string example = NewestPrefixIn(prefix);
    if (example.empty()) {
      return Status::InvalidArgument(prefix + " is a directory, not a checkpoint prefix, and holds "
                                     "no checkpoint (no .index file)");
    }
    return Status::InvalidArgument(prefix + " is a directory, not a checkpoint prefix; give the "
                                   "prefix of a checkpoint in it, e.g. " + example);
  }
  // P.index, P.data-00000-of-00001 or P.meta: the prefix is what comes before
  // the last dot of the file's name.
  const size_t dot = prefix.rfind('.');
  const size_t slash = prefix.rfind('/');
  if (dot != std::string::npos && (slash == std::string::npos || dot > slash + 1)) {
    const std::string stem = prefix.substr(0, dot);
    if (FileExists(IndexFilename(stem))) {
      return Status::InvalidArgument(prefix + " is a file of the checkpoint " + stem +
                                     ", not its prefix; give the prefix " + stem);
    }
  }
  struct stat st;
  if (::stat(prefix.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
    if (EndsWithTableMagic(prefix, st.st_size)) {
      return Status::FailedPrecondition(prefix +
                                     " is a TensorFlow V1 checkpoint (TensorSliceWriter format), "
                                     "which is not supported; re-save it with TF's V2 format "
                                     "(tf.train.Saver(write_version=tf.train.SaverDef.V2))");
    }
    return Status::InvalidArgument(prefix + " is a file, not a checkpoint prefix: a prefix P names "
                                   "the files P.index and P.data-00000-of-00001");
  }
  return Status::NotFound(IndexFilename(prefix) + ": no such file, so no checkpoint with prefix " +
                          prefix);
}

}  // namespace mnist
