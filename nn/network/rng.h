// The one random number generator of the project.
//
// std::mt19937_64 and std::seed_seq are specified to the bit by the C++
// standard, but the std:: distributions are not; so every draw we use (uniform
// integers for shuffling, uniform and normal floats for initialisation) is our
// own code on the engine's raw 64-bit output, and a run repeats exactly on any
// conforming library. A generator is seeded by (seed, stream): the stream
// separates uses, e.g. stream 0 for initialisation and stream `epoch` for that
// epoch's shuffle, so no RNG state has to be saved to resume.
//
// Thread safety: one Rng per thread; it has no shared state.
#ifndef MNIST_NN_NETWORK_RNG_H_
#define MNIST_NN_NETWORK_RNG_H_

#include <cstdint>
#include <random>

namespace mnist {

class Rng {
 public:
  Rng(uint64_t seed, uint64_t stream);

  uint64_t Next() { return engine_(); }
  // Uniform in [0, n) without modulo bias. REQUIRES: n > 0.
  uint64_t UniformInt(uint64_t n);
  // Uniform in the open interval (0, 1), 53 random bits.
  double UniformOpen();
  // Standard normal (Box-Muller; one draw per call).
  double Normal();
  // Normal with `stddev`, redrawn while beyond two standard deviations, as
  // TensorFlow's truncated_normal_initializer does.
  float TruncatedNormal(float stddev);

 private:
  std::mt19937_64 engine_;
};

}  // namespace mnist

#endif  // MNIST_NN_NETWORK_RNG_H_
