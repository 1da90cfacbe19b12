// mnist_bench: times our side of the benchmark (bench/run.sh) on one data
// set: start-up to the first batch, one training epoch, evaluation of the
// test set, a full-state checkpoint save (with fsync) against writing the
// same bytes raw, a restore; each fusion's gain (fused against plain, in
// alternate epochs); where an epoch's time goes: the training step's
// parts timed in place (batch gathering, forward, loss, backward, Adam) and
// each of its matrix products alone, in order, through nn/network/gemm.h (the
// products' ceiling); the FLOPs of an epoch's and an evaluation's matrix
// products, and the rate of one large SGEMM in each library the network can
// use (the arithmetic limit: the faster), and the memory's rate. Prints one `key value` line per
// figure, values in seconds unless the key says otherwise, for bench/report.py.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <iterator>
#include <numeric>
#include <string>
#include <vector>

#include "app/training/evaluate.h"
#include "app/process/openmp_wait.h"
#include "app/modes/train.h"
#include "app/training/training_run.h"
#include "checkpoints/saver/saver.h"
#include "data/dataset/batches.h"
#include "data/dataset/dataset.h"
#include "io/base/file.h"
#include "nn/loss/softmax_cross_entropy.h"
#include "nn/network/gemm.h"
#include "nn/optimizer/adam.h"
#include "nn/optimizer/ema.h"
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

// GFLOP/s of C = A B for n x n matrices through `library`'s Gemm (both
// threads), one value a rep.
std::vector<double> SgemmGflops(mnist::GemmLibrary library, int reps, int n = 2048) {
  const mnist::Matrix a = mnist::Matrix::Random(n, n), b = mnist::Matrix::Random(n, n);
  mnist::Matrix c(n, n);
  mnist::Gemm gemm({false, false, n, n, n}, library);
  gemm.Run(a.data(), b.data(), c.data());  // warm-up
  std::vector<double> rates;
  for (int r = 0; r < std::max(reps, 3); ++r) {
    const Clock::time_point t = Clock::now();
    gemm.Run(a.data(), b.data(), c.data());
    rates.push_back(2.0 * n * n * n / Since(t) / 1e9);
  }
  return rates;
}

// GB/s of the machine's memory, both threads: a[i] = b[i] + s c[i] over
// arrays far larger than any cache (12 bytes an element moved, as the STREAM
// benchmark's triad counts them), one value a rep.
std::vector<double> MemoryGbps(int reps, int64_t n = int64_t{32} << 20) {
  std::vector<float> a(static_cast<size_t>(n), 0.0f), b(a.size(), 1.0f), c(a.size(), 2.0f);
  std::vector<double> rates;
  for (int r = 0; r < std::max(reps, 3) + 1; ++r) {
    const Clock::time_point t = Clock::now();
#pragma omp parallel for simd schedule(static)
    for (int64_t i = 0; i < n; ++i) a[i] = b[i] + 0.5f * c[i];
    if (r > 0) rates.push_back(12.0 * static_cast<double>(n) / Since(t) / 1e9);  // the first touches the pages
  }
  return rates;
}

// Seconds a loop spends in each of its parts, timed lap by lap: Lap(part)
// charges the time since the previous lap (or Start) to `part`.
class Laps {
 public:
  explicit Laps(size_t parts) : spent_(parts, 0.0) {}
  void Start() { last_ = Clock::now(); }
  void Lap(size_t part) {
    const Clock::time_point now = Clock::now();
    spent_[part] += std::chrono::duration<double>(now - last_).count();
    last_ = now;
  }
  double spent(size_t part) const { return spent_[part]; }

 private:
  std::vector<double> spent_;
  Clock::time_point last_;
};

