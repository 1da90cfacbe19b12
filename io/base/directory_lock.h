// An exclusive lock on a directory, so that two processes never write the
// same checkpoints at once (`mnist --train` takes one on its --ckpt-dir).
//
// The lock is flock(2) on the directory itself: no lock file is left behind,
// and the kernel releases it when the holder exits, however it ends (a
// SIGKILL or a crash leaves nothing stale). It is advisory: it keeps out
// only processes that ask for it.
//
// Thread safety: a DirectoryLock is owned by one thread; the lock it holds
// is the process's.
#ifndef MNIST_IO_BASE_DIRECTORY_LOCK_H_
#define MNIST_IO_BASE_DIRECTORY_LOCK_H_

#include <memory>
#include <string>

#include "io/base/status.h"

namespace mnist {

class DirectoryLock {
 public:
  // Locks `dir` (which must exist) without waiting. FailedPrecondition naming
  // `dir` and `holder` (what usually holds it, for the message) when another
  // process has it; IOError when the directory cannot be opened.
  static StatusOr<std::unique_ptr<DirectoryLock>> Acquire(const std::string& dir,
                                                          const std::string& holder);
  ~DirectoryLock();  // releases the lock
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

 private:
  explicit DirectoryLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace mnist

#endif  // MNIST_IO_BASE_DIRECTORY_LOCK_H_
