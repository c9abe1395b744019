"""Training-step benchmark of ``fastinit.MLP`` against NumPy and PyTorch (CPU), float32.

Command line::

    python bench/bench_mlp.py               # full run (about a minute)
    python bench/bench_mlp.py --quick       # smoke run (< 30 s; fewer repetitions)
    python bench/bench_mlp.py --markdown    # print the tables as Markdown (for the README)
    python bench/bench_mlp.py --threads 1 2 # thread counts (default: 1 2)

What is measured: one training step = forward + backward + global ``clip_grad_norm_(1.0)`` +
plain SGD update (lr 0.01), relu hidden layers, softmax + cross-entropy on int64 labels, float32,
for two networks:

* large: depth 10 (10 Linear layers), width 512, input 512, 10 classes, batch 256;
* tiny:  depth 3, width 64, input 64, 10 classes, batch 32 (per-call overhead dominates).

Four implementations, all starting from the same weights (fastinit's kaiming_normal init, copied):

* ``fastinit``: a Python loop of ``net.loss_and_grad(X, y, grads=grads)`` (buffer reused),
  ``fi.clip_grad_norm_(grads, 1.0)`` and ``fi.optim.SGD(net, lr=0.01).step(grads)``;
* ``fastinit fit``: ``net.fit(X, y, epochs=E, batch_size=B, lr=0.01, clip_norm=1.0,
  shuffle=False)`` on a dataset of ``B * k`` rows; time of one call / (E * k) steps;
* ``numpy``: a hand-written float32 step on preallocated buffers (``A @ W.T + b`` with
  ``matmul(out=)``, relu, stable softmax cross-entropy, backward, global L2 clip over one flat
  gradient buffer, SGD on one flat parameter buffer); its BLAS (OpenBLAS in the NumPy wheels) is
  limited to the row's thread count with ``threadpoolctl`` when installed;
* ``torch``: ``nn.Sequential`` of ``Linear`` + ``ReLU``, ``nn.CrossEntropyLoss``,
  ``loss.backward()``, ``torch.nn.utils.clip_grad_norm_``, ``torch.optim.SGD.step()``,
  ``zero_grad(set_to_none=True)``; ``torch.set_num_threads(n)``.

fastinit runs with ``fi.set_num_threads(n)``. Timing (``time.perf_counter``): each variant is
warmed up (which also calibrates it), then timed in blocks of enough steps to last ~0.25 s
(``--quick``: 0.03 s; fit: one call of E epochs per block, E chosen likewise); the blocks of the
variants alternate round robin, 7 rounds (``--quick``: 3), so that a drift of the background load
affects all alike. The tables show the median block time per step, and the best block. Data are
preallocated and the seeds fixed. Before timing, the four implementations' first loss and
pre-clip gradient norm are compared (a sanity check that they compute the same step).

"GEMM floor" (large network): the time of only the GEMMs of one step done with ``numpy.matmul``
into preallocated float32 arrays: per layer forward ``A (256 x in) @ W.T``, backward
``dW = dZ.T @ A`` and ``dA = dZ @ W`` (not for the first layer, whose input needs no gradient).
It is NumPy's BLAS (OpenBLAS), the floor reference; Eigen's own GEMM is not reachable from Python.

Useful FLOPs of one step (:func:`step_flops`; the same count for every variant, which all do
this work): per dense layer with batch B, fan_in i, fan_out o, forward ``Z = A W^T`` 2 B i o,
backward ``dW = dZ^T A`` 2 B i o and ``dA = dZ W`` 2 B i o, the last not for the first layer,
whose input X needs no gradient (fastinit's ``backward_from_dz`` passes no previous layer to
``linear_backward`` for layer 1, ``cpp/include/fastinit/mlp.hpp``; the NumPy step skips it;
PyTorch's autograd does, since X does not require grad). Large network: 2 * 256 * (2 * 512^2 +
8 * 3 * 512^2 + 3 * 512 * 10) = 3.50 GFLOP per step, exactly the GEMM floor's work. Not counted:
bias adds, relu, softmax, ``db``, the clip norm and the SGD update (a few flops per element or
parameter: < 0.5 % more for the large network).

"% of peak" = those flops / median time per step / the fp32 FMA peak at the same thread count,
measured in this run by ``bench_peak.fma_peak_gflops`` (12 chains of 8-lane AVX2 ``vfmadd``;
best of 5 rounds before and after the large network's timing). 100 % is the AVX2 peak, the most
fastinit's module (x86-64-v3) can reach; NumPy's OpenBLAS or PyTorch's MKL may use AVX-512 where
the CPU has it.

The run ends with PASS / MISS lines for the targets (each at every measured thread count unless
said otherwise):

(a) large network: fastinit's step time <= PyTorch's at equal thread counts;
(b) tiny network: fastinit >= 10x PyTorch's steps/s;
(c) large network: fastinit fit's time per step <= 1.2 x the GEMM floor;
(d) large network at 2 threads: fastinit fit reaches >= 75 % of the fp32 FMA peak.

Ratios in the tables are speed ratios (steps/s of fastinit / steps/s of the other; > 1 means
fastinit is faster); the floor table gives time / floor time. The environment's
``OPENBLAS_CORETYPE`` / ``OPENBLAS_L2_SIZE`` (if set) are left untouched and printed.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import fastinit as fi
import numpy as np
from _common import Table, format_time, num_threads, threadpool_info, threadpool_limits, torch
from bench_peak import fma_peak_gflops

LR = 0.01
MAX_NORM = 1.0
SEED = 0
TARGET_TINY_SPEEDUP = 10.0  # (b)
TARGET_FLOOR_RATIO = 1.2  # (c)
TARGET_PEAK_SHARE = 0.75  # (d), at TARGET_PEAK_THREADS
TARGET_PEAK_THREADS = 2
VARIANTS = ("fastinit", "fastinit fit", "numpy", "torch")
FLOOR = "GEMM floor"


@dataclass(frozen=True)
class NetConfig:
    name: str
    depth: int  # number of Linear layers
    width: int
    inputs: int
    classes: int
    batch: int
    fit_batches: int  # k: the fit dataset has batch * k rows

    @property
    def sizes(self) -> list[int]:
        return [self.inputs] + [self.width] * (self.depth - 1) + [self.classes]

    @property
    def title(self) -> str:
        return (
            f"{self.name} network: depth {self.depth}, width {self.width}, input "
            f"{self.inputs}, {self.classes} classes, batch {self.batch}, float32"
        )


def step_flops(cfg: NetConfig) -> int:
    """Useful flops of one training step (see the module docstring): per layer 2 B i o forward,
    2 B i o for dW, 2 B i o for dA except the first layer."""
    sizes, total = cfg.sizes, 0
    for k in range(len(sizes) - 1):
        total += 2 * cfg.batch * sizes[k] * sizes[k + 1] * (3 if k > 0 else 2)
    return total


LARGE = NetConfig("large", depth=10, width=512, inputs=512, classes=10, batch=256, fit_batches=8)
TINY = NetConfig("tiny", depth=3, width=64, inputs=64, classes=10, batch=32, fit_batches=64)


# --------------------------------------------------------------------------------------------
# Timing


@dataclass(frozen=True)
class Budget:
    """``blocks`` timed blocks of ~``block`` seconds each, after ``warmup`` seconds of steps."""

    block: float
    blocks: int
    warmup: float


@dataclass(frozen=True)
class Timing:
    """Seconds per step: the median and the best block."""

    median: float
    best: float
    steps: int  # steps timed in all


@dataclass(frozen=True)
class Timed:
    """Something to time: ``run(n)`` runs ``n`` units of ``steps_per_unit`` training steps each."""

    run: Callable[[int], object]
    steps_per_unit: int = 1


def loop(step: Callable[[], object]) -> Timed:
    """A one-step callable as a :class:`Timed` (a unit is one step)."""

    def run(n: int) -> None:
        for _ in range(n):
            step()

    return Timed(run)


def calibrate(timed: Timed, budget: Budget) -> int:
    """Warm up (at least one unit, then for ``budget.warmup`` s); the units per block."""
    t0 = time.perf_counter()
    timed.run(1)
    one = time.perf_counter() - t0
    while time.perf_counter() - t0 < budget.warmup:
        t1 = time.perf_counter()
        timed.run(1)
        one = min(one, time.perf_counter() - t1)
    return max(1, math.ceil(budget.block / max(one, 1e-9)))


def time_interleaved(timeds: dict[str, Timed | None], budget: Budget) -> dict[str, Timing | None]:
    """Seconds per step of each entry; the blocks of the entries alternate (round robin), so
    that a slow drift of the machine's background load affects them alike."""
    units = {name: calibrate(t, budget) for name, t in timeds.items() if t is not None}
    times: dict[str, list[float]] = {name: [] for name in units}
    for _ in range(budget.blocks):
        for name, n in units.items():
            timed = timeds[name]
            assert timed is not None
            t0 = time.perf_counter()
            timed.run(n)
            times[name].append((time.perf_counter() - t0) / (n * timed.steps_per_unit))
    out: dict[str, Timing | None] = {name: None for name in timeds}
    for name, ts in times.items():
        steps = units[name] * budget.blocks * timeds[name].steps_per_unit  # type: ignore[union-attr]
        out[name] = Timing(statistics.median(ts), min(ts), steps)
    return out


