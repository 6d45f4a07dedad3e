#!/usr/bin/env python3
"""Fashion-MNIST trained end to end in plain PyTorch, as the harness's `fashion_mnist` spec trains it.

`make parity` shows that the harness's trainer computes PyTorch's steps, for a few steps. This script answers the
question parity cannot: does the published set-up, run to the end in another framework, give the published test
accuracy (deep-fmnist > 91 %, alexnet-fmnist about 72 %)? It trains the networks of scripts/bench/anchor.py (Glorot
weights, zero biases, Keras batch-norm settings, Keras loss; Adam 1e-3 with epsilon 1e-7 for deep-fmnist, the
published Keras SGD for alexnet-fmnist) on the 60,000 training images (x / 255, batch 20, reshuffled every epoch)
for 10 epochs, and after every epoch measures, in eval mode, the whole training set and the 10,000 test images.

`--adam keras` replaces PyTorch's Adam by the update Keras (TensorFlow's ApplyAdam) makes, with "epsilon hat":
w -= lr sqrt(1 - b2^t) / (1 - b1^t) m / (sqrt(v) + eps). `--adam torch` (the default) is what the harness does.

Writes one tidy CSV row per run and epoch (--out) and prints, per workload and Adam variant, the mean per epoch and
the mean final test accuracy over seeds. Runs on a GPU with --device cuda (TF32 off, so float32 means float32).
Data: the IDX files of `apt-get install dataset-fashion-mnist` (/usr/share/datasets/fashion-mnist), or --data DIR.
"""
import argparse
import csv
import gzip
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from anchor import Trainer, keras_loss, network  # noqa: E402  (the same networks and SGD as make bench)

FILES = {
    "train_images": "train-images-idx3-ubyte", "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte", "test_labels": "t10k-labels-idx1-ubyte",
}
FIELDS = ["workload", "adam", "seed", "epoch", "train_accuracy_running", "train_accuracy", "train_loss",
          "test_accuracy", "test_loss", "seconds"]


def read_idx(folder, stem):
    """An IDX file, raw or gzipped, as a numpy array (images N x 28 x 28 uint8, labels N)."""
    for name in (stem, stem + ".gz"):
        path = folder / name
        if path.exists():
            raw = gzip.open(path).read() if name.endswith(".gz") else path.read_bytes()
            dims = raw[3]
            shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
            return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)
    raise SystemExit(f"fmnist_train: {folder / stem}(.gz) not found; apt-get install dataset-fashion-mnist or pass --data DIR")


class KerasAdam:
    """TensorFlow's ApplyAdam: epsilon added to sqrt(v) before the bias corrections are folded into the rate."""

    def __init__(self, parameters, lr=1e-3, b1=0.9, b2=0.999, eps=1e-7):
        self.parameters = [p for p in parameters]
        self.m = [torch.zeros_like(p) for p in self.parameters]
        self.v = [torch.zeros_like(p) for p in self.parameters]
        self.lr, self.b1, self.b2, self.eps, self.t = lr, b1, b2, eps, 0

    def zero_grad(self):
        for p in self.parameters:
            p.grad = None

    def step(self):
        self.t += 1
        rate = self.lr * (1 - self.b2 ** self.t) ** 0.5 / (1 - self.b1 ** self.t)
        with torch.no_grad():
            for p, m, v in zip(self.parameters, self.m, self.v):
                m.mul_(self.b1).add_(p.grad, alpha=1 - self.b1)
                v.mul_(self.b2).addcmul_(p.grad, p.grad, value=1 - self.b2)
                p.addcdiv_(m, v.sqrt().add_(self.eps), value=-rate)


def measure(model, images, labels, batch=200):
    model.eval()
    loss, correct = torch.zeros((), dtype=torch.float64, device=images.device), torch.zeros((), dtype=torch.float64, device=images.device)
    with torch.no_grad():
        for start in range(0, images.shape[0], batch):
            x, y = images[start:start + batch], labels[start:start + batch]
            logits = model(x)
            loss += keras_loss(logits, y).double().sum()
            correct += logits.argmax(1).eq(y).double().sum()
    return loss.item() / images.shape[0], correct.item() / images.shape[0]


