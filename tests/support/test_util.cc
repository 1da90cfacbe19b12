#include "tests/support/test_util.h"

#include <gtest/gtest.h>
#include <leveldb/env.h>
#include <leveldb/iterator.h>
#include <leveldb/options.h>
#include <leveldb/table.h>
#include <leveldb/table_builder.h>
#include <stdlib.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>

#include "data/dataset/dataset.h"
#include "tests/support/idx_writer.h"

namespace mnist {
namespace testing {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/mnist_test.XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed for " << pattern;
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

namespace {

void WriteSplit(const std::string& dir, const std::string& images_stem,
                const std::string& labels_stem, uint32_t count, bool gzip, std::mt19937* rng) {
  std::string pixels(size_t{count} * 784, '\0');
  std::string labels(count, '\0');
  for (uint32_t i = 0; i < count; ++i) {
    const int c = static_cast<int>((*rng)() % 10);
    labels[i] = static_cast<char>(c);
    char* image = &pixels[size_t{i} * 784];
    for (int p = 0; p < 784; ++p) image[p] = static_cast<char>((*rng)() % 64);
    const int top = 2 + (c / 5) * 12 + static_cast<int>((*rng)() % 3);
    const int left = 2 + (c % 5) * 5;
    for (int r = top; r < top + 6; ++r) {
      for (int col = left; col < left + 4; ++col) image[r * 28 + col] = static_cast<char>(230);
    }
  }
  const std::string suffix = gzip ? ".gz" : "";
  ASSERT_TRUE(WriteIdxFile(dir + "/" + images_stem + suffix, EncodeIdxImages(count, 28, 28, pixels),
                           gzip).ok());
  ASSERT_TRUE(WriteIdxFile(dir + "/" + labels_stem + suffix, EncodeIdxLabels(labels), gzip).ok());
}

}  // namespace

void WriteSyntheticMnist(const std::string& dir, uint32_t train_count, uint32_t test_count,
                         bool gzip, uint64_t seed) {
  std::filesystem::create_directories(dir);
  std::mt19937 rng(static_cast<uint32_t>(seed));
  WriteSplit(dir, kTrainImagesStem, kTrainLabelsStem, train_count, gzip, &rng);
  WriteSplit(dir, kTestImagesStem, kTestLabelsStem, test_count, gzip, &rng);
}

int RunMnist(const std::string& args, std::string* output) {
  return RunMnistWithMemoryLimit(args, 0, output);
}

int RunMnistWithMemoryLimit(const std::string& args, int64_t kib, std::string* output) {
  const std::string limit = kib > 0 ? "ulimit -v " + std::to_string(kib) + " && exec " : "";
  return RunShell(limit + MNIST_BINARY + " " + args, output);
}

int RunShell(const std::string& command_line, std::string* output) {
  const std::string command = command_line + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "popen failed: " << command;
    return -1;
  }
  output->clear();
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) output->append(buf.data(), n);
  int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int RunMnistUnder(const RunLimits& limits, const std::string& args, std::string* output) {
  output->clear();
  int fds[2];
  if (pipe(fds) != 0) {
    ADD_FAILURE() << "pipe failed";
    return -1;
  }
  const std::string command = std::string("exec ") + MNIST_BINARY + " " + args;
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], 1);
    dup2(fds[1], 2);
    close(fds[0]);
    close(fds[1]);
    for (int sig = 1; sig < NSIG; ++sig) signal(sig, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    if (limits.memory_kib > 0) {
      const rlim_t bytes = static_cast<rlim_t>(limits.memory_kib) * 1024;
      const struct rlimit r = {bytes, bytes};
      setrlimit(RLIMIT_AS, &r);
    }
    if (limits.file_bytes > 0) {
      const struct rlimit r = {static_cast<rlim_t>(limits.file_bytes), static_cast<rlim_t>(limits.file_bytes)};
      setrlimit(RLIMIT_FSIZE, &r);
    }
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  if (pid < 0) {
    close(fds[0]);
    ADD_FAILURE() << "fork failed";
    return -1;
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(limits.timeout_seconds);
  bool killed = false;
  char buf[4096];
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      kill(pid, SIGKILL);
      killed = true;
      break;
    }
    struct pollfd p = {fds[0], POLLIN, 0};
    const int ready = poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 1000)));
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    const ssize_t n = read(fds[0], buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    output->append(buf, static_cast<size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (killed) {
    *output += "\n[killed: still running after " + std::to_string(limits.timeout_seconds) + " s]\n";
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

MnistProcess::MnistProcess(const std::string& args, const std::vector<std::string>& env) {
  std::vector<std::string> words = {MNIST_BINARY};
  std::istringstream split(args);
  for (std::string w; split >> w;) words.push_back(w);
  int fds[2];
  if (pipe(fds) != 0) {
    ADD_FAILURE() << "pipe failed";
    return;
  }
  pid_ = fork();
  if (pid_ == 0) {
    dup2(fds[1], 1);
    dup2(fds[1], 2);
    close(fds[0]);
    close(fds[1]);
    for (const std::string& e : env) putenv(const_cast<char*>(e.c_str()));
    std::vector<char*> argv;
    for (std::string& w : words) argv.push_back(w.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(fds[1]);
  fd_ = fds[0];
  if (pid_ < 0) ADD_FAILURE() << "fork failed";
}

MnistProcess::~MnistProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (fd_ >= 0) close(fd_);
}

bool MnistProcess::WaitForOutput(const std::string& text) {
  char buf[4096];
  while (output_.find(text) == std::string::npos) {
    const ssize_t n = read(fd_, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    output_.append(buf, static_cast<size_t>(n));
  }
  return true;
}

void MnistProcess::Signal(int signal) {
  if (pid_ > 0) kill(pid_, signal);
}

int MnistProcess::Wait() {
  char buf[4096];
  for (ssize_t n; (n = read(fd_, buf, sizeof(buf))) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    output_.append(buf, static_cast<size_t>(n));
  }
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string TestdataPath(const std::string& relative) {
  return std::string(MNIST_TESTDATA_DIR) + "/" + relative;
}

std::string WhyNodePackageIsMissing(const std::string& node_modules, const std::string& package) {
  if (std::system("node --version >/dev/null 2>&1") != 0) return "node is not installed";
  if (!std::filesystem::exists(node_modules + "/" + package + "/package.json")) {
    return package + " is not in " + node_modules + " (./run.sh test installs it with npm)";
  }
  return "";
}

std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFileOrDie(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
  EXPECT_TRUE(out.good()) << "cannot write " << path;
}

KeyValues ReadTableWithLeveldb(const std::string& path) {
  KeyValues out;
  leveldb::Env* env = leveldb::Env::Default();
  uint64_t size = 0;
  leveldb::RandomAccessFile* raw_file = nullptr;
  EXPECT_TRUE(env->GetFileSize(path, &size).ok());
  leveldb::Status s = env->NewRandomAccessFile(path, &raw_file);
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (!s.ok()) return out;
  std::unique_ptr<leveldb::RandomAccessFile> file(raw_file);
  leveldb::Options options;
  options.paranoid_checks = true;
  leveldb::Table* raw_table = nullptr;
  s = leveldb::Table::Open(options, file.get(), size, &raw_table);
  EXPECT_TRUE(s.ok()) << path << ": " << s.ToString();
  if (!s.ok()) return out;
  std::unique_ptr<leveldb::Table> table(raw_table);
  leveldb::ReadOptions read_options;
  read_options.verify_checksums = true;
  std::unique_ptr<leveldb::Iterator> it(table->NewIterator(read_options));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    out.emplace_back(it->key().ToString(), it->value().ToString());
  }
  EXPECT_TRUE(it->status().ok()) << it->status().ToString();
  return out;
}

void WriteTableWithLeveldb(const std::string& path, const KeyValues& entries) {
  leveldb::WritableFile* raw_file = nullptr;
  ASSERT_TRUE(leveldb::Env::Default()->NewWritableFile(path, &raw_file).ok());
  std::unique_ptr<leveldb::WritableFile> file(raw_file);
  leveldb::Options options;
  options.compression = leveldb::kNoCompression;
  leveldb::TableBuilder builder(options, file.get());
  for (const auto& [key, value] : entries) builder.Add(key, value);
  ASSERT_TRUE(builder.Finish().ok());
  ASSERT_TRUE(file->Close().ok());
}

}  // namespace testing
}  // namespace mnist
