#!/usr/bin/python3
"""Turns the outputs of bench/run.sh's runs into one Markdown table.

usage: report.py RESULTS_DIR
Reads ours.txt (mnist_bench), ours_rss.txt (/usr/bin/time of mnist --train),
torch_stock.txt, torch_best.txt, gemm_openblas.txt, tta.txt, tta_ours.txt and
tta_torch.txt (bench/time_to_accuracy.py) and, when present, same.txt
(bench/same_results.sh) and gemm_libraries.txt (bench/gemm_libraries) from
RESULTS_DIR and prints the report: every figure as median (min-max) over the
repetitions, and the ratios the benchmark issue sets targets for; then the
second table, each matrix product's GFLOP/s in each library.
"""
import os
import statistics
import sys


def load(path):
    out = {}
    if not os.path.exists(path):
        return out
    for line in open(path):
        parts = line.split()
        if len(parts) >= 2:
            try:
                out[parts[0]] = [float(v) for v in parts[1:]]
            except ValueError:
                pass
    return out


def load_words(path):
    """KEY -> the rest of its line, for files whose values are words."""
    if not os.path.exists(path):
        return {}
    return dict((line.split(" ", 1) + [""])[:2] for line in open(path).read().splitlines() if line)


def med(values):
    return statistics.median(values)


def rate(runs, key, examples):
    """(median, min, max) examples per second from the times under key."""
    if key not in runs:
        return None
    times = runs[key]
    return examples / med(times), examples / max(times), examples / min(times)


def fmt_rate(r):
    return "n/a" if r is None else f"{r[0]:,.0f} ({r[1]:,.0f}-{r[2]:,.0f})"


def fmt_ms(runs, key):
    if key not in runs:
        return "n/a"
    t = runs[key]
    return f"{med(t) * 1000:.1f} ms ({min(t) * 1000:.1f}-{max(t) * 1000:.1f})"


def ratio(a, b):
    return "n/a" if a is None or b is None else f"{a[0] / b[0]:.2f}x"


def arithmetic_limit(ours, blas):
    """GFLOP/s of the large SGEMM: the faster median of numpy's and ours; None when neither ran."""
    rates = [med(r["sgemm_gflops"]) for r in (ours, blas) if "sgemm_gflops" in r]
    return max(rates) if rates else None


def limit_rows(ours, stock, best, blas, n_train, n_test):
    """The arithmetic limit: the large SGEMM's rate (the faster of numpy's and
    ours, medians), the exact FLOPs of the products, and each side's epoch and
    evaluation as a share of the time those FLOPs take at that rate."""
    limit = arithmetic_limit(ours, blas)
    sg = lambda r: (f"{med(r['sgemm_gflops']):.0f} ({min(r['sgemm_gflops']):.0f}-{max(r['sgemm_gflops']):.0f})"  # noqa: E731
                    if "sgemm_gflops" in r else "n/a")
    print(f"| SGEMM 2048x2048x2048, GFLOP/s (the arithmetic limit) | {sg(ours)} through our products | | | "
          f"numpy/OpenBLAS {sg(blas)} | | | |")
    if limit is None or "train_flops" not in ours:
        return
    rate = limit * 1e9
    flops = {"train_epoch": ours["train_flops"][0], "eval": ours["eval_flops"][0]}
    print(f"| matrix-product FLOPs (2mnk summed) | one {n_train:,.0f}-image epoch {flops['train_epoch'] / 1e9:.1f} GFLOP "
          f"(8 products a step); evaluation of {n_test:,.0f} images {flops['eval'] / 1e9:.1f} GFLOP | | | | | | |")
    for key, what in (("train_epoch", "training"), ("eval", "evaluation")):
        seconds = flops[key] / rate
        pct = lambda r: f"{100 * seconds / med(r[key]):.0f}% ({med(r[key]):.3f} s)" if key in r else "n/a"  # noqa: E731
        print(f"| {what}, % of the arithmetic limit ({seconds:.3f} s at {rate / 1e9:.0f} GFLOP/s) | {pct(ours)} "
              f"| {pct(stock)} | {pct(best)} | | | | |")


def tta_row(d):
    """Seconds from start to the first epoch reaching the target val_acc."""
    spec, ours, torch = load_words(f"{d}/tta.txt"), load_words(f"{d}/tta_ours.txt"), load_words(f"{d}/tta_torch.txt")
    if not spec:
        return

    def cell(r):
        if r.get("tta_seconds", "none") == "none":
            return f"not reached in {r.get('tta_epochs', '?')} epochs"
        return f"{float(r['tta_seconds']):.1f} s (epoch {r['tta_epoch']}, val_acc {r['tta_acc']})"

    reached = all(r.get("tta_seconds", "none") != "none" for r in (ours, torch))
    ratio_cell = f"{float(torch['tta_seconds']) / float(ours['tta_seconds']):.2f}x faster" if reached else ""
    print(f"| time to val_acc {spec['tta_target']} (defaults, --validation-size 0, at most {spec['tta_cap']} epochs) "
          f"| {cell(ours)} | | {cell(torch)} | | {ratio_cell} | | |")


