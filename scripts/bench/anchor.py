#!/usr/bin/env python3
"""PyTorch anchor for `make bench`: the same workloads as `harness bench-worker`, in plain PyTorch.

Same networks (deep, deep-fmnist, alexnet, alexnet-fmnist as in reference/published-results.md), Glorot-uniform
weights and zero biases, batch norm with Keras's epsilon 1e-3 and momentum 0.99 (PyTorch's 0.01), the same
optimizer: Adam(1e-3, 0.9, 0.999, eps 1e-7) for deep and deep-fmnist; for the AlexNets the published SGD (lr 0.01,
momentum 0.9, Keras time decay 0.3 per batch, L2 0.0005 * sum(w^2) over conv and dense kernels added to the loss)
with Keras's velocity rule (v = m v - lr_t g, w += v), written in place; Keras's loss (softmax, clip to
[1e-7, 1 - 1e-7], -log p), data
on the device sliced by index_select on a per-epoch permutation, metrics accumulated on the device and read
once per epoch, and after each epoch a clean measurement (eval mode, no_grad, batches of 200) of the
training set and the test set, as the harness's Trainer does. Prints one JSON line with the worker's keys.
"""
import argparse
import json
import os
import platform
import statistics
import time

import torch
import torch.nn as nn

WORKLOADS = {
    # name: (channels, height, width, classes, train images, test images, batch)
    "deep": (3, 256, 256, 2, 400, 200, 20),
    "deep-50-mono": (1, 256, 256, 2, 400, 200, 20),  # deep-50 on one channel (the monocolour figure F3)
    "deep-fmnist": (1, 28, 28, 10, 10_000, 10_000, 64),
    "alexnet": (3, 256, 256, 2, 400, 200, 20),
    "alexnet-fmnist": (1, 28, 28, 10, 2_000, 2_000, 20),
}
# The published AlexNet's SGD (Keras): lr, momentum, time decay per batch, L2 on conv and dense kernels.
KERAS_SGD = {"lr": 0.01, "momentum": 0.9, "decay": 0.3, "l2": 0.0005}
SGD_WORKLOADS = ("alexnet", "alexnet-fmnist")


def conv(cin, cout, padding=1):
    return [nn.Conv2d(cin, cout, 3, padding=padding), nn.ReLU()]


def pool():
    return [nn.MaxPool2d(2, 2)]


def alexnet(name, channels, height, width, classes):
    """The published AlexNet clone (alexnet-fmnist keeps only the first max-pool); Keras's batch-norm settings."""
    def out(size, kernel, stride):
        return (size - kernel) // stride + 1
    def norm(c):
        return nn.BatchNorm2d(c, eps=1e-3, momentum=0.01)
    full = name == "alexnet"
    layers = [nn.Conv2d(channels, 96, 11, stride=4), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2), norm(96),
              nn.Conv2d(96, 256, 5, padding=2), nn.ReLU(inplace=True)]
    h, w = out(out(height, 11, 4), 3, 2), out(out(width, 11, 4), 3, 2)
    if full:
        layers.append(nn.MaxPool2d(3, 2))
        h, w = out(h, 3, 2), out(w, 3, 2)
    layers += [norm(256), nn.Conv2d(256, 384, 3, padding=1), nn.ReLU(inplace=True),
               nn.Conv2d(384, 384, 3, padding=1), nn.ReLU(inplace=True), nn.Conv2d(384, 256, 3, padding=1), nn.ReLU(inplace=True)]
    if full:
        layers.append(nn.MaxPool2d(3, 2))
        h, w = out(h, 3, 2), out(w, 3, 2)
    layers += [nn.Flatten(), nn.Dropout(0.5), nn.Linear(256 * h * w, 2048), nn.ReLU(inplace=True),
               nn.Dropout(0.5), nn.Linear(2048, 2048), nn.ReLU(inplace=True), nn.Linear(2048, classes)]
    return nn.Sequential(*layers)


