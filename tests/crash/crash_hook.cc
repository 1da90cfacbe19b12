// An LD_PRELOAD library for tests/crash/crash_harness.cc: it watches the file
// operations `mnist` makes on files in one directory and SIGKILLs the
// process at a chosen one, so the harness can stop a save at any step.
//
// It wraps open/open64 (with O_CREAT), write, fsync, rename and unlink.
// An operation counts when its file (for write/fsync the fd's file, for
// rename the new name) lies in $MNIST_CRASH_DIR, and is sorted into a kind by
// its name: "data" (.data-), "index" (.index), "meta" (.meta), "state"
// (checkpoint, last_checkpoint), "log" (acc.txt, metrics.csv) or "other".
//
//   MNIST_CRASH_DIR    absolute directory whose files count (required)
//   MNIST_CRASH_KIND   data | index | meta | state | log | any
//   MNIST_CRASH_AT     k: SIGKILL just before the k-th counted operation of
//                      that kind (1-based); unset: only count
//   MNIST_CRASH_SIGNAL TERM: send SIGTERM there instead and carry on (a stop
//                      request landing at that moment)
//   MNIST_CRASH_LOG    file that gets "<kind> <operation> <path>" when it
//                      kills, or "counts data=N index=N meta=N state=N
//                      log=N other=N" at a normal exit
//
// It is test machinery, never linked into mnist. Its own output goes through
// raw syscalls so that it does not count itself.
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

enum Kind { kData, kIndex, kMeta, kState, kLog, kOther, kNumKinds };
const char* const kKindNames[kNumKinds] = {"data", "index", "meta", "state", "log", "other"};

long g_counts[kNumKinds];

const char* Env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : nullptr;
}

void RawAppend(const char* path, const char* text) {
  const int fd = static_cast<int>(
      syscall(SYS_openat, AT_FDCWD, path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  if (fd < 0) return;
  syscall(SYS_write, fd, text, std::strlen(text));
  syscall(SYS_close, fd);
}

// The kind of `path`, or -1 when it is outside $MNIST_CRASH_DIR.
int KindOf(const char* path) {
  const char* dir = Env("MNIST_CRASH_DIR");
  if (dir == nullptr || path == nullptr) return -1;
  const size_t n = std::strlen(dir);
  if (std::strncmp(path, dir, n) != 0 || path[n] != '/' || std::strchr(path + n + 1, '/')) {
    return -1;
  }
  const char* name = path + n + 1;
  if (std::strstr(name, ".data-")) return kData;
  if (std::strstr(name, ".index")) return kIndex;
  if (std::strstr(name, ".meta")) return kMeta;
  if (std::strncmp(name, "checkpoint", 10) == 0 || std::strncmp(name, "last_checkpoint", 15) == 0) {
    return kState;
  }
  if (std::strncmp(name, "acc.txt", 7) == 0 || std::strncmp(name, "metrics.csv", 11) == 0) return kLog;
  return kOther;
}

// The kind of the file open on `fd`; its path goes to `path`.
int KindOfFd(int fd, char (&path)[4096]) {
  char link[64];
  std::snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
  const ssize_t n = readlink(link, path, sizeof(path) - 1);
  if (n <= 0) return -1;
  path[n] = '\0';
  return KindOf(path);
}

// Counts one operation and kills the process when it is the chosen one.
void Count(int kind, const char* operation, const char* path) {
  if (kind < 0) return;
  const long seen = ++g_counts[kind];
  const char* at = Env("MNIST_CRASH_AT");
  const char* want = Env("MNIST_CRASH_KIND");
  if (at == nullptr || want == nullptr) return;
  if (std::strcmp(want, "any") != 0 && std::strcmp(want, kKindNames[kind]) != 0) return;
  if (seen != std::atol(at)) return;
  if (const char* log = Env("MNIST_CRASH_LOG")) {
    char line[4300];
    std::snprintf(line, sizeof(line), "%s %s %s\n", kKindNames[kind], operation, path);
    RawAppend(log, line);
  }
  const char* signal = Env("MNIST_CRASH_SIGNAL");
  const bool term = signal != nullptr && std::strcmp(signal, "TERM") == 0;
  syscall(SYS_kill, syscall(SYS_getpid), term ? SIGTERM : SIGKILL);
}

template <typename F>
F Real(const char* name) {
  return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

__attribute__((destructor)) void ReportCounts() {
  const char* log = Env("MNIST_CRASH_LOG");
  if (log == nullptr || Env("MNIST_CRASH_AT") != nullptr) return;
  char line[256];
  std::snprintf(line, sizeof(line), "counts data=%ld index=%ld meta=%ld state=%ld log=%ld other=%ld\n",
                g_counts[kData], g_counts[kIndex], g_counts[kMeta], g_counts[kState],
                g_counts[kLog], g_counts[kOther]);
  RawAppend(log, line);
}

int OpenWith(const char* real_name, const char* path, int flags, va_list args) {
  mode_t mode = 0;
  if (flags & (O_CREAT | O_TMPFILE)) mode = static_cast<mode_t>(va_arg(args, int));
  if (flags & O_CREAT) Count(KindOf(path), "create", path);
  using OpenFn = int (*)(const char*, int, ...);
  static OpenFn real_open = Real<OpenFn>("open");
  static OpenFn real_open64 = Real<OpenFn>("open64");
  OpenFn real = std::strcmp(real_name, "open") == 0 ? real_open : real_open64;
  return real(path, flags, mode);
}

}  // namespace

extern "C" {

int open(const char* path, int flags, ...) {
  va_list args;
  va_start(args, flags);
  const int fd = OpenWith("open", path, flags, args);
  va_end(args);
  return fd;
}

int open64(const char* path, int flags, ...) {
  va_list args;
  va_start(args, flags);
  const int fd = OpenWith("open64", path, flags, args);
  va_end(args);
  return fd;
}

ssize_t write(int fd, const void* buf, size_t n) {
  static auto real = Real<ssize_t (*)(int, const void*, size_t)>("write");
  char path[4096];
  if (fd > 2) Count(KindOfFd(fd, path), "write", path);
  return real(fd, buf, n);
}

int fsync(int fd) {
  static auto real = Real<int (*)(int)>("fsync");
  char path[4096];
  Count(KindOfFd(fd, path), "fsync", path);
  return real(fd);
}

int rename(const char* from, const char* to) {
  static auto real = Real<int (*)(const char*, const char*)>("rename");
  Count(KindOf(to), "rename", to);
  return real(from, to);
}

int unlink(const char* path) {
  static auto real = Real<int (*)(const char*)>("unlink");
  Count(KindOf(path), "unlink", path);
  return real(path);
}

}  // extern "C"
