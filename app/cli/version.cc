#include "app/cli/version.h"

#include <google/protobuf/stubs/common.h>
#include <leveldb/db.h>
#include <omp.h>
#include <png.h>
#include <zlib.h>

#include <Eigen/Core>
#include <cstdio>
#include <cstdlib>
#include <cxxopts.hpp>

#include "app/process/openmp_wait.h"
#include "io/base/strings.h"

#ifdef EIGEN_USE_BLAS
extern "C" char* openblas_get_config(void);  // libopenblas: version, build and CPU kernel
#endif

#ifndef MNIST_VERSION
#error "MNIST_VERSION must be defined by the build (app/CMakeLists.txt)"
#endif

namespace mnist {
namespace {

std::string Dotted(int major, int minor, int patch) {
  return StrJoin(std::vector<int>{major, minor, patch}, ".");
}

// How idle OpenMP threads wait (app/process/openmp_wait.h): the variables libgomp read.
std::string OpenMpWait() {
  std::vector<std::string> set;
  for (const char* name : {"OMP_WAIT_POLICY", "GOMP_SPINCOUNT"}) {
    if (const char* value = std::getenv(name)) set.push_back(std::string(name) + "=" + value);
  }
  return set.empty() ? std::string("libgomp's default spin count (--train, --eval, --predict: "
                                    "GOMP_SPINCOUNT=") + kOpenMpSpinCount + ")"
                     : StrJoin(set, " ");
}

// Who computes the matrix products; their last bits depend on it (README).
std::string Products() {
#ifdef EIGEN_USE_BLAS
  return openblas_get_config();
#else
  return "Eigen's own";
#endif
}

}  // namespace

std::string VersionText() {
  // GOOGLE_PROTOBUF_VERSION is major * 1000000 + minor * 1000 + patch.
  const int protobuf = GOOGLE_PROTOBUF_VERSION;
  std::string text = std::string("mnist ") + MNIST_VERSION + "\n";
  text += "  Eigen " + Dotted(EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION, EIGEN_MINOR_VERSION) + "\n";
  text += "  protobuf " + Dotted(protobuf / 1000000, protobuf / 1000 % 1000, protobuf % 1000) + "\n";
  text += "  leveldb " + std::to_string(leveldb::kMajorVersion) + "." +
          std::to_string(leveldb::kMinorVersion) + "\n";
  text += std::string("  zlib ") + ZLIB_VERSION + "\n";
  text += std::string("  libpng ") + PNG_LIBPNG_VER_STRING + "\n";
  text += "  cxxopts " + Dotted(CXXOPTS__VERSION_MAJOR, CXXOPTS__VERSION_MINOR,
                                CXXOPTS__VERSION_PATCH) + "\n";
  text += "  OpenMP " + std::to_string(_OPENMP) + ", " + std::to_string(omp_get_max_threads()) +
          " threads, " + OpenMpWait() + "\n";
  text += "  matrix products: " + Products() + "\n";
  return text;
}

}  // namespace mnist