class OtherLoad:
    """The share of the machine's CPU time that other processes used while this one measured.

    Linux only (``/proc/stat``): the CPUs' busy time minus this process's CPU time (all of its
    threads), over wall time x CPUs. Concurrent work on the machine skews the timings (the
    multi-threaded ones most: a thread that loses its CPU stalls the others at the next barrier).
    """

    def __init__(self) -> None:
        self.start = self._sample()

    @staticmethod
    def _sample() -> tuple[float, float, float] | None:
        try:
            with open("/proc/stat") as f:
                fields = [int(x) for x in f.readline().split()[1:]]
        except (OSError, ValueError):
            return None
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
        busy = (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")
        mine = sum(os.times()[:2])
        return time.perf_counter(), busy, mine

    def share(self) -> float | None:
        end = self._sample()
        if self.start is None or end is None:
            return None
        wall = end[0] - self.start[0]
        other = (end[1] - self.start[1]) - (end[2] - self.start[2])
        return max(0.0, other) / (wall * (os.cpu_count() or 1)) if wall > 0 else None


def other_load_note(share: float | None) -> str:
    if share is None:
        return "other processes' CPU use during the measurement: unknown (no /proc/stat)."
    text = f"other processes used {share:.0%} of the machine's CPU time during the measurement"
    return text + (
        " -- the timings are skewed (multi-threaded ones most)." if share > 0.05 else "."
    )


# --------------------------------------------------------------------------------------------
# The four implementations


def make_data(cfg: NetConfig, rows: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((rows, cfg.inputs), dtype=np.float32)
    y = rng.integers(0, cfg.classes, size=rows, dtype=np.int64)
    return X, y


class NumpyMLP:
    """A hand-written float32 relu MLP with softmax cross-entropy; every buffer preallocated.

    Parameters and gradients each live in one flat buffer (PyTorch's order W_1, b_1, W_2, ...),
    so the global norm is one dot product and the SGD update one subtraction.
    """

    def __init__(
        self,
        sizes: Sequence[int],
        weights: Sequence[np.ndarray],
        biases: Sequence[np.ndarray],
        batch: int,
    ) -> None:
        self.L = len(sizes) - 1
        shapes = [(sizes[i + 1], sizes[i]) for i in range(self.L)]
        count = sum(o * i + o for o, i in shapes)
        self.params = np.empty(count, dtype=np.float32)
        self.grads = np.zeros(count, dtype=np.float32)
        self.W: list[np.ndarray] = []
        self.b: list[np.ndarray] = []
        self.dW: list[np.ndarray] = []
        self.db: list[np.ndarray] = []
        pos = 0
        for o, i in shapes:
            for flat, ws, bs in ((self.params, self.W, self.b), (self.grads, self.dW, self.db)):
                ws.append(flat[pos : pos + o * i].reshape(o, i))
                bs.append(flat[pos + o * i : pos + o * i + o])
            pos += o * i + o
        for k in range(self.L):
            self.W[k][...] = weights[k]
            self.b[k][...] = biases[k]
        N = batch
        self.N = N
        self.Z = [np.empty((N, o), dtype=np.float32) for o, _ in shapes]
        self.A = [np.empty((N, o), dtype=np.float32) for o, _ in shapes[:-1]]
        self.mask = [np.empty((N, o), dtype=bool) for o, _ in shapes[:-1]]
        self.dZ = [np.empty((N, o), dtype=np.float32) for o, _ in shapes]
        self.m = np.empty((N, 1), dtype=np.float32)
        self.s = np.empty((N, 1), dtype=np.float32)
        self.rows = np.arange(N)

    def loss_and_grad(self, X: np.ndarray, y: np.ndarray) -> float:
        L, W, b = self.L, self.W, self.b
        A = X
        for k in range(L):
            Z = self.Z[k]
            np.matmul(A, W[k].T, out=Z)
            Z += b[k]
            if k < L - 1:
                np.greater(Z, 0, out=self.mask[k])
                np.maximum(Z, 0, out=self.A[k])
                A = self.A[k]
        # Stable softmax cross-entropy; dZ_L = (softmax - onehot) / N.
        Z, P, m, s = self.Z[-1], self.dZ[-1], self.m, self.s
        np.max(Z, axis=1, keepdims=True, out=m)
        np.subtract(Z, m, out=P)
        picked = P[self.rows, y]  # z_y - max (a copy, N elements)
        np.exp(P, out=P)
        np.sum(P, axis=1, keepdims=True, out=s)
        loss = float(np.mean(np.log(s[:, 0]) - picked))
        P /= s
        P[self.rows, y] -= 1.0
        P *= np.float32(1.0 / self.N)
        # Backward.
        for k in range(L - 1, -1, -1):
            dZ = self.dZ[k]
            A_prev = X if k == 0 else self.A[k - 1]
            np.matmul(dZ.T, A_prev, out=self.dW[k])
            np.sum(dZ, axis=0, out=self.db[k])
            if k > 0:
                np.matmul(dZ, W[k], out=self.dZ[k - 1])
                np.multiply(self.dZ[k - 1], self.mask[k - 1], out=self.dZ[k - 1])
        return loss

    def total_norm(self) -> float:
        return math.sqrt(float(np.dot(self.grads, self.grads)))

    def step(self, X: np.ndarray, y: np.ndarray) -> float:
        loss = self.loss_and_grad(X, y)
        coef = min(MAX_NORM / (self.total_norm() + 1e-6), 1.0)  # clip_grad_norm_'s rule
        np.multiply(self.grads, np.float32(LR * coef), out=self.grads)
        np.subtract(self.params, self.grads, out=self.params)
        return loss


def torch_model(
    sizes: Sequence[int], weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]
) -> Any:
    layers: list[Any] = []
    for k in range(len(sizes) - 1):
        lin = torch.nn.Linear(sizes[k], sizes[k + 1])
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(np.ascontiguousarray(weights[k])))
            lin.bias.copy_(torch.from_numpy(np.ascontiguousarray(biases[k])))
        layers.append(lin)
        if k < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


