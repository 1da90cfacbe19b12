// Helpers shared by the tests: scratch directories, small generated data
// sets, running the `mnist` binary, and locating the fixtures in tests/testdata.
#ifndef MNIST_TESTS_SUPPORT_TEST_UTIL_H_
#define MNIST_TESTS_SUPPORT_TEST_UTIL_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mnist {
namespace testing {

// A fresh directory under $TMPDIR (or /tmp), removed with its contents when
// the object goes out of scope.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Writes a learnable 28x28, 10-class data set in the four standard IDX names:
// class c lights a 6x6 block at a position of its own, over uniform noise.
// A small network reaches well over 95% on it in a few epochs.
void WriteSyntheticMnist(const std::string& dir, uint32_t train_count, uint32_t test_count,
                         bool gzip, uint64_t seed = 1);

// Runs `mnist <args>`; returns its exit code and fills `output` with its
// stdout and stderr together.
int RunMnist(const std::string& args, std::string* output);

// Runs `command` with /bin/sh; returns its exit code and fills `output` with
// its stdout and stderr together.
int RunShell(const std::string& command, std::string* output);

// RunMnist with the address space limited to `kib` KiB (ulimit -v), so an
// allocation beyond it fails at once, however much memory the machine has.
int RunMnistWithMemoryLimit(const std::string& args, int64_t kib, std::string* output);

// False in an AddressSanitizer build, whose programs reserve terabytes of
// shadow address space at start, more than any such limit lets them:
// tests of RunMnistWithMemoryLimit skip then.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kMemoryLimitWorks = false;
#else
constexpr bool kMemoryLimitWorks = true;
#endif

// How RunMnistUnder runs `mnist`: the limits a user's shell would set, and a
// deadline past which it is killed, so a hang fails the test instead of
// hanging it.
struct RunLimits {
  int64_t memory_kib = 0;   // ulimit -v; 0: none
  int64_t file_bytes = 0;   // setrlimit(RLIMIT_FSIZE) (ulimit -f); 0: none
  int timeout_seconds = 120;
};

// Runs `mnist <args>` (split by the shell) as a shell started it: every
// signal at its default disposition (SIGXFSZ included) and none blocked.
// Returns its exit code, or 128 + the signal that killed it; past the
// deadline it is SIGKILLed, the code is 137 and `output` says so.
int RunMnistUnder(const RunLimits& limits, const std::string& args, std::string* output);

// `mnist <args>` running in the background, its stdout and stderr on a pipe
// the test reads, so it can wait for a line and then send a signal.
class MnistProcess {
 public:
  // Starts `mnist <args>` (split on spaces). `env` entries ("NAME=value") are
  // added to its environment.
  explicit MnistProcess(const std::string& args, const std::vector<std::string>& env = {});
  // Kills and reaps the process if Wait() did not run.
  ~MnistProcess();
  MnistProcess(const MnistProcess&) = delete;
  MnistProcess& operator=(const MnistProcess&) = delete;

  // Reads output until it contains `text`; false when the process closed
  // its output first.
  bool WaitForOutput(const std::string& text);
  void Signal(int signal);
  // Reads the rest of the output and reaps the process. Returns the exit
  // code, or 128 + the signal that killed it.
  int Wait();
  const std::string& output() const { return output_; }

 private:
  int pid_ = -1;
  int fd_ = -1;  // read end of the output pipe
  std::string output_;
};

// Why a test that runs npm `package` under node (from `node_modules`, where
// ./run.sh test installs it) must skip: node is not installed, or the
// package is not there; "" when it can run.
std::string WhyNodePackageIsMissing(const std::string& node_modules, const std::string& package);

// tests/testdata/<relative> (see its README). Fixtures are part of the
// repository: a test whose fixture is missing fails reading it, never skips.
std::string TestdataPath(const std::string& relative);

// A leveldb table's (a bundle `.index`'s) entries, in key order.
using KeyValues = std::vector<std::pair<std::string, std::string>>;
// Every key/value of the leveldb table at `path`, read by libleveldb itself
// with all checksums verified.
KeyValues ReadTableWithLeveldb(const std::string& path);
// Writes `entries` (sorted keys) as a leveldb table at `path`, for hand-made
// or altered indexes in the corruption tests.
void WriteTableWithLeveldb(const std::string& path, const KeyValues& entries);

std::string ReadFileOrDie(const std::string& path);
void WriteFileOrDie(const std::string& path, const std::string& data);

}  // namespace testing
}  // namespace mnist

#endif  // MNIST_TESTS_SUPPORT_TEST_UTIL_H_