def network(name, channels, height, width, classes):
    """The published stacks; flatten size follows the input as in the harness's LayerStack."""
    if name in ("alexnet", "alexnet-fmnist"):
        model = alexnet(name, channels, height, width, classes)
        for m in model.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)
        return model
    if name in ("deep", "deep-50-mono"):
        spec = ["16", "P", "16", "P", "16", "P", "32", "P", "32", "32", "P", "64", "P", "64", "P", "64", "P"]
        dense = [512] if name == "deep" else [512, 50]
    elif name == "deep-fmnist":
        spec = ["16", "P", "16", "P", "16", "P", "32", "P", "32", "32", "64", "64", "64"]
        dense = [512, 50]
    elif name == "cifar-small":  # valid ("v") convolutions; used by make parity (scripts/parity/parity.py)
        spec = ["32v", "P", "32v", "P"]
        dense = [32]
    else:
        raise SystemExit(f"unknown workload {name}")
    layers, c, h, w = [], channels, height, width
    for s in spec:
        if s == "P":
            layers += pool()
            h, w = (h - 2) // 2 + 1, (w - 2) // 2 + 1
        elif s.endswith("v"):
            layers += conv(c, int(s[:-1]), padding=0)
            c, h, w = int(s[:-1]), h - 2, w - 2
        else:
            layers += conv(c, int(s))
            c = int(s)
    layers.append(nn.Flatten())
    features = c * h * w
    for units in dense:
        layers += [nn.Linear(features, units), nn.ReLU()]
        features = units
    layers.append(nn.Linear(features, classes))
    model = nn.Sequential(*layers)
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return model


def keras_loss(logits, labels):
    """Per-example Keras categorical cross-entropy on a softmax output."""
    p = torch.softmax(logits, 1).clamp(1e-7, 1 - 1e-7)
    return -p.gather(1, labels.unsqueeze(1)).squeeze(1).log()


def measure(model, images, labels, batch, channels_last):
    """Loss, accuracy and confidence sums under no_grad, accumulated on the device, read once."""
    model.eval()
    with torch.no_grad():
        loss_sum = torch.zeros(1, dtype=torch.float64)
        correct_sum = torch.zeros(1, dtype=torch.float64)
        confidence_sum = torch.zeros(1, dtype=torch.float64)
        for start in range(0, images.shape[0], batch):
            x = images.narrow(0, start, min(batch, images.shape[0] - start))
            y = labels.narrow(0, start, x.shape[0])
            if channels_last:
                x = x.contiguous(memory_format=torch.channels_last)
            logits = model(x)
            loss_sum += keras_loss(logits, y).double().sum()
            confidence, predicted = torch.softmax(logits, 1).max(1)
            correct_sum += predicted.eq(y).double().sum()
            confidence_sum += confidence.double().sum()
        return loss_sum.item(), correct_sum.item(), confidence_sum.item()


class Trainer:
    """The workload's optimizer: Adam for deep and deep-fmnist; the AlexNets' Keras SGD with L2 in the loss."""

    def __init__(self, model, workload):
        self.model = model
        self.sgd = workload in SGD_WORKLOADS
        if self.sgd:
            self.kernels = [m.weight for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
            self.parameters = list(model.parameters())
            self.velocity = [torch.zeros_like(p) for p in self.parameters]
            self.updates = 0
        else:
            self.optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)

    def zero_grad(self):
        if self.sgd:
            self.model.zero_grad(set_to_none=True)
        else:
            self.optimizer.zero_grad()

    def loss(self, logits, labels):
        return keras_loss(logits, labels).mean() + self.penalty() if self.sgd else keras_loss(logits, labels).mean()

    def penalty(self):
        """Keras's L2 term, l2 * sum(w^2) over conv and dense kernels (0 for Adam)."""
        return sum(k.square().sum() for k in self.kernels) * KERAS_SGD["l2"] if self.sgd else 0

    def step(self):
        if not self.sgd:
            self.optimizer.step()
            return
        rate = KERAS_SGD["lr"] / (1 + KERAS_SGD["decay"] * self.updates)  # Keras time decay
        self.updates += 1
        with torch.no_grad():  # Keras SGD: v = m v - lr_t g; w += v
            for p, v in zip(self.parameters, self.velocity):
                v.mul_(KERAS_SGD["momentum"]).add_(p.grad, alpha=-rate)
                p.add_(v)