def train(workload, adam, seed, data, epochs, batch, device):
    train_x, train_y, test_x, test_y = data
    torch.manual_seed(seed)
    model = network(workload, 1, 28, 28, 10).to(device)
    trainer = Trainer(model, workload)
    if adam == "keras" and not trainer.sgd:
        trainer.optimizer = KerasAdam(model.parameters())
    order = torch.Generator().manual_seed(seed)
    for epoch in range(1, epochs + 1):
        started = time.time()
        model.train()
        permutation = torch.randperm(train_x.shape[0], generator=order).to(device)
        correct = torch.zeros((), dtype=torch.float64, device=device)
        for start in range(0, train_x.shape[0], batch):
            index = permutation[start:start + batch]
            x, y = train_x.index_select(0, index), train_y.index_select(0, index)
            trainer.zero_grad()
            logits = model(x)
            trainer.loss(logits, y).backward()
            trainer.step()
            correct += logits.detach().argmax(1).eq(y).double().sum()
        running = correct.item() / train_x.shape[0]
        train_loss, train_accuracy = measure(model, train_x, train_y)
        test_loss, test_accuracy = measure(model, test_x, test_y)
        row = {"workload": workload, "adam": adam if not trainer.sgd else "", "seed": seed, "epoch": epoch,
               "train_accuracy_running": f"{running:.5f}", "train_accuracy": f"{train_accuracy:.5f}",
               "train_loss": f"{train_loss:.5f}", "test_accuracy": f"{test_accuracy:.5f}",
               "test_loss": f"{test_loss:.5f}", "seconds": f"{time.time() - started:.1f}"}
        print(f"{workload} {row['adam'] or 'sgd'} seed {seed} epoch {epoch}: running {running:.4f} "
              f"train {train_accuracy:.4f} test {test_accuracy:.4f} ({row['seconds']} s)", flush=True)
        yield row  # written as soon as the epoch is measured, so a run cut short keeps its epochs


def summarize(rows):
    groups = {}
    for r in rows:
        groups.setdefault((r["workload"], r["adam"]), []).append(r)
    for (workload, adam), group in groups.items():
        epochs = sorted({int(r["epoch"]) for r in group})
        seeds = sorted({int(r["seed"]) for r in group})
        print(f"\n{workload} ({adam + ' Adam' if adam else 'Keras SGD'}), {len(seeds)} seeds: mean per epoch")
        print("epoch  running  train   test")
        for e in epochs:
            at = [r for r in group if int(r["epoch"]) == e]
            mean = lambda k: statistics.fmean(float(r[k]) for r in at)  # noqa: E731
            print(f"{e:>5}  {mean('train_accuracy_running'):.4f}   {mean('train_accuracy'):.4f}  {mean('test_accuracy'):.4f}")
        final = [float(r["test_accuracy"]) for r in group if int(r["epoch"]) == epochs[-1]]
        best = [max(float(r["test_accuracy"]) for r in group if int(r["seed"]) == s) for s in seeds]
        sd = statistics.stdev(final) if len(final) > 1 else 0.0
        print(f"final test accuracy: mean {statistics.fmean(final):.4f} (SD {sd:.4f}; runs "
              + ", ".join(f"{a:.4f}" for a in final) + f"); best epoch per run, mean {statistics.fmean(best):.4f}")


