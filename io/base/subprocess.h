// Runs another program and collects what it prints: fork + execvp with an
// argv, never through a shell, so arguments (URLs, paths) reach the program
// exactly as given. stdin is /dev/null; stdout and stderr are captured.
//
// Thread safety: safe to call from one thread at a time (fork in a process
// with other threads running is best avoided).
#ifndef MNIST_IO_BASE_SUBPROCESS_H_
#define MNIST_IO_BASE_SUBPROCESS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "io/base/status.h"

namespace mnist {

struct ProgramOutput {
  int exit_code = 0;  // the exit status, or 128 + the signal that ended it
  std::string out;    // all of its stdout
  std::string err;    // all of its stderr
};

// Runs argv[0] (looked up in PATH) with `argv` and waits for it. NotFound
// when it cannot be started; DataLoss (after killing it) when it prints more
// than `max_out` bytes to stdout. REQUIRES: !argv.empty().
StatusOr<ProgramOutput> RunProgram(const std::vector<std::string>& argv, size_t max_out);

}  // namespace mnist

#endif  // MNIST_IO_BASE_SUBPROCESS_H_