@dataclass
class Contenders:
    """Step callables of the four implementations for one network (``None``: n/a)."""

    steps: dict[str, Callable[[], object] | None]
    fit: Callable[[int], object]
    fit_steps_per_epoch: int
    check: list[str]


def build(cfg: NetConfig) -> Contenders:
    net = fi.MLP(
        cfg.sizes,
        activation="relu",
        output="softmax",
        dtype=np.float32,
        generator=fi.Generator(SEED),
    )
    weights = [w.copy() for w in net.weights]
    biases = [b.copy() for b in net.biases]
    X, y = make_data(cfg, cfg.batch, SEED + 1)
    X_fit, y_fit = make_data(cfg, cfg.batch * cfg.fit_batches, SEED + 2)

    # Sanity check before any update: the same loss and pre-clip gradient norm everywhere.
    grads = net.new_grads()
    loss0, _ = net.loss_and_grad(X, y, grads=grads)
    norms = {"fastinit": (loss0, fi.total_norm(grads))}
    ref = NumpyMLP(cfg.sizes, weights, biases, cfg.batch)
    norms["numpy"] = (ref.loss_and_grad(X, y), ref.total_norm())
    model = None
    if torch is not None:
        model = torch_model(cfg.sizes, weights, biases)
        Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
        crit = torch.nn.CrossEntropyLoss()
        lt = crit(model(Xt), yt)
        lt.backward()
        params = list(model.parameters())
        gn = float(torch.linalg.vector_norm(torch.stack([p.grad.norm() for p in params])))
        norms["torch"] = (float(lt.detach()), gn)
        model.zero_grad(set_to_none=True)
    check = [", ".join(f"{k} loss {v[0]:.6f} |g| {v[1]:.6f}" for k, v in norms.items())]

    # fastinit: Python loop of loss_and_grad + clip_grad_norm_ + SGD.step.
    opt = fi.optim.SGD(net, lr=LR)

    def fi_step() -> None:
        net.loss_and_grad(X, y, grads=grads)
        fi.clip_grad_norm_(grads, MAX_NORM)
        opt.step(grads)

    # fastinit fit: its own copy of the network (so the two fastinit variants are independent).
    fit_net = fi.MLP(
        cfg.sizes,
        activation="relu",
        output="softmax",
        dtype=np.float32,
        generator=fi.Generator(SEED),
    )

    def fi_fit(epochs: int) -> None:
        h = fit_net.fit(
            X_fit,
            y_fit,
            epochs=epochs,
            batch_size=cfg.batch,
            lr=LR,
            clip_norm=MAX_NORM,
            shuffle=False,
        )
        if h.nonfinite:
            raise FloatingPointError("fastinit fit: non-finite loss / gradient")

    np_net = NumpyMLP(cfg.sizes, weights, biases, cfg.batch)

    def np_step() -> None:
        np_net.step(X, y)

    torch_step = None
    if model is not None:
        Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
        crit = torch.nn.CrossEntropyLoss()
        topt = torch.optim.SGD(model.parameters(), lr=LR)
        tparams = list(model.parameters())
        clip = torch.nn.utils.clip_grad_norm_

        def torch_step() -> None:
            topt.zero_grad(set_to_none=True)
            loss = crit(model(Xt), yt)
            loss.backward()
            clip(tparams, MAX_NORM)
            topt.step()

    return Contenders(
        {"fastinit": fi_step, "numpy": np_step, "torch": torch_step},
        fi_fit,
        cfg.fit_batches,
        check,
    )