def main():
    d = sys.argv[1]
    ours, stock, best = load(f"{d}/ours.txt"), load(f"{d}/torch_stock.txt"), load(f"{d}/torch_best.txt")
    blas, rss = load(f"{d}/gemm_openblas.txt"), load(f"{d}/ours_rss.txt")
    n_train = ours.get("train_examples", [60000])[0]
    n_test = ours.get("test_examples", [10000])[0]
    train = {k: rate(v, "train_epoch", n_train) for k, v in [("ours", ours), ("stock", stock), ("best", best)]}
    train["openblas"] = rate(blas, "gemm_epoch", n_train)
    train["eigen"] = rate(ours, "gemm_epoch", n_train)
    ev = {k: rate(v, "eval", n_test) for k, v in [("ours", ours), ("stock", stock), ("best", best)]}
    ev["openblas"] = rate(blas, "gemm_eval", n_test)
    our_rss = rss.get("peak_rss_kb", [0])[0] / 1024
    t_rss = [v.get("peak_rss_kb", [0])[0] / 1024 for v in (stock, best)]

    print("| figure | ours | PyTorch stock | PyTorch best | ceiling | ours / best | ours / stock | ours / ceiling |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| training, samples/s (one {n_train:,.0f}-image epoch) | {fmt_rate(train['ours'])} | {fmt_rate(train['stock'])} "
          f"| {fmt_rate(train['best'])} | OpenBLAS GEMMs {fmt_rate(train['openblas'])}; our GEMMs alone {fmt_rate(train['eigen'])} "
          f"| {ratio(train['ours'], train['best'])} | {ratio(train['ours'], train['stock'])} | {ratio(train['ours'], train['openblas'])} |")
    print(f"| evaluation, samples/s ({n_test:,.0f} images) | {fmt_rate(ev['ours'])} | {fmt_rate(ev['stock'])} | {fmt_rate(ev['best'])} "
          f"| OpenBLAS GEMMs {fmt_rate(ev['openblas'])} | {ratio(ev['ours'], ev['best'])} | {ratio(ev['ours'], ev['stock'])} "
          f"| {ratio(ev['ours'], ev['openblas'])} |")
    limit_rows(ours, stock, best, blas, n_train, n_test)
    tta_row(d)
    print(f"| peak RSS while training | {our_rss:.0f} MiB | {t_rss[0]:.0f} MiB | {t_rss[1]:.0f} MiB | | "
          f"{our_rss / t_rss[1]:.2f}x | {our_rss / t_rss[0]:.2f}x | |" if t_rss[0] and t_rss[1] else
          f"| peak RSS while training | {our_rss:.0f} MiB | n/a | n/a | | | | |")
    print(f"| checkpoint save, full state | {fmt_ms(ours, 'save')} with fsync | {fmt_ms(stock, 'save')} no fsync; "
          f"{fmt_ms(stock, 'save_fsync')} with | {fmt_ms(best, 'save')} no fsync | raw write+fsync of the same bytes "
          f"{fmt_ms(ours, 'save_raw')} | | | {med(ours['save']) / med(ours['save_raw']):.2f}x raw |"
          if "save" in ours and "save_raw" in ours else "| checkpoint save | n/a | | | | | | |")
    print(f"| training stall per save | {fmt_ms(ours, 'save_stall')} | | | | | | |")
    print(f"| checkpoint restore, full state | {fmt_ms(ours, 'restore')} | {fmt_ms(stock, 'restore')} | {fmt_ms(best, 'restore')} | | | | |")
    print(f"| start-up to the first batch (gzip data) | {fmt_ms(ours, 'startup')} | {fmt_ms(stock, 'startup')} | {fmt_ms(best, 'startup')} | | | | |")
    print(f"| val_acc after the timed epochs | {ours.get('val_acc', ['n/a'])[0]} | {stock.get('val_acc', ['n/a'])[0]} "
          f"| {best.get('val_acc', ['n/a'])[0]} | | | | |")

    same = load_words(f"{d}/same.txt")
    if os.path.exists(f"{d}/same.txt") and not same.get("same_results", "").startswith(("identical", "different")):
        why = same.get("same_results", "bench/same_results.sh printed no result")
        print(f"| same seed as before the optimizations | not compared: {why} | | | | | | |")
    elif "same_results" in same:
        print(f"| same seed as before the optimizations (commit {same['same_base']}, reference: {same['same_blas']} "
              f"on both sides, {same['same_epochs']} epochs) | {same['same_results']}: per-epoch val_acc "
              f"{same['same_val_acc_head'].strip()}; --eval {same['same_eval_head']}; {same['same_tensors']} "
              f"compared byte for byte | | | | | | |")
        if same["same_results"] != "identical":
            print(f"| (before: val_acc {same['same_val_acc_base'].strip()}, {same['same_eval_base']}) | | | | | | | |")

    fusion_table(ours)
    epoch_table(ours, blas)
    libraries_table(f"{d}/gemm_libraries.txt")


