#!/usr/bin/env python3
"""Driver of `make bench`: harness versus PyTorch on the same workloads, one process per measurement.

For every repetition, workload and thread count it runs each side once, in its own process (so peak RSS is
that process's VmHWM), rotating the order of the sides from one repetition to the next so that a slow
stretch of a shared machine does not always hit the same side. It prints medians and the ratio
harness/PyTorch, and writes results/bench/bench-<timestamp>.csv (every measurement, the medians and the
ratios, each row with a description of the machine) and the raw JSON lines beside it.

A benchmark, not a test: it exits non-zero only when a worker process fails, never because of a number.

Sides: `harness` and `anchor`, optionally with modifiers joined by '+': `jemalloc` or `tcmalloc`
(LD_PRELOAD'ed into that process), `tuned_malloc` (glibc malloc with the harness's thresholds, set by
GLIBC_TUNABLES: what the harness does by itself), `system_malloc` (harness only: glibc's defaults, no tuning),
`channels_last` (anchor only: channels-last batches and weights, as the harness does on the CPU by default),
`openblas` (anchor only: OpenBLAS's libblas.so.3 first on LD_LIBRARY_PATH; Debian's torch otherwise calls the system's
libblas.so.3, netlib's reference BLAS unless an optimized one is installed),
`standard_layout` (harness only: N x C x H x W batches, the layout before channels-last became the default), `seed_parallelK` (harness only: K seeds fused as one model; its
img/s count all K members' images, so its ratio to `harness` is the per-seed speed-up), e.g.
`--sides harness,anchor,harness+seed_parallel4,anchor+tuned_malloc`.
With --profile-layers it measures instead where the time of one training batch goes: every side times the trainer's
phases (batch, zero_grad, forward, loss, L2 penalty, backward, optimizer step, ...) and each layer's forward and
backward alone (median of --profile-repeats batches), and the driver prints one table per workload, sides side by side.
Standard library only; run it with the Python that has torch (Debian's /usr/bin/python3).
"""
import argparse
import csv
import datetime
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time

# name: (train images, test images): the harness evaluates the training set and the test set after each epoch.
WORKLOADS = {"deep": (400, 200), "deep-50-mono": (400, 200), "deep-fmnist": (10_000, 10_000), "alexnet": (400, 200), "alexnet-fmnist": (2_000, 2_000)}
TUNED_MALLOC = "glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=1073741824"
ALLOCATORS = {
    "jemalloc": ["libjemalloc.so.2"],
    "tcmalloc": ["libtcmalloc_minimal.so.4", "libtcmalloc.so.4"],
}
# Debian's python3-torch calls whatever libblas.so.3 the system's alternative names: netlib's reference BLAS unless an
# optimized one is installed. The `openblas` anchor modifier puts OpenBLAS's libblas.so.3 first for that process only.
OPENBLAS_DIRS = ["/usr/lib/x86_64-linux-gnu/openblas-pthread", "/usr/lib/aarch64-linux-gnu/openblas-pthread"]
LIB_DIRS = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib"]
METRICS = ["train_img_per_s", "eval_img_per_s", "full_run_s", "process_s", "setup_s", "first_batch_s",
           "median_batch_s", "train_s", "eval_s", "peak_rss_mb"]
# Shown in the table: (key, header, format).
SHOWN = [("train_img_per_s", "train img/s", "{:.1f}"), ("eval_img_per_s", "eval img/s", "{:.1f}"),
         ("full_run_s", "run s", "{:.1f}"), ("first_batch_s", "1st batch s", "{:.2f}"),
         ("median_batch_s", "batch s", "{:.3f}"), ("process_s", "process s", "{:.1f}"),
         ("peak_rss_mb", "peak MiB", "{:.0f}")]


def find_library(names):
    for d in LIB_DIRS:
        for n in names:
            path = os.path.join(d, n)
            if os.path.exists(path):
                return path
    return None