# --------------------------------------------------------------------------------------------
# GEMM floor


class GemmFloor:
    """Only the GEMMs of one training step, with numpy.matmul into preallocated float32 arrays."""

    def __init__(self, cfg: NetConfig, seed: int = SEED) -> None:
        rng = np.random.default_rng(seed)
        sizes, N = cfg.sizes, cfg.batch

        def rand(*shape: int) -> np.ndarray:
            a = rng.standard_normal(shape, dtype=np.float32)
            a *= np.float32(0.05)
            return a

        self.layers: list[tuple[Any, ...]] = []
        self.flops = step_flops(cfg)  # the GEMMs below
        for k in range(len(sizes) - 1):
            i, o = sizes[k], sizes[k + 1]
            self.layers.append(
                (
                    rand(N, i),
                    rand(o, i),
                    np.empty((N, o), np.float32),
                    rand(N, o),
                    np.empty((o, i), np.float32),
                    np.empty((N, i), np.float32) if k > 0 else None,
                )
            )

    def __call__(self) -> None:
        for A, W, Z, _, _, _ in self.layers:  # forward
            np.matmul(A, W.T, out=Z)
        for A, W, _, dZ, dW, dA in reversed(self.layers):  # backward
            np.matmul(dZ.T, A, out=dW)
            if dA is not None:
                np.matmul(dZ, W, out=dA)