def stages(model):
    """The network's layers named as the harness's stages (conv1 = Conv2d + its ReLU, fc1 = Linear + its ReLU, ...)."""
    found, counts, children = [], {}, list(model.children())
    kinds = {nn.Conv2d: "conv", nn.MaxPool2d: "pool", nn.BatchNorm2d: "norm", nn.Linear: "fc", nn.Dropout: "dropout"}
    i = 0
    while i < len(children):
        m = children[i]
        if isinstance(m, nn.Flatten):
            found.append(("flatten", m))
            i += 1
            continue
        kind = kinds[type(m)]
        counts[kind] = counts.get(kind, 0) + 1
        if kind in ("conv", "fc") and i + 1 < len(children) and isinstance(children[i + 1], nn.ReLU):
            found.append((f"{kind}{counts[kind]}", nn.Sequential(m, children[i + 1])))
            i += 2
        else:
            found.append((f"{kind}{counts[kind]}", m))
            i += 1
    return found


def profile(args, model, trainer, images, labels, batch):
    """One training batch phase by phase, then each layer alone (forward, backward), as the harness's --profile-layers."""
    warm_up, repeats = 3, args.profile_repeats
    model.train()
    names = ["batch", "zero_grad", "forward", "loss", "l2_penalty", "backward", "optimizer_step", "metrics"]
    samples, totals = {n: [] for n in names}, []
    permutation = torch.randperm(images.shape[0], generator=torch.Generator().manual_seed(1))
    loss_sum = torch.zeros(1, dtype=torch.float64)
    correct_sum = torch.zeros(1, dtype=torch.float64)
    batches = images.shape[0] // batch
    for step in range(warm_up + repeats):
        times = []
        clock = time.perf_counter()

        def mark():
            nonlocal clock
            now = time.perf_counter()
            times.append((now - clock) * 1000)
            clock = now

        index = permutation.narrow(0, step % batches * batch, batch)
        x = images.index_select(0, index)
        y = labels.index_select(0, index)
        if args.channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        mark()
        trainer.zero_grad()
        mark()
        logits = model(x)
        mark()
        loss = keras_loss(logits, y).mean()
        mark()
        loss = loss + trainer.penalty()
        mark()
        loss.backward()
        mark()
        trainer.step()
        mark()
        loss_sum += loss.detach().double() * x.shape[0]
        correct_sum += logits.detach().argmax(1).eq(y).double().sum()
        mark()
        if step >= warm_up:
            for n, t in zip(names, times):
                samples[n].append(t)
            totals.append(sum(times))
    phases = [{"phase": n, "ms": statistics.median(samples[n])} for n in names]
    phases.append({"phase": "total", "ms": statistics.median(totals)})

    layers, inputs = [], []
    named = stages(model)
    with torch.no_grad():
        x = images.narrow(0, 0, batch)
        if args.channels_last:
            x = x.contiguous(memory_format=torch.channels_last)
        for _, m in named:
            inputs.append(x)
            x = m(x)
    noise = torch.Generator().manual_seed(2)
    for i, (name, m) in enumerate(named):
        forward, backward, output = [], [], ""
        for r in range(warm_up + repeats):
            x = inputs[i].detach().requires_grad_(i > 0)  # the images need no gradient; every later input does
            start = time.perf_counter()
            y = m(x)
            f = (time.perf_counter() - start) * 1000
            gradient = torch.randn(y.shape, generator=noise)
            if y.dim() == 4 and args.channels_last:
                gradient = gradient.contiguous(memory_format=torch.channels_last)
            start = time.perf_counter()
            y.backward(gradient)
            b = (time.perf_counter() - start) * 1000
            output = "x".join(str(d) for d in y.shape[1:])
            if r >= warm_up:
                forward.append(f)
                backward.append(b)
        layers.append({"layer": name, "output": output, "forward_ms": statistics.median(forward),
                       "backward_ms": statistics.median(backward)})
    model.zero_grad(set_to_none=True)
    return {"side": "anchor", "workload": args.workload, "threads": args.threads, "batch_size": batch,
            "channels_last": args.channels_last, "repeats": repeats, "phases": phases, "layers": layers,
            "versions": versions()}


