#include "app/train.h"

#include <unistd.h>

#include <chrono>
#include <cmath>

#include "app/evaluate.h"
#include "app/progress.h"
#include "data/batches.h"
#include "data/dataset.h"
#include "io/file.h"
#include "nn/adam.h"
#include "nn/l2.h"
#include "nn/mlp.h"
#include "nn/softmax_cross_entropy.h"

namespace mnist {
namespace {

constexpr int kInputSize = 28 * 28;
constexpr int kNumClasses = 10;

std::vector<int> LayerSizes(const TrainOptions& options) {
  std::vector<int> sizes = {kInputSize};
  sizes.insert(sizes.end(), options.hidden.begin(), options.hidden.end());
  sizes.push_back(kNumClasses);
  return sizes;
}

Status AppendAccuracyLine(const std::string& path, int epoch, double accuracy) {
  char line[64];
  std::snprintf(line, sizeof(line), "%d, val_acc: %.4f\n", epoch, accuracy);
  return AppendToFile(path, line);
}

}  // namespace

Status ValidateTrainOptions(const TrainOptions& o) {
  if (o.epochs < 1) {
    return Status::InvalidArgument("--epochs " + std::to_string(o.epochs) + ": must be at least 1");
  }
  if (o.batch_size < 1) {
    return Status::InvalidArgument("--batch-size " + std::to_string(o.batch_size) +
                                   ": must be at least 1");
  }
  if (!(o.learning_rate > 0.0f) || !std::isfinite(o.learning_rate)) {
    return Status::InvalidArgument("--lr " + std::to_string(o.learning_rate) +
                                   ": must be a positive number");
  }
  if (!(o.l2 >= 0.0f) || !std::isfinite(o.l2)) {
    return Status::InvalidArgument("--l2 " + std::to_string(o.l2) + ": must be 0 or positive");
  }
  if (o.hidden.empty()) return Status::InvalidArgument("--hidden: needs at least one width");
  for (int h : o.hidden) {
    if (h < 1) return Status::InvalidArgument("--hidden: width " + std::to_string(h) + " must be at least 1");
  }
  if (o.threads < 0) {
    return Status::InvalidArgument("--threads " + std::to_string(o.threads) + ": must be 0 or more");
  }
  if (o.ckpt_dir.empty()) return Status::InvalidArgument("--ckpt-dir: must not be empty");
  return Status::Ok();
}

Status Train(const TrainOptions& options, FILE* out) {
  MNIST_RETURN_IF_ERROR(ValidateTrainOptions(options));
  const std::string data_dir = options.data_dir.empty() ? DefaultDataDir() : options.data_dir;
  StatusOr<Dataset> data = LoadDataset(data_dir, kInputSize);
  if (!data.ok()) return data.status();
  const Split& train = data->train;
  std::fprintf(out, "data: %s: %u training and %u test images of %ux%u\n", data_dir.c_str(),
               train.size(), data->test.size(), train.images.rows, train.images.cols);

  Mlp model(LayerSizes(options));
  Rng init_rng(options.seed, /*stream=*/0);
  model.Init(&init_rng, options.init_stddev);
  AdamOptions adam_options;
  adam_options.learning_rate = options.learning_rate;
  Adam adam(adam_options, model.variables());

  MNIST_RETURN_IF_ERROR(CreateDirectories(options.ckpt_dir));
  const std::string acc_path = options.ckpt_dir + "/acc.txt";
  MNIST_RETURN_IF_ERROR(WriteFileAtomically(acc_path, ""));  // a new run starts afresh

  const int batch = options.batch_size;
  const int64_t batches = BatchCount(train.size(), batch);
  std::vector<float> x(size_t{kInputSize} * batch);
  std::vector<int32_t> labels(batch);
  std::vector<float> dlogits(size_t{kNumClasses} * batch);
  const bool live = isatty(fileno(out));
  int64_t global_step = 0;

  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    const std::vector<uint32_t> order = EpochOrder(train.size(), options.seed, epoch);
    Progress progress(out, live, batches, batch);
    double loss_sum = 0.0;
    for (int64_t b = 0; b < batches; ++b) {
      const int64_t begin = b * batch;
      const int64_t end = std::min<int64_t>(begin + batch, train.size());
      const int size = static_cast<int>(end - begin);
      FillBatch(train, order.data(), begin, end, x.data(), labels.data());
      ConstMatrixMap logits = model.Forward(x.data(), size);
      float loss = SoftmaxCrossEntropy(logits, labels.data(), dlogits.data());
      model.Backward(dlogits.data());
      loss += ApplyL2(&model.variables(), options.l2);
      adam.Step(&model.variables());
      ++global_step;
      loss_sum += loss;
      progress.Update(b + 1, loss_sum / static_cast<double>(b + 1));
    }
    progress.Finish();

    const EvalResult eval = Evaluate(&model, data->test);
    std::fprintf(out, "epoch:%d, val_loss:%f, val_acc:%f\n", epoch, eval.loss, eval.accuracy);
    std::fflush(out);
    MNIST_RETURN_IF_ERROR(AppendAccuracyLine(acc_path, epoch, eval.accuracy));
  }
  return Status::Ok();
}

}  // namespace mnist
