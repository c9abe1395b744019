"""Throughput benchmark of fastinit's fills against NumPy and PyTorch (CPU).

Command line::

    python bench/bench_init.py                  # full run (a few minutes; sizes 1e4 .. 1e8)
    python bench/bench_init.py --quick          # smoke run (< 30 s; sizes 1e4 .. 1e6, 256x256)
    python bench/bench_init.py --sizes 1e6 1e7  # element counts of the 1-D / kaiming fills
    python bench/bench_init.py --markdown       # print the tables as Markdown (for the README)
    python bench/bench_init.py --threads 1 2    # thread counts for fastinit and torch

What is measured (float32, C-contiguous, all outputs preallocated so that the fill is timed and
not the allocation; every timing is the best of k calls after one warm-up call, k chosen so that
a measurement lasts at least ~0.2 s, and at least 3 calls; --quick uses fewer):

* normal N(0, 1):  ``fi.init.normal_``  vs ``Generator.standard_normal(out=)`` vs
  ``torch.nn.init.normal_``.
* uniform U(0, 1): ``fi.init.uniform_`` vs ``Generator.random(out=)`` vs ``torch.nn.init.uniform_``.
* truncated normal on [-2, 2]: ``fi.init.trunc_normal_`` vs ``torch.nn.init.trunc_normal_``;
  NumPy has no direct equivalent (n/a).
* kaiming_normal on a 2-D (n / 1024, 1024) weight: ``fi.init.kaiming_normal_`` vs
  ``torch.nn.init.kaiming_normal_`` vs ``standard_normal(out=)`` scaled in place by the std.
* orthogonal 256x256 and 1024x1024: ``fi.init.orthogonal_`` vs ``torch.nn.init.orthogonal_`` vs
  NumPy (``np.linalg.qr`` of a standard normal matrix, columns sign-corrected by diag(R)).

fastinit and torch run with each thread count (``fi.set_num_threads``, ``torch.set_num_threads``).
NumPy's random generator is single-threaded: it is measured once per size and that value is shown
in every thread row. NumPy's QR (orthogonal) runs in its BLAS, limited to the row's thread count
with threadpoolctl when it is installed.

Throughput is elements written per second; the ratios are fastinit's throughput over the other
library's (> 1 means fastinit is faster). The machine's memory-write bandwidth is measured in the
same run (``ndarray.fill`` of a 400 MB array, 1 thread, and split over 2 Python threads once it is
verified that the fill releases the GIL), and fastinit's normal fill is expressed as a fraction of
it. The run ends with PASS / MISS lines for the performance targets:

(a) normal, 1 thread, n = 1e7: at least 4x NumPy;
(b) normal, 2 threads (n = 1e8, else 1e7): at least 0.5x the measured write bandwidth (bytes/s);
(c) orthogonal 1024x1024: no slower than torch's ``orthogonal_`` at equal thread counts.
"""

from __future__ import annotations

import argparse
import platform
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import fastinit as fi
import numpy as np
from _common import Table, blas_threads, format_time, num_threads, threadpool_limits, torch

FLOAT32_BYTES = 4
KAIMING_FAN_IN = 1024
FULL_SIZES = (10**4, 10**5, 10**6, 10**7, 10**8)
QUICK_SIZES = (10**4, 10**5, 10**6)
ORTHOGONAL_SIZES = (256, 1024)
QUICK_ORTHOGONAL_SIZES = (256,)  # multi-threaded LAPACK QR of 1024x1024 can take seconds
TARGET_SPEEDUP_VS_NUMPY = 4.0  # (a)
TARGET_BANDWIDTH_FRACTION = 0.5  # (b)


# --------------------------------------------------------------------------------------------
# Timing


@dataclass(frozen=True)
class Budget:
    """How long each measurement runs: best of k calls, k >= min_reps, total >= min_time."""

    min_time: float
    min_reps: int
    max_reps: int


def best_time(fn: Callable[[], object], budget: Budget) -> float:
    """Best wall time of one call of ``fn`` (seconds), after one untimed warm-up call."""
    fn()
    best = float("inf")
    reps = 0
    start = time.perf_counter()
    while reps < budget.min_reps or (
        time.perf_counter() - start < budget.min_time and reps < budget.max_reps
    ):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
        reps += 1
    return best


# --------------------------------------------------------------------------------------------
# The fills


