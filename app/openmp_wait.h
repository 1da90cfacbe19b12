// How long idle OpenMP threads spin before they sleep.
//
// Between parallel loops libgomp's threads spin, waiting for work, up to
// GOMP_SPINCOUNT times (300,000 by default) before they sleep. On a machine
// to ourselves that is no faster than spinning 1,000 times (one training
// epoch ~1.25 s either way), but when other programs share the cores the
// spinning threads take the time the late one needs: an epoch took 92 s
// instead of 4.8 s with two busy processes beside it, and 8 s instead of 6 s
// with one. OMP_WAIT_POLICY=passive (sleep at once) took 25 s and costs ~10%
// when idle.
//
// libgomp reads its environment once, when it is loaded, before main() runs.
#ifndef MNIST_APP_OPENMP_WAIT_H_
#define MNIST_APP_OPENMP_WAIT_H_

namespace mnist {

// The spin count `mnist` runs with unless told otherwise.
constexpr char kOpenMpSpinCount[] = "1000";

// When neither GOMP_SPINCOUNT nor OMP_WAIT_POLICY is set, sets
// GOMP_SPINCOUNT=kOpenMpSpinCount and runs this program again with `argv`
// (same process id, same arguments). Returns when either is already set, or
// when the program cannot be run again (libgomp's default then stays).
void RunAgainWithShortOpenMpSpins(char** argv);

}  // namespace mnist

#endif  // MNIST_APP_OPENMP_WAIT_H_