def check():
    """Self-check (CI): Keras's Adam step against PyTorch's, and two epochs end to end on tiny IDX files."""
    import tempfile
    torch.manual_seed(0)
    w = torch.randn(50, dtype=torch.float64, requires_grad=True)
    v = w.detach().clone().requires_grad_(True)
    keras, reference = KerasAdam([w]), None
    for t in (1, 2, 3):
        # At step t Keras's epsilon sits outside the bias correction: PyTorch's step with eps / sqrt(1 - b2^t).
        reference = torch.optim.Adam([v], lr=1e-3, eps=1e-7 / (1 - 0.999 ** t) ** 0.5) if reference is None else reference
        reference.param_groups[0]["eps"] = 1e-7 / (1 - 0.999 ** t) ** 0.5
        g = torch.randn(50, dtype=torch.float64) * 10.0 ** -t * 1e-4
        w.grad, v.grad = g.clone(), g.clone()
        keras.step()
        reference.step()
        if not torch.allclose(w, v, rtol=0, atol=1e-15):
            raise SystemExit(f"fmnist_train --check: Keras Adam differs from the rescaled PyTorch Adam at step {t}: "
                             f"{(w - v).abs().max().item():.3e}")
    with tempfile.TemporaryDirectory() as folder:
        generator = torch.Generator().manual_seed(1)
        for stem, count in (("train", 60), ("t10k", 40)):
            images = torch.randint(0, 256, (count, 28, 28), generator=generator, dtype=torch.uint8)
            labels = torch.arange(count, dtype=torch.uint8) % 10
            with gzip.open(Path(folder) / f"{stem}-images-idx3-ubyte.gz", "wb") as f:
                f.write(bytes([0, 0, 8, 3]) + b"".join(n.to_bytes(4, "big") for n in (count, 28, 28)) + images.numpy().tobytes())
            (Path(folder) / f"{stem}-labels-idx1-ubyte").write_bytes(bytes([0, 0, 8, 1]) + count.to_bytes(4, "big") + labels.numpy().tobytes())
        out = Path(folder) / "runs.csv"
        sys.argv = [sys.argv[0], "--workloads", "deep-fmnist,alexnet-fmnist", "--adam", "both", "--seeds", "1",
                    "--epochs", "2", "--data", folder, "--threads", "1", "--out", str(out)]
        main()
        rows = list(csv.DictReader(open(out)))
        if len(rows) != 6 or {r["workload"] for r in rows} != {"deep-fmnist", "alexnet-fmnist"}:
            raise SystemExit(f"fmnist_train --check: expected 6 rows (3 runs x 2 epochs), got {len(rows)}")
    print("fmnist_train check ok")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workloads", default="deep-fmnist", help="deep-fmnist, alexnet-fmnist (comma-separated)")
    parser.add_argument("--adam", default="torch", help="torch, keras or both (deep-fmnist only)")
    parser.add_argument("--seeds", default="1,2,3,4,5")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--limit", type=int, help="train on the first N training images only (a smoke test)")
    parser.add_argument("--out", help="tidy CSV, one row per run and epoch")
    parser.add_argument("--summarize", nargs="*", help="only print the summary of these CSV files")
    parser.add_argument("--check", action="store_true", help="self-check on tiny generated data (CI), then exit")
    args = parser.parse_args()
    if args.check:
        check()
        return
    if args.summarize:
        rows = [r for f in args.summarize for r in csv.DictReader(open(f))]
        summarize(rows)
        return
    workloads = args.workloads.split(",")
    for w in workloads:
        if w not in ("deep-fmnist", "alexnet-fmnist"):
            raise SystemExit(f"fmnist_train: --workloads: unknown workload {w!r}; use deep-fmnist or alexnet-fmnist")
    variants = ["torch", "keras"] if args.adam == "both" else [args.adam]
    if any(v not in ("torch", "keras") for v in variants):
        raise SystemExit(f"fmnist_train: --adam {args.adam!r}: use torch, keras or both")
    torch.set_num_threads(args.threads)
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False
    folder = Path(args.data)
    arrays = {k: read_idx(folder, v) for k, v in FILES.items()}
    if args.limit:
        arrays["train_images"], arrays["train_labels"] = arrays["train_images"][:args.limit], arrays["train_labels"][:args.limit]
    images = lambda a: torch.from_numpy(a.astype(np.float32) / 255).unsqueeze(1).to(args.device)  # noqa: E731
    labels = lambda a: torch.from_numpy(a.astype(np.int64)).to(args.device)  # noqa: E731
    data = (images(arrays["train_images"]), labels(arrays["train_labels"]),
            images(arrays["test_images"]), labels(arrays["test_labels"]))
    rows = []
    writer = None
    out = open(args.out, "w", newline="") if args.out else None
    if out:
        writer = csv.DictWriter(out, FIELDS)
        writer.writeheader()
    for workload in workloads:
        for variant in (variants if workload == "deep-fmnist" else ["torch"]):
            for seed in (int(s) for s in args.seeds.split(",")):
                for r in train(workload, variant, seed, data, args.epochs, args.batch, args.device):
                    rows.append(r)
                    if writer:
                        writer.writerow(r)
                        out.flush()
    summarize(rows)


if __name__ == "__main__":
    main()
