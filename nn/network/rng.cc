#include "nn/network/rng.h"

#include <cmath>

namespace mnist {

Rng::Rng(uint64_t seed, uint64_t stream) {
  std::seed_seq seq{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32),
                    static_cast<uint32_t>(stream), static_cast<uint32_t>(stream >> 32)};
  engine_.seed(seq);
}

uint64_t Rng::UniformInt(uint64_t n) {
  // Reject the lowest (2^64 mod n) values so every residue is equally likely.
  const uint64_t threshold = (0 - n) % n;
  while (true) {
    uint64_t r = engine_();
    if (r >= threshold) return r % n;
  }
}

double Rng::UniformOpen() {
  return (static_cast<double>(engine_() >> 11) + 0.5) * 0x1.0p-53;
}

double Rng::Normal() {
  constexpr double kTwoPi = 6.283185307179586476925286766559;
  double u1 = UniformOpen();
  double u2 = UniformOpen();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(kTwoPi * u2);
}

float Rng::TruncatedNormal(float stddev) {
  while (true) {
    double z = Normal();
    if (std::fabs(z) <= 2.0) return static_cast<float>(z * stddev);
  }
}

}  // namespace mnist
