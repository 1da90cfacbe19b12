#include "app/process/stop_signal.h"

#include <csignal>

namespace mnist {
namespace {

volatile std::sig_atomic_t g_stop_signal = 0;

// Keeps the first signal: a SIGTERM after a SIGINT does not change the exit code.
extern "C" void RecordStopSignal(int signal) {
  if (g_stop_signal == 0) g_stop_signal = signal;
}

}  // namespace

void InstallStopSignalHandlers() {
  struct sigaction action = {};
  action.sa_handler = RecordStopSignal;
  sigemptyset(&action.sa_mask);
  // SA_RESTART: a save in progress is not cut short by EINTR.
  action.sa_flags = SA_RESTART | SA_RESETHAND;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

int StopSignalReceived() { return g_stop_signal; }

}  // namespace mnist
