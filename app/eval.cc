#include "app/eval.h"

#include "app/evaluate.h"
#include "data/dataset.h"

namespace mnist {

StatusOr<LoadedModel> LoadAndReport(const ModelSource& source, FILE* out, FILE* err) {
  StatusOr<LoadedModel> loaded = LoadLatestModel(source);
  if (!loaded.ok()) return loaded.status();
  for (const std::string& note : loaded->skipped) std::fprintf(err, "mnist: %s\n", note.c_str());
  std::fprintf(out, "restored %s%s\n", loaded->prefix.c_str(),
               source.use_ema ? " (EMA shadows)" : "");
  return loaded;
}

Status RunEval(const EvalOptions& options, FILE* out, FILE* err) {
  StatusOr<LoadedModel> loaded = LoadAndReport(options.source, out, err);
  if (!loaded.ok()) return loaded.status();
  Mlp* model = loaded->model.get();

  const std::string data_dir = options.data_dir.empty() ? DefaultDataDir() : options.data_dir;
  StatusOr<Split> test = LoadSplit(data_dir, kTestImagesStem, kTestLabelsStem,
                                   static_cast<uint32_t>(model->input_size()));
  if (!test.ok()) return test.status();
  const EvalResult result = Evaluate(model, *test);
  std::fprintf(out, "val_loss:%f, val_acc:%f\n", result.loss, result.accuracy);
  std::fputs(FormatConfusion(result).c_str(), out);
  return Status::Ok();
}

}  // namespace mnist
