"""Sweep throughput and its share of the fp32 FMA peak: fastinit, NumPy and PyTorch, same run.

    python bench/bench_sweep.py [--quick] [--markdown] [--no-breakdown]

Workload: 4 inits (xavier_normal, kaiming_normal, orthogonal, normal) x
4 activations (sigmoid, tanh, relu, leaky_relu) x depths 10 / 50 / 100 x width 256, batch 128
(``--quick``: depth 10, width 64, batch 32). Per configuration: build the network, initialize it,
one forward and backward pass (softmax cross-entropy on random labels) and per-layer diagnostics
(activation mean/std, q, ||dL/dZ||, ||dW||). fastinit runs the whole sweep in C++ on its thread
pool (``fi.sweep``, default chunking); NumPy and PyTorch run the same per-configuration work in a
Python loop, with their own BLAS/intra-op threads set to the same count. Each contender's time is
the best of 2 runs (``--quick``: 1).

Useful FLOPs (:func:`config_flops`; the same count for the three contenders, which all do this
work). A configuration of depth d is the network [w] * (d + 1) + [10]: L = d + 1 dense layers.
Per dense layer with batch B, fan_in i, fan_out o:

* forward ``Z = A W^T``: 2 B i o;
* backward ``dW = dZ^T A``: 2 B i o;
* backward ``dA = dZ W``: 2 B i o, for layers 2..L only: the first layer's input X needs no
  gradient (fastinit's ``linear_backward`` skips it, ``cpp/include/fastinit/mlp.hpp``; the NumPy
  loop below likewise; PyTorch's autograd, since X does not require grad).

So one configuration is 2 B ((3 d - 1) w^2 + 3 * 10 w) flops: 5.02 GFLOP at depth 100, 128.6 GFLOP
for the whole sweep. Not counted (the overhead the rate pays for): the init's own work (the
normal fills; the orthogonal init's QR, about as many flops again as the layer's GEMMs), bias
adds, activations, softmax, ``db``, and the diagnostics (double-precision sums over Z, A, dZ, dA,
W, dW; the Gram matrices of 64 rows of W and dW).

"% of peak" = counted flops / wall time / the fp32 FMA peak at the same thread count, measured in
this run by ``bench_peak.fma_peak_gflops`` (12 chains of 8-lane AVX2 ``vfmadd``; best of 5
rounds before and after the timed part). 100 % is the AVX2 peak, which fastinit's module
(x86-64-v3) can reach at most; NumPy's OpenBLAS or PyTorch's MKL may use AVX-512 where the CPU
has it. The run ends with a PASS / MISS line for fastinit at 2 threads (goal >= 60 %).

Breakdown (unless ``--no-breakdown``): where fastinit's sweep time goes, from Python. The same 48
configurations (same sizes, same Generator per configuration) are taken apart at 1 thread (inside
``fi.sweep`` every configuration runs on one thread of the pool), each piece timed per
configuration (best of 2) and summed:

* build: ``fi.MLP(..., init="zeros")`` (allocating and zeroing the parameters);
* init: ``fi.init_network_(net, scheme)`` per scheme (orthogonal separately);
* first pass extra: the first ``net.loss_and_grad`` on the fresh network minus a warm one (the
  workspace's allocation and page faults, which every configuration of a sweep pays);
* forward: ``net.forward(X)``; backward: a warm ``net.loss_and_grad(X, y)`` minus forward;
* of which activations: ``loss_and_grad`` of the network minus that of the same network with
  identity hidden activations (GEMMs, bias, softmax and the other element-wise work remain);
* diagnostics: the compiled diagnose (``fi.diagnose`` without its Python half, as the sweep runs
  it) minus a warm ``loss_and_grad`` (the per-layer statistics; both allocate their gradients);
* the rest: the 1-thread ``fi.sweep`` minus the sum (drawing X and the labels, the Python chunk
  calls, the result tables).

At 2 threads, the same sweep with ``chunk_size`` = all configurations (one parallel region
instead of the default quarters) shows what the chunking costs: each chunk ends when its longest
configuration does, while the other thread may have run out of work.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import time
from collections.abc import Callable, Iterator, Sequence

import fastinit as fi
import numpy as np
from _common import Table, format_time, num_threads, torch
from bench_peak import fma_peak_gflops
from fastinit import _args
from fastinit._loader import core

INITS = ["xavier_normal", "kaiming_normal", "orthogonal", "normal"]
ACTS = ["sigmoid", "tanh", "relu", "leaky_relu"]
CLASSES = 10
TARGET_PEAK_SHARE = 0.60  # of the fp32 FMA peak, fastinit at 2 threads
TARGET_VS_TORCH = 5.0


def config_flops(depth: int, width: int, batch: int, classes: int = CLASSES) -> int:
    """Useful flops of one configuration (see the module docstring): per layer 2 B i o forward,
    2 B i o for dW, 2 B i o for dA except the first layer."""
    sizes = [width] * (depth + 1) + [classes]
    total = 0
    for k in range(len(sizes) - 1):
        i, o = sizes[k], sizes[k + 1]
        total += 2 * batch * i * o * (3 if k > 0 else 2)
    return total


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
    sizes = [width] * (depth + 1) + [CLASSES]
    Ws = [_numpy_init(rng, init, sizes[i + 1], sizes[i]) for i in range(depth + 1)]
    X = rng.standard_normal((batch, width), dtype=np.float32)
    y = rng.integers(0, CLASSES, batch)
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
    layers.append(nn.Linear(width, CLASSES))
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
    y = torch.randint(0, CLASSES, (batch,))
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


def timed(fn: Callable[[], object], reps: int) -> float:
    best = float("inf")
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def load_average() -> str:
    try:
        return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    except OSError:
        return "load average n/a"


def run_sweep(
    depths: Sequence[int], width: int, batch: int, threads: int, chunk_size: int | None = None
) -> None:
    fi.sweep(
        init=INITS,
        activation=ACTS,
        depth=list(depths),
        width=[width],
        seeds=1,
        batch=batch,
        threads=threads,
        progress=False,
        chunk_size=chunk_size,
    )


def share(flops: float, seconds: float, peak: float | None) -> str:
    """``flops`` in ``seconds`` as a share of ``peak`` GFLOP/s ("n/a" without a peak)."""
    if peak is None or not seconds == seconds or seconds <= 0:
        return "n/a"
    return f"{flops / seconds / (peak * 1e9):.0%}"


# --------------------------------------------------------------------------------------------
# Breakdown


def _identity_net(sizes: list[int]) -> fi.MLP:
    """The same shape with identity hidden activations and orthogonal weights (norms kept: no
    overflow, no subnormals to slow it down)."""
    net = fi.MLP(sizes, activation="identity", output="softmax", init="zeros")
    fi.init_network_(net, "orthogonal", generator=fi.Generator(1))
    return net


@contextlib.contextmanager
def flush_denormals() -> Iterator[bool]:
    """Flush-to-zero and denormals-are-zero on the calling thread while inside (True), through
    ``torch.set_flush_denormal`` (which sets this thread's MXCSR bits); False (and nothing
    changed) without torch or where it is unsupported. fastinit at 1 thread computes on the
    calling thread, so its passes run with subnormals flushed."""
    if torch is None or not torch.set_flush_denormal(True):
        yield False
        return
    try:
        yield True
    finally:
        torch.set_flush_denormal(False)


def breakdown(
    depths: Sequence[int], width: int, batch: int, reps: int, peaks: dict[int, float | None]
) -> list[Table]:
    """Where fastinit's sweep time goes at 1 thread (see the module docstring), and what 2
    threads lose to the chunking."""
    configs = list(itertools.product(INITS, ACTS, depths))
    n = len(configs)
    flops = sum(config_flops(d, width, batch) for _, _, d in configs)
    t: dict[str, float] = dict.fromkeys(
        [
            "build",
            *(f"init {i}" for i in INITS),
            "first",
            "forward",
            "pass",
            "pass ftz",
            "identity",
            "identity reused",
            "diagnose",
            "diagnose ftz",
        ],
        0.0,
    )
    gen = _args.generator(None)
    gens = fi.Generator(0).spawn(n)
    with num_threads(1):
        sweep1 = timed(lambda: run_sweep(depths, width, batch, 1), reps)
        with flush_denormals() as ftz:
            sweep1_ftz = timed(lambda: run_sweep(depths, width, batch, 1), reps) if ftz else None
        ident_pass = {}
        for d in depths:
            ident = _identity_net([width] * (d + 1) + [CLASSES])
            X = fi.init.normal((batch, width), generator=fi.Generator(2))
            y = np.random.default_rng(d).integers(0, CLASSES, batch)
            ident.loss_and_grad(X, y)
            grads = ident.new_grads()
            ident_pass[d] = (
                timed(lambda ident=ident, X=X, y=y: ident.loss_and_grad(X, y), reps),
                timed(lambda i=ident, X=X, y=y, g=grads: i.loss_and_grad(X, y, grads=g), reps),
            )
            del ident
        for k, (init, act, depth) in enumerate(configs):
            g = gens[k]
            X = fi.init.normal((batch, width), generator=g)
            y = np.random.default_rng(k).integers(0, CLASSES, batch)
            t0 = time.perf_counter()
            net = fi.MLP([width] * (depth + 1) + [CLASSES], act, "softmax", init="zeros")
            t["build"] += time.perf_counter() - t0
            t[f"init {init}"] += timed(
                lambda net=net, init=init, g=g: fi.init_network_(net, init, generator=g), reps
            )
            t0 = time.perf_counter()
            net.loss_and_grad(X, y)
            first = time.perf_counter() - t0

            def bare(net=net, X=X, y=y) -> object:
                return net.loss_and_grad(X, y)

            def diag(net=net, X=X, y=y) -> object:
                return core.diagnose(net._core, X, y, gen, None, 32)

            t_bare = timed(bare, reps)
            t["first"] += max(0.0, first - t_bare)
            t["forward"] += timed(lambda net=net, X=X: net.forward(X), reps)
            t["pass"] += t_bare
            t["diagnose"] += timed(diag, reps)
            t["identity"] += ident_pass[depth][0]
            t["identity reused"] += ident_pass[depth][1]
            with flush_denormals() as ftz:
                if ftz:
                    t["pass ftz"] += timed(bare, reps)
                    t["diagnose ftz"] += timed(diag, reps)
            del net
    with num_threads(2):
        sweep2 = timed(lambda: run_sweep(depths, width, batch, 2), reps)
        sweep2_one = timed(lambda: run_sweep(depths, width, batch, 2, chunk_size=n), reps)

    p1 = peaks.get(1)
    rows: list[list[str]] = []

    def row(name: str, seconds: float | None, rate: bool = False) -> None:
        if seconds is None:
            rows.append([name, "n/a", "n/a", ""])
            return
        rows.append(
            [
                name,
                format_time(seconds),
                f"{seconds / sweep1:.1%}",
                share(flops, seconds, p1) if rate else "",
            ]
        )

    ftz_ok = sweep1_ftz is not None
    row("fi.sweep, 1 thread", sweep1, rate=True)
    row("build (fi.MLP, zeros)", t["build"])
    for i in INITS:
        row(f"init {i}", t[f"init {i}"])
    row("first-pass extra (workspace)", t["first"])
    row("forward + backward (warm loss_and_grad)", t["pass"], rate=True)
    row("  forward (GEMMs, activations, softmax)", t["forward"])
    row("  backward", t["pass"] - t["forward"])
    row("  = subnormal arithmetic (vs FTZ/DAZ)", t["pass"] - t["pass ftz"] if ftz_ok else None)
    row("  + activations (FTZ pass vs identity)", t["pass ftz"] - t["identity"] if ftz_ok else None)
    row(
        "  + gradient buffers (new per call: allocation, first touch)",
        t["identity"] - t["identity reused"],
    )
    row("  + the identity network's pass, buffers reused", t["identity reused"], rate=True)
    row("diagnostics (statistics)", t["diagnose"] - t["pass"])
    row(
        "  of which subnormal arithmetic",
        (t["diagnose"] - t["diagnose ftz"]) - (t["pass"] - t["pass ftz"]) if ftz_ok else None,
    )
    row(
        "rest (X, labels, Python chunk calls, results)",
        sweep1 - t["build"] - t["first"] - sum(t[f"init {i}"] for i in INITS) - t["diagnose"],
    )
    row("fi.sweep, 1 thread, FTZ/DAZ on", sweep1_ftz, rate=True)
    one = Table(
        f"where fastinit's sweep time goes: {n} configurations at 1 thread",
        ["piece", "time (sum)", "of the sweep", "% of peak"],
        rows,
        [
            f"each piece timed per configuration from Python (best of {reps}) and summed; "
            f"% of peak: the sweep's {flops / 1e9:.4g} GFLOP of GEMMs over the piece's time and "
            "the 1-thread peak",
            "subnormal arithmetic: the same call with flush-to-zero / denormals-are-zero set on "
            "the thread (torch.set_flush_denormal), minus; the vanishing gradients of deep "
            "sigmoid networks reach the subnormal range"
            + ("" if ftz_ok else " (n/a: needs torch.set_flush_denormal)"),
            "identity network: the same shape with identity hidden activations (orthogonal "
            "weights): its pass is the GEMMs plus bias, softmax and the backward's element-wise "
            "work; like the sweep's diagnose, loss_and_grad without grads= allocates new "
            "gradient buffers on every call",
            "diagnostics: the compiled diagnose (as the sweep runs it) minus the warm pass",
        ],
    )
    p2 = peaks.get(2)
    two = Table(
        f"2 threads: fi.sweep's chunks ({n} configurations)",
        ["run", "time", "vs 1 thread", "% of peak"],
        [
            [
                "default chunks",
                format_time(sweep2),
                f"{sweep1 / sweep2:.2f}x",
                share(flops, sweep2, p2),
            ],
            [
                f"chunk_size={n} (one parallel region)",
                format_time(sweep2_one),
                f"{sweep1 / sweep2_one:.2f}x",
                share(flops, sweep2_one, p2),
            ],
            [
                "ideal: 1-thread sweep / 2",
                format_time(sweep1 / 2),
                "2.00x",
                share(flops, sweep1 / 2, p2),
            ],
        ],
        [
            "inside fi.sweep each configuration runs on one thread, a chunk (one parallel "
            "region, longest configurations first) after the other; by default a quarter of "
            "the sweep per chunk",
        ],
    )
    return [one, two]


# --------------------------------------------------------------------------------------------
# Main


def measure_peaks(threads: Sequence[int]) -> dict[int, float | None]:
    return {t: fma_peak_gflops(t) for t in threads}


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--quick", action="store_true", help="depths 10 only, width 64 (seconds)")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--no-breakdown", action="store_true", help="skip the time breakdown")
    args = ap.parse_args()
    depths, width, batch, reps = ([10], 64, 32, 1) if args.quick else ([10, 50, 100], 256, 128, 2)
    configs = [(i, a, d) for i in INITS for a in ACTS for d in depths]
    n = len(configs)
    flops = sum(config_flops(d, width, batch) for _, _, d in configs)
    print(
        f"fastinit {fi.__version__} {fi.build_info()['module']}; {n} configurations "
        f"(depths {depths}, width {width}, batch {batch}; {flops / 1e9:.2f} GFLOP of GEMMs); "
        f"before: {load_average()}",
        flush=True,
    )
    threads_list = (1, 2)
    peaks = measure_peaks(threads_list)
    rows = []
    for threads in threads_list:
        fi_t = timed(lambda threads=threads: run_sweep(depths, width, batch, threads), reps)

        def run_numpy() -> None:
            for k, (i, a, d) in enumerate(configs):
                numpy_config(i, a, d, width, batch, k)

        def run_torch() -> None:
            for k, (i, a, d) in enumerate(configs):
                torch_config(torch, i, a, d, width, batch, k)

        with num_threads(threads, blas=True):
            np_t = timed(run_numpy, reps)
            th_t = timed(run_torch, reps) if torch is not None else float("nan")
        rows.append((threads, fi_t, np_t, th_t))
    # the peak is the machine's: the best of before and after the timed part
    for t, after in measure_peaks(threads_list).items():
        if after is not None:
            peaks[t] = max(after, peaks[t] or 0.0)
    table_rows = []
    for t, f, npy, th in rows:
        p = peaks[t]
        has_th = th == th
        table_rows.append(
            [
                str(t),
                "n/a" if p is None else f"{p:.1f}",
                f"{n / f:.1f}",
                f"{n / npy:.1f}",
                f"{n / th:.1f}" if has_th else "n/a",
                f"{npy / f:.2f}x",
                f"{th / f:.2f}x" if has_th else "n/a",
                share(flops, f, p),
                share(flops, npy, p),
                share(flops, th, p),
            ]
        )
    table = Table(
        f"sweep throughput: {n} configurations, same run",
        [
            "threads",
            "FMA peak GFLOP/s",
            "fastinit cfg/s",
            "NumPy cfg/s",
            "PyTorch cfg/s",
            "vs NumPy",
            "vs PyTorch",
            "fastinit % peak",
            "NumPy % peak",
            "PyTorch % peak",
        ],
        table_rows,
        [
            f"% peak: the {flops / 1e9:.2f} GFLOP of forward and backward GEMMs (init, "
            "activations and diagnostics not counted) over the time and the fp32 FMA peak at "
            "the same thread count (AVX2, measured in this run)",
            f"best of {reps} run(s) each; after: {load_average()}",
        ],
    )
    print("\n" + table.render(args.markdown), flush=True)
    targets = []
    for t, f, _, th in rows:
        if th == th:
            targets.append(
                f"target (>= {TARGET_VS_TORCH:g}x PyTorch) at {t} thread(s): "
                f"{'PASS' if n / f >= TARGET_VS_TORCH * n / th else 'MISS'} ({th / f:.2f}x)"
            )
    for t, f, _, _ in rows:
        if t != 2:
            continue
        p = peaks[t]
        if p is None:
            targets.append(f"SKIP target (>= {TARGET_PEAK_SHARE:.0%} of the FMA peak): no peak")
        else:
            got = flops / f / (p * 1e9)
            targets.append(
                f"target (>= {TARGET_PEAK_SHARE:.0%} of the fp32 FMA peak) at {t} thread(s): "
                f"{'PASS' if got >= TARGET_PEAK_SHARE else 'MISS'} ({got:.0%})"
            )
    print("\n" + "\n".join(targets), flush=True)
    if not args.no_breakdown:
        for tab in breakdown(depths, width, batch, max(reps, 2), peaks):
            print("\n" + tab.render(args.markdown), flush=True)
        print(f"\n(after the breakdown: {load_average()})")


if __name__ == "__main__":
    main()
