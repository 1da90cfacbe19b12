#!/usr/bin/python3
"""PyTorch's side of the benchmark (bench/run.sh): the same network, init,
loss, Adam and batch size as `mnist --train`, timed the way bench/mnist_bench.cc
times ours. Prints `key value...` lines (seconds unless the key says otherwise).

usage: torch_bench.py DATA_DIR SCRATCH_DIR REPS stock|best|tta

stock: as a user runs it: torch.set_num_threads(2), Adam's defaults, eval in
       batches of 100.
best:  its fastest configuration found: OMP_WAIT_POLICY=PASSIVE (set by the
       caller before Python starts), Adam(foreach=True), eval batches of 1000.
tta:   best's configuration training up to REPS epochs, each followed by an
       `epoch:N, val_acc:A` line for the test set, as `mnist --train
       --validation-size 0` prints them (bench/time_to_accuracy.py times them).
"""
import gzip
import os
import resource
import struct
import sys
import time

start = time.perf_counter()
import numpy as np  # noqa: E402
import torch  # noqa: E402


def read_idx(path):
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    rank = magic & 0xFF
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def find(data_dir, stem):
    for name in (stem, stem + ".gz"):
        if os.path.exists(os.path.join(data_dir, name)):
            return os.path.join(data_dir, name)
    raise SystemExit(f"torch_bench: {data_dir}: no {stem}[.gz]")


def emit(key, values):
    print(key, " ".join(f"{v:.6f}" for v in sorted(values)), flush=True)


def main():
    data_dir, scratch, reps, config = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    torch.set_num_threads(2)
    torch.manual_seed(0)
    x_train = torch.from_numpy(read_idx(find(data_dir, "train-images-idx3-ubyte")).reshape(-1, 784).astype(np.float32) / 255.0)
    y_train = torch.from_numpy(read_idx(find(data_dir, "train-labels-idx1-ubyte")).astype(np.int64))
    x_test = torch.from_numpy(read_idx(find(data_dir, "t10k-images-idx3-ubyte")).reshape(-1, 784).astype(np.float32) / 255.0)
    y_test = torch.from_numpy(read_idx(find(data_dir, "t10k-labels-idx1-ubyte")).astype(np.int64))

    model = torch.nn.Sequential(
        torch.nn.Linear(784, 1024), torch.nn.ReLU(),
        torch.nn.Linear(1024, 512), torch.nn.ReLU(),
        torch.nn.Linear(512, 10))
    kernels = [m.weight for m in model if isinstance(m, torch.nn.Linear)]
    for m in model:
        if isinstance(m, torch.nn.Linear):
            torch.nn.init.trunc_normal_(m.weight, std=0.01, a=-0.02, b=0.02)
            torch.nn.init.zeros_(m.bias)
    adam_args = {"lr": 0.001, "betas": (0.9, 0.999), "eps": 1e-8}
    if config in ("best", "tta"):
        adam_args["foreach"] = True
    opt = torch.optim.Adam(model.parameters(), **adam_args)
    loss_fn = torch.nn.CrossEntropyLoss()
    batch = 100
    n = x_train.shape[0]
    eval_batch = 100 if config == "stock" else 1000

    def train_epoch():
        perm = torch.randperm(n)
        model.train()
        for begin in range(0, n, batch):
            idx = perm[begin:begin + batch]
            logits = model(x_train[idx])
            loss = loss_fn(logits, y_train[idx]) + 1e-4 * sum((w * w).sum() / 2 for w in kernels)
            opt.zero_grad()
            loss.backward()
            opt.step()

    def evaluate():
        model.eval()
        correct = 0
        with torch.no_grad():
            for begin in range(0, x_test.shape[0], eval_batch):
                out = model(x_test[begin:begin + eval_batch])
                correct += (out.argmax(1) == y_test[begin:begin + eval_batch]).sum().item()
        return correct

    if config == "tta":
        for epoch in range(1, reps + 1):
            train_epoch()
            print(f"epoch:{epoch}, val_acc:{evaluate() / x_test.shape[0]:.6f}", flush=True)
        return
    emit("startup", [time.perf_counter() - start])

    epochs = []
    for r in range(reps):
        t = time.perf_counter()
        train_epoch()
        epochs.append(time.perf_counter() - t)
    emit("train_epoch", epochs)
    print("peak_rss_kb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)

    evals = []
    for r in range(reps + 2):
        t = time.perf_counter()
        correct = evaluate()
        evals.append(time.perf_counter() - t)
    emit("eval", evals)
    print("val_acc", f"{correct / x_test.shape[0]:.4f}", flush=True)

    os.makedirs(scratch, exist_ok=True)
    path = os.path.join(scratch, "torch_state.pt")
    saves, synced, restores = [], [], []
    for r in range(reps + 2):
        state = {"model": model.state_dict(), "optim": opt.state_dict()}
        t = time.perf_counter()
        torch.save(state, path)
        saves.append(time.perf_counter() - t)
        t = time.perf_counter()
        torch.save(state, path)
        fd = os.open(path, os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)
        synced.append(time.perf_counter() - t)
        t = time.perf_counter()
        loaded = torch.load(path)
        model.load_state_dict(loaded["model"])
        opt.load_state_dict(loaded["optim"])
        restores.append(time.perf_counter() - t)
    emit("save", saves)
    emit("save_fsync", synced)
    emit("restore", restores)
    print("checkpoint_bytes", os.path.getsize(path))
    os.remove(path)


if __name__ == "__main__":
    main()