// The forward's products of `model` on x (batch columns) through `gemms`,
// each layer's output in (*out)[l]: with the bias and ReLU as oneDNN
// post-ops when `fused`, else as a pass after each product (Eigen's, as Mlp
// did before the post-ops).
void ForwardProducts(mnist::Mlp& model, mnist::GemmCache* gemms, const float* x, int batch, bool fused,
                     std::vector<std::vector<float>>* out) {
  using namespace mnist;
  const std::vector<int>& sizes = model.sizes();
  out->resize(sizes.size() - 1);
  const float* in = x;
  for (size_t l = 0; l + 1 < sizes.size(); ++l) {
    std::vector<float>& z = (*out)[l];
    z.resize(static_cast<size_t>(sizes[l + 1]) * batch);
    Gemm& gemm = gemms->Get(ForwardShape(sizes[l], sizes[l + 1], batch));
    const float* w = model.kernel(static_cast<int>(l)).value.data();
    const Vector& b = model.bias(static_cast<int>(l)).value;
    const bool relu = l + 2 < sizes.size();
    if (fused) {
      gemm.RunBias(w, in, b.data(), relu, z.data());
    } else {
      gemm.Run(w, in, z.data());
      AddBias(sizes[l + 1], batch, b.data(), relu, z.data());
    }
    in = z.data();
  }
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
  const std::vector<int> sizes = LayerSizes(defaults);
  Mlp model(sizes);
  Rng rng(defaults.seed, 0);
  model.Init(&rng, defaults.init_stddev);
  AdamOptions adam_options;
  adam_options.learning_rate = defaults.learning_rate;
  Adam adam(adam_options, model.variables());
  const Split& train = data->train;
  const int64_t steps = BatchCount(train.size(), batch);  // an epoch's
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
    for (int64_t b = 0; b < steps; ++b) {
      const int64_t begin = b * batch, end = std::min<int64_t>(begin + batch, train.size());
      FillBatch(train, order.data(), begin, end, x.data(), labels.data());
      TrainStep(&model, &adam, x.data(), labels.data(), static_cast<int>(end - begin), defaults.l2,
                dlogits.data());
    }
    epochs.push_back(Since(t));
  }
  Print("train_epoch", epochs);

  // The same epochs again, TrainStep's parts (nn/training/train_step.cc) each
  // timed where it runs: seconds an epoch spends in each.
  const char* kParts[] = {"gather", "forward", "loss", "backward", "adam"};
  constexpr size_t kPartCount = std::size(kParts);
  std::vector<std::vector<double>> parts(kPartCount);
  for (int r = 0; r < reps; ++r) {
    order = EpochOrder(train.size(), 0, r + 1);
    Laps laps(kPartCount);
    laps.Start();
    for (int64_t b = 0; b < steps; ++b) {
      const int64_t begin = b * batch, end = std::min<int64_t>(begin + batch, train.size());
      FillBatch(train, order.data(), begin, end, x.data(), labels.data());
      laps.Lap(0);
      ConstMatrixMap logits = model.Forward(x.data(), static_cast<int>(end - begin));
      laps.Lap(1);
      SoftmaxCrossEntropy(logits, labels.data(), dlogits.data());
      laps.Lap(2);
      model.Backward(dlogits.data());
      laps.Lap(3);
      adam.Step(&model.variables(), defaults.l2);
      laps.Lap(4);
    }
    for (size_t part = 0; part < kPartCount; ++part) parts[part].push_back(laps.spent(part));
  }
  for (size_t part = 0; part < kPartCount; ++part) Print((std::string("step_") + kParts[part]).c_str(), parts[part]);

  std::vector<double> evals;
  double accuracy = 0;
  for (int r = 0; r < reps + 2; ++r) {
    const Clock::time_point t = Clock::now();
    accuracy = Evaluate(&model, data->test).accuracy;
    evals.push_back(Since(t));
  }
  Print("eval", evals);
  // The same evaluations, their parts timed where they run (Evaluate's loop,
  // app/training/evaluate.cc): gathering, forward, softmax and counting; and
  // the forward's three products alone at the evaluation batch.
  {
    const Split& test = data->test;
    const int eval_batch = static_cast<int>(std::min<uint32_t>(kEvalBatchSize, test.size()));
    std::vector<float> ex(size_t{kImagePixels} * eval_batch);
    std::vector<int32_t> elabels(eval_batch), predictions(eval_batch);
    std::vector<double> gather, forward, loss, products;
    GemmCache eval_gemms;
    std::vector<std::vector<float>> out;
    for (int r = 0; r < reps + 2; ++r) {
      Laps laps(3);
      laps.Start();
      for (int64_t begin = 0; begin < test.size(); begin += eval_batch) {
        const int64_t end = std::min<int64_t>(begin + eval_batch, test.size());
        FillBatch(test, nullptr, begin, end, ex.data(), elabels.data());
        laps.Lap(0);
        ConstMatrixMap logits = model.Forward(ex.data(), static_cast<int>(end - begin));
        laps.Lap(1);
        SoftmaxCrossEntropySum(logits, elabels.data(), predictions.data());
        laps.Lap(2);
      }
      gather.push_back(laps.spent(0));
      forward.push_back(laps.spent(1));
      loss.push_back(laps.spent(2));
      const Clock::time_point t = Clock::now();
      for (int64_t begin = 0; begin < test.size(); begin += eval_batch) {
        ForwardProducts(model, &eval_gemms, ex.data(), eval_batch, /*fused=*/true, &out);
      }
      products.push_back(Since(t));
    }
    Print("eval_gather", gather);
    Print("eval_forward", forward);
    Print("eval_loss", loss);
    Print("eval_products", products);
  }
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

  // Each fusion's gain, in this run: the work done fused and done the plain
  // way, in alternate epochs (so both meet the same machine), seconds an
  // epoch for each; the model trains on meanwhile, which changes no timing.
  const auto fusion = [&](const char* name, const std::function<void(int64_t)>& fused,
                          const std::function<void(int64_t)>& plain) {
    std::vector<double> times[2];
    for (int r = 0; r < reps; ++r) {
      for (int way = 0; way < 2; ++way) {
        const Clock::time_point t = Clock::now();
        for (int64_t step = 0; step < steps; ++step) (way == 0 ? fused : plain)(step);
        times[way].push_back(Since(t));
      }
    }
    Print((std::string("fusion_") + name + "_fused").c_str(), times[0]);
    Print((std::string("fusion_") + name + "_plain").c_str(), times[1]);
  };
  // The forward's three products with the bias and ReLU as oneDNN post-ops,
  // or a pass over the output after each product (Eigen's, as Mlp did).
  {
    GemmCache forward_gemms;
    std::vector<std::vector<float>> out;
    const auto forward = [&](bool fused) { ForwardProducts(model, &forward_gemms, x.data(), batch, fused, &out); };
    fusion("bias_relu_postop", [&](int64_t) { forward(true); }, [&](int64_t) { forward(false); });
  }
  // Adam with the L2 term and the EMA in its pass, or an L2 pass over the
  // kernels (g += l2 w, and their sum of squares), Adam, then the EMA's pass,
  // each on both threads.
  {
    ExponentialMovingAverage ema(0.999f, model.variables());
    fusion(
        "l2_ema_in_adam",
        [&](int64_t step) { adam.Step(&model.variables(), defaults.l2, &ema, step + 1); },
        [&](int64_t step) {
          double squares = 0.0;
          for (Variable& v : model.variables()) {
            if (!v.is_kernel) continue;
            const float* w = v.value.data();
            float* g = v.grad.data();
#pragma omp parallel for simd schedule(static) reduction(+ : squares)
            for (int64_t k = 0; k < v.num_elements(); ++k) {
              squares += static_cast<double>(w[k]) * w[k];
              g[k] += defaults.l2 * w[k];
            }
          }
          adam.Step(&model.variables());
          ema.Update(model.variables(), step + 1);
          (void)squares;
        });
  }

  // The products of one epoch's training steps alone, in the order a step
  // runs them, through the same Gemm (library and shape) as the network:
  // seconds an epoch spends in each, and in all.
  struct Product {
    std::string name;  // as bench/gemm_libraries names it: forward1, weight_grad3, ...
    GemmShape shape;
  };
  std::vector<Product> products;
  for (size_t l = 0; l + 1 < sizes.size(); ++l) {
    products.push_back({"forward" + std::to_string(l + 1), ForwardShape(sizes[l], sizes[l + 1], batch)});
  }
  for (size_t l = sizes.size() - 1; l-- > 0;) {
    const std::string layer = std::to_string(l + 1);
    products.push_back({"weight_grad" + layer, WeightGradShape(sizes[l], sizes[l + 1], batch)});
    if (l > 0) products.push_back({"input_grad" + layer, InputGradShape(sizes[l], sizes[l + 1], batch)});
  }
  GemmCache gemms;
  std::vector<std::vector<float>> buffers;
  std::vector<std::vector<double>> product_times(products.size());
  std::vector<double> gemm_epochs;
  for (const Product& p : products) {  // operands (a, b, c) of each, filled with small values
    for (int64_t size : {int64_t{p.shape.m} * p.shape.k, int64_t{p.shape.k} * p.shape.n,
                         int64_t{p.shape.m} * p.shape.n}) {
      buffers.emplace_back(static_cast<size_t>(size), 0.01f);
    }
  }
  // One epoch of them; with `cold`, the caches are flushed (a pass over 64 MB
  // on both threads, not timed) before each step, so every step's operands
  // come from memory, as when neighbours on the machine have taken the shared
  // cache. Returns the seconds of each product.
  std::vector<float> flush(size_t{16} << 20, 1.0f);
  const auto products_epoch = [&](bool cold) {
    std::vector<double> spent(products.size());
    for (int64_t step = 0; step < steps; ++step) {
      if (cold) {
        float* f = flush.data();
#pragma omp parallel for simd schedule(static)
        for (size_t k = 0; k < flush.size(); ++k) f[k] = f[k] * 0.5f + 1.0f;
      }
      for (size_t i = 0; i < products.size(); ++i) {
        const Clock::time_point t = Clock::now();
        gemms.Get(products[i].shape).Run(buffers[3 * i].data(), buffers[3 * i + 1].data(), buffers[3 * i + 2].data());
        spent[i] += Since(t);
      }
    }
    return spent;
  };
  std::vector<double> cold_epochs;
  for (int r = 0; r < reps; ++r) {
    const std::vector<double> spent = products_epoch(/*cold=*/false);
    gemm_epochs.push_back(std::accumulate(spent.begin(), spent.end(), 0.0));
    for (size_t i = 0; i < products.size(); ++i) product_times[i].push_back(spent[i]);
    const std::vector<double> cold = products_epoch(/*cold=*/true);
    cold_epochs.push_back(std::accumulate(cold.begin(), cold.end(), 0.0));
  }
  Print("gemm_epoch", gemm_epochs);
  Print("gemm_epoch_cold", cold_epochs);
  for (size_t i = 0; i < products.size(); ++i) {
    Print(("product_" + products[i].name).c_str(), product_times[i]);
    std::printf("product_flops_%s %.0f\n", products[i].name.c_str(),
                2.0 * products[i].shape.m * products[i].shape.n * products[i].shape.k *
                    static_cast<double>(steps));
  }
  // The arithmetic limit, in each library this build can use.
  std::vector<double> best;
  for (GemmLibrary library : {GemmLibrary::kOpenBlas, GemmLibrary::kOneDnn}) {
    if (!GemmLibraryAvailable(library)) continue;
    const std::vector<double> rates = SgemmGflops(library, reps);
    Print(library == GemmLibrary::kOneDnn ? "sgemm_gflops_onednn" : "sgemm_gflops_openblas", rates);
    if (best.empty() || *std::max_element(rates.begin(), rates.end()) > *std::max_element(best.begin(), best.end())) {
      best = rates;
    }
  }
  Print("sgemm_gflops", best);
  // Adam's bytes: its pass reads w, g, m, v and writes w, m, v, 28 bytes a
  // parameter a step; and the memory's rate to compare them with.
  Print("memory_gbps", MemoryGbps(reps));
  int64_t parameters = 0;
  for (const Variable& v : model.variables()) parameters += v.num_elements();
  std::printf("adam_bytes_per_epoch %.0f\n", 28.0 * static_cast<double>(parameters) *
                                                   static_cast<double>(steps));
  (void)RemoveFileIfExists(prefix + ".index");
  (void)RemoveFileIfExists(prefix + ".data-00000-of-00001");
  (void)RemoveFileIfExists(prefix + ".meta");
  (void)RemoveFileIfExists(scratch + "/raw.bin");
  return 0;
}