def machine(harness_versions, anchor_versions, threads):
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), cpu)
    except OSError:
        pass
    mem = float("nan")
    try:
        with open("/proc/meminfo") as f:
            mem = next(int(l.split()[1]) for l in f if l.startswith("MemTotal")) / 1024 / 1024
    except (OSError, StopIteration):
        pass
    os_name = platform.platform()
    try:
        with open("/etc/os-release") as f:
            os_name = next((l.split("=", 1)[1].strip().strip('"') for l in f if l.startswith("PRETTY_NAME")), os_name)
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return {
        "cpu_model": cpu, "cores": os.cpu_count(), "mem_gib": round(mem, 1), "os": os_name,
        "kernel": platform.release(), "load_avg_1min_at_start": round(load, 2),
        "libtorch_harness": harness_versions.get("libtorch", ""), "torchsharp": harness_versions.get("torchsharp", ""),
        "dotnet": harness_versions.get("dotnet", ""), "torch_anchor": anchor_versions.get("torch", ""),
        "anchor_blas": anchor_versions.get("blas", ""), "anchor_blas_library": anchor_versions.get("blas_library", ""), "anchor_parallel": anchor_versions.get("parallel", ""),
        "threads_requested": threads,
    }


def command_for(side, workload, threads, args):
    base, *mods = side.split("+")
    train, test = WORKLOADS[workload]
    train, test = max(1, round(train * args.size_factor)), round(test * args.size_factor)
    common = ["--workload", workload, "--threads", str(threads), "--epochs", str(args.epochs),
              "--train-images", str(train), "--test-images", str(test), "--eval-batch", str(args.eval_batch)]
    if "channels_last" in mods:
        if base != "anchor":
            raise SystemExit("channels_last is an anchor modifier (the harness lays CPU batches out channels-last by default; "
                             "harness+standard_layout measures it without)")
        common.append("--channels-last")
    if "standard_layout" in mods:
        if base != "harness":
            raise SystemExit("standard_layout is a harness modifier")
        common.append("--standard-layout")
    for m in mods:
        if m.startswith("seed_parallel"):
            if base != "harness" or not m[len("seed_parallel"):].isdigit():
                raise SystemExit(f"'{m}' needs the harness side and a member count, e.g. harness+seed_parallel4")
            common += ["--seed-parallel", m[len("seed_parallel"):]]
    if base == "harness":
        cmd = shlex.split(args.harness) + ["bench-worker"] + common
    elif base == "anchor":
        cmd = [args.python, os.path.join(os.path.dirname(os.path.abspath(__file__)), "anchor.py")] + common
    else:
        raise SystemExit(f"unknown side '{side}' (harness, anchor, with +jemalloc, +tcmalloc, +tuned_malloc, +system_malloc, +channels_last (anchor), +openblas (anchor), +standard_layout (harness), +seed_parallelK, +openmp_wait (harness), +passive_wait (anchor), +loaded)")
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    env.pop("LD_PRELOAD", None)
    env.pop("GLIBC_TUNABLES", None)
    env.pop("HARNESS_CPU_ALLOCATOR", None)
    env.pop("OMP_WAIT_POLICY", None)
    env.pop("HARNESS_OMP_WAIT_POLICY", None)
    env.pop("OPENBLAS_NUM_THREADS", None)
    for m in mods:
        if m == "loaded":
            pass  # run_one starts the background load
        elif m == "openmp_wait":
            if base != "harness":
                raise SystemExit("openmp_wait is a harness modifier (the anchor keeps OpenMP's default unless +passive_wait)")
            env["HARNESS_OMP_WAIT_POLICY"] = "openmp"
        elif m == "passive_wait":
            if base != "anchor":
                raise SystemExit("passive_wait is an anchor modifier (the harness waits passively by default; harness+openmp_wait measures it without)")
            env["OMP_WAIT_POLICY"] = "PASSIVE"
        elif m == "tuned_malloc":
            env["GLIBC_TUNABLES"] = TUNED_MALLOC
        elif m == "system_malloc":
            if base != "harness":
                raise SystemExit("system_malloc is a harness modifier (the anchor uses the system malloc unless told otherwise)")
            env["HARNESS_CPU_ALLOCATOR"] = "system"
        elif m == "openblas":
            if base != "anchor":
                raise SystemExit("openblas is an anchor modifier (the harness's libtorch brings its own BLAS)")
            folder = next((d for d in [args.openblas_dir] + OPENBLAS_DIRS if d and os.path.exists(os.path.join(d, "libblas.so.3"))), None)
            if folder is None:
                raise SystemExit("openblas: no OpenBLAS libblas.so.3 found (apt-get install libopenblas0-pthread, or --openblas-dir "
                                 "a folder holding one, e.g. from `apt-get download libopenblas0-pthread; dpkg -x ...`)")
            env["LD_LIBRARY_PATH"] = folder + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
            env["OPENBLAS_NUM_THREADS"] = str(threads)
        elif m in ALLOCATORS:
            lib = find_library(ALLOCATORS[m])
            if lib is None:
                raise SystemExit(f"{m} is not installed (apt-get install -y libjemalloc2 / libtcmalloc-minimal4)")
            env["LD_PRELOAD"] = lib
        elif m not in ("channels_last", "standard_layout") and not m.startswith("seed_parallel"):
            raise SystemExit(f"unknown modifier '{m}' in side '{side}'")
    return cmd, env


