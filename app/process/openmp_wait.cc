#include "app/process/openmp_wait.h"

#include <limits.h>
#include <unistd.h>

#include <cstdlib>

namespace mnist {

void RunAgainWithShortOpenMpSpins(char** argv) {
  if (std::getenv(kOpenMpRerunVariable) != nullptr) {  // the second run: libgomp has read it
    unsetenv(kOpenMpRerunVariable);
    unsetenv("GOMP_SPINCOUNT");
    return;
  }
  if (std::getenv("GOMP_SPINCOUNT") != nullptr || std::getenv("OMP_WAIT_POLICY") != nullptr) return;
  // The program's own path, not /proc/self/exe: the kernel names the process
  // after the file run, and `ps` and `pgrep` should still see "mnist".
  char path[PATH_MAX];
  const ssize_t length = readlink("/proc/self/exe", path, sizeof(path) - 1);
  if (length <= 0) return;
  path[length] = '\0';
  if (setenv("GOMP_SPINCOUNT", kOpenMpSpinCount, /*overwrite=*/0) != 0) return;
  if (setenv(kOpenMpRerunVariable, "1", /*overwrite=*/1) == 0) execv(path, argv);
  unsetenv(kOpenMpRerunVariable);  // not run again: libgomp never read them
  unsetenv("GOMP_SPINCOUNT");
}

}  // namespace mnist
