#!/usr/bin/python3
"""Time to accuracy for the benchmark (bench/run.sh): runs a training command
and times, from its start, the arrival of each `epoch:N, ... val_acc:A` line
it prints; stops it (SIGTERM) at the first epoch whose val_acc reaches TARGET.

usage: time_to_accuracy.py TARGET MAX_EPOCHS COMMAND...
Prints `tta_seconds S`, `tta_epoch N` and `tta_acc A` when reached, or
`tta_seconds none` with `tta_epochs N` (the epochs it ran) when the command
ended first (it trains at most MAX_EPOCHS); `mnist --train` and
torch_bench.py's `tta` mode print such lines.
"""
import re
import signal
import subprocess
import sys
import time

EPOCH_LINE = re.compile(r"^epoch:(\d+),.*\bval_acc:([0-9.]+)")


def main():
    target, max_epochs, command = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    epochs = 0
    for line in child.stdout:
        m = EPOCH_LINE.match(line)
        if not m:
            continue
        seconds = time.perf_counter() - start
        epochs, acc = int(m.group(1)), float(m.group(2))
        if acc >= target:
            print(f"tta_seconds {seconds:.3f}\ntta_epoch {epochs}\ntta_acc {acc:.4f}", flush=True)
            child.send_signal(signal.SIGTERM)
            child.wait()
            return
        if epochs >= max_epochs:
            break
    child.terminate()
    child.wait()
    print(f"tta_seconds none\ntta_epochs {epochs}", flush=True)


if __name__ == "__main__":
    main()