# A side with +loaded runs beside one busy process (one core's worth of work, as another user's job on a shared node
# or a laptop's browser would be), started just before the side and stopped right after it.
BUSY_LOOP = "while True:\n    pass\n"


def run_one(side, workload, threads, rep, args):
    cmd, env = command_for(side, workload, threads, args)
    busy = subprocess.Popen([sys.executable, "-c", BUSY_LOOP]) if "loaded" in side.split("+")[1:] else None
    try:
        start = time.perf_counter()
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - start
    finally:
        if busy is not None:
            busy.kill()
            busy.wait()
    line = next((l for l in reversed(proc.stdout.splitlines()) if l.startswith("{")), None)
    if proc.returncode != 0 or line is None:
        sys.stderr.write(f"  {side} {workload} t{threads} rep {rep}: FAILED (exit {proc.returncode})\n{proc.stderr[-2000:]}\n")
        return None
    result = json.loads(line)
    first = result["epochs"][0]
    row = {"side": side, "workload": workload, "threads": threads, "repetition": rep, "process_s": wall,
           "setup_s": result["setup_s"], "full_run_s": result["full_run_s"],
           "train_img_per_s": result["train_img_per_s"], "eval_img_per_s": result["eval_img_per_s"],
           "first_batch_s": first["first_batch_s"], "median_batch_s": statistics.median(e["median_batch_s"] for e in result["epochs"]),
           "train_s": first["train_s"], "eval_s": first["eval_s"], "peak_rss_mb": result["peak_rss_mb"],
           "train_images": result["train_images"], "eval_images": result["eval_images"],
           "train_loss_running": result["epochs"][-1]["train_loss_running"]}
    sys.stderr.write(f"  {side:<24} {workload:<12} t{threads} rep {rep}: train {row['train_img_per_s']:.1f} img/s, "
                     f"eval {row['eval_img_per_s']:.1f} img/s, run {row['full_run_s']:.1f} s (train {row['train_s']:.1f}, "
                     f"1st batch {row['first_batch_s']:.2f}, eval {row['eval_s']:.1f}), peak {row['peak_rss_mb']:.0f} MiB\n")
    return row, result


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--harness", default="dotnet " + os.path.join(root, "src/Harness.Cli/bin/Release/net10.0/Harness.Cli.dll"),
                        help="command that starts the harness CLI")
    parser.add_argument("--python", default="/usr/bin/python3", help="Python with torch for the anchor")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", default="2", help="comma-separated thread counts, e.g. 2,1")
    parser.add_argument("--workloads", default="deep,deep-fmnist")
    parser.add_argument("--sides", default="harness,anchor")
    parser.add_argument("--epochs", type=int, default=1, help="epochs per process (the first includes warm-up)")
    parser.add_argument("--eval-batch", type=int, default=200)
    parser.add_argument("--size-factor", type=float, default=1.0, help="scale the image counts (quick smoke runs)")
    parser.add_argument("--out", default=os.path.join(root, "results", "bench"))
    parser.add_argument("--openblas-dir", help="folder with OpenBLAS's libblas.so.3 for the +openblas anchor modifier "
                        "(default: Debian's libopenblas0-pthread folder)")
    parser.add_argument("--profile-layers", action="store_true",
                        help="time one training batch phase by phase and each layer alone, per side, instead of epochs")
    parser.add_argument("--profile-repeats", type=int, default=20, help="batches timed per number with --profile-layers")
    args = parser.parse_args()

    workloads = [w for w in args.workloads.split(",") if w]
    threads_list = [int(t) for t in args.threads.split(",") if t]
    sides = [s for s in args.sides.split(",") if s]
    for w in workloads:
        if w not in WORKLOADS:
            raise SystemExit(f"unknown workload '{w}' ({', '.join(WORKLOADS)})")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0
    sys.stderr.write(f"bench: {', '.join(workloads)} | threads {args.threads} | sides {', '.join(sides)} | "
                     f"{args.repeat} repetition(s), {args.epochs} epoch(s) each | load average {load:.1f} on {os.cpu_count()} cores\n")

    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    os.makedirs(args.out, exist_ok=True)
    if args.profile_layers:
        return profile_layers(args, workloads, threads_list, sides, stamp)
    jsonl = open(os.path.join(args.out, f"bench-{stamp}.jsonl"), "w")
    rows, raw, failures = [], [], 0
    for rep in range(1, args.repeat + 1):
        order = sides[(rep - 1) % len(sides):] + sides[:(rep - 1) % len(sides)]
        for w in workloads:
            for t in threads_list:
                for side in order:
                    got = run_one(side, w, t, rep, args)
                    if got is None:
                        failures += 1
                        continue
                    rows.append(got[0])
                    raw.append(got[1])
                    # Written as it goes, so that an interrupted bench keeps what it measured.
                    jsonl.write(json.dumps(dict(got[1], repetition=rep, process_s=got[0]["process_s"], side=side)) + "\n")
                    jsonl.flush()
    jsonl.close()

    harness_versions = next((r["versions"] for r in raw if r["side"] == "harness"), {})
    anchor_versions = next((r["versions"] for r in raw if r["side"] == "anchor"), {})
    desc = machine(harness_versions, anchor_versions, args.threads)

    medians, ratios = [], []
    print()
    print(f"Medians of {args.repeat} repetition(s); ratio = side / anchor, and a modified side / its base (img/s: above 1 is faster; seconds and MiB: below 1 is better).\n"
          "seed_parallelK sides count all K members' images: their img/s are per-seed equivalents.")
    print(f"Machine: {desc['cpu_model']}, {desc['cores']} cores, {desc['mem_gib']} GiB, {desc['os']}; "
          f"libtorch {desc['libtorch_harness']} (TorchSharp {desc['torchsharp']}) vs torch {desc['torch_anchor']}")
    header = f"{'workload':<12} {'thr':>3} {'side':<36}" + "".join(f"{h:>13}" for _, h, _ in SHOWN)
    print(header)
    print("-" * len(header))
    for w in workloads:
        for t in threads_list:
            for side in sides:
                mine = [r for r in rows if r["workload"] == w and r["threads"] == t and r["side"] == side]
                if not mine:
                    continue
                med = {"kind": "median", "side": side, "workload": w, "threads": t, "repetition": len(mine)}
                for m in METRICS:
                    med[m] = statistics.median(r[m] for r in mine)
                medians.append(med)
            here = [m for m in medians if m["workload"] == w and m["threads"] == t]
            for med in here:
                print(f"{w:<12} {t:>3} {med['side']:<36}" + "".join(f"{f.format(med[k]):>13}" for k, _, f in SHOWN))
                # Every side against the anchor; a modified side also against its unmodified base.
                bases = ["anchor"] + ([med["side"].split("+")[0]] if "+" in med["side"] and not med["side"].startswith("anchor+") else [])
                mods = med["side"].split("+")[1:]
                if "loaded" in mods:
                    # Under load: against PyTorch under the same load, and against the same side on a quiet machine.
                    bases += [m["side"] for m in here if m["side"].startswith("anchor") and "loaded" in m["side"].split("+")[1:]]
                    bases.append("+".join([med["side"].split("+")[0]] + [m for m in mods if m != "loaded"]))
                bases = list(dict.fromkeys(bases))
                for base in bases:
                    reference = next((m for m in here if m["side"] == base), None)
                    if reference is None or med["side"] == base:
                        continue
                    ratio = {"kind": "ratio", "side": f"{med['side']}/{base}", "workload": w, "threads": t, "repetition": med["repetition"]}
                    for m in METRICS:
                        ratio[m] = med[m] / reference[m] if reference[m] else float("nan")
                    ratios.append(ratio)
                    print(f"{'':<12} {'':>3} {'  ratio ' + ratio['side']:<36}" + "".join(f"{ratio[k]:>13.2f}" for k, _, _ in SHOWN))

    path = os.path.join(args.out, f"bench-{stamp}.csv")
    columns = ["kind", "workload", "threads", "side", "repetition"] + METRICS + \
              ["train_images", "eval_images", "train_loss_running", "epochs", "size_factor"] + list(desc)
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for r in [dict(r, kind="run") for r in rows] + medians + ratios:
            writer.writerow({**{k: "" for k in columns}, **r, **desc, "epochs": args.epochs, "size_factor": args.size_factor})
    print(f"\nwritten {path} (and .jsonl with every worker's full output)")
    if failures:
        print(f"{failures} worker process(es) failed", file=sys.stderr)
        return 1
    return 0