# gemm_libraries' product names: layer, what, and the shape it runs at.
PRODUCTS = {
    "forward1": "layer 1 forward, 1024x100x784", "weight_grad1": "layer 1 weight gradient, 1024x784x100",
    "forward2": "layer 2 forward, 512x100x1024", "weight_grad2": "layer 2 weight gradient, 512x1024x100",
    "input_grad2": "layer 2 input gradient, 1024x100x512", "forward3": "layer 3 forward, 10x100x512",
    "weight_grad3": "layer 3 weight gradient, 10x512x100", "input_grad3": "layer 3 input gradient, 512x100x10",
    "eval_forward1": "evaluation layer 1 forward, 1024x1000x784",
    "eval_forward2": "evaluation layer 2 forward, 512x1000x1024",
    "eval_forward3": "evaluation layer 3 forward, 10x1000x512",
}


FUSIONS = (
    ("bias_relu_postop", "bias and ReLU as oneDNN post-ops of the forward's products",
     "a bias (+ReLU) pass after each product"),
    ("l2_ema_in_adam", "L2 term and EMA inside Adam's pass", "an L2 pass, Adam, an EMA pass"),
)


def fusion_table(ours):
    """Each fusion's gain: the same work fused and plain, in alternate epochs
    of this run, seconds an epoch (median, min-max)."""
    rows = [f for f in FUSIONS if f"fusion_{f[0]}_fused" in ours]
    if not rows:
        return
    print()
    print("Each fusion's gain (ours; the same work fused and the plain way, in alternate epochs of this run, "
          "seconds an epoch, median (min-max)):")
    print()
    print("| fusion | fused | plain | gain |")
    print("|---|---|---|---|")
    for key, fused_what, plain_what in rows:
        f, p = ours[f"fusion_{key}_fused"], ours[f"fusion_{key}_plain"]
        cell = lambda t: f"{med(t):.3f} ({min(t):.3f}-{max(t):.3f})"  # noqa: E731
        print(f"| {fused_what} | {cell(f)} | {cell(p)} ({plain_what}) | {med(p) - med(f):.3f} s "
              f"({100 * (med(p) - med(f)) / med(p):.0f}%) |")


STEP_PARTS = (("gather", "batch gathering"), ("forward", "forward"), ("loss", "softmax cross-entropy"),
              ("backward", "backward"), ("adam", "Adam with the L2 term"))
STEP_PRODUCTS = {"forward": ("forward1", "forward2", "forward3"),
                 "backward": ("weight_grad3", "input_grad3", "weight_grad2", "input_grad2", "weight_grad1")}