# --------------------------------------------------------------------------------------------
# Measurements


@dataclass
class NetResult:
    cfg: NetConfig
    timings: dict[int, dict[str, Timing | None]] = field(default_factory=dict)  # threads -> ...
    check: list[str] = field(default_factory=list)
    other_load: float | None = None
    floor_flops: int = 0  # FLOPs of the GEMM floor (0: not measured)
    peaks: dict[int, float | None] = field(default_factory=dict)  # threads -> GFLOP/s

    @property
    def flops(self) -> int:
        return step_flops(self.cfg)


def measure_peaks(threads: Sequence[int]) -> dict[int, float | None]:
    """The fp32 FMA peak (GFLOP/s) at each thread count, measured now."""
    return {t: fma_peak_gflops(t) for t in threads}


def best_peaks(*runs: dict[int, float | None]) -> dict[int, float | None]:
    """The machine's peak: the best of several measurements (None where none was made)."""
    out: dict[int, float | None] = {}
    for run in runs:
        for t, p in run.items():
            if p is not None:
                out[t] = max(p, out.get(t) or 0.0)
            else:
                out.setdefault(t, None)
    return out


def peak_share(flops: float, seconds: float | None, peak: float | None) -> str:
    """``flops`` in ``seconds`` as a share of ``peak`` GFLOP/s ("n/a" without one)."""
    if seconds is None or peak is None or seconds <= 0:
        return "n/a"
    return f"{flops / seconds / (peak * 1e9):.0%}"


def measure_net(
    cfg: NetConfig, threads: Sequence[int], budget: Budget, with_floor: bool = False
) -> NetResult:
    """Time the four variants (and the GEMM floor when ``with_floor``) at each thread count."""
    result = NetResult(cfg)
    if torch is not None:
        torch.manual_seed(SEED)
    c = build(cfg)
    result.check = c.check
    timeds: dict[str, Timed | None] = {
        "fastinit": loop(c.steps["fastinit"]),  # type: ignore[arg-type]
        "fastinit fit": Timed(c.fit, c.fit_steps_per_epoch),
        "numpy": loop(c.steps["numpy"]),  # type: ignore[arg-type]
        "torch": loop(c.steps["torch"]) if c.steps["torch"] is not None else None,
    }
    if with_floor:
        floor = GemmFloor(cfg)
        result.floor_flops = floor.flops
        timeds[FLOOR] = loop(floor)
    load = OtherLoad()
    for t in threads:
        with num_threads(t, blas=True):
            result.timings[t] = time_interleaved(timeds, budget)
    result.other_load = load.share()
    return result


