#include "checkpoints/saver/checkpoint_contents.h"

#include <algorithm>
#include <cstring>

#include "io/base/strings.h"
#include "nn/graph/graph_tensor.h"
#include "nn/network/dense_layers.h"

namespace mnist {
namespace {

using Saved = StateTensor::Saved;
using Restored = StateTensor::Restored;

template <typename T>
void PutBytes(const T& value, std::string* bytes, std::vector<int64_t>* shape) {
  bytes->assign(reinterpret_cast<const char*>(&value), sizeof(T));
  shape->clear();
}

template <typename T>
void TakeBytes(const std::string& bytes, T* value) {
  std::memcpy(value, bytes.data(), sizeof(T));
}

template <typename T>
const T& FieldOf(const TrainingState& s, T TrainProgress::*field) { return s.progress.*field; }
template <typename T>
T& FieldOf(TrainingState& s, T TrainProgress::*field) { return s.progress.*field; }
template <typename T>
const T& FieldOf(const TrainingState& s, T RunSettings::*field) { return s.settings.*field; }
template <typename T>
T& FieldOf(TrainingState& s, T RunSettings::*field) { return s.settings.*field; }

// A scalar field of TrainProgress or RunSettings, saved as its own bytes
// (the seed's uint64 as TensorFlow's int64: the same bytes).
template <auto kField>
void GetField(const TrainingState& s, std::string* bytes, std::vector<int64_t>* shape) {
  PutBytes(FieldOf(s, kField), bytes, shape);
}
template <auto kField>
void SetField(const std::string& bytes, TrainingState* s) {
  TakeBytes(bytes, &FieldOf(*s, kField));
}

void GetBeta1Power(const TrainingState& s, std::string* bytes, std::vector<int64_t>* shape) {
  PutBytes(s.adam->beta1_power(), bytes, shape);
}
void GetBeta2Power(const TrainingState& s, std::string* bytes, std::vector<int64_t>* shape) {
  PutBytes(s.adam->beta2_power(), bytes, shape);
}
void SetBeta1Power(const std::string& bytes, TrainingState* s) {
  float power = 0;
  TakeBytes(bytes, &power);
  s->adam->set_beta_powers(power, s->adam->beta2_power());
}
void SetBeta2Power(const std::string& bytes, TrainingState* s) {
  float power = 0;
  TakeBytes(bytes, &power);
  s->adam->set_beta_powers(s->adam->beta1_power(), power);
}

void GetHidden(const TrainingState& s, std::string* bytes, std::vector<int64_t>* shape) {
  const std::vector<int>& sizes = s.model->sizes();
  const std::vector<int64_t> hidden(sizes.begin() + 1, sizes.end() - 1);
  bytes->assign(reinterpret_cast<const char*>(hidden.data()), sizeof(int64_t) * hidden.size());
  *shape = {static_cast<int64_t>(hidden.size())};
}

void GetDataDir(const TrainingState& s, std::string* bytes, std::vector<int64_t>* shape) {
  *bytes = s.settings.data_dir;
  shape->clear();
}
void SetDataDir(const std::string& bytes, TrainingState* s) { s->settings.data_dir = bytes; }

void GetFingerprint(const TrainingState& s, std::string* bytes, std::vector<int64_t>* shape) {
  PutBytes(s.settings.data_fingerprint, bytes, shape);
  *shape = {kDataFiles, 2};
}
void SetFingerprint(const std::string& bytes, TrainingState* s) {
  TakeBytes(bytes, &s->settings.data_fingerprint);
}

std::vector<Variable>* ModelVariables(const TrainingState& s) { return &s.model->variables(); }
std::vector<Variable>* AdamM(const TrainingState& s) { return s.adam ? &s.adam->m() : nullptr; }
std::vector<Variable>* AdamV(const TrainingState& s) { return s.adam ? &s.adam->v() : nullptr; }
std::vector<Variable>* EmaShadows(const TrainingState& s) {
  return s.ema ? &s.ema->shadows() : nullptr;
}

constexpr auto F = tensorflow::DT_FLOAT;
constexpr auto D = tensorflow::DT_DOUBLE;
constexpr auto I = tensorflow::DT_INT64;
constexpr auto S = tensorflow::DT_STRING;

// In the order a restore reads them (which error a damaged checkpoint shows
// first); a save sorts by name.
const std::vector<StateTensor> kStateTensors = {
    // name            dtype  saved   restored  settings line  may differ at one step
    {kBeta1PowerName, F, Saved::kAlways, Restored::kRequired, false, false, GetBeta1Power, SetBeta1Power},
    {kBeta2PowerName, F, Saved::kAlways, Restored::kRequired, false, false, GetBeta2Power, SetBeta2Power},
    {kGlobalStepKey, I, Saved::kAlways, Restored::kRequired, true, false,
     GetField<&TrainProgress::global_step>, SetField<&TrainProgress::global_step>},
    {kEpochKey, I, Saved::kAlways, Restored::kRequired, true, true,
     GetField<&TrainProgress::epoch>, SetField<&TrainProgress::epoch>},
    {kBatchInEpochKey, I, Saved::kAlways, Restored::kRequired, false, true,
     GetField<&TrainProgress::batch_in_epoch>, SetField<&TrainProgress::batch_in_epoch>},
    {kSeedKey, I, Saved::kAlways, Restored::kRequired, true, false,
     GetField<&TrainProgress::seed>, SetField<&TrainProgress::seed>},
    {kBestValAccKey, D, Saved::kAlways, Restored::kRequired, false, true,
     GetField<&TrainProgress::best_val_acc>, SetField<&TrainProgress::best_val_acc>},
    {kEpochLossSumKey, D, Saved::kAlways, Restored::kZeroWhenAbsent, false, true,
     GetField<&TrainProgress::epoch_loss_sum>, SetField<&TrainProgress::epoch_loss_sum>},
    // A stop mid-epoch needs the batch size to resume at its batch.
    {kBatchSizeKey, I, Saved::kAlways, Restored::kZeroWhenAbsent, true, false,
     GetField<&TrainProgress::batch_size>, SetField<&TrainProgress::batch_size>},
    // The recorded settings: the first one tells whether a checkpoint has them.
    {kLearningRateKey, F, Saved::kWithSettings, Restored::kWithSettings, false, true,
     GetField<&RunSettings::learning_rate>, SetField<&RunSettings::learning_rate>},
    {kL2Key, F, Saved::kWithSettings, Restored::kWithSettings, false, true,
     GetField<&RunSettings::l2>, SetField<&RunSettings::l2>},
    {kEmaDecayKey, F, Saved::kWithSettings, Restored::kWithSettings, false, true,
     GetField<&RunSettings::ema_decay>, SetField<&RunSettings::ema_decay>},
    {kHiddenKey, I, Saved::kWithSettings, Restored::kNever, false, false, GetHidden, nullptr},
    {kValidationSizeKey, I, Saved::kWithSettings, Restored::kWithSettings, false, false,
     GetField<&RunSettings::validation_size>, SetField<&RunSettings::validation_size>},
    {kMaxToKeepKey, I, Saved::kWithSettings, Restored::kWithSettings, false, true,
     GetField<&RunSettings::max_to_keep>, SetField<&RunSettings::max_to_keep>},
    {kDataFingerprintKey, I, Saved::kWithSettings, Restored::kWithSettings, false, false,
     GetFingerprint, SetFingerprint},
    {kDataDirKey, S, Saved::kWithSettings, Restored::kWithSettings, false, true, GetDataDir,
     SetDataDir},
};

bool IsSaved(const StateTensor& t, const TrainingState& state) {
  return t.saved == Saved::kAlways || state.settings.recorded;
}

// Reads state tensor `t` into `state`; a missing one fails naming it.
Status ReadStateTensor(const BundleReader& reader, const StateTensor& t, TrainingState* state) {
  std::string bytes;
  std::vector<int64_t> shape;
  t.get(*state, &bytes, &shape);  // the size and shape it must have
  if (t.dtype == tensorflow::DT_STRING) {  // one scalar string
    StatusOr<std::vector<std::string>> strings = reader.ReadStrings(t.name);
    if (!strings.ok()) return strings.status();
    if (strings->size() != 1) {
      return Status::DataLoss(reader.prefix() + ": tensor " + t.name + " holds " +
                              std::to_string(strings->size()) + " strings, not one");
    }
    bytes = (*strings)[0];
  } else {
    MNIST_RETURN_IF_ERROR(ReadTensor(reader, t.name, t.dtype, shape, &bytes[0], bytes.size(), t.name));
  }
  t.set(bytes, state);
  return Status::Ok();
}

// Reads the recorded settings when `reader` holds them (all of them, or
// none: an older checkpoint); state->settings.recorded says which.
Status ReadSettings(const BundleReader& reader, TrainingState* state) {
  state->settings = RunSettings{};
  bool first = true;
  for (const StateTensor& t : kStateTensors) {
    if (t.restored != Restored::kWithSettings) continue;
    if (first && !reader.Contains(t.name)) return Status::Ok();
    first = false;
    MNIST_RETURN_IF_ERROR(ReadStateTensor(reader, t, state));
  }
  state->settings.recorded = true;
  return Status::Ok();
}

Status ReadGroup(const BundleReader& reader, const std::vector<Variable>& model, const char* suffix,
                 std::vector<Variable>* vars) {
  for (size_t i = 0; i < vars->size(); ++i) {
    Variable& v = (*vars)[i];
    const std::string key = model[i].name + suffix;
    MNIST_RETURN_IF_ERROR(ReadTensor(reader, key, tensorflow::DT_FLOAT, v.shape, v.value.data(),
                                     sizeof(float) * static_cast<size_t>(v.num_elements()), key));
  }
  return Status::Ok();
}

}  // namespace

const std::vector<VariableGroup> kVariableGroups = {
    // suffix      kind               variables   starts from variables  trainable
    {"", "model variables", ModelVariables, false, true},
    {kAdamMSuffix, "Adam slots", AdamM, false, false},
    {kAdamVSuffix, "Adam slots", AdamV, false, false},
    {kEmaSuffix, "EMA shadows", EmaShadows, true, false},
};

const std::vector<StateTensor>& StateTensors() { return kStateTensors; }

std::vector<TensorToSave> TensorsToSave(const TrainingState& state,
                                        std::vector<std::string>* scratch) {
  std::vector<TensorToSave> tensors;
  const std::vector<Variable>& model = state.model->variables();
  for (const VariableGroup& group : kVariableGroups) {
    const std::vector<Variable>* vars = group.of(state);
    if (vars == nullptr) continue;
    for (size_t i = 0; i < vars->size(); ++i) {
      const Variable& v = (*vars)[i];
      tensors.push_back({model[i].name + group.suffix, tensorflow::DT_FLOAT, v.shape,
                         v.value.data(), sizeof(float) * static_cast<size_t>(v.num_elements()),
                         group.trainable});
    }
  }
  scratch->resize(kStateTensors.size());  // no reallocation below: `data` points into it
  for (size_t i = 0; i < kStateTensors.size(); ++i) {
    const StateTensor& t = kStateTensors[i];
    if (!IsSaved(t, state)) continue;
    std::vector<int64_t> shape;
    t.get(state, &(*scratch)[i], &shape);
    tensors.push_back({t.name, t.dtype, shape, (*scratch)[i].data(), (*scratch)[i].size()});
  }
  return tensors;
}

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

Status RestoreTrainingTensors(const BundleReader& reader, TrainingState* state) {
  std::vector<Variable>& model = state->model->variables();
  for (const VariableGroup& group : kVariableGroups) {
    std::vector<Variable>* vars = group.of(*state);
    if (vars == &model || vars == nullptr) continue;
    if (group.starts_from_variables && !HoldsVariableGroup(reader, group.suffix)) {
      for (size_t i = 0; i < vars->size(); ++i) (*vars)[i].value = model[i].value;
      continue;
    }
    MNIST_RETURN_IF_ERROR(ReadGroup(reader, model, group.suffix, vars));
  }
  for (const StateTensor& t : kStateTensors) {
    if (t.restored == Restored::kRequired) MNIST_RETURN_IF_ERROR(ReadStateTensor(reader, t, state));
    if (t.restored != Restored::kZeroWhenAbsent) continue;
    if (reader.Contains(t.name)) {
      MNIST_RETURN_IF_ERROR(ReadStateTensor(reader, t, state));
    } else {
      std::string bytes;
      std::vector<int64_t> shape;
      t.get(*state, &bytes, &shape);
      t.set(std::string(bytes.size(), '\0'), state);
    }
  }
  return ReadSettings(reader, state);
}

Status ReadRecordedTensors(const BundleReader& reader, TrainingState* state) {
  MNIST_RETURN_IF_ERROR(ReadSettings(reader, state));
  for (const StateTensor& t : kStateTensors) {
    if (t.in_settings_line && reader.Contains(t.name)) {
      MNIST_RETURN_IF_ERROR(ReadStateTensor(reader, t, state));
    }
  }
  return Status::Ok();
}

bool HoldsVariableGroup(const BundleReader& reader, const std::string& suffix) {
  for (const std::string& key : reader.Keys()) {
    std::string variable;
    if (StripSuffix(key, suffix, &variable)) return true;
  }
  return false;
}

bool MayDifferAtSameStep(const std::string& key) {
  for (const StateTensor& t : kStateTensors) {
    if (t.may_differ_at_same_step && key == t.name) return true;
  }
  return false;
}

namespace {

// The kind of a state tensor (see TensorKind).
std::string StateTensorKind(const StateTensor& t) {
  if (t.saved == StateTensor::Saved::kWithSettings) return "recorded settings";
  return StartsWith(t.name, "train_state/") ? "training state" : "scalars";
}

}  // namespace

std::string TensorKind(const std::string& key) {
  for (const StateTensor& t : kStateTensors) {
    if (key == t.name) return StateTensorKind(t);
  }
  for (auto group = kVariableGroups.rbegin(); group != kVariableGroups.rend(); ++group) {
    std::string variable;
    if (StripSuffix(key, group->suffix, &variable) && IsDenseVariableName(variable)) return group->kind;
  }
  return "";
}

std::vector<std::string> TensorKinds() {
  std::vector<std::string> kinds;
  auto add = [&](const std::string& kind) {
    if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) kinds.push_back(kind);
  };
  for (const VariableGroup& group : kVariableGroups) add(group.kind);
  for (const StateTensor& t : kStateTensors) add(StateTensorKind(t));
  return kinds;
}

}  // namespace mnist
