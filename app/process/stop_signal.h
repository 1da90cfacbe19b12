// SIGINT and SIGTERM as a polite request to stop training.
//
// InstallStopSignalHandlers() makes the first SIGINT or SIGTERM only record
// its number in a lock-free std::sig_atomic_t (all an async-signal-safe
// handler may do); the training loop polls StopSignalReceived() after every
// batch, writes the resume checkpoint and returns. The handler is one-shot
// (SA_RESETHAND): a second Ctrl-C kills the process at once, which is safe
// because every checkpoint file is written crash-safe.
//
// Thread safety: the flag may be read from any thread; install once, from
// main(), before training starts.
#ifndef MNIST_APP_PROCESS_STOP_SIGNAL_H_
#define MNIST_APP_PROCESS_STOP_SIGNAL_H_

namespace mnist {

// Routes SIGINT and SIGTERM to the flag (see above).
void InstallStopSignalHandlers();

// The number of the first stop signal received, or 0 when none came.
int StopSignalReceived();

}  // namespace mnist

#endif  // MNIST_APP_PROCESS_STOP_SIGNAL_H_
