#!/usr/bin/env python3
"""make parity: the harness's trainer and PyTorch compute the same training, step by step.

For every workload and optimizer, `harness parity-worker` trains through the harness's real Trainer (its data
order, Keras learning-rate decay, Keras loss, L2 penalty, optimizer step, channels-last batches) and writes the
initial weights, the data, the batches the trainer drew, the loss of every step and the final weights. This script
loads the same initial weights into the PyTorch network of scripts/bench/anchor.py, replays the same batches with
PyTorch's own Adam, or Keras's SGD written out in PyTorch (velocity v = m v - lr_t g, Keras time decay lr0 / (1 + decay * t) per batch and the L2
penalty added to the loss over conv and dense kernels), and compares the per-step losses and the final weights.
By default both sides run in float64, so any difference above rounding (about 1e-12 here) is a real one.
Prints one row per run, then `parity ok` (exit 0) or `parity FAILED` (exit 1).
"""
import argparse
import concurrent.futures
import json
import multiprocessing
import resource
import shlex
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from anchor import keras_loss, network  # noqa: E402  (the same networks as make bench)

WORKLOADS = ["deep", "deep-fmnist", "cifar-small"]
OPTIMIZERS = ["adam", "sgd"]
DTYPES = {"float64": torch.float64, "float32": torch.float32}


class ParityError(Exception):
    """A run that cannot be compared (worker failed, parameters do not map)."""


def raw(folder, name, dtype):
    return np.fromfile(folder / name, dtype=dtype)


def load_parameters(model, manifest, values, dtype):
    """Copies the harness's parameters into the PyTorch model, in order, asserting that every shape matches."""
    ours = list(model.named_parameters())
    theirs = manifest["parameters"]
    if len(ours) != len(theirs):
        raise ParityError(f"the harness has {len(theirs)} parameter tensors, PyTorch {len(ours)}")
    with torch.no_grad():
        for (name, p), h in zip(ours, theirs):
            if list(p.shape) != h["shape"]:
                raise ParityError(f"{h['name']} {h['shape']} does not fit PyTorch's {name} {list(p.shape)}")
            n = p.numel()
            p.copy_(torch.from_numpy(values[h["offset"]:h["offset"] + n].copy()).view(p.shape).to(dtype))