def numpy_orthogonal_(w: np.ndarray, rng: np.random.Generator) -> None:
    """Haar-orthogonal square matrix: QR of a standard normal matrix, sign-corrected by diag(R)."""
    q, r = np.linalg.qr(rng.standard_normal(w.shape, dtype=np.float32))
    q *= np.sign(np.diagonal(r))
    w[...] = q


def numpy_kaiming_normal_(w: np.ndarray, rng: np.random.Generator) -> None:
    """N(0, 2 / fan_in) (kaiming_normal_ defaults: fan_in, leaky_relu with a = 0), in place."""
    rng.standard_normal(dtype=np.float32, out=w)
    w *= np.float32(np.sqrt(2.0 / w.shape[1]))


@dataclass(frozen=True)
class Fill:
    """One initializer as implemented by each library (``None``: no comparable implementation).

    The callables take the preallocated output (a NumPy array for fastinit and NumPy, a torch
    tensor for torch) and fill it.
    """

    name: str
    title: str
    shape: Callable[[int], tuple[int, ...]]
    label: Callable[[tuple[int, ...]], str]
    fastinit: Callable[[np.ndarray], object]
    numpy: Callable[[np.ndarray], object] | None
    torch: Callable[[Any], object] | None
    numpy_threaded: bool = False  # True: NumPy's part runs in BLAS and is measured per thread count
    notes: tuple[str, ...] = ()


def make_fills(seed: int = 0) -> list[Fill]:
    g = fi.Generator(seed)
    rng = np.random.default_rng(seed)
    nn_init = torch.nn.init if torch is not None else None

    def if_torch(fn: Callable[[Any], object]) -> Callable[[Any], object] | None:
        return fn if torch is not None else None

    def vector(n: int) -> tuple[int, ...]:
        return (n,)

    def kaiming_shape(n: int) -> tuple[int, ...]:
        return (max(1, round(n / KAIMING_FAN_IN)), KAIMING_FAN_IN)

    def square(n: int) -> tuple[int, ...]:
        return (n, n)

    def power_of_ten(shape: tuple[int, ...]) -> str:
        return format_count(shape[0])

    def matrix(shape: tuple[int, ...]) -> str:
        return f"{shape[0]}x{shape[1]}"

    single_threaded_numpy = (
        "NumPy's generator is single-threaded: measured once per size, shown in every thread row.",
    )
    return [
        Fill(
            "normal",
            "normal N(0, 1)",
            vector,
            power_of_ten,
            lambda x: fi.init.normal_(x, 0.0, 1.0, generator=g),
            lambda x: rng.standard_normal(x.size, dtype=np.float32, out=x),
            if_torch(lambda t: nn_init.normal_(t)),
            notes=single_threaded_numpy,
        ),
        Fill(
            "uniform",
            "uniform U(0, 1)",
            vector,
            power_of_ten,
            lambda x: fi.init.uniform_(x, 0.0, 1.0, generator=g),
            lambda x: rng.random(x.size, dtype=np.float32, out=x),
            if_torch(lambda t: nn_init.uniform_(t)),
            notes=single_threaded_numpy,
        ),
        Fill(
            "trunc_normal",
            "truncated normal N(0, 1) on [-2, 2]",
            vector,
            power_of_ten,
            lambda x: fi.init.trunc_normal_(x, mean=0.0, std=1.0, a=-2.0, b=2.0, generator=g),
            None,
            if_torch(lambda t: nn_init.trunc_normal_(t, mean=0.0, std=1.0, a=-2.0, b=2.0)),
            notes=("NumPy has no truncated normal sampler (n/a).",),
        ),
        Fill(
            "kaiming_normal",
            f"kaiming_normal on a (n / {KAIMING_FAN_IN}, {KAIMING_FAN_IN}) weight",
            kaiming_shape,
            matrix,
            lambda w: fi.init.kaiming_normal_(w, generator=g),
            lambda w: numpy_kaiming_normal_(w, rng),
            if_torch(lambda t: nn_init.kaiming_normal_(t)),
            notes=(
                "NumPy: standard_normal(out=w) then w *= std; single-threaded, measured once "
                "per size.",
            ),
        ),
        Fill(
            "orthogonal",
            "orthogonal (square)",
            square,
            matrix,
            lambda w: fi.init.orthogonal_(w, generator=g),
            lambda w: numpy_orthogonal_(w, rng),
            if_torch(lambda t: nn_init.orthogonal_(t)),
            numpy_threaded=threadpool_limits is not None,
            notes=(
                "Throughput counts the n*n elements of the matrix. NumPy: np.linalg.qr of a "
                "standard normal matrix + sign correction (allocates; so do torch's QR).",
                "NumPy's BLAS limited to the row's thread count with threadpoolctl."
                if threadpool_limits is not None
                else "threadpoolctl not installed: NumPy's QR uses its BLAS's default threads "
                "(measured once).",
            ),
        ),
    ]


