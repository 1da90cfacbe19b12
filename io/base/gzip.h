// Reading files that may be gzip-compressed (IDX data sets come either way).
#ifndef MNIST_IO_BASE_GZIP_H_
#define MNIST_IO_BASE_GZIP_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "io/base/file.h"
#include "io/base/status.h"

namespace mnist {

// How a format's header declares the whole file's size: from_head gets the
// first head_bytes bytes and returns the file's size in bytes, header
// included, or 0 when they are no valid header.
struct DeclaredSize {
  size_t head_bytes = 0;  // 0: no header to go by
  std::function<uint64_t(const std::string& head)> from_head;
};

// Reads `path`; when it starts with the gzip magic (1f 8b) inflates it
// (concatenated members included). A truncated or corrupt stream, or more
// than `max_bytes` of output, is DataLoss naming the file. With `declared`,
// a gzip file's header is inflated first and the output buffer is
// allocated once, at the size it declares: more than `max_bytes` is refused
// before anything is allocated, output beyond it is DataLoss, and an
// invalid header ends the read there (the caller's parser rejects it).
// Memory running out while reading is OutOfMemory naming the file and the
// MiB it needs.
Status ReadFileMaybeGzip(const std::string& path, std::string* out,
                         uint64_t max_bytes = kDefaultMaxFileBytes,
                         const DeclaredSize& declared = {});

}  // namespace mnist

#endif  // MNIST_IO_BASE_GZIP_H_