# --------------------------------------------------------------------------------------------
# Formatting


def format_speed(seconds: float | None) -> str:
    return "n/a" if seconds is None else f"{1.0 / seconds:,.1f}"


def speed_ratio(mine: float | None, other: float | None) -> str:
    """steps/s of ``mine`` over steps/s of ``other`` (= other's time / mine)."""
    return "n/a" if mine is None or other is None else f"{other / mine:.2f}x"


def net_table(res: NetResult) -> Table:
    headers = [
        "threads",
        "variant",
        "time/step",
        "steps/s",
        "fi/numpy",
        "fi/torch",
        "best block",
        "% of peak",
    ]
    rows = []
    for t, row in res.timings.items():
        np_t = row["numpy"].median if row["numpy"] is not None else None
        torch_t = row["torch"].median if row["torch"] is not None else None
        for name in VARIANTS:
            tm = row[name]
            med = tm.median if tm is not None else None
            is_fi = name.startswith("fastinit")
            rows.append(
                [
                    str(t),
                    name,
                    format_time(med),
                    format_speed(med),
                    speed_ratio(med, np_t) if is_fi else "",
                    speed_ratio(med, torch_t) if is_fi else "",
                    format_time(tm.best if tm is not None else None),
                    peak_share(res.flops, med, res.peaks.get(t)),
                ]
            )
    cfg = res.cfg
    notes = [
        "time/step and steps/s: median over blocks; fi/numpy, fi/torch: fastinit steps/s over "
        "the other's (> 1: fastinit faster).",
        f"fastinit fit: a dataset of {cfg.fit_batches} batches ({cfg.batch * cfg.fit_batches} "
        "rows), shuffle=False; time of one fit call / its steps.",
        "first step check: " + "; ".join(res.check),
        f"% of peak: {res.flops / 1e9:.3g} GFLOP of GEMMs per step over the median time/step "
        f"and the fp32 FMA peak at the row's thread count ({peaks_note(res.peaks)}).",
        other_load_note(res.other_load),
    ]
    if threadpool_limits is None:
        notes.append(
            "threadpoolctl not installed: NumPy's BLAS uses its default thread count in every row."
        )
    if torch is None:
        notes.append("torch is not installed (n/a).")
    return Table(res.cfg.title, headers, rows, notes)


def peaks_note(peaks: dict[int, float | None]) -> str:
    if not peaks or all(p is None for p in peaks.values()):
        return "peak not measured: n/a"
    return "measured in this run: " + ", ".join(
        f"{t}T {'n/a' if p is None else f'{p:.1f}'} GFLOP/s" for t, p in peaks.items()
    )


def floor_table(large: NetResult) -> Table:
    headers = [
        "threads",
        "GEMM floor",
        "GFLOP/s",
        "floor % of peak",
        "fit % of peak",
        "fit / floor",
        "fastinit / floor",
        "numpy / floor",
        "torch / floor",
    ]
    rows = []
    for t, row in large.timings.items():
        ft = row.get(FLOOR)
        if ft is None:
            continue

        def ratio(name: str, row: dict[str, Timing | None] = row, ft: Timing = ft) -> str:
            tm = row.get(name)
            return "n/a" if tm is None else f"{tm.median / ft.median:.2f}"

        rows.append(
            [
                str(t),
                format_time(ft.median),
                f"{large.floor_flops / ft.median / 1e9:.1f}",
                peak_share(large.floor_flops, ft.median, large.peaks.get(t)),
                peak_share(
                    large.flops,
                    fit.median if (fit := row.get("fastinit fit")) is not None else None,
                    large.peaks.get(t),
                ),
                ratio("fastinit fit"),
                ratio("fastinit"),
                ratio("numpy"),
                ratio("torch"),
            ]
        )
    notes = [
        f"GEMMs of one step of the large network ({large.floor_flops / 1e9:.2f} GFLOP): per "
        "layer A @ W.T, dZ.T @ A and (except layer 1) dZ @ W, numpy.matmul with out=, float32; "
        "timed in the same rounds as the table above.",
        "NumPy's BLAS is the floor reference; Eigen's own GEMM is not reachable from Python.",
        f"% of peak: of the fp32 FMA peak at the row's thread count ({peaks_note(large.peaks)}).",
        "x / floor: median time per step over the median floor time (target for fit <= "
        f"{TARGET_FLOOR_RATIO:g}).",
    ]
    return Table("GEMM floor (large network)", headers, rows, notes)


