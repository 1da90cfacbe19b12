// mnist_bench: times our side of the benchmark (bench/run.sh) on one data
// set: start-up to the first batch, one training epoch, evaluation of the
// test set, a full-state checkpoint save (with fsync) against writing the
// same bytes raw, a restore, and the GEMMs of one training step alone (the
// Eigen ceiling); the FLOPs of an epoch's and an evaluation's matrix products,
// and the rate of one large SGEMM through the same products the network uses
// (the arithmetic limit). Prints one `key value` line per figure, values in
// seconds unless the key says otherwise, for bench/report.py.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "app/training/evaluate.h"
#include "app/process/openmp_wait.h"
#include "app/modes/train.h"
#include "checkpoints/saver/saver.h"
#include "data/dataset/batches.h"
#include "data/dataset/dataset.h"
#include "io/base/file.h"
#include "nn/optimizer/adam.h"
#include "nn/network/mlp.h"
#include "nn/training/train_step.h"

namespace {

using Clock = std::chrono::steady_clock;
double Since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// FLOPs of the matrix products (2 m n k each) for one example through the
// network `sizes`: the forward products, and when `training` each layer's
// weight gradient and the input gradient of every layer but the first (8
// products a step for 3 layers). Every product is linear in the batch, so an
// epoch's count, last partial batch included, is this times its examples.
double ProductFlopsPerExample(const std::vector<int>& sizes, bool training) {
  double flops = 0;
  for (size_t l = 1; l < sizes.size(); ++l) {
    const double mk = 2.0 * sizes[l - 1] * sizes[l];
    flops += mk;                                // forward
    if (training) flops += mk + (l > 1 ? mk : 0);  // weight gradient, input gradient
  }
  return flops;
}

// GFLOP/s of C = A B for n x n matrices through Eigen's product, which goes
// to the same BLAS as the network's (nn/CMakeLists.txt), one value a rep.
std::vector<double> SgemmGflops(int reps, int n = 2048) {
  const mnist::Matrix a = mnist::Matrix::Random(n, n), b = mnist::Matrix::Random(n, n);
  mnist::Matrix c(n, n);
  c.noalias() = a * b;  // warm-up
  std::vector<double> rates;
  for (int r = 0; r < std::max(reps, 3); ++r) {
    const Clock::time_point t = Clock::now();
    c.noalias() = a * b;
    rates.push_back(2.0 * n * n * n / Since(t) / 1e9);
  }
  return rates;
}

void Print(const char* key, const std::vector<double>& runs) {
  std::vector<double> s = runs;
  std::sort(s.begin(), s.end());
  std::printf("%s", key);
  for (double v : s) std::printf(" %.6f", v);
  std::printf("\n");
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace mnist;
  // As `mnist` runs (app/process/openmp_wait.h); the start-up figure leaves out the
  // first load, which `mnist --version` shows to be a few milliseconds.
  RunAgainWithShortOpenMpSpins(argv);
  const Clock::time_point start = Clock::now();
  const std::string data_dir = argc > 1 ? argv[1] : DefaultDataDir();
  const std::string scratch = argc > 2 ? argv[2] : "/tmp/mnist_bench";
  const int reps = argc > 3 ? std::atoi(argv[3]) : 3;
  const TrainOptions defaults;  // the network and hyperparameters `mnist --train` uses
  const int batch = defaults.batch_size;

  StatusOr<Dataset> data = LoadDataset(data_dir, kImagePixels);
  if (!data.ok()) {
    std::fprintf(stderr, "mnist_bench: %s\n", data.status().ToString().c_str());
    return 1;
  }
  std::vector<int> sizes = {kImagePixels};
  sizes.insert(sizes.end(), defaults.hidden.begin(), defaults.hidden.end());
  sizes.push_back(kNumClasses);
  Mlp model(sizes);
  Rng rng(defaults.seed, 0);
  model.Init(&rng, defaults.init_stddev);
  AdamOptions adam_options;
  adam_options.learning_rate = defaults.learning_rate;
  Adam adam(adam_options, model.variables());
  const Split& train = data->train;
  std::vector<float> x(size_t{kImagePixels} * batch), dlogits(size_t{kNumClasses} * batch);
  std::vector<int32_t> labels(batch);
  std::vector<uint32_t> order = EpochOrder(train.size(), 0, 1);
  FillBatch(train, order.data(), 0, batch, x.data(), labels.data());
  Print("startup", {Since(start)});
  std::printf("train_examples %u\ntest_examples %u\n", train.size(), data->test.size());
  std::printf("train_flops %.0f\neval_flops %.0f\n", ProductFlopsPerExample(sizes, true) * train.size(),
              ProductFlopsPerExample(sizes, false) * data->test.size());

  std::vector<double> epochs;
  for (int r = 0; r < reps; ++r) {
    order = EpochOrder(train.size(), 0, r + 1);
    const Clock::time_point t = Clock::now();
    for (int64_t b = 0; b < BatchCount(train.size(), batch); ++b) {
      const int64_t begin = b * batch, end = std::min<int64_t>(begin + batch, train.size());
      FillBatch(train, order.data(), begin, end, x.data(), labels.data());
      TrainStep(&model, &adam, x.data(), labels.data(), static_cast<int>(end - begin), defaults.l2,
                dlogits.data());
    }
    epochs.push_back(Since(t));
  }
  Print("train_epoch", epochs);

  std::vector<double> evals;
  double accuracy = 0;
  for (int r = 0; r < reps + 2; ++r) {
    const Clock::time_point t = Clock::now();
    accuracy = Evaluate(&model, data->test).accuracy;
    evals.push_back(Since(t));
  }
  Print("eval", evals);
  std::printf("val_acc %.4f\n", accuracy);

  Status made = CreateDirectories(scratch);
  if (!made.ok()) {
    std::fprintf(stderr, "mnist_bench: %s\n", made.ToString().c_str());
    return 1;
  }
  TrainingState state{&model, &adam, nullptr, TrainProgress{}, RunSettings{}};
  std::vector<double> saves, restores, raws, stalls;
  CheckpointSnapshot snapshot;
  const std::string prefix = scratch + "/bench.ckpt-1";
  for (int r = 0; r < reps + 2; ++r) {
    // What training waits for when the save runs in the background (app/modes/train.cc).
    Clock::time_point t = Clock::now();
    TakeSnapshot(state, &snapshot);
    stalls.push_back(Since(t));
    t = Clock::now();
    Status st = SaveCheckpoint(prefix, state);
    saves.push_back(Since(t));
    if (!st.ok()) {
      std::fprintf(stderr, "mnist_bench: %s\n", st.ToString().c_str());
      return 1;
    }
    RestoreOptions options;
    options.training = true;
    t = Clock::now();
    st = RestoreCheckpoint(prefix, options, &state);
    restores.push_back(Since(t));
    if (!st.ok()) {
      std::fprintf(stderr, "mnist_bench: %s\n", st.ToString().c_str());
      return 1;
    }
    std::string bytes;
    (void)ReadFile(prefix + ".data-00000-of-00001", &bytes);
    t = Clock::now();
    (void)WriteFileAtomically(scratch + "/raw.bin", bytes);
    raws.push_back(Since(t));
    if (r == 0) std::printf("checkpoint_bytes %zu\n", bytes.size());
  }
  Print("save", saves);
  Print("save_raw", raws);
  Print("restore", restores);
  Print("save_stall", stalls);

  // The GEMMs of one epoch's training steps alone, on the same shapes.
  std::vector<double> gemms;
  Matrix w1 = Matrix::Random(1024, 784), w2 = Matrix::Random(512, 1024), w3 = Matrix::Random(10, 512);
  Matrix in = Matrix::Random(784, batch), h1(1024, batch), h2(512, batch), o(10, batch);
  Matrix d3 = Matrix::Random(10, batch), d2(512, batch), d1(1024, batch);
  Matrix g1(1024, 784), g2(512, 1024), g3(10, 512);
  for (int r = 0; r < reps; ++r) {
    const Clock::time_point t = Clock::now();
    for (int64_t step = 0; step < BatchCount(train.size(), batch); ++step) {
      h1.noalias() = w1 * in;
      h2.noalias() = w2 * h1;
      o.noalias() = w3 * h2;
      g3.noalias() = d3 * h2.transpose();
      d2.noalias() = w3.transpose() * d3;
      g2.noalias() = d2 * h1.transpose();
      d1.noalias() = w2.transpose() * d2;
      g1.noalias() = d1 * in.transpose();
    }
    gemms.push_back(Since(t));
  }
  Print("gemm_epoch", gemms);
  Print("sgemm_gflops", SgemmGflops(reps));
  (void)RemoveFileIfExists(prefix + ".index");
  (void)RemoveFileIfExists(prefix + ".data-00000-of-00001");
  (void)RemoveFileIfExists(prefix + ".meta");
  (void)RemoveFileIfExists(scratch + "/raw.bin");
  return 0;
}