# --------------------------------------------------------------------------------------------
# Measurements


@dataclass
class Row:
    """Best times (seconds) of one size and thread count; ``None``: not measured / n/a."""

    label: str
    size: int  # elements written per call
    threads: int
    fastinit: float
    numpy: float | None
    torch: float | None

    def rate(self, seconds: float | None) -> float | None:
        return None if seconds is None else self.size / seconds


@dataclass
class Result:
    fill: Fill
    rows: list[Row] = field(default_factory=list)

    def find(self, size: int, threads: int) -> Row | None:
        return next((r for r in self.rows if r.size == size and r.threads == threads), None)


def measure_size(fill: Fill, n: int, threads: Sequence[int], budget: Budget) -> list[Row]:
    """One row per thread count for the output shape ``fill.shape(n)``."""
    shape = fill.shape(n)
    out = np.empty(shape, dtype=np.float32)
    out_torch = torch.empty(shape) if torch is not None and fill.torch is not None else None
    fastinit_fill, numpy_fill, torch_fill = fill.fastinit, fill.numpy, fill.torch

    def numpy_time(t: int) -> float | None:
        if numpy_fill is None:
            return None
        with blas_threads(t):
            return best_time(lambda: numpy_fill(out), budget)

    shared_numpy = None if fill.numpy_threaded else numpy_time(1)
    rows = []
    for t in threads:
        with num_threads(t):
            t_fi = best_time(lambda: fastinit_fill(out), budget)
            t_torch = None
            if torch_fill is not None and out_torch is not None:
                t_torch = best_time(lambda: torch_fill(out_torch), budget)
        t_np = numpy_time(t) if fill.numpy_threaded else shared_numpy
        rows.append(Row(fill.label(shape), out.size, t, t_fi, t_np, t_torch))
    return rows


def measure(fill: Fill, sizes: Sequence[int], threads: Sequence[int], budget: Budget) -> Result:
    result = Result(fill)
    for n in sizes:
        result.rows += measure_size(fill, n, threads, budget)
    return result


@dataclass
class Bandwidth:
    size: int
    one_thread: float  # bytes/s
    multi_thread: float | None  # bytes/s with `threads` Python threads (None: not measured)
    threads: int
    gil_released: bool

    @property
    def best(self) -> float:
        return max(self.one_thread, self.multi_thread or 0.0)


def fill_releases_gil(fill: Callable[[], object], duration: float, repeats: int = 3) -> bool:
    """Whether another Python thread keeps running while ``fill`` (lasting ~``duration`` s) runs.

    A worker thread calls ``fill`` ``repeats`` times while this thread spins and records the
    longest pause between two of its iterations. If ``fill`` held the GIL the pause would last a
    whole call; with the switch interval lowered to 0.1 ms, a released GIL gives pauses far shorter.
    """
    done = threading.Event()

    def worker() -> None:
        for _ in range(repeats):
            fill()
        done.set()

    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-4)
    try:
        thread = threading.Thread(target=worker)
        thread.start()
        longest_pause = 0.0
        last = time.perf_counter()
        while not done.is_set():
            now = time.perf_counter()
            longest_pause = max(longest_pause, now - last)
            last = now
        thread.join()
    finally:
        sys.setswitchinterval(old_interval)
    return longest_pause < 0.5 * duration


def measure_bandwidth(n: int, threads: int, budget: Budget) -> Bandwidth:
    """Memory-write bandwidth: ``ndarray.fill`` of ``n`` float32, 1 thread and ``threads``."""
    x = np.empty(n, dtype=np.float32)
    t_one = best_time(lambda: x.fill(1.0), budget)
    gil_released = fill_releases_gil(lambda: x.fill(2.0), t_one)

    multi = None
    if threads > 1 and gil_released:
        chunks = np.array_split(x, threads)
        with ThreadPoolExecutor(max_workers=threads) as pool:

            def parallel_fill() -> None:
                for future in [pool.submit(c.fill, 1.0) for c in chunks]:
                    future.result()

            multi = x.nbytes / best_time(parallel_fill, budget)
    return Bandwidth(n, x.nbytes / t_one, multi, threads, gil_released)


# --------------------------------------------------------------------------------------------
# Formatting