def blas_description() -> list[str]:
    lines = []
    if threadpool_info is not None:
        for lib in threadpool_info():
            path = lib.get("filepath", "")
            owner = "numpy" if "numpy" in path else ("torch" if "torch" in path else "?")
            extra = ", ".join(
                f"{k}={lib[k]}" for k in ("architecture", "threading_layer") if lib.get(k)
            )
            lines.append(
                f"{owner}: {lib.get('user_api')}/{lib.get('internal_api')} "
                f"{lib.get('version') or ''} ({extra}{', ' if extra else ''}"
                f"default threads {lib.get('num_threads')}) {os.path.basename(path)}"
            )
    else:
        try:
            blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
            lines.append(
                f"numpy: {blas.get('name')} {blas.get('version')} (threadpoolctl not "
                "installed: thread count not controlled)"
            )
        except Exception:  # noqa: BLE001 - older NumPy without mode="dicts"
            lines.append("numpy: BLAS unknown (threadpoolctl not installed)")
    return lines


def load_average() -> str:
    """The 1-minute load average next to the CPU count: other work on the machine skews timings."""
    try:
        return f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"
    except OSError:
        return "load average unknown"


def header(budget: Budget, markdown: bool) -> str:
    info = fi.build_info()
    env = {
        k: os.environ[k]
        for k in (
            "OPENBLAS_CORETYPE",
            "OPENBLAS_L2_SIZE",
            "OPENBLAS_NUM_THREADS",
            "OMP_NUM_THREADS",
        )
        if k in os.environ
    }
    facts = {
        "fastinit build_info": ", ".join(f"{k}={v}" for k, v in info.items()),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": torch.__version__ if torch is not None else "not installed (n/a)",
        "threadpoolctl": "yes"
        if threadpool_limits is not None
        else "no (NumPy BLAS threads not controlled)",
        "BLAS / OpenMP libraries": "; ".join(blas_description()),
        "environment": ", ".join(f"{k}={v}" for k, v in env.items()) or "no OPENBLAS_* / OMP_* set",
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, "
        f"{platform.processor() or platform.system()}; at start: {load_average()}",
        "timing": f"median of {budget.blocks} blocks of ~{budget.block:g} s per variant "
        f"(round robin) after a warm-up of >= 1 unit and ~{budget.warmup:g} s; data "
        "preallocated; seeds fixed; float32",
    }
    if markdown:
        return "\n".join(
            ["### fastinit MLP training step", ""] + [f"- {k}: {v}" for k, v in facts.items()]
        )
    return "\n".join(["fastinit MLP training step"] + [f"  {k}: {v}" for k, v in facts.items()])


# --------------------------------------------------------------------------------------------
# Targets


def target_large_vs_torch(large: NetResult) -> list[str]:
    """(a) large network: fastinit no slower than torch at equal thread counts."""
    out = []
    for name in ("fastinit", "fastinit fit"):
        pairs = [(t, row[name], row["torch"]) for t, row in large.timings.items()]
        if any(p[2] is None for p in pairs) or not pairs:
            out.append(f"SKIP (a) large step {name} vs torch: torch not installed")
            continue
        ok = all(f.median <= tt.median for _, f, tt in pairs if f is not None and tt is not None)
        detail = ", ".join(
            f"{t}T {format_time(f.median)} vs {format_time(tt.median)}"
            for t, f, tt in pairs
            if f is not None and tt is not None
        )
        out.append(
            f"{'PASS' if ok else 'MISS'} (a) large step, {name} vs torch: {detail} "
            "(target: no slower at equal threads)"
        )
    return out


def target_tiny_vs_torch(tiny: NetResult) -> list[str]:
    """(b) tiny network: fastinit >= 10x torch's steps/s."""
    out = []
    for name in ("fastinit", "fastinit fit"):
        pairs = [(t, row[name], row["torch"]) for t, row in tiny.timings.items()]
        if any(p[2] is None for p in pairs) or not pairs:
            out.append(f"SKIP (b) tiny network {name} vs torch: torch not installed")
            continue
        speed = [
            (t, tt.median / f.median) for t, f, tt in pairs if f is not None and tt is not None
        ]
        ok = all(s >= TARGET_TINY_SPEEDUP for _, s in speed)
        detail = ", ".join(f"{t}T {s:.1f}x" for t, s in speed)
        out.append(
            f"{'PASS' if ok else 'MISS'} (b) tiny network steps/s, {name} / torch: "
            f"{detail} (target >= {TARGET_TINY_SPEEDUP:g}x)"
        )
    return out


