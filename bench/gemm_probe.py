#!/usr/bin/python3
"""The GEMM ceiling of the benchmark (bench/run.sh): the matrix products of
one epoch of training (600 steps of batch 100: forward, weight gradients, and
the input gradients of layers 2 and 3) and of one evaluation of 10k images in
batches of 1000, timed alone in numpy's BLAS (OpenBLAS on Debian when
libopenblas0 is installed). No network can train faster than its GEMMs run.
And the machine's arithmetic limit: one large SGEMM (2048x2048x2048), whose
rate no product of ours can beat.

usage: gemm_probe.py REPS [TRAIN_EXAMPLES TEST_EXAMPLES]
Prints `gemm_epoch` and `gemm_eval` lines (seconds) like the other two sides,
and `sgemm_gflops` (GFLOP/s of the large SGEMM, one value a repetition).
"""
import sys
import time

import numpy as np


def emit(key, values):
    print(key, " ".join(f"{v:.6f}" for v in sorted(values)), flush=True)


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    steps = -(-int(sys.argv[2]) // 100) if len(sys.argv) > 2 else 600
    eval_steps = -(-int(sys.argv[3]) // 1000) if len(sys.argv) > 3 else 10
    rng = np.random.default_rng(0)
    f = lambda *s: rng.random(s, dtype=np.float32)  # noqa: E731
    w1, w2, w3 = f(784, 1024), f(1024, 512), f(512, 10)
    x, h1, h2, d3 = f(100, 784), f(100, 1024), f(100, 512), f(100, 10)
    d2 = f(100, 512)
    epoch = []
    for _ in range(reps):
        t = time.perf_counter()
        for _ in range(steps):
            a1 = x @ w1
            a2 = a1 @ w2
            a3 = a2 @ w3
            g3 = h2.T @ d3
            dd2 = d3 @ w3.T
            g2 = h1.T @ d2
            dd1 = dd2 @ w2.T
            g1 = x.T @ dd1
        epoch.append(time.perf_counter() - t)
    emit("gemm_epoch", epoch)
    xe = f(1000, 784)
    ev = []
    for _ in range(reps + 2):
        t = time.perf_counter()
        for _ in range(eval_steps):
            ((xe @ w1) @ w2) @ w3
        ev.append(time.perf_counter() - t)
    emit("gemm_eval", ev)
    emit("sgemm_gflops", sgemm_gflops(rng, reps))


def sgemm_gflops(rng, reps, n=2048):
    a, b = rng.random((n, n), dtype=np.float32), rng.random((n, n), dtype=np.float32)
    a @ b  # warm-up: OpenBLAS starts its threads and buffers
    rates = []
    for _ in range(max(reps, 3)):
        t = time.perf_counter()
        a @ b
        rates.append(2.0 * n ** 3 / (time.perf_counter() - t) / 1e9)
    return rates


if __name__ == "__main__":
    main()
