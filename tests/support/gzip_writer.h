// Writing gzip files, for tests that need .gz inputs.
#ifndef MNIST_TESTS_SUPPORT_GZIP_WRITER_H_
#define MNIST_TESTS_SUPPORT_GZIP_WRITER_H_

#include <string>

#include "io/base/status.h"

namespace mnist {

// Writes `data` as a gzip stream to `path` (not atomic).
Status WriteGzipFile(const std::string& path, const std::string& data);

}  // namespace mnist

#endif  // MNIST_TESTS_SUPPORT_GZIP_WRITER_H_