def epoch_table(ours, blas):
    """Where one training epoch goes: each part of the step timed in place
    (medians over the epochs), the products in it timed alone in the same
    order through the same Gemm, and what the rest of the part costs."""
    if "step_forward" not in ours:
        return
    limit = arithmetic_limit(ours, blas)
    total = sum(med(ours[f"step_{k}"]) for k, _ in STEP_PARTS)
    print()
    print(f"Where one training epoch goes (ours; the step's parts timed in place, {total:.3f} s in all, against "
          f"{med(ours['train_epoch']):.3f} s for the untimed epochs; each product alone, in a step's order, through "
          "the same library and shape" + (f"; % of the limit: its GFLOP/s against the {limit:.0f} GFLOP/s of "
                                          "the large SGEMM" if limit else "") + "):")
    print()
    print("| part | in place, s an epoch | its products alone | the rest (passes, cache misses) |")
    print("|---|---|---|---|")
    for key, what in STEP_PARTS:
        spent = med(ours[f"step_{key}"])
        names = [n for n in STEP_PRODUCTS.get(key, ()) if f"product_{n}" in ours]
        alone = sum(med(ours[f"product_{n}"]) for n in names)
        cells = []
        for n in names:
            t = med(ours[f"product_{n}"])
            gflops = ours[f"product_flops_{n}"][0] / t / 1e9
            cells.append(f"{PRODUCTS.get(n, n).split(',')[0]} {t:.3f} s ({gflops:.0f} GFLOP/s"
                         + (f", {100 * gflops / limit:.0f}%" if limit else "") + ")")
        products = f"{alone:.3f} s: " + "; ".join(cells) if names else ""
        print(f"| {what} | {spent:.3f} ({100 * spent / total:.0f}%) | {products} | {spent - alone:.3f} |")
    if "memory_gbps" in ours and "adam_bytes_per_epoch" in ours:
        gbps = med(ours["memory_gbps"])
        at_triad = ours["adam_bytes_per_epoch"][0] / (gbps * 1e9)
        adam = med(ours["step_adam"])
        print(f"| Adam's bytes: {ours['adam_bytes_per_epoch'][0] / 1e9:.1f} GB an epoch (w, g, m, v read, w, m, v "
              f"written), {ours['adam_bytes_per_epoch'][0] / adam / 1e9:.1f} GB/s in place; at the rate of a triad "
              f"on both threads, {gbps:.1f} GB/s ({min(ours['memory_gbps']):.1f}-{max(ours['memory_gbps']):.1f}) "
              f"| {at_triad:.3f} | | |")
    # The FLOPs of the products these epochs time: full batches, steps of them.
    flops = sum(v[0] for k, v in ours.items() if k.startswith("product_flops_")) or None
    for key, what in (("gemm_epoch", "the step's products alone, their operands left in the caches"),
                      ("gemm_epoch_cold", "the same, with the caches flushed before each step (as when the "
                                          "machine's neighbours hold the shared cache)")):
        if key in ours:
            t = med(ours[key])
            share = f" ({100 * flops / t / 1e9 / limit:.0f}% of the limit)" if limit and flops else ""
            print(f"| {what} | | {t:.3f} s{share} | |")
    if "eval_forward" in ours:
        print()
        print(f"Where one evaluation goes (ours; its parts timed in place, {med(ours['eval']):.3f} s for the untimed "
              "evaluations; the forward's products alone, with their bias and ReLU post-ops, at the evaluation batch):")
        print()
        print("| part | in place, s | its products alone | the rest |")
        print("|---|---|---|---|")
        alone = med(ours["eval_products"])
        rate = f" ({ours['eval_flops'][0] / alone / 1e9:.0f} GFLOP/s" + (
            f", {100 * ours['eval_flops'][0] / alone / 1e9 / limit:.0f}% of the large SGEMM)" if limit else ")")
        n_test = ours.get("test_examples", [10000])[0]
        for key, what in (("eval_gather", f"gathering the {n_test:,.0f} images"), ("eval_forward", "forward"),
                          ("eval_loss", "softmax, loss and predictions")):
            spent = med(ours[key])
            products = f"{alone:.3f} s{rate}" if key == "eval_forward" else ""
            rest = spent - alone if key == "eval_forward" else spent
            print(f"| {what} | {spent:.3f} | {products} | {rest:.3f} |")


def libraries_table(path):
    """The products table: GFLOP/s at the fastest run (at the median run) per library."""
    if not os.path.exists(path):
        return
    rows, libraries, threads, blis_arch = {}, [], "?", None
    for line in open(path):
        parts = line.split()
        if parts[:1] == ["gemm_threads"]:
            threads = parts[1]
        elif parts[:1] == ["gemm_blis_arch"]:
            blis_arch = parts[1]
        elif parts[:1] == ["gemm_lib"] and len(parts) >= 5:
            rows.setdefault(parts[1], {})[parts[2]] = parts[3:5]
            if parts[2] not in libraries:
                libraries.append(parts[2])
    print()
    print(f"Matrix products alone (bench/gemm_libraries, {threads} threads), GFLOP/s of the fastest run "
          "(of the median run); m x n x k; oneDNN's forward includes the bias (and ReLU) as post-ops"
          + (f"; BLIS runs its `{blis_arch}` kernels" if blis_arch else "") + ":")
    print()
    print("| product | " + " | ".join(libraries) + " | fastest |")
    print("|---|" + "---|" * (len(libraries) + 1))
    for name, cells in rows.items():
        best = max((float(v[0]), lib) for lib, v in cells.items() if v[0] != "n/a")[1] if any(
            v[0] != "n/a" for v in cells.values()) else "n/a"
        print(f"| {PRODUCTS.get(name, name)} | " + " | ".join(
            "n/a" if lib not in cells or cells[lib][0] == "n/a" else f"{cells[lib][0]} ({cells[lib][1]})"
            for lib in libraries) + f" | {best} |")


if __name__ == "__main__":
    main()