def replay(folder, manifest, threads):
    """Trains the PyTorch network from the harness's initial weights on the harness's batches; returns (losses, final weights)."""
    torch.set_num_threads(threads)
    dtype = DTYPES[manifest["dtype"]]
    c, h, w = manifest["input"]
    model = network(manifest["workload"], c, h, w, manifest["classes"]).to(dtype)
    load_parameters(model, manifest, raw(folder, "initial.f64", "<f8"), dtype)
    images = torch.from_numpy(raw(folder, "images.f32", "<f4").reshape(-1, c, h, w)).to(dtype)
    labels = torch.from_numpy(raw(folder, "labels.i64", "<i8"))
    batches = torch.from_numpy(raw(folder, "batches.i64", "<i8"))
    opt = manifest["optimizer"]
    if opt["name"] == "adam":
        optimizer = torch.optim.Adam(model.parameters(), lr=opt["lr"], betas=(opt["beta1"], opt["beta2"]), eps=opt["epsilon"])
    else:
        optimizer = None  # Keras's SGD, written out below: the velocity keeps each gradient's own learning rate
        velocity = [torch.zeros_like(p) for p in model.parameters()]
    kernels = [m.weight for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    model.train()
    losses, start = [], 0
    for t, n in enumerate(manifest["batch_lengths"]):
        index = batches[start:start + n]
        start += n
        x, y = images.index_select(0, index), labels.index_select(0, index)
        rate = opt["lr"] / (1 + opt["decay"] * t)  # Keras time decay; constant when decay is 0
        model.zero_grad()
        loss = keras_loss(model(x), y).mean()
        if opt["l2"] > 0:
            loss = loss + sum(k.square().sum() for k in kernels) * opt["l2"]
        loss.backward()
        if optimizer is not None:
            for group in optimizer.param_groups:
                group["lr"] = rate
            optimizer.step()
        else:
            with torch.no_grad():  # Keras SGD: v = momentum * v - lr_t * g; w += v
                for p, v in zip(model.parameters(), velocity):
                    v.mul_(opt["momentum"]).sub_(rate * p.grad)
                    p.add_(v)
        losses.append(loss.item())
    final = [p.detach().double().numpy().ravel() for _, p in model.named_parameters()]
    return np.array(losses), final


def relative(a, b):
    """max |a - b| / max |b| (one number per tensor)."""
    scale = np.abs(b).max()
    return float(np.abs(a - b).max() / scale) if scale > 0 else float(np.abs(a - b).max())


def compare(folder, manifest, threads):
    started, cpu = time.perf_counter(), time.process_time()
    losses, final = replay(folder, manifest, threads)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    harness_losses = raw(folder, "losses.f64", "<f8")
    initial, harness_final = raw(folder, "initial.f64", "<f8"), raw(folder, "final.f64", "<f8")
    if len(harness_losses) != len(losses):
        raise ParityError(f"the harness recorded {len(harness_losses)} steps, PyTorch replayed {len(losses)}")
    loss_diff = float((np.abs(harness_losses - losses) / np.abs(losses)).max())
    weight_diff, moved = 0.0, 0.0
    for h, ours in zip(manifest["parameters"], final):
        n = ours.size
        theirs = harness_final[h["offset"]:h["offset"] + n]
        weight_diff = max(weight_diff, relative(theirs, ours))
        moved = max(moved, relative(theirs, initial[h["offset"]:h["offset"] + n]))
    return {"steps": len(losses), "loss_first": float(losses[0]), "loss_last": float(losses[-1]),
            "loss_rel_diff": loss_diff, "weight_rel_diff": weight_diff, "weights_moved": moved, "pytorch_s": seconds,
            "pytorch_cpu_s": cpu}


def run_one(harness, out, workload, optimizer, dtype, steps, threads, tolerance):
    """One run: the harness's worker, then the replay and the comparison. Returns the row (never raises ParityError)."""
    folder = out / f"{workload}-{optimizer}-{dtype}"
    command = shlex.split(harness) + ["parity-worker", "--workload", workload, "--optimizer", optimizer,
                                      "--dtype", dtype, "--threads", str(threads), "--out", str(folder)]
    if steps:
        command += ["--steps", str(steps)]
    checked = dtype == "float64"
    row = {"workload": workload, "optimizer": optimizer, "dtype": dtype, "tolerance": tolerance if checked else None}
    try:
        started, children = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(command, capture_output=True, text=True)
        row["harness_s"] = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        row["harness_cpu_s"] = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
        if done.returncode != 0:
            raise ParityError(f"harness parity-worker exited {done.returncode}: {(done.stderr or done.stdout).strip()}")
        manifest = json.loads((folder / "manifest.json").read_text())
        row.update(compare(folder, manifest, threads))
        worst = max(row["loss_rel_diff"], row["weight_rel_diff"])
        ok = worst <= tolerance and row["weights_moved"] > 0
        row["result"] = ("ok" if ok else "FAILED") if checked else "info"
    except (ParityError, OSError, ValueError, KeyError, RuntimeError) as e:  # one line per failed run, no traceback
        row["result"], row["error"] = "FAILED", f"{type(e).__name__}: {e}" if not isinstance(e, ParityError) else str(e)
    return row


def format_row(row):
    head = f"{row['workload']:<12} {row['optimizer']:<9} {row['dtype']:<7}"
    if "error" in row:
        return f"{head} FAILED: {row['error']}"
    return (f"{head} {row['steps']:>5} {row['loss_first']:>9.4f} -> {row['loss_last']:<7.4f} {row['loss_rel_diff']:>13.2e} "
            f"{row['weight_rel_diff']:>15.2e} {row['weights_moved']:>13.2e} {row['harness_s']:>9.1f} {row['pytorch_s']:>7.1f}  {row['result']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--harness", required=True, help="the harness command, e.g. 'dotnet src/Harness.Cli/bin/Release/net10.0/Harness.Cli.dll'")
    parser.add_argument("--out", default="results/parity", help="folder for the workers' files and parity.json")
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    parser.add_argument("--optimizers", default=",".join(OPTIMIZERS))
    parser.add_argument("--dtypes", default="float64", help="float64 (checked against --tolerance); float32 rows are for information only")
    parser.add_argument("--steps", type=int, help="optimizer steps per run (default: the workload's, see harness parity-worker)")
    parser.add_argument("--threads", type=int, default=1, help="CPU threads on both sides (1: immune to other load on the machine)")
    parser.add_argument("--jobs", type=int, default=2, help="runs side by side (each one process per side, --threads threads)")
    parser.add_argument("--tolerance", type=float, default=1e-6, help="largest relative difference allowed in float64")
    args = parser.parse_args()
    if "float64" not in args.dtypes.split(","):
        parser.error("--dtypes must include float64: float32 rows are for information only, nothing would be checked")

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    print(f"parity: harness ({shlex.split(args.harness)[-1]}) against PyTorch {torch.__version__}, {args.threads} thread(s), "
          f"tolerance {args.tolerance:g} (float64)")
    header = f"{'workload':<12} {'optimizer':<9} {'dtype':<7} {'steps':>5} {'loss first -> last':>20} {'loss rel diff':>13} " \
             f"{'weight rel diff':>15} {'weights moved':>13} {'harness s':>9} {'torch s':>7}  result"
    print(header)
    begun = time.perf_counter()
    runs = [(w, o, d) for w in args.workloads.split(",") for o in args.optimizers.split(",") for d in args.dtypes.split(",")]
    # Each run is the harness's worker, then PyTorch's replay, one thread each; --jobs runs go side by side
    # (spawned processes: a fresh torch each, as the thread count must be set before any work).
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=args.jobs, mp_context=context) as pool:
        futures = [pool.submit(run_one, args.harness, out, w, o, d, args.steps, args.threads, args.tolerance) for w, o, d in runs]
        rows = []
        for future in futures:
            row = future.result()
            rows.append(row)
            print(format_row(row), flush=True)
    failed = any(row["result"] == "FAILED" for row in rows)
    cpu = {side: sum(row.get(f"{side}_cpu_s", 0) for row in rows) for side in ("harness", "pytorch")}
    print(f"{time.perf_counter() - begun:.0f} s, {args.jobs} run(s) at a time; CPU time: harness {cpu['harness']:.0f} s, "
          f"PyTorch {cpu['pytorch']:.0f} s (s columns: wall time of each side, longer when other work shares the cores)")
    (out / "parity.json").write_text(json.dumps({"torch": torch.__version__, "threads": args.threads, "rows": rows}, indent=1))
    print("loss rel diff: max over steps of |harness - torch| / |torch|; weight rel diff: max over tensors of "
          "max |harness - torch| / max |torch| after the last step; weights moved: the same between initial and final weights")
    print("parity FAILED" if failed else "parity ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
