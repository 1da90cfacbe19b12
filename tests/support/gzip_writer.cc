#include "tests/support/gzip_writer.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>

namespace mnist {

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

}  // namespace mnist
