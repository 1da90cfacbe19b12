#include "data/download/mnist_download.h"

#include <md5.h>  // libmd

#include "data/download/url_fetch.h"
#include "io/base/file.h"

namespace mnist {
namespace {

std::string Url(const std::string& mirror, const std::string& name) {
  return mirror + (!mirror.empty() && mirror.back() == '/' ? "" : "/") + name;
}

// What the data loader falls back to when no MNIST is in data/mnist.
std::string FallbackDescription() {
  const std::string dir = DefaultDataDir();
  return dir == kDebianFashionMnistDir ? "Fashion-MNIST from " + dir : dir;
}

}  // namespace

const std::vector<RemoteFile>& MnistFiles() {
  static const std::vector<RemoteFile> files = {
      {"train-images-idx3-ubyte.gz", 9912422, "f68b3c2dcbeaaa9fbdd348bbdeb94873"},
      {"train-labels-idx1-ubyte.gz", 28881, "d53e105ee54ea40749a09fcbcd1e9432"},
      {"t10k-images-idx3-ubyte.gz", 1648877, "9fb629c4189551a2d022fa330f9573f3"},
      {"t10k-labels-idx1-ubyte.gz", 4542, "ec29112dd5afa0611ce80d1b7f02629c"},
  };
  return files;
}

const std::vector<std::string>& MnistMirrors() {
  static const std::vector<std::string> mirrors = {
      "https://ossci-datasets.s3.amazonaws.com/mnist/",
      "https://storage.googleapis.com/cvdf-datasets/mnist/",
      "http://yann.lecun.com/exdb/mnist/",
  };
  return mirrors;
}

Status VerifyDownload(const std::string& source, const std::string& bytes,
                      const RemoteFile& expected) {
  if (bytes.size() != expected.size) {
    return Status::DataLoss(source + ": " + std::to_string(bytes.size()) + " bytes, expected " +
                            std::to_string(expected.size));
  }
  char hex[MD5_DIGEST_STRING_LENGTH];
  const std::string md5 =
      MD5Data(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), hex);
  if (md5 != expected.md5) {
    return Status::DataLoss(source + ": md5 " + md5 + ", expected " + expected.md5);
  }
  return Status::Ok();
}

Status DownloadMnist(const DownloadOptions& options, FILE* out) {
  const std::vector<RemoteFile>& files = options.files.empty() ? MnistFiles() : options.files;
  std::vector<std::string> mirrors = options.mirrors.empty() ? MnistMirrors() : options.mirrors;
  std::vector<std::string> failures;
  for (const RemoteFile& file : files) {
    const std::string path = options.dir + "/" + file.name;
    std::string bytes;
    if (ReadFile(path, &bytes).ok() && VerifyDownload(path, bytes, file).ok()) {
      std::fprintf(out, "%s: already there, size and md5 match\n", path.c_str());
      continue;
    }
    Status last = Status::IOError(file.name + ": no reachable mirror left");
    size_t m = 0, tried = 0;
    while (m < mirrors.size()) {
      ++tried;
      const std::string url = Url(mirrors[m], file.name);
      FetchedUrl fetched = FetchUrl(url, file.size, file.name, options.progress);
      last = fetched.status.ok() ? VerifyDownload(url, fetched.bytes, file) : fetched.status;
      if (last.ok()) {
        MNIST_RETURN_IF_ERROR(CreateDirectories(options.dir));
        MNIST_RETURN_IF_ERROR(WriteFileAtomically(path, fetched.bytes));
        std::fprintf(out, "%s: %zu bytes from %s, size and md5 match\n", path.c_str(),
                     fetched.bytes.size(), url.c_str());
        break;
      }
      if (fetched.unreachable) {
        mirrors.erase(mirrors.begin() + static_cast<std::ptrdiff_t>(m));
      } else {
        ++m;
      }
    }
    if (last.ok()) continue;
    failures.push_back(last.message() +
                       (tried > 1 ? " (the last of " + std::to_string(tried) + " mirrors tried)" : ""));
  }
  if (failures.empty()) return Status::Ok();
  std::string message = "could not download MNIST (offline?): " + failures.front();
  if (failures.size() > 1) message += ", and " + std::to_string(failures.size() - 1) + " more files";
  return Status::IOError(message + "; using " + FallbackDescription());
}

}  // namespace mnist
