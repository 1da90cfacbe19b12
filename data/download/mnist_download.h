// `mnist --download`: fetches the four MNIST files with libcurl from public
// mirrors, tried in order, and keeps a file only when its size and MD5 (from
// libmd) are the published ones.
//
// MnistFiles() is the one table of names, sizes and MD5s. Each download goes
// to memory (FetchUrl, capped at the published size), is checked, and is
// then written with WriteFileAtomically (a temp file renamed into place): a bad or partial download never
// appears under the final name, and nothing is left behind. A file already
// there with the right size and MD5 is kept without fetching it again. A
// mirror that cannot be reached (host not resolved, connection refused or
// timed out) is not tried again for the other files, so an offline machine
// gives up within a few seconds.
//
// Thread safety: one download per directory at a time.
#ifndef MNIST_DATA_DOWNLOAD_MNIST_DOWNLOAD_H_
#define MNIST_DATA_DOWNLOAD_MNIST_DOWNLOAD_H_

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "data/dataset/dataset.h"
#include "io/base/status.h"

namespace mnist {

struct RemoteFile {
  std::string name;  // as on the mirrors and on disk, e.g. "t10k-labels-idx1-ubyte.gz"
  uint64_t size;     // bytes
  std::string md5;   // 32 lower-case hex digits
};

// The four MNIST files as Yann LeCun and Corinna Cortes published them.
const std::vector<RemoteFile>& MnistFiles();

// Public mirrors of those files, tried in this order.
const std::vector<std::string>& MnistMirrors();

struct DownloadOptions {
  std::string dir = kLocalMnistDir;   // where the files go (created when one arrives)
  std::vector<std::string> mirrors;   // base URLs; empty = MnistMirrors()
  std::vector<RemoteFile> files;      // empty = MnistFiles(); tests pass stand-ins
  FILE* progress = nullptr;           // where a progress line per file goes (a terminal), or none
};

// OK when `bytes` are `expected`'s size and MD5; else DataLoss saying which
// differs and how, naming `source`.
Status VerifyDownload(const std::string& source, const std::string& bytes,
                      const RemoteFile& expected);

// Fetches every file of `options` that `dir` lacks, printing one line per
// file kept to `out`. When any file cannot be had from any mirror, returns
// an error whose message is one line: "could not download MNIST (offline?):
// <first failure>[, and N more files]; using <what DefaultDataDir() now picks>".
Status DownloadMnist(const DownloadOptions& options, FILE* out);

}  // namespace mnist

#endif  // MNIST_DATA_DOWNLOAD_MNIST_DOWNLOAD_H_