def blas_library():
    """The BLAS library this process loaded (Debian's torch calls the system's libblas.so.3 alternative)."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "blas" in line.split()[-1].rsplit("/", 1)[-1]}
        return ", ".join(sorted(os.path.realpath(p) for p in paths)) or "none found"
    except OSError:
        return "unknown"


def versions():
    return {"torch": torch.__version__, "python": platform.python_version(), "blas_library": blas_library(),
            "mkldnn": str(torch.backends.mkldnn.is_available()),
            "blas": "mkl" if torch.backends.mkl.is_available() else "openblas/other",
            "parallel": next((l.split(":", 1)[1].strip() for l in torch.__config__.parallel_info().splitlines()
                              if l.startswith("ATen parallel backend")), "unknown"),
            "num_threads": str(torch.get_num_threads())}


def peak_rss_mb():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", required=True, choices=sorted(WORKLOADS))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--train-images", type=int)
    parser.add_argument("--test-images", type=int)
    parser.add_argument("--eval-batch", type=int, default=200)
    parser.add_argument("--channels-last", action="store_true")
    parser.add_argument("--profile-layers", action="store_true",
                        help="instead of training epochs: time one training batch phase by phase and each layer alone")
    parser.add_argument("--profile-repeats", type=int, default=20)
    args = parser.parse_args()

    setup = time.perf_counter()
    torch.set_num_threads(args.threads)
    c, h, w, k, n_train, n_test, batch = WORKLOADS[args.workload]
    n_train = args.train_images or n_train
    n_test = n_test if args.test_images is None else args.test_images
    data = torch.Generator().manual_seed(1)
    train_x = torch.rand(n_train, c, h, w, generator=data)
    train_y = torch.randint(0, k, (n_train,), generator=data)
    test_x = torch.rand(n_test, c, h, w, generator=data)
    test_y = torch.randint(0, k, (n_test,), generator=data)
    torch.manual_seed(1)
    model = network(args.workload, c, h, w, k)
    if args.channels_last:
        model = model.to(memory_format=torch.channels_last)
    trainer = Trainer(model, args.workload)
    setup_s = time.perf_counter() - setup
    if args.profile_layers:
        print(json.dumps(profile(args, model, trainer, train_x, train_y, batch)))
        return

    epochs = []
    for epoch in range(1, args.epochs + 1):
        start = time.perf_counter()
        model.train()
        order = torch.Generator().manual_seed(1000 + epoch)
        permutation = torch.randperm(n_train, generator=order)
        loss_sum = torch.zeros(1, dtype=torch.float64)
        correct_sum = torch.zeros(1, dtype=torch.float64)
        batch_ends = []
        for b in range(0, n_train, batch):
            index = permutation.narrow(0, b, min(batch, n_train - b))
            x = train_x.index_select(0, index)
            y = train_y.index_select(0, index)
            if args.channels_last:
                x = x.contiguous(memory_format=torch.channels_last)
            trainer.zero_grad()
            logits = model(x)
            loss = trainer.loss(logits, y)
            loss.backward()
            trainer.step()
            loss_sum += loss.detach().double() * x.shape[0]
            correct_sum += logits.detach().argmax(1).eq(y).double().sum()
            batch_ends.append(time.perf_counter())
        running_loss = loss_sum.item() / n_train
        last = batch_ends[-1]
        measure(model, train_x, train_y, args.eval_batch, args.channels_last)
        if n_test:
            measure(model, test_x, test_y, args.eval_batch, args.channels_last)
        end = time.perf_counter()
        batches = [t - (batch_ends[i - 1] if i else start) for i, t in enumerate(batch_ends)]
        train_s, eval_s = last - start, end - last
        epochs.append({
            "epoch": epoch, "train_s": train_s, "first_batch_s": batches[0],
            "median_batch_s": statistics.median(batches), "eval_s": eval_s, "epoch_s": end - start,
            "train_img_per_s": n_train / train_s, "eval_img_per_s": (n_train + n_test) / eval_s,
            "train_loss_running": running_loss,
        })

    print(json.dumps({
        "side": "anchor", "workload": args.workload, "threads": args.threads,
        "train_images": n_train, "eval_images": n_train + n_test, "batch_size": batch,
        "eval_batch_size": args.eval_batch, "channels_last": args.channels_last, "setup_s": setup_s,
        "full_run_s": epochs[0]["epoch_s"],
        "train_img_per_s": statistics.median(e["train_img_per_s"] for e in epochs),
        "eval_img_per_s": statistics.median(e["eval_img_per_s"] for e in epochs),
        "peak_rss_mb": peak_rss_mb(),
        "versions": versions(),
        "epochs": epochs,
    }))


if __name__ == "__main__":
    main()
