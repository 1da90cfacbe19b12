#include "app/cli/exit_code.h"

namespace mnist {

int ExitCode(const Status& status, int stop_signal) {
  switch (status.code()) {
    case Status::Code::kOk:
      return stop_signal != 0 ? 128 + stop_signal : 0;
    case Status::Code::kInvalidArgument:
      return 2;
    case Status::Code::kNotFound:
    case Status::Code::kDataLoss:
    case Status::Code::kIOError:
    case Status::Code::kFailedPrecondition:
    case Status::Code::kOutOfMemory:
    case Status::Code::kCancelled:
      return 1;
  }
  return 1;
}

}  // namespace mnist
