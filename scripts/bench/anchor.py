#!/usr/bin/env python3
"""PyTorch anchor for `make bench`: the same workloads as `harness bench-worker`, in plain PyTorch.

Same networks (deep, deep-fmnist as in reference/published-results.md), Glorot-uniform weights and zero
biases, Adam(1e-3, 0.9, 0.999, eps 1e-7), Keras's loss (softmax, clip to [1e-7, 1 - 1e-7], -log p), data
on the device sliced by index_select on a per-epoch permutation, metrics accumulated on the device and read
once per epoch, and after each epoch a clean measurement (eval mode, no_grad, batches of 200) of the
training set and the test set, as the harness's Trainer does. Prints one JSON line with the worker's keys.
"""
import argparse
import json
import platform
import statistics
import time

import torch
import torch.nn as nn

WORKLOADS = {
    # name: (channels, height, width, classes, train images, test images, batch)
    "deep": (3, 256, 256, 2, 400, 200, 20),
    "deep-fmnist": (1, 28, 28, 10, 10_000, 10_000, 64),
}


def conv(cin, cout, padding=1):
    return [nn.Conv2d(cin, cout, 3, padding=padding), nn.ReLU()]


def pool():
    return [nn.MaxPool2d(2, 2)]


def network(name, channels, height, width, classes):
    """The published stacks; flatten size follows the input as in the harness's LayerStack."""
    if name == "deep":
        spec = ["16", "P", "16", "P", "16", "P", "32", "P", "32", "32", "P", "64", "P", "64", "P", "64", "P"]
        dense = [512]
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
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
    setup_s = time.perf_counter() - setup

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
            optimizer.zero_grad()
            logits = model(x)
            loss = keras_loss(logits, y).mean()
            loss.backward()
            optimizer.step()
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
        "versions": {"torch": torch.__version__, "python": platform.python_version(),
                     "mkldnn": str(torch.backends.mkldnn.is_available()),
                     "blas": "mkl" if torch.backends.mkl.is_available() else "openblas/other",
                     "parallel": next((l.split(":", 1)[1].strip() for l in torch.__config__.parallel_info().splitlines()
                                       if l.startswith("ATen parallel backend")), "unknown"),
                     "num_threads": str(torch.get_num_threads())},
        "epochs": epochs,
    }))


if __name__ == "__main__":
    main()