def profile_layers(args, workloads, threads_list, sides, stamp):
    """One profiling process per side, workload and thread count; a table of milliseconds per phase and per layer."""
    path = os.path.join(args.out, f"profile-{stamp}.jsonl")
    failures = 0
    with open(path, "w") as jsonl:
        for w in workloads:
            for t in threads_list:
                found = {}
                for side in sides:
                    cmd, env = command_for(side, w, t, args)
                    cmd += ["--profile-layers", "--profile-repeats", str(args.profile_repeats)]
                    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
                    line = next((l for l in reversed(proc.stdout.splitlines()) if l.startswith("{")), None)
                    if proc.returncode != 0 or line is None:
                        sys.stderr.write(f"  {side} {w} t{t}: FAILED (exit {proc.returncode})\n{proc.stderr[-2000:]}\n")
                        failures += 1
                        continue
                    found[side] = json.loads(line)
                    jsonl.write(json.dumps(dict(found[side], side=side, load_avg_1min=os.getloadavg()[0])) + "\n")
                    jsonl.flush()
                if found:
                    print_profile(w, t, found)
    print(f"\nwritten {path}")
    if failures:
        print(f"{failures} worker process(es) failed", file=sys.stderr)
        return 1
    return 0


def print_profile(workload, threads, found):
    sides = list(found)
    first = found[sides[0]]
    print(f"\n{workload}, batch {first['batch_size']}, {threads} thread(s): milliseconds, medians of {first['repeats']} batches "
          f"(load average {os.getloadavg()[0]:.1f})")
    for i, s in enumerate(sides):
        print(f"  {chr(65 + i)} = {s}")
    header = f"{'':<22}{'output':>10}" + "".join(f"{chr(65 + i) + ' fwd':>10}{chr(65 + i) + ' bwd':>10}" for i in range(len(sides)))
    print(header)
    print("-" * len(header))
    phases = [p["phase"] for p in first["phases"]]
    for s in sides[1:]:
        phases += [p["phase"] for p in found[s]["phases"] if p["phase"] not in phases]
    for phase in phases:
        cells = []
        for s in sides:
            ms = next((p["ms"] for p in found[s]["phases"] if p["phase"] == phase), None)
            cells.append(f"{'-' if ms is None else f'{ms:.2f}':>10}{'':>10}")
        print(f"{'step: ' + phase:<22}{'':>10}" + "".join(cells))
    for layer in first["layers"]:
        cells = []
        for s in sides:
            mine = next((l for l in found[s]["layers"] if l["layer"] == layer["layer"]), None)
            forward = "-" if mine is None else f"{mine['forward_ms']:.2f}"
            backward = "-" if mine is None else f"{mine['backward_ms']:.2f}"
            cells.append(f"{forward:>10}{backward:>10}")
        print(f"{'layer: ' + layer['layer']:<22}{layer['output']:>10}" + "".join(cells))
    totals = []
    for s in sides:
        f = sum(l["forward_ms"] for l in found[s]["layers"])
        b = sum(l["backward_ms"] for l in found[s]["layers"])
        totals.append(f"{f:>10.2f}{b:>10.2f}")
    print(f"{'layers, sum':<22}{'':>10}" + "".join(totals))


if __name__ == "__main__":
    sys.exit(main())