def target_fit_vs_floor(large: NetResult) -> str:
    """(c) fit's time per step <= 1.2x the GEMM floor at every thread count."""
    ratios = []
    for t, row in large.timings.items():
        fit, floor = row.get("fastinit fit"), row.get(FLOOR)
        if fit is not None and floor is not None:
            ratios.append((t, fit.median / floor.median))
    if not ratios:
        return "SKIP (c) fit vs GEMM floor: not measured"
    ok = all(r <= TARGET_FLOOR_RATIO for _, r in ratios)
    detail = ", ".join(f"{t}T {r:.2f}x" for t, r in ratios)
    return (
        f"{'PASS' if ok else 'MISS'} (c) large network, fastinit fit time/step / GEMM floor: "
        f"{detail} (target <= {TARGET_FLOOR_RATIO:g}x)"
        + (
            ""
            if threadpool_limits is not None
            else " [threadpoolctl not installed: the floor ran with the BLAS's default threads]"
        )
    )


def target_fit_peak_share(large: NetResult) -> str:
    """(d) fit reaches >= 75 % of the fp32 FMA peak at 2 threads."""
    t = TARGET_PEAK_THREADS
    fit, peak = large.timings.get(t, {}).get("fastinit fit"), large.peaks.get(t)
    what = f"(d) large network, fastinit fit share of the fp32 FMA peak at {t} threads"
    if fit is None:
        return f"SKIP {what}: not measured at {t} threads"
    if peak is None:
        return f"SKIP {what}: the peak could not be measured"
    got = large.flops / fit.median / (peak * 1e9)
    others = ", ".join(
        f"{k}T {peak_share(large.flops, row['fastinit fit'].median, large.peaks.get(k))}"  # type: ignore[union-attr]
        for k, row in large.timings.items()
        if k != t and row.get("fastinit fit") is not None
    )
    return (
        f"{'PASS' if got >= TARGET_PEAK_SHARE else 'MISS'} {what}: {got:.0%} "
        f"({large.flops / fit.median / 1e9:.1f} of {peak:.1f} GFLOP/s; target >= "
        f"{TARGET_PEAK_SHARE:.0%})" + (f" [also {others}]" if others else "")
    )


# --------------------------------------------------------------------------------------------
# Main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="One MLP training step: fastinit vs NumPy vs PyTorch (CPU), float32."
    )
    parser.add_argument("--quick", action="store_true", help="short run (< 30 s)")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument(
        "--threads", nargs="+", type=int, default=[1, 2], help="thread counts (default: 1 2)"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    large_cfg, tiny_cfg = LARGE, TINY
    if args.quick:
        budget = Budget(block=0.03, blocks=3, warmup=0.0)
        large_cfg = dataclasses.replace(LARGE, fit_batches=2)
        tiny_cfg = dataclasses.replace(TINY, fit_batches=16)
    else:
        budget = Budget(block=0.25, blocks=7, warmup=0.3)
    threads = sorted(set(args.threads))
    print(header(budget, args.markdown), end="\n\n", flush=True)
    started = time.perf_counter()
    load = OtherLoad()

    peaks_before = measure_peaks(threads)
    large = measure_net(large_cfg, threads, budget, with_floor=True)
    large.peaks = best_peaks(peaks_before, measure_peaks(threads))
    print(net_table(large).render(args.markdown), end="\n\n", flush=True)
    print(floor_table(large).render(args.markdown), end="\n\n", flush=True)
    tiny = measure_net(tiny_cfg, threads, budget)
    tiny.peaks = large.peaks
    print(net_table(tiny).render(args.markdown), end="\n\n", flush=True)

    targets = [
        *target_large_vs_torch(large),
        *target_tiny_vs_torch(tiny),
        target_fit_vs_floor(large),
        target_fit_peak_share(large),
    ]
    if args.markdown:
        print("#### targets\n\n```\n" + "\n".join(targets) + "\n```")
    else:
        print("targets\n-------\n" + "\n".join(targets))
    print(
        f"\n(total {time.perf_counter() - started:.1f} s; {load_average()}; "
        f"{other_load_note(load.share()).rstrip('.')})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
