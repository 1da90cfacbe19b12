#include "app/process/address_space.h"

#include <sched.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace mnist {
namespace {

// The positive number `name` is set to in `env`, or 0.
int PositiveFromEnv(char** env, const char* name) {
  const size_t length = std::strlen(name);
  for (char** entry = env; entry != nullptr && *entry != nullptr; ++entry) {
    if (std::strncmp(*entry, name, length) == 0 && (*entry)[length] == '=') {
      return std::max(0, std::atoi(*entry + length + 1));
    }
  }
  return 0;
}

// What the process has mapped now (/proc/self/statm's first field), or 0.
uint64_t MappedBytes() {
  FILE* statm = std::fopen("/proc/self/statm", "r");
  if (statm == nullptr) return 0;
  unsigned long long pages = 0;
  const bool read = std::fscanf(statm, "%llu", &pages) == 1;
  std::fclose(statm);
  return read ? pages * static_cast<uint64_t>(sysconf(_SC_PAGESIZE)) : 0;
}

uint64_t MiB(uint64_t bytes) { return (bytes + (uint64_t{1} << 20) - 1) >> 20; }

}  // namespace

int OpenBlasThreadsAtStart(char** env) {
  int cpus = static_cast<int>(sysconf(_SC_NPROCESSORS_CONF));
  cpu_set_t allowed;
  if (sched_getaffinity(0, sizeof(allowed), &allowed) == 0) cpus = std::min(cpus, CPU_COUNT(&allowed));
  cpus = std::max(cpus, 1);
  int threads = PositiveFromEnv(env, "OPENBLAS_NUM_THREADS");
  if (threads == 0) threads = PositiveFromEnv(env, "GOTO_NUM_THREADS");
  if (threads == 0) threads = PositiveFromEnv(env, "OMP_NUM_THREADS");
  return threads == 0 ? cpus : std::min(threads, cpus);
}

std::string AddressSpaceShortfall(int buffers, int threads) {
#ifndef EIGEN_USE_BLAS
  (void)buffers;
  (void)threads;
  return "";  // Eigen's own products: an allocation that fails is std::bad_alloc
#else
  struct rlimit limit;
  if (getrlimit(RLIMIT_AS, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return "";
  const uint64_t need = uint64_t(buffers) * kOpenBlasBufferBytes + kStartHeadroomBytes;
  // Try it: what counts against the limit is the whole address space,
  // mapped libraries included, so a trial mapping is the exact test.
  void* trial = mmap(nullptr, need, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (trial != MAP_FAILED) {
    munmap(trial, need);
    return "";
  }
  char line[256];
  std::snprintf(line, sizeof(line),
                "the address-space limit (ulimit -v) is %llu MiB; this run needs about %llu MiB "
                "(OpenBLAS maps %llu MiB for each of its %d thread%s and for the caller%s)",
                static_cast<unsigned long long>(MiB(limit.rlim_cur)),
                static_cast<unsigned long long>(MiB(MappedBytes() + need)),
                static_cast<unsigned long long>(MiB(kOpenBlasBufferBytes)), threads,
                threads > 1 ? "s" : "", threads > 1 ? "; OMP_NUM_THREADS=1 needs less" : "");
  return line;
#endif
}

}  // namespace mnist
