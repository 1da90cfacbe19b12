// How long idle OpenMP threads spin before they sleep.
//
// Between parallel loops libgomp's threads spin, waiting for work, up to
// GOMP_SPINCOUNT times (300,000 by default) before they sleep. On a machine
// to ourselves that is no faster than spinning 1,000 times (one training
// epoch ~1.25 s either way), but when other programs share the cores the
// spinning threads take the time the late one needs: with two busy programs
// beside it an epoch took 92.5-92.7 s instead of 4.8-9.7 s (two runs each),
// with one 7.7-8.6 s instead of 6.0-6.2 s. OMP_WAIT_POLICY=passive (sleep at
// once) took 25 s beside two, and costs ~10% when the machine is idle.
//
// libgomp reads its environment once, when it is loaded, before main() runs,
// and offers no call to change the spin count later, so the only way to set
// it is to run the program again with the variable set. Setting it from
// .preinit_array instead does not work: libc's own initialisation, which runs
// after it and before libgomp's, puts back the environment the kernel gave
// (measured: libgomp then reports GOMP_SPINCOUNT = '300000' under
// OMP_DISPLAY_ENV=verbose). So only the modes that compute run again, and the
// second run takes the variable out of its environment once libgomp has read
// it: a program `mnist` starts sees the user's environment.
#ifndef MNIST_APP_PROCESS_OPENMP_WAIT_H_
#define MNIST_APP_PROCESS_OPENMP_WAIT_H_

namespace mnist {

// The spin count `mnist` computes with unless told otherwise.
constexpr char kOpenMpSpinCount[] = "1000";

// Set (to "1") only in the environment of the second run, which unsets it
// and GOMP_SPINCOUNT again: the user had no GOMP_SPINCOUNT.
constexpr char kOpenMpRerunVariable[] = "MNIST_OPENMP_RERUN";

// For the modes that compute (main.cc decides which). In the second run
// (kOpenMpRerunVariable set): unsets it and GOMP_SPINCOUNT and returns.
// Otherwise, when neither GOMP_SPINCOUNT nor OMP_WAIT_POLICY is set, sets
// GOMP_SPINCOUNT=kOpenMpSpinCount and kOpenMpRerunVariable and runs this
// program's file again with `argv` (same process id, same arguments). Returns
// when either is already set, or when the program cannot be run again (then
// nothing is set, and libgomp's default stays). Under valgrind, set
// GOMP_SPINCOUNT yourself or pass --trace-children=yes: valgrind does not
// follow the second run.
void RunAgainWithShortOpenMpSpins(char** argv);

}  // namespace mnist

#endif  // MNIST_APP_PROCESS_OPENMP_WAIT_H_
