#include "checkpoints/saver/saver.h"

#include <set>

#include "nn/optimizer/ema.h"

namespace mnist {
namespace {

// Reads each model variable under its own name, the name `options.var_map`
// maps to it, or (use_ema) that name's EMA shadow.
Status RestoreModelVariables(const BundleReader& reader, const RestoreOptions& options, Mlp* model,
                             std::vector<std::string>* notes) {
  const std::string& prefix = reader.prefix();
  std::map<std::string, std::string> source;  // model name -> checkpoint name
  std::set<std::string> model_names;
  for (const Variable& v : model->variables()) model_names.insert(v.name);
  for (const auto& [ckpt_name, model_name] : options.var_map) {
    if (!model_names.count(model_name)) {
      return Status::InvalidArgument("var map entry " + ckpt_name + "=" + model_name +
                             ": the model has no variable " + model_name);
    }
    source[model_name] = ckpt_name;
    if (notes) notes->push_back("restored " + model_name + " from " + ckpt_name);
  }
  if (options.use_ema) MNIST_RETURN_IF_ERROR(CheckHasEmaShadows(reader));
  for (Variable& v : model->variables()) {
    std::string key = source.count(v.name) ? source[v.name] : v.name;
    if (options.use_ema) key += kEmaSuffix;
    Status read = ReadTensor(reader, key, tensorflow::DT_FLOAT, v.shape, v.value.data(),
                             sizeof(float) * static_cast<size_t>(v.num_elements()),
                             "model variable " + v.name);
    if (read.code() == Status::Code::kNotFound && source.count(v.name)) {
      return Status::InvalidArgument(prefix + ": var map entry " + source[v.name] + "=" + v.name +
                             ": the checkpoint has no tensor " + key);
    }
    MNIST_RETURN_IF_ERROR(read);
  }
  return Status::Ok();
}

}  // namespace

Status RestoreCheckpoint(const std::string& prefix, const RestoreOptions& options,
                         TrainingState* state, std::vector<std::string>* notes) {
  StatusOr<std::unique_ptr<BundleReader>> reader = BundleReader::Open(prefix);
  if (!reader.ok()) return reader.status();
  return RestoreCheckpoint(**reader, options, state, notes);
}

Status RestoreCheckpoint(const BundleReader& reader, const RestoreOptions& options,
                         TrainingState* state, std::vector<std::string>* notes) {
  MNIST_RETURN_IF_ERROR(RestoreModelVariables(reader, options, state->model, notes));
  if (!options.training) return Status::Ok();
  MNIST_RETURN_IF_ERROR(RestoreTrainingTensors(reader, state));
  const TrainProgress& p = state->progress;
  if (p.epoch < 0 || p.batch_in_epoch < 0 || p.global_step < 0) {
    return Status::DataLoss(reader.prefix() + ": negative training counters (epoch " +
                            std::to_string(p.epoch) + ", batch " +
                            std::to_string(p.batch_in_epoch) + ")");
  }
  return Status::Ok();
}

Status CheckHasEmaShadows(const BundleReader& reader) {
  if (HoldsVariableGroup(reader, kEmaSuffix)) return Status::Ok();
  return Status::FailedPrecondition(reader.prefix() + " has no ExponentialMovingAverage shadows");
}

StatusOr<int64_t> ReadGlobalStep(const std::string& prefix) {
  StatusOr<std::unique_ptr<BundleReader>> reader = BundleReader::Open(prefix);
  if (!reader.ok()) return reader.status();
  int64_t step = 0;
  MNIST_RETURN_IF_ERROR(
      ReadTensor(**reader, kGlobalStepKey, tensorflow::DT_INT64, {}, &step, sizeof(step), kGlobalStepKey));
  return step;
}

}  // namespace mnist
