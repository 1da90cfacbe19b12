#include "checkpoints/saver/saver.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <utility>
#include <set>

#include "nn/graph/graph_tensor.h"
#include "checkpoints/state/naming.h"
#include "io/bundle/bundle_reader.h"
#include "io/bundle/bundle_writer.h"
#include "io/base/file.h"
#include "io/bundle/proto_serialize.h"

namespace mnist {
namespace {

// One tensor to write: its name, type, shape and bytes (not owned).
struct TensorRef {
  std::string name;
  tensorflow::DataType dtype;
  std::vector<int64_t> shape;
  const void* data;
  size_t bytes;
};

void AddVariables(const std::vector<Variable>& vars, std::vector<TensorRef>* out) {
  for (const Variable& v : vars) {
    out->push_back({v.name, tensorflow::DT_FLOAT, v.shape, v.value.data(),
                    sizeof(float) * static_cast<size_t>(v.num_elements())});
  }
}

// Reads tensor `key` of `reader` into `dst`, checking dtype and shape.
Status ReadTensor(const BundleReader& reader, const std::string& key, tensorflow::DataType dtype,
                  const std::vector<int64_t>& shape, void* dst, size_t bytes,
                  const std::string& wanted_by) {
  StatusOr<BundleReader::Entry> entry = reader.Lookup(key);
  if (!entry.ok()) {
    return Status::NotFound(reader.prefix() + ": has no tensor " + key + " (needed for " +
                            wanted_by + ")");
  }
  if (entry->dtype != dtype) {
    return Status::FailedPrecondition(reader.prefix() + ": tensor " + key + " is " +
                                   DtypeName(entry->dtype) + ", but " + wanted_by + " needs " +
                                   DtypeName(dtype));
  }
  if (entry->shape != shape) {
    return Status::FailedPrecondition(reader.prefix() + ": tensor " + key + " has shape " +
                                   ShapeString(entry->shape) + ", but " + wanted_by + " needs " +
                                   ShapeString(shape));
  }
  return reader.Read(key, dst, bytes);
}

Status ReadVariables(const BundleReader& reader, std::vector<Variable>* vars) {
  for (Variable& v : *vars) {
    MNIST_RETURN_IF_ERROR(ReadTensor(reader, v.name, tensorflow::DT_FLOAT, v.shape, v.value.data(),
                                     sizeof(float) * static_cast<size_t>(v.num_elements()), v.name));
  }
  return Status::Ok();
}

template <typename T>
Status ReadScalar(const BundleReader& reader, const std::string& key, tensorflow::DataType dtype,
                  T* out) {
  return ReadTensor(reader, key, dtype, {}, out, sizeof(T), key);
}

// Reads the run's settings when `reader` holds them (all of them, or none:
// an older checkpoint); settings->recorded says which.
Status ReadSettings(const BundleReader& reader, RunSettings* settings) {
  *settings = RunSettings{};
  if (!reader.Contains(kLearningRateKey)) return Status::Ok();
  MNIST_RETURN_IF_ERROR(
      ReadScalar(reader, kLearningRateKey, tensorflow::DT_FLOAT, &settings->learning_rate));
  MNIST_RETURN_IF_ERROR(ReadScalar(reader, kL2Key, tensorflow::DT_FLOAT, &settings->l2));
  MNIST_RETURN_IF_ERROR(ReadScalar(reader, kEmaDecayKey, tensorflow::DT_FLOAT, &settings->ema_decay));
  MNIST_RETURN_IF_ERROR(
      ReadScalar(reader, kValidationSizeKey, tensorflow::DT_INT64, &settings->validation_size));
  MNIST_RETURN_IF_ERROR(
      ReadScalar(reader, kMaxToKeepKey, tensorflow::DT_INT64, &settings->max_to_keep));
  MNIST_RETURN_IF_ERROR(ReadTensor(reader, kDataFingerprintKey, tensorflow::DT_INT64,
                                   {kDataFiles, 2}, settings->data_fingerprint.data(),
                                   sizeof(settings->data_fingerprint), kDataFingerprintKey));
  StatusOr<std::vector<std::string>> dir = reader.ReadStrings(kDataDirKey);
  if (!dir.ok()) return dir.status();
  if (dir->size() != 1) {
    return Status::DataLoss(reader.prefix() + ": tensor " + kDataDirKey + " holds " +
                            std::to_string(dir->size()) + " strings, not one");
  }
  settings->data_dir = (*dir)[0];
  settings->recorded = true;
  return Status::Ok();
}

}  // namespace

StatusOr<RecordedRun> ReadRecordedRun(const BundleReader& reader) {
  RecordedRun run;
  StatusOr<std::vector<int>> sizes = CheckpointLayerSizes(reader);
  if (!sizes.ok()) return sizes.status();
  run.sizes = *sizes;
  MNIST_RETURN_IF_ERROR(ReadSettings(reader, &run.settings));
  TrainProgress& p = run.progress;
  int64_t seed = 0;
  for (const auto& [key, value] : {std::pair<const char*, int64_t*>{kEpochKey, &p.epoch},
                                   {kGlobalStepKey, &p.global_step},
                                   {kBatchSizeKey, &p.batch_size},
                                   {kSeedKey, &seed}}) {
    if (reader.Contains(key)) {
      MNIST_RETURN_IF_ERROR(ReadScalar(reader, key, tensorflow::DT_INT64, value));
    }
  }
  p.seed = static_cast<uint64_t>(seed);
  return run;
}

std::string SettingsLine(const RecordedRun& run) {
  const RunSettings& s = run.settings;
  if (!s.recorded) return "";
  char numbers[256];
  std::snprintf(numbers, sizeof(numbers),
                "lr %g, l2 %g, ema %g, seed %llu, batch %lld, validation %lld, epochs %lld",
                s.learning_rate, s.l2, s.ema_decay,
                static_cast<unsigned long long>(run.progress.seed),
                static_cast<long long>(run.progress.batch_size),
                static_cast<long long>(s.validation_size),
                static_cast<long long>(run.progress.epoch));
  // The directory comes from the checkpoint: its bytes are escaped (io/base/status.h).
  return "settings: network " + SizesString(run.sizes) + ", " + numbers + ", data " +
         EscapeControlBytes(s.data_dir);
}

void TakeSnapshot(const TrainingState& state, CheckpointSnapshot* snapshot) {
  const TrainProgress& p = state.progress;
  const float beta1_power = state.adam->beta1_power();
  const float beta2_power = state.adam->beta2_power();
  const int64_t global_step = p.global_step;
  const int64_t epoch = p.epoch;
  const int64_t batch_in_epoch = p.batch_in_epoch;
  const int64_t seed = static_cast<int64_t>(p.seed);
  const double best = p.best_val_acc;
  const double epoch_loss_sum = p.epoch_loss_sum;
  const int64_t batch_size = p.batch_size;
  const RunSettings& settings = state.settings;
  const std::vector<int>& sizes = state.model->sizes();
  const std::vector<int64_t> hidden(sizes.begin() + 1, sizes.end() - 1);
  const int64_t validation_size = settings.validation_size;
  const int64_t max_to_keep = settings.max_to_keep;

  std::vector<TensorRef> tensors;
  AddVariables(state.model->variables(), &tensors);
  AddVariables(state.adam->m(), &tensors);
  AddVariables(state.adam->v(), &tensors);
  if (state.ema != nullptr) AddVariables(state.ema->shadows(), &tensors);
  tensors.push_back({kBeta1PowerKey, tensorflow::DT_FLOAT, {}, &beta1_power, sizeof(float)});
  tensors.push_back({kBeta2PowerKey, tensorflow::DT_FLOAT, {}, &beta2_power, sizeof(float)});
  tensors.push_back({kGlobalStepKey, tensorflow::DT_INT64, {}, &global_step, sizeof(int64_t)});
  tensors.push_back({kEpochKey, tensorflow::DT_INT64, {}, &epoch, sizeof(int64_t)});
  tensors.push_back({kBatchInEpochKey, tensorflow::DT_INT64, {}, &batch_in_epoch, sizeof(int64_t)});
  tensors.push_back({kSeedKey, tensorflow::DT_INT64, {}, &seed, sizeof(int64_t)});
  tensors.push_back({kBestValAccKey, tensorflow::DT_DOUBLE, {}, &best, sizeof(double)});
  tensors.push_back(
      {kEpochLossSumKey, tensorflow::DT_DOUBLE, {}, &epoch_loss_sum, sizeof(double)});
  tensors.push_back({kBatchSizeKey, tensorflow::DT_INT64, {}, &batch_size, sizeof(int64_t)});
  if (settings.recorded) {  // a state set up by training (not a test's or a tool's)
    tensors.push_back({kLearningRateKey, tensorflow::DT_FLOAT, {}, &settings.learning_rate, sizeof(float)});
    tensors.push_back({kL2Key, tensorflow::DT_FLOAT, {}, &settings.l2, sizeof(float)});
    tensors.push_back({kEmaDecayKey, tensorflow::DT_FLOAT, {}, &settings.ema_decay, sizeof(float)});
    tensors.push_back({kHiddenKey, tensorflow::DT_INT64, {static_cast<int64_t>(hidden.size())},
                       hidden.data(), sizeof(int64_t) * hidden.size()});
    tensors.push_back(
        {kValidationSizeKey, tensorflow::DT_INT64, {}, &validation_size, sizeof(int64_t)});
    tensors.push_back({kMaxToKeepKey, tensorflow::DT_INT64, {}, &max_to_keep, sizeof(int64_t)});
    // A string tensor: its bytes here, encoded as TensorFlow's by WriteSnapshot.
    tensors.push_back({kDataDirKey, tensorflow::DT_STRING, {}, settings.data_dir.data(),
                       settings.data_dir.size()});
    tensors.push_back({kDataFingerprintKey, tensorflow::DT_INT64, {kDataFiles, 2},
                       settings.data_fingerprint.data(), sizeof(settings.data_fingerprint)});
  }
  // TF1's Saver adds tensors sorted by name, so data order = key order.
  std::sort(tensors.begin(), tensors.end(),
            [](const TensorRef& a, const TensorRef& b) { return a.name < b.name; });

  // One contiguous buffer, laid out as the data file will be; reused from
  // the last snapshot when the sizes match, so no allocation after the first.
  size_t total = 0;
  for (const TensorRef& t : tensors) total += t.bytes;
  snapshot->data.resize(total);
  bool same_specs = snapshot->specs.size() == tensors.size();
  snapshot->specs.resize(tensors.size());
  snapshot->offsets.resize(tensors.size());
  size_t offset = 0;
  for (size_t i = 0; i < tensors.size(); ++i) {
    std::memcpy(&snapshot->data[offset], tensors[i].data, tensors[i].bytes);
    snapshot->offsets[i] = offset;
    SavedTensorSpec& spec = snapshot->specs[i];
    same_specs = same_specs && spec.name == tensors[i].name && spec.dtype == tensors[i].dtype &&
                 spec.shape == tensors[i].shape;
    spec = {tensors[i].name, tensors[i].dtype, tensors[i].shape};
    offset += tensors[i].bytes;
  }
  // The .meta depends on the network and the tensor list only: built again
  // only when they differ from the last snapshot's.
  if (!same_specs || snapshot->meta.empty()) {
    snapshot->meta.clear();
    if (!SerializeDeterministically(BuildMetaGraph(*state.model, snapshot->specs), &snapshot->meta)) {
      snapshot->meta.clear();
    }
  }
}

void SetSnapshotBestValAcc(double best_val_acc, CheckpointSnapshot* snapshot) {
  for (size_t i = 0; i < snapshot->specs.size(); ++i) {
    if (snapshot->specs[i].name == kBestValAccKey) {
      std::memcpy(&snapshot->data[snapshot->offsets[i]], &best_val_acc, sizeof(double));
    }
  }
}

Status WriteSnapshot(const std::string& prefix, const CheckpointSnapshot& snapshot) {
  BundleWriter writer(prefix);
  for (size_t i = 0; i < snapshot.specs.size(); ++i) {
    const size_t end = i + 1 < snapshot.offsets.size() ? snapshot.offsets[i + 1] : snapshot.data.size();
    const char* bytes = snapshot.data.data() + snapshot.offsets[i];
    const size_t n = end - snapshot.offsets[i];
    if (snapshot.specs[i].dtype == tensorflow::DT_STRING) {  // one scalar string
      writer.AddStrings(snapshot.specs[i].name, {}, {std::string(bytes, n)});
      continue;
    }
    writer.Add(snapshot.specs[i].name, snapshot.specs[i].dtype, snapshot.specs[i].shape, bytes, n);
  }
  MNIST_RETURN_IF_ERROR(writer.Finish());
  if (snapshot.meta.empty()) {
    return Status::IOError(MetaFilename(prefix) + ": cannot serialize the MetaGraphDef");
  }
  return WriteFileAtomically(MetaFilename(prefix), snapshot.meta);
}

Status SaveCheckpoint(const std::string& prefix, const TrainingState& state) {
  CheckpointSnapshot snapshot;
  TakeSnapshot(state, &snapshot);
  return WriteSnapshot(prefix, snapshot);
}

Status RestoreCheckpoint(const std::string& prefix, const RestoreOptions& options,
                         TrainingState* state, std::vector<std::string>* notes) {
  StatusOr<std::unique_ptr<BundleReader>> reader = BundleReader::Open(prefix);
  if (!reader.ok()) return reader.status();
  return RestoreCheckpoint(**reader, options, state, notes);
}

Status RestoreCheckpoint(const BundleReader& reader, const RestoreOptions& options,
                         TrainingState* state, std::vector<std::string>* notes) {
  const std::string& prefix = reader.prefix();

  // Model variables: under their own name, a mapped name, or the EMA shadow.
  std::map<std::string, std::string> source;  // model name -> checkpoint name
  std::set<std::string> model_names;
  for (const Variable& v : state->model->variables()) model_names.insert(v.name);
  for (const auto& [ckpt_name, model_name] : options.var_map) {
    if (!model_names.count(model_name)) {
      return Status::InvalidArgument("var map entry " + ckpt_name + "=" + model_name +
                             ": the model has no variable " + model_name);
    }
    source[model_name] = ckpt_name;
    if (notes) notes->push_back("restored " + model_name + " from " + ckpt_name);
  }
  if (options.use_ema) MNIST_RETURN_IF_ERROR(CheckHasEmaShadows(reader));
  for (Variable& v : state->model->variables()) {
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
  if (!options.training) return Status::Ok();

  MNIST_RETURN_IF_ERROR(ReadVariables(reader, &state->adam->m()));
  MNIST_RETURN_IF_ERROR(ReadVariables(reader, &state->adam->v()));
  if (state->ema != nullptr && CheckHasEmaShadows(reader).ok()) {
    MNIST_RETURN_IF_ERROR(ReadVariables(reader, &state->ema->shadows()));
  } else if (state->ema != nullptr) {  // --ema-decay new on this resume: shadows start here
    for (size_t i = 0; i < state->ema->shadows().size(); ++i) {
      state->ema->shadows()[i].value = state->model->variables()[i].value;
    }
  }
  float beta1_power = 0, beta2_power = 0;
  MNIST_RETURN_IF_ERROR(ReadScalar(reader, kBeta1PowerKey, tensorflow::DT_FLOAT, &beta1_power));
  MNIST_RETURN_IF_ERROR(ReadScalar(reader, kBeta2PowerKey, tensorflow::DT_FLOAT, &beta2_power));
  state->adam->set_beta_powers(beta1_power, beta2_power);
  TrainProgress& p = state->progress;
  int64_t seed = 0;
  MNIST_RETURN_IF_ERROR(ReadScalar(reader, kGlobalStepKey, tensorflow::DT_INT64, &p.global_step));
  MNIST_RETURN_IF_ERROR(ReadScalar(reader, kEpochKey, tensorflow::DT_INT64, &p.epoch));
  MNIST_RETURN_IF_ERROR(ReadScalar(reader, kBatchInEpochKey, tensorflow::DT_INT64, &p.batch_in_epoch));
  MNIST_RETURN_IF_ERROR(ReadScalar(reader, kSeedKey, tensorflow::DT_INT64, &seed));
  MNIST_RETURN_IF_ERROR(ReadScalar(reader, kBestValAccKey, tensorflow::DT_DOUBLE, &p.best_val_acc));
  // Checkpoints written before the running loss was saved lack it.
  p.epoch_loss_sum = 0.0;
  if (reader.Contains(kEpochLossSumKey)) {
    MNIST_RETURN_IF_ERROR(
        ReadScalar(reader, kEpochLossSumKey, tensorflow::DT_DOUBLE, &p.epoch_loss_sum));
  }
  // Likewise the batch size, which a stop mid-epoch needs to resume at its batch.
  p.batch_size = 0;
  if (reader.Contains(kBatchSizeKey)) {
    MNIST_RETURN_IF_ERROR(ReadScalar(reader, kBatchSizeKey, tensorflow::DT_INT64, &p.batch_size));
  }
  p.seed = static_cast<uint64_t>(seed);
  MNIST_RETURN_IF_ERROR(ReadSettings(reader, &state->settings));
  if (p.epoch < 0 || p.batch_in_epoch < 0 || p.global_step < 0) {
    return Status::DataLoss(prefix + ": negative training counters (epoch " +
                            std::to_string(p.epoch) + ", batch " +
                            std::to_string(p.batch_in_epoch) + ")");
  }
  return Status::Ok();
}

Status CheckHasEmaShadows(const BundleReader& reader) {
  const std::string suffix = kEmaSuffix;
  for (const std::string& key : reader.Keys()) {
    const bool shadow = key.size() > suffix.size() &&
                        key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0;
    if (shadow) return Status::Ok();
  }
  return Status::FailedPrecondition(reader.prefix() +
                                 " has no ExponentialMovingAverage shadows: its run was trained "
                                 "without --ema-decay, so --use-ema has nothing to restore");
}

StatusOr<int64_t> ReadGlobalStep(const std::string& prefix) {
  StatusOr<std::unique_ptr<BundleReader>> reader = BundleReader::Open(prefix);
  if (!reader.ok()) return reader.status();
  int64_t step = 0;
  MNIST_RETURN_IF_ERROR(ReadScalar(**reader, kGlobalStepKey, tensorflow::DT_INT64, &step));
  return step;
}

}  // namespace mnist
