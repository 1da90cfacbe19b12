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

#include "app/modes/train.h"
#include "app/process/openmp_wait.h"
#include "app/training/evaluate.h"
#include "app/training/training_run.h"
#include "io/base/strings.h"
#include "nn/network/gemm.h"

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

// Who computes the matrix products (nn/network/gemm.h); their last bits
// depend on it (docs/performance.md): the libraries, then which one does each
// product of the default network at the default batch and evaluation's.
std::string Products() {
  const bool onednn = GemmLibraryAvailable(GemmLibrary::kOneDnn);
  std::string text = GemmLibraryName(GemmLibrary::kOpenBlas);
  if (onednn) text += "; " + GemmLibraryName(GemmLibrary::kOneDnn);
  const TrainOptions defaults;
  const std::vector<int> sizes = LayerSizes(defaults);
  const auto name = [](const GemmShape& shape) { return GemmLibraryShortName(ChooseGemmLibrary(shape)); };
  const int batch = defaults.batch_size;
  for (size_t l = 0; l + 1 < sizes.size(); ++l) {
    const int in = sizes[l], out = sizes[l + 1];
    text += "\n    layer " + std::to_string(l + 1) + " (" + std::to_string(in) + "-" + std::to_string(out) +
            ", batch " + std::to_string(batch) + "): forward " + name(ForwardShape(in, out, batch)) +
            ", weight gradient " + name(WeightGradShape(in, out, batch));
    if (l > 0) text += std::string(", input gradient ") + name(InputGradShape(in, out, batch));
    text += std::string("; evaluation (batch ") + std::to_string(kEvalBatchSize) + ") forward " +
            name(ForwardShape(in, out, kEvalBatchSize));
  }
  return text;
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
