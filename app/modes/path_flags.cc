#include "app/modes/path_flags.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>

#include "io/base/file.h"

namespace mnist {

bool HasExtension(const std::string& path, const std::string& extension) {
  if (path.size() < extension.size()) return false;
  return std::equal(extension.begin(), extension.end(), path.end() - extension.size(),
                    [](char a, char b) { return std::tolower(a) == std::tolower(b); });
}

Status CheckFolderFlag(const std::string& path, const std::string& flag, const std::string& takes) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || S_ISDIR(st.st_mode)) return Status::Ok();
  return Status::InvalidArgument(path + (S_ISREG(st.st_mode) ? " is a file; " : " is not a folder; ") +
                         flag + " takes " + takes);
}

Status CheckInputFileFlag(const std::string& path, const std::string& flag, const std::string& takes) {
  if (IsDirectory(path)) return Status::InvalidArgument(path + " is a directory; " + flag + " takes " + takes);
  if (!FileExists(path)) return Status::InvalidArgument(path + ": no such file; " + flag + " takes " + takes);
  return Status::Ok();
}

Status CheckOutputName(const std::string& path, const std::string& flag,
                       const std::string& extension, const std::string& format) {
  if (IsDirectory(path)) {
    return Status::InvalidArgument(path + " is a directory; " + flag + " takes the file to write");
  }
  if (!extension.empty() && !HasExtension(path, extension)) {
    return Status::InvalidArgument(path + ": " + flag + " writes " + format + "; give a name ending in " +
                           extension);
  }
  return Status::Ok();
}

Status PrepareOutputFile(const std::string& path, const std::string& flag,
                         const std::string& extension, const std::string& format) {
  MNIST_RETURN_IF_ERROR(CheckOutputName(path, flag, extension, format));
  MNIST_RETURN_IF_ERROR(CreateParentDirectories(path));
  const size_t slash = path.rfind('/');
  const std::string folder =
      slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  if (::access(folder.c_str(), W_OK | X_OK) != 0) {
    return Status::FromErrno(folder, "cannot write " + path + " there", errno);
  }
  return Status::Ok();
}

}  // namespace mnist
