#include "data/download/mnist_download.h"

#include "io/base/file.h"
#include "io/base/md5.h"
#include "io/base/subprocess.h"

namespace mnist {
namespace {

// curl exit codes meaning the mirror itself is out of reach (curl(1), EXIT
// CODES): 6 host not resolved, 7 connection failed, 28 operation timed out.
bool MirrorUnreachable(int curl_exit) {
  return curl_exit == 6 || curl_exit == 7 || curl_exit == 28;
}

std::string Url(const std::string& mirror, const std::string& name) {
  return mirror + (!mirror.empty() && mirror.back() == '/' ? "" : "/") + name;
}

// The first line of curl's stderr, e.g. "curl: (6) Could not resolve host: x".
std::string FirstLine(const std::string& text, int exit_code) {
  const std::string line = text.substr(0, text.find('\n'));
  return line.empty() ? "curl exited with " + std::to_string(exit_code) : line;
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
  const std::string md5 = Md5Hex(bytes);
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
      StatusOr<ProgramOutput> run = RunProgram(
          {options.curl, "--fail", "--location", "--silent", "--show-error", "--connect-timeout",
           std::to_string(kCurlConnectTimeoutSeconds), "--max-time",
           std::to_string(kCurlMaxTimeSeconds), "--max-filesize", std::to_string(file.size), url},
          file.size);
      if (!run.ok()) {
        if (run.status().code() == Status::Code::kNotFound) {
          last = run.status();
          break;  // no curl: no mirror will do
        }
        last = run.status().WithContext(url);
      } else if (run->exit_code != 0) {
        last = Status::IOError(url + ": " + FirstLine(run->err, run->exit_code));
      } else {
        last = VerifyDownload(url, run->out, file);
      }
      if (last.ok()) {
        MNIST_RETURN_IF_ERROR(CreateDirectories(options.dir));
        MNIST_RETURN_IF_ERROR(WriteFileAtomically(path, run->out));
        std::fprintf(out, "%s: %zu bytes from %s, size and md5 match\n", path.c_str(),
                     run->out.size(), url.c_str());
        break;
      }
      if (run.ok() && MirrorUnreachable(run->exit_code)) {
        mirrors.erase(mirrors.begin() + static_cast<std::ptrdiff_t>(m));
      } else {
        ++m;
      }
    }
    if (last.ok()) continue;
    failures.push_back(last.message() +
                       (tried > 1 ? " (the last of " + std::to_string(tried) + " mirrors tried)" : ""));
    if (last.code() == Status::Code::kNotFound) break;
  }
  if (failures.empty()) return Status::Ok();
  std::string message = "could not download MNIST (offline?): " + failures.front();
  if (failures.size() > 1) message += ", and " + std::to_string(failures.size() - 1) + " more files";
  return Status::IOError(message + "; using " + FallbackDescription());
}

}  // namespace mnist
