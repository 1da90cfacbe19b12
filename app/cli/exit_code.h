// The exit codes of `mnist`, decided here and nowhere else.
//
// One rule, by the Status code alone: a wrong value (InvalidArgument: a bad
// flag, a flag the mode does not read, a value that is malformed, out of
// range, or names something that is not there) is 2; every other error (a
// data, checkpoint, disk or memory problem) is 1; a run stopped by SIGINT or
// SIGTERM is 128 + the signal, as a shell reports a process it killed.
// kExitCodes says what each code means, word for word as the README's
// "Exit codes" table, which tests/app/exit_code_test.cc checks against it.
#ifndef MNIST_APP_CLI_EXIT_CODE_H_
#define MNIST_APP_CLI_EXIT_CODE_H_

#include "io/base/status.h"

namespace mnist {

struct ExitCodeMeaning {
  int code;
  const char* meaning;
};
inline constexpr ExitCodeMeaning kExitCodes[] = {
    {0, "Success."},
    {1, "A data, checkpoint, disk or memory problem; the message names the file (or the network) "
        "and the problem."},
    {2, "A bad flag or value: an unknown flag, a flag the mode does not read, a repeated flag, a "
        "missing or malformed value, a value out of range, or a value naming something that is "
        "not there (a node, a tensor, a checkpoint prefix)."},
    {130, "Stopped by SIGINT (Ctrl-C) after saving the resume checkpoint."},
    {143, "Stopped by SIGTERM after saving the resume checkpoint."},
};

// The exit code for a mode that ended with `status`, after the stop signal
// `stop_signal` (0: none came) if it stopped for one.
int ExitCode(const Status& status, int stop_signal = 0);

}  // namespace mnist

#endif  // MNIST_APP_CLI_EXIT_CODE_H_