def format_count(n: int) -> str:
    """1e+07 style for exact powers of ten, the integer otherwise."""
    exponent = round(np.log10(n)) if n > 0 else 0
    return f"1e{exponent}" if n == 10**exponent else str(n)


def format_rate(rate: float | None) -> str:
    return "n/a" if rate is None else f"{rate / 1e6:,.1f}"


def format_ratio(num: float | None, den: float | None) -> str:
    return "n/a" if num is None or den is None else f"{num / den:.2f}x"


def result_table(result: Result) -> Table:
    headers = [
        "size",
        "threads",
        "fastinit Melem/s",
        "numpy Melem/s",
        "torch Melem/s",
        "fi/numpy",
        "fi/torch",
        "fastinit time",
    ]
    rows = []
    for r in result.rows:
        fi_rate, np_rate, torch_rate = r.rate(r.fastinit), r.rate(r.numpy), r.rate(r.torch)
        rows.append(
            [
                r.label,
                str(r.threads),
                format_rate(fi_rate),
                format_rate(np_rate),
                format_rate(torch_rate),
                format_ratio(fi_rate, np_rate),
                format_ratio(fi_rate, torch_rate),
                format_time(r.fastinit),
            ]
        )
    notes = list(result.fill.notes)
    if torch is None:
        notes.append("torch is not installed (n/a).")
    return Table(result.fill.title, headers, rows, notes)


def bandwidth_table(bw: Bandwidth, normal: Result) -> Table:
    rows = []
    for t, rate in ((1, bw.one_thread), (bw.threads, bw.multi_thread)):
        if rate is not None:
            rows.append(
                [
                    "write bandwidth (ndarray.fill)",
                    str(t),
                    f"{rate / 1e9:.2f}",
                    f"{rate / bw.best:.1%}",
                ]
            )
    threads = sorted({r.threads for r in normal.rows})
    for n in (10**7, 10**8):
        for t in threads:
            row = normal.find(n, t)
            if row is not None:
                rate = row.size * FLOAT32_BYTES / row.fastinit
                rows.append(
                    [
                        f"fastinit normal_ n={format_count(n)}",
                        str(t),
                        f"{rate / 1e9:.2f}",
                        f"{rate / bw.best:.1%}",
                    ]
                )
    notes = [
        f"{bw.size * FLOAT32_BYTES / 1e6:.0f} MB float32 array, best of k.",
        "ndarray.fill releases the GIL (verified: another Python thread kept running)."
        if bw.gil_released
        else "ndarray.fill holds the GIL here: no multi-threaded write measurement.",
        "Fraction = bytes written per second / best measured write bandwidth "
        f"({bw.best / 1e9:.2f} GB/s).",
    ]
    return Table(
        "memory-write bandwidth", ["what", "threads", "GB/s", "fraction of bandwidth"], rows, notes
    )


# --------------------------------------------------------------------------------------------
# Targets


def pick_size(result: Result, wanted: Sequence[int], wanted_label: str) -> tuple[int | None, str]:
    """The first of ``wanted`` that was measured, else the largest measured size (with a note)."""
    sizes = {r.size for r in result.rows}
    for n in wanted:
        if n in sizes:
            return n, ""
    if not sizes:
        return None, ""
    return max(sizes), f" [target size {wanted_label} not measured]"


def target_speedup_vs_numpy(normal: Result) -> str:
    """(a) normal, 1 thread, n = 1e7: at least 4x NumPy."""
    n, note = pick_size(normal, (10**7,), "1e7")
    row = normal.find(n, 1) if n is not None else None
    if row is None or row.numpy is None:
        return "SKIP (a) normal f32 1-thread vs NumPy: not measured"
    speedup = row.numpy / row.fastinit
    verdict = "PASS" if speedup >= TARGET_SPEEDUP_VS_NUMPY else "MISS"
    return (
        f"{verdict} (a) normal f32 1-thread at n={row.label}: {speedup:.2f}x NumPy "
        f"(target >= {TARGET_SPEEDUP_VS_NUMPY:g}x){note}"
    )


def target_bandwidth_fraction(normal: Result, bw: Bandwidth) -> str:
    """(b) normal with the most threads (2), n = 1e8 else 1e7: >= 0.5x the write bandwidth."""
    n, note = pick_size(normal, (10**8, 10**7), "1e8 / 1e7")
    threads = max((r.threads for r in normal.rows), default=0)
    row = normal.find(n, threads) if n is not None else None
    if row is None:
        return "SKIP (b) normal f32 vs write bandwidth: not measured"
    fraction = row.size * FLOAT32_BYTES / row.fastinit / bw.best
    verdict = "PASS" if fraction >= TARGET_BANDWIDTH_FRACTION else "MISS"
    return (
        f"{verdict} (b) normal f32 {threads}-thread at n={row.label}: {fraction:.1%} of the "
        f"write bandwidth {bw.best / 1e9:.2f} GB/s (target >= {TARGET_BANDWIDTH_FRACTION:.0%})"
        f"{note}"
    )


