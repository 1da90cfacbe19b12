// Failing fast, instead of spinning, when the address space is too small
// for OpenBLAS.
//
// OpenBLAS (0.3.21, Debian's OpenMP build) maps a 128 MiB buffer per thread
// in its library constructor, before main(), and one more for the calling
// thread at the first product (strace: mmap(NULL, 134217728, ...)). When
// neither mmap nor malloc can give it one, blas_memory_alloc tries again,
// forever, at 100% CPU: under `ulimit -v` of about 100-500 MB `mnist` hung
// (issue 11). So before OpenBLAS starts (main.cc runs the check from
// .preinit_array, ahead of every library's constructor) and again when the
// run asks for more threads than OpenBLAS started with, `mnist` checks that
// the limit leaves room for the buffers still to come, and stops with one
// line saying how much it needs when it does not.
//
// Thread safety: call from one thread, at start-up.
#ifndef MNIST_APP_PROCESS_ADDRESS_SPACE_H_
#define MNIST_APP_PROCESS_ADDRESS_SPACE_H_

#include <cstdint>
#include <string>

namespace mnist {

// What OpenBLAS maps for each buffer (BUFFER_SIZE of its x86-64 build).
constexpr uint64_t kOpenBlasBufferBytes = uint64_t{128} << 20;
// Beside the buffers: thread stacks, the data's first allocations.
constexpr uint64_t kStartHeadroomBytes = uint64_t{64} << 20;

// The threads OpenBLAS starts with, as its blas_get_cpu_number() decides:
// OPENBLAS_NUM_THREADS, else GOTO_NUM_THREADS, else OMP_NUM_THREADS, else
// the CPUs this process may run on; never more than those CPUs. `env` is
// the environment (`environ`, or .preinit_array's third argument: before
// libc's constructor has run, getenv() sees nothing).
int OpenBlasThreadsAtStart(char** env);

// "" when `buffers` more OpenBLAS buffers and kStartHeadroomBytes fit in
// the address space the limit (RLIMIT_AS) leaves, or when there is no
// limit or no OpenBLAS; otherwise the line to print, e.g. "the
// address-space limit (ulimit -v) is 195 MiB; this run needs about 580 MiB
// (OpenBLAS maps 128 MiB for each of its 2 threads and for the caller)".
// `threads` only words the line.
std::string AddressSpaceShortfall(int buffers, int threads);

}  // namespace mnist

#endif  // MNIST_APP_PROCESS_ADDRESS_SPACE_H_
