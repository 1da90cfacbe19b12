#include "app/training/progress.h"

namespace mnist {

Progress::Progress(FILE* out, bool enabled, int64_t total_batches, int batch_size)
    : out_(out), enabled_(enabled), total_(total_batches), batch_size_(batch_size),
      start_(Clock::now()), last_draw_(start_) {}

void Progress::Update(int64_t done, double running_loss) {
  if (!enabled_) return;
  const auto now = Clock::now();
  if (done != total_ && now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const double rate = seconds > 0 ? static_cast<double>(done) * static_cast<double>(batch_size_) / seconds : 0.0;
  const double eta = done > 0 ? seconds * static_cast<double>(total_ - done) / static_cast<double>(done) : 0.0;
  std::fprintf(out_, "\r  batch %lld/%lld  loss %.4f  %.0f samples/s  ETA %.0fs   ",
               static_cast<long long>(done), static_cast<long long>(total_), running_loss, rate,
               eta);
  std::fflush(out_);
}

void Progress::Finish() {
  if (!enabled_) return;
  std::fprintf(out_, "\r%78s\r", "");
  std::fflush(out_);
}

}  // namespace mnist
