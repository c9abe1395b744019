"""Initializing whole PyTorch models: fastinit.torch against torch's own initialization (CPU).

Command line::

    python bench/bench_torch.py            # full run: 16 x Linear(4096, 4096) (~268M parameters)
    python bench/bench_torch.py --quick    # smoke run (16 x Linear(512, 512), a small mixed model)
    python bench/bench_torch.py --threads 1 2 --dtypes float32 bfloat16

Models (float32 and bfloat16, built once; each timing re-initializes the same parameters in
place; fastinit fills a bfloat16 parameter in float32 and rounds to nearest even):

* ``linear``: ``nn.Sequential`` of 16 x ``Linear(4096, 4096)`` (``--quick``: 512);
* ``mixed``: Embedding(32000, 1024), Conv1d(1024, 1024, 5), a 2-layer LSTM(1024, 1024) and
  Linear(1024, 32000) (``--quick``: widths / 8).

Contenders, at each thread count (``fi.set_num_threads`` and ``torch.set_num_threads``):

* ``reset_parameters_``: ``fastinit.torch.reset_parameters_(model, generator=g)`` vs calling
  every module's own ``reset_parameters()`` (PyTorch's default initialization, its generator);
* ``init_ kaiming_normal``: ``fastinit.torch.init_(model, "kaiming_normal", g)`` vs
  ``torch.nn.init.kaiming_normal_`` on every weight and ``zeros_`` on every bias, under no_grad.

After a warm-up of both, k rounds (k = 5, ``--quick``: 2) each time fastinit then torch: the
times shown are the best of the rounds, the ratio (torch's time over fastinit's, > 1: fastinit is
faster) is the median over rounds of the ratio within a round, so that the load of a shared
machine hits both alike; the 1-minute load average is shown with each row. The issue's target
is a ratio of at least 5.
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

import fastinit as fi
from _common import Table, format_time, num_threads, torch

TARGET = 5.0


def interleaved(ours: Callable[[], Any], theirs: Callable[[], Any], k: int) -> tuple[float, ...]:
    """Both after a warm-up, then k rounds of (ours, theirs): (best ours, best theirs, median
    over rounds of theirs / ours within the round), so a change of load hits both alike."""
    ours()
    theirs()
    t_ours, t_theirs = [], []
    for _ in range(k):
        for fn, acc in ((ours, t_ours), (theirs, t_theirs)):
            t0 = time.perf_counter()
            fn()
            acc.append(time.perf_counter() - t0)
    ratio = statistics.median(b / a for a, b in zip(t_ours, t_theirs, strict=True))
    return min(t_ours), min(t_theirs), ratio


def build_models(quick: bool) -> dict[str, Any]:
    nn = torch.nn
    w = 512 if quick else 4096
    d, vocab = (128, 4000) if quick else (1024, 32000)
    return {
        f"16 x Linear({w}, {w})": nn.Sequential(*(nn.Linear(w, w) for _ in range(16))),
        "mixed (Embedding, Conv1d, LSTM, Linear)": nn.ModuleDict(
            {
                "emb": nn.Embedding(vocab, d),
                "conv": nn.Conv1d(d, d, 5),
                "lstm": nn.LSTM(d, d, num_layers=2),
                "head": nn.Linear(d, vocab),
            }
        ),
    }


def torch_reset(model: Any) -> None:
    for m in model.modules():
        if hasattr(m, "reset_parameters"):
            m.reset_parameters()


def torch_kaiming(model: Any) -> None:
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "bias" in name.rpartition(".")[2]:
                torch.nn.init.zeros_(p)
            else:
                torch.nn.init.kaiming_normal_(p)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--dtypes", nargs="+", default=["float32", "bfloat16"])
    args = ap.parse_args()
    if torch is None:
        print("torch is not installed: nothing to compare (pip install 'fastinit-nn[torch]')")
        return
    import fastinit.torch as fit

    k = 2 if args.quick else 5
    g = fi.Generator(0)
    rows: list[list[str]] = []
    misses: list[str] = []
    models = [
        (name, dtype, model.to(getattr(torch, dtype)))
        for dtype in args.dtypes
        for name, model in build_models(args.quick).items()
    ]
    for mname, dtype, model in models:
        nparams = sum(p.numel() for p in model.parameters())
        contenders: list[tuple[str, Callable[[Any], Any], Callable[[Any], None]]] = [
            ("reset_parameters_", lambda m: fit.reset_parameters_(m, g), torch_reset),
            ("init_ kaiming_normal", lambda m: fit.init_(m, "kaiming_normal", g), torch_kaiming),
        ]
        for n in args.threads:
            with num_threads(n):
                for what, ours, theirs in contenders:
                    t_fi, t_torch, ratio = interleaved(
                        functools.partial(ours, model), functools.partial(theirs, model), k
                    )
                    rows.append(
                        [
                            mname,
                            dtype,
                            f"{nparams / 1e6:.1f}M",
                            what,
                            str(n),
                            format_time(t_fi),
                            format_time(t_torch),
                            f"{ratio:.1f}x",
                            f"{os.getloadavg()[0]:.1f}",
                        ]
                    )
                    if ratio < TARGET:
                        misses.append(f"{mname} {dtype} / {what} / {n} thread(s): {ratio:.1f}x")
    table = Table(
        "fastinit.torch vs torch: initializing a whole model (CPU)",
        [
            "model",
            "dtype",
            "params",
            "call",
            "threads",
            "fastinit",
            "torch",
            "torch / fastinit",
            "load",
        ],
        rows,
        [
            f"torch {torch.__version__}, {fi.build_info().get('module', '?')}, "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs",
            f"{k} interleaved rounds after a warm-up: best times; the ratio is the median over "
            "rounds of the in-round ratio; load: the 1-minute load average after the row",
        ],
    )
    print(table.render(markdown=False))
    print("\ntargets (ratio >= 5x):")
    print("  PASS" if not misses else "\n".join(f"  MISS {m}" for m in misses))


if __name__ == "__main__":
    main()
