"""Sweep throughput: configurations per second for fastinit, NumPy and PyTorch, same run.

    python bench/bench_sweep.py [--quick] [--markdown]

Workload: 4 inits (xavier_normal, kaiming_normal, orthogonal, normal) x
4 activations (sigmoid, tanh, relu, leaky_relu) x depths 10 / 50 / 100 x width 256, batch 128.
Per configuration: build the network, initialize it, one forward and backward pass
(softmax cross-entropy on random labels) and per-layer diagnostics (activation mean/std,
q, ||dL/dZ||, ||dW||). fastinit runs the whole sweep in C++ on its thread pool (fi.sweep);
NumPy and PyTorch run the same per-configuration work in a Python loop, with their own
BLAS/intra-op threads set to the same count.
"""

from __future__ import annotations

import argparse
import time

import fastinit as fi
import numpy as np
from _common import num_threads, torch

INITS = ["xavier_normal", "kaiming_normal", "orthogonal", "normal"]
ACTS = ["sigmoid", "tanh", "relu", "leaky_relu"]


def _numpy_act(name: str, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if name == "sigmoid":
        a = 1 / (1 + np.exp(-z))
        return a, a * (1 - a)
    if name == "tanh":
        a = np.tanh(z)
        return a, 1 - a * a
    if name == "relu":
        return np.maximum(z, 0), (z > 0).astype(z.dtype)
    slope = np.float32(0.01)
    return np.where(z > 0, z, slope * z), np.where(z > 0, 1, slope).astype(z.dtype)


def _numpy_init(rng: np.random.Generator, name: str, out: int, inp: int) -> np.ndarray:
    if name == "xavier_normal":
        return (
            rng.standard_normal((out, inp), dtype=np.float32) * np.sqrt(2 / (out + inp))
        ).astype(np.float32)
    if name == "kaiming_normal":
        return (rng.standard_normal((out, inp), dtype=np.float32) * np.sqrt(2 / inp)).astype(
            np.float32
        )
    if name == "orthogonal":
        q, r = np.linalg.qr(rng.standard_normal((max(out, inp), min(out, inp))).astype(np.float32))
        q *= np.sign(np.diag(r))
        return (q if out >= inp else q.T).astype(np.float32)
    return rng.standard_normal((out, inp), dtype=np.float32)


def numpy_config(init: str, act: str, depth: int, width: int, batch: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    sizes = [width] * (depth + 1) + [10]
    Ws = [_numpy_init(rng, init, sizes[i + 1], sizes[i]) for i in range(depth + 1)]
    X = rng.standard_normal((batch, width), dtype=np.float32)
    y = rng.integers(0, 10, batch)
    As, Ds, stats = [X], [], []
    with np.errstate(all="ignore"):
        for W in Ws[:-1]:
            z = As[-1] @ W.T
            a, d = _numpy_act(act, z)
            As.append(a)
            Ds.append(d)
            stats.append((float(a.mean()), float(a.std()), float(np.mean(z * z))))
        z = As[-1] @ Ws[-1].T
        z = z - z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        p[np.arange(batch), y] -= 1
        dz = p / batch
        gnorms = []
        for i in range(depth, -1, -1):
            dW = dz.T @ As[i]
            gnorms.append((float(np.linalg.norm(dz)), float(np.linalg.norm(dW))))
            if i > 0:
                dz = (dz @ Ws[i]) * Ds[i - 1]
    return {"stats": stats, "grads": gnorms}


def torch_config(torch, init: str, act: str, depth: int, width: int, batch: int, seed: int) -> dict:
    nn = torch.nn
    torch.manual_seed(seed)
    acts = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU, "leaky_relu": nn.LeakyReLU}
    layers: list = []
    for _ in range(depth):
        layers += [nn.Linear(width, width), acts[act]()]
    layers.append(nn.Linear(width, 10))
    net = nn.Sequential(*layers)
    for m in net:
        if isinstance(m, nn.Linear):
            nn.init.zeros_(m.bias)
            if init == "xavier_normal":
                nn.init.xavier_normal_(m.weight)
            elif init == "kaiming_normal":
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            elif init == "orthogonal":
                nn.init.orthogonal_(m.weight)
            else:
                nn.init.normal_(m.weight)
    X = torch.randn(batch, width)
    y = torch.randint(0, 10, (batch,))
    zs = []
    h = X
    for m in net:
        h = m(h)
        if isinstance(m, nn.Linear):
            h.retain_grad()
            zs.append(h)
    loss = nn.functional.cross_entropy(h, y)
    loss.backward()
    with torch.no_grad():
        stats = [
            (float(z.mean()), float(z.std()), float((z * z).mean()), float(z.grad.norm()))
            for z in zs
        ]
        gw = [float(m.weight.grad.norm()) for m in net if isinstance(m, nn.Linear)]
    return {"stats": stats, "grads": gw}


def timed(fn, reps: int) -> float:
    best = float("inf")
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--quick", action="store_true", help="depths 10 only, width 64 (seconds)")
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    depths, width, batch, reps = ([10], 64, 32, 1) if args.quick else ([10, 50, 100], 256, 128, 2)
    configs = [(i, a, d) for i in INITS for a in ACTS for d in depths]
    n = len(configs)
    print(
        f"fastinit {fi.__version__} {fi.build_info()['module']}; {n} configurations "
        f"(depths {depths}, width {width}, batch {batch})"
    )
    rows = []
    for threads in (1, 2):
        fi_t = timed(
            lambda threads=threads: fi.sweep(
                init=INITS,
                activation=ACTS,
                depth=depths,
                width=[width],
                seeds=1,
                batch=batch,
                threads=threads,
                progress=False,
            ),
            reps,
        )

        def run_numpy() -> None:
            for k, (i, a, d) in enumerate(configs):
                numpy_config(i, a, d, width, batch, k)

        def run_torch() -> None:
            for k, (i, a, d) in enumerate(configs):
                torch_config(torch, i, a, d, width, batch, k)

        with num_threads(threads, blas=True):
            np_t = timed(run_numpy, reps)
            th_t = timed(run_torch, reps) if torch is not None else float("nan")
        rows.append((threads, n / fi_t, n / np_t, n / th_t))
    head = ("threads", "fastinit cfg/s", "NumPy cfg/s", "PyTorch cfg/s", "vs NumPy", "vs PyTorch")
    if args.markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
    else:
        print("  ".join(f"{h:>14}" for h in head))
    for t, f, npy, th in rows:
        cells = (
            str(t),
            f"{f:.1f}",
            f"{npy:.1f}",
            f"{th:.1f}" if th == th else "n/a",
            f"{f / npy:.2f}x",
            f"{f / th:.2f}x" if th == th else "n/a",
        )
        print(
            ("| " + " | ".join(cells) + " |")
            if args.markdown
            else "  ".join(f"{c:>14}" for c in cells)
        )
    for t, f, _, th in rows:
        if th == th:
            print(
                f"target (>= 5x PyTorch) at {t} thread(s): "
                f"{'PASS' if f >= 5 * th else 'MISS'} ({f / th:.2f}x)"
            )


if __name__ == "__main__":
    main()
