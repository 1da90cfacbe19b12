#include "app/openmp_wait.h"

#include <unistd.h>

#include <cstdlib>

namespace mnist {

void RunAgainWithShortOpenMpSpins(char** argv) {
  if (std::getenv("GOMP_SPINCOUNT") != nullptr || std::getenv("OMP_WAIT_POLICY") != nullptr) return;
  if (setenv("GOMP_SPINCOUNT", kOpenMpSpinCount, /*overwrite=*/0) != 0) return;
  execv("/proc/self/exe", argv);  // returns only on failure
}

}  // namespace mnist