def target_orthogonal_vs_torch(ortho: Result) -> str:
    """(c) orthogonal 1024x1024: fastinit no slower than torch at every thread count."""
    n, note = pick_size(ortho, (1024 * 1024,), "1024x1024")
    rows = [r for r in ortho.rows if r.size == n and r.torch is not None]
    if not rows:
        return "SKIP (c) orthogonal vs torch: torch not installed or nothing measured"
    verdict = "PASS" if all(r.fastinit <= (r.torch or 0.0) for r in rows) else "MISS"
    detail = ", ".join(
        f"{r.threads}T {format_time(r.fastinit)} vs {format_time(r.torch or 0.0)}" for r in rows
    )
    return (
        f"{verdict} (c) orthogonal {rows[0].label} f32, fastinit vs torch: {detail} "
        f"(target: no slower at equal threads){note}"
    )


# --------------------------------------------------------------------------------------------
# Main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Throughput of fastinit's fills vs NumPy and PyTorch (CPU), float32."
    )
    parser.add_argument("--quick", action="store_true", help="short run (< 30 s), small sizes")
    parser.add_argument(
        "--sizes",
        nargs="+",
        type=lambda s: int(float(s)),
        help="element counts of the 1-D and kaiming fills (e.g. 1e6 1e7)",
    )
    parser.add_argument(
        "--threads", nargs="+", type=int, default=[1, 2], help="thread counts (default: 1 2)"
    )
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    return parser.parse_args(argv)


def header(budget: Budget, markdown: bool) -> str:
    info = fi.build_info()
    facts = {
        "fastinit build_info": ", ".join(f"{k}={v}" for k, v in info.items()),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": torch.__version__ if torch is not None else "not installed (n/a)",
        "threadpoolctl": "yes" if threadpool_limits is not None else "no",
        "machine": f"{platform.machine()}, {platform.processor() or platform.system()}",
        "timing": f"best of k >= {budget.min_reps} calls lasting >= {budget.min_time:g} s in all, "
        "after a warm-up call; outputs preallocated; float32",
    }
    if markdown:
        return "\n".join(
            ["### fastinit fill throughput", ""] + [f"- {k}: {v}" for k, v in facts.items()]
        )
    return "\n".join(["fastinit fill throughput"] + [f"  {k}: {v}" for k, v in facts.items()])


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    sizes: Sequence[int]
    orthogonal_sizes: Sequence[int]
    if args.quick:
        budget = Budget(min_time=0.01, min_reps=2, max_reps=50)
        sizes = args.sizes or QUICK_SIZES
        orthogonal_sizes = QUICK_ORTHOGONAL_SIZES
        bandwidth_size = 25 * 10**6  # 100 MB: past the last-level cache, quick to allocate
    else:
        budget = Budget(min_time=0.2, min_reps=3, max_reps=100_000)
        sizes = args.sizes or FULL_SIZES
        orthogonal_sizes = ORTHOGONAL_SIZES
        bandwidth_size = 10**8  # 400 MB
    threads = sorted(set(args.threads))
    if torch is not None:
        torch.manual_seed(0)

    print(header(budget, args.markdown), end="\n\n", flush=True)
    started = time.perf_counter()

    bw = measure_bandwidth(bandwidth_size, max(threads), budget)
    results: dict[str, Result] = {}
    for fill in make_fills():
        fill_sizes = orthogonal_sizes if fill.name == "orthogonal" else sizes
        results[fill.name] = measure(fill, fill_sizes, threads, budget)
        print(result_table(results[fill.name]).render(args.markdown), end="\n\n", flush=True)

    print(bandwidth_table(bw, results["normal"]).render(args.markdown), end="\n\n")
    targets = [
        target_speedup_vs_numpy(results["normal"]),
        target_bandwidth_fraction(results["normal"], bw),
        target_orthogonal_vs_torch(results["orthogonal"]),
    ]
    if args.markdown:
        print("#### targets\n\n```\n" + "\n".join(targets) + "\n```")
    else:
        print("targets\n-------\n" + "\n".join(targets))
    print(f"\n(total {time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
