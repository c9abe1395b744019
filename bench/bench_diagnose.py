"""Overhead of ``fastinit.diagnose`` over a bare forward + backward pass, float32.

Command line::

    python bench/bench_diagnose.py               # full run (about two minutes)
    python bench/bench_diagnose.py --quick       # smoke run (a few seconds)
    python bench/bench_diagnose.py --markdown    # the table as Markdown (for the README)
    python bench/bench_diagnose.py --threads 1 2 # thread counts (default: 1 2)

What is measured, per row (width 256, input 256, 10 classes, batch 128, softmax cross-entropy on
int64 labels, kaiming_normal weights; depth 10 / 50 / 100 hidden layers, relu and tanh):

* ``bare``: ``net.loss_and_grad(X, y)``, one forward and backward pass (new gradient buffers, as
  diagnose allocates its own);
* ``diagnose``: ``fi.diagnose(net, X, y)``, the same pass plus the per-layer statistics in C++
  and the per-layer mean-field predictions (q, ||dL/dZ|| and the two-input correlation c, one
  quadrature per layer each) in the Python half; no Jacobian (the default);
* ``C++ half``: the compiled call ``fi.diagnose`` makes (the pass and the statistics, without
  the predictions), to show where the overhead goes.

``overhead`` = diagnose / bare - 1 (the goal is <= 15 % at depth 100), ``C++ half`` likewise.
The three alternate round
robin in blocks of enough calls to last ~0.2 s (``--quick``: one call), 5 rounds (``--quick``: 2),
so that a drift of the background load affects both alike; the table gives the median block time
per call. ``uptime``'s load average is printed before and after: other work on the machine skews
the timings (the machine this was written on has 2 cores).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

import fastinit as fi
import numpy as np
from _common import Table, format_time, num_threads
from fastinit import _args
from fastinit._loader import core

DEPTHS = (10, 50, 100)
ACTS = ("relu", "tanh")
WIDTH, BATCH, CLASSES = 256, 128, 10


def load_average() -> str:
    """``uptime``'s 1 / 5 / 15-minute load averages and the CPU count."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "load average n/a"
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} CPUs"


def _calibrate(fn: Callable[[], object], seconds: float) -> int:
    """Calls per block so that a block lasts about ``seconds`` (at least one)."""
    t0 = time.perf_counter()
    fn()
    once = max(time.perf_counter() - t0, 1e-9)
    return max(1, int(seconds / once))


def _block(fn: Callable[[], object], calls: int) -> float:
    t0 = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - t0) / calls


def measure(depth: int, act: str, rounds: int, seconds: float) -> list[float]:
    """Median time per call of bare, diagnose and its C++ half, interleaved."""
    net = fi.MLP(
        [WIDTH] * (depth + 1) + [CLASSES],
        activation=act,
        output="softmax",
        init="kaiming_normal",
        generator=fi.Generator(depth),
    )
    X = fi.init.normal((BATCH, WIDTH), generator=fi.Generator(1))
    y = np.random.default_rng(0).integers(0, CLASSES, BATCH)

    def bare() -> object:
        return net.loss_and_grad(X, y)

    def diag() -> object:
        return fi.diagnose(net, X, y)

    generator = _args.generator(None)

    def half() -> object:
        return core.diagnose(net._core, X, y, generator, None, 32)

    fns = (bare, diag, half)
    calls = [_calibrate(f, seconds) for f in fns]  # also warms up
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(rounds):
        for i, f in enumerate(fns):
            times[i].append(_block(f, calls[i]))
    return [statistics.median(t) for t in times]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="smoke run: fewer, shorter rounds")
    p.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    p.add_argument("--threads", type=int, nargs="+", default=[1, 2], help="thread counts")
    args = p.parse_args()
    rounds, seconds = (2, 0.0) if args.quick else (5, 0.2)
    depths = (10, 100) if args.quick else DEPTHS
    before = load_average()
    rows = []
    for threads in args.threads:
        with num_threads(threads):
            for depth in depths:
                for act in ACTS:
                    bare, diag, half = measure(depth, act, rounds, seconds)
                    rows.append(
                        [
                            str(depth),
                            act,
                            str(threads),
                            format_time(bare),
                            format_time(diag),
                            f"{100 * (diag / bare - 1):+.0f} %",
                            format_time(half),
                            f"{100 * (half / bare - 1):+.0f} %",
                        ]
                    )
    table = Table(
        f"diagnose overhead over a bare forward + backward (width {WIDTH}, batch {BATCH}, float32)",
        [
            "depth",
            "activation",
            "threads",
            "bare",
            "diagnose",
            "overhead",
            "C++ half",
            "C++ overhead",
        ],
        rows,
        notes=[
            "bare: net.loss_and_grad(X, y); diagnose: fi.diagnose(net, X, y) (no Jacobian); "
            "C++ half: its compiled call, without the mean-field predictions; "
            "median time per call over interleaved rounds",
            f"before: {before}; after: {load_average()}",
        ],
    )
    print(table.render(args.markdown))


if __name__ == "__main__":
    main()
