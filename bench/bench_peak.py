"""The machine's limits and fastinit's normal fills against EigenRand, in one C++ program.

Command line::

    python bench/bench_peak.py                 # full run (~1 min): 2^24 floats, 15 rounds
    python bench/bench_peak.py --quick         # smoke run (a few s after the compile)
    python bench/bench_peak.py --markdown      # the tables as Markdown (for the README)
    python bench/bench_peak.py --threads 1 2   # thread counts (default: 1 2)

One program (``bench/cpp/*.cpp``, compiled by this script with the C++ compiler at hand into a
cache folder, ``$XDG_CACHE_HOME/fastinit-bench`` or ``~/.cache/fastinit-bench``) measures, round
after round and interleaved (so that the load of a shared machine hits every row alike):

* the fp32 FMA peak: 12 independent chains of AVX2 ``vfmadd`` on 1 and 2 threads;
* the write bandwidth: streaming (non-temporal) and ordinary AVX2 stores over the buffer;
* ``fastinit::normal_fill`` (float32, N(0, 1)) and EigenRand's ``normalLike`` (its vectorized
  Mersenne Twister ``Vmt19937_64`` with its vectorized Box–Muller);
* ``fastinit::trunc_normal_fill`` on [-2, 2] (exact) and EigenRand's ``truncatedNormalLike``
  (``TruncNormalGen``: inverse CDF in float32 through an erfinv approximation, not exact).

fastinit is compiled as its AVX2 module is (``-O3 -march=x86-64-v3 -ffp-contract=off``),
EigenRand with the same target and the compiler's defaults; EigenRand runs one engine per thread
on equal halves of the buffer. Every figure is the best of the rounds; the ratios are the median
over rounds of the ratio within a round. The 1-thread fills are also timed by the thread's CPU
clock (a shared machine's other load does not inflate it). The load average
(``os.getloadavg``) is printed before and after.

The FMA peak is this script's to measure: :func:`fma_peak_gflops` runs the same program's
``fma_peak`` row alone (compiled once, cached) for the benchmarks that report a share of the
peak measured in their own run (``bench_sweep.py``, ``bench_mlp.py``).

EigenRand (MIT, header-only) is taken from ``bench/third_party/EigenRand`` (vendored headers and
LICENSE), else from ``$EIGENRAND_DIR``, else cloned into the cache folder; without it (offline,
no copy) its rows are skipped with a message. Eigen is found as fastinit's build finds it
(``$EIGEN3_INCLUDE_DIR``, the ``cmeel-eigen`` package, ``/usr/include/eigen3``).
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import sysconfig
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from _common import Table

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SOURCES = ("machine_rows.cpp", "fastinit_rows.cpp", "eigenrand_rows.cpp")
EIGENRAND_URL = "https://github.com/bab2min/EigenRand"
EIGENRAND_COMMIT = "2a5809139939e46a51899f6e4f31c6bd37f82025"
FULL = (1 << 24, 15)  # elements, rounds
QUICK = (1 << 21, 3)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "fastinit-bench"


def find_compiler() -> str | None:
    for name in (os.environ.get("CXX"), "c++", "g++", "clang++"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def find_eigen() -> Path | None:
    candidates = []
    if os.environ.get("EIGEN3_INCLUDE_DIR"):
        candidates.append(Path(os.environ["EIGEN3_INCLUDE_DIR"]))
    for key in ("purelib", "platlib"):
        candidates.append(Path(sysconfig.get_paths()[key]) / "cmeel.prefix/include/eigen3")
    candidates += [Path(p) / "cmeel.prefix/include/eigen3" for p in sys.path if p]
    candidates += [Path("/usr/include/eigen3"), Path("/usr/local/include/eigen3")]
    return next((c for c in candidates if (c / "Eigen" / "Core").is_file()), None)


def local_eigenrand() -> tuple[Path | None, str]:
    """The folder holding ``EigenRand/EigenRand`` on this machine (vendored, ``$EIGENRAND_DIR``
    or a cached clone) and where it came from; (None, "") without one."""
    for c, origin in (
        (BENCH / "third_party" / "EigenRand", "vendored in bench/third_party"),
        (Path(os.environ.get("EIGENRAND_DIR", "/nonexistent")), "$EIGENRAND_DIR"),
        (cache_dir() / "EigenRand", "cached clone"),
    ):
        if (c / "EigenRand" / "EigenRand").is_file():
            return c, origin
    return None, ""


def find_eigenrand() -> tuple[Path | None, str]:
    """The folder holding ``EigenRand/EigenRand``, and where it came from (or why not)."""
    found, origin = local_eigenrand()
    if found is not None:
        return found, origin
    if shutil.which("git"):
        dest = cache_dir() / "EigenRand"
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                ["git", "clone", "-q", EIGENRAND_URL, str(dest)],
                check=True,
                timeout=120,
                capture_output=True,
            )
            subprocess.run(
                ["git", "-C", str(dest), "checkout", "-q", EIGENRAND_COMMIT],
                check=True,
                timeout=60,
                capture_output=True,
            )
            return dest, f"cloned from {EIGENRAND_URL}"
        except (subprocess.SubprocessError, OSError) as e:
            shutil.rmtree(dest, ignore_errors=True)
            return None, f"no copy and the clone failed ({type(e).__name__})"
    return None, "no copy and no git to clone it"


def build(cxx: str, eigen: Path, eigenrand: Path | None) -> Path:
    """Compiles the program (cached by a hash of its sources and flags); returns its path."""
    common = ["-std=c++17", "-O3", "-march=x86-64-v3", "-DNDEBUG"]
    units = {
        "machine_rows.cpp": common,
        "fastinit_rows.cpp": [
            *common,
            "-ffp-contract=off",
            "-fno-math-errno",
            f"-I{ROOT / 'cpp' / 'include'}",
            f"-I{eigen}",
        ],
        "eigenrand_rows.cpp": [*common, f"-I{eigen}"]
        + ([f"-I{eigenrand}", "-DBENCH_HAVE_EIGENRAND"] if eigenrand else []),
    }
    h = hashlib.sha256(cxx.encode())
    for f in [*(BENCH / "cpp").glob("*.?pp"), *sorted((ROOT / "cpp/include/fastinit").glob("*"))]:
        h.update(f.name.encode() + f.read_bytes())
    h.update(repr(sorted(units.items())).encode())
    out = cache_dir() / f"bench_rand-{h.hexdigest()[:16]}"
    exe = out / "bench_rand"
    if exe.is_file():
        return exe
    out.mkdir(parents=True, exist_ok=True)
    procs = [
        subprocess.Popen(
            [cxx, *flags, "-c", str(BENCH / "cpp" / src), "-o", str(out / f"{src}.o")],
            stderr=subprocess.PIPE,
            text=True,
        )
        for src, flags in units.items()
    ]
    for p in procs:
        _, err = p.communicate()
        if p.returncode:
            raise RuntimeError(f"compiling the benchmark failed:\n{err}")
    subprocess.run(
        [cxx, *[str(out / f"{s}.o") for s in SOURCES], "-o", str(exe), "-pthread"], check=True
    )
    return exe


def has_avx2_fma() -> bool:
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.machine() in ("x86_64", "AMD64")  # assume; the program would crash
    return " avx2 " in flags and " fma " in flags


@functools.cache
def _peak_program() -> Path | None:
    """The compiled program for :func:`fma_peak_gflops` (built once per run and cached on disk),
    or None after printing why it cannot run here."""
    if not has_avx2_fma():
        print("fp32 FMA peak: not measured: it needs an x86-64 CPU with AVX2 and FMA")
        return None
    cxx, eigen = find_compiler(), find_eigen()
    if cxx is None or eigen is None:
        why = "no C++ compiler" if cxx is None else "Eigen not found"
        print(f"fp32 FMA peak: not measured: {why}")
        return None
    # the same program (and cache entry) as this script's run; never a clone for the peak
    eigenrand, _ = local_eigenrand()
    try:
        return build(cxx, eigen, eigenrand)
    except (RuntimeError, subprocess.SubprocessError, OSError) as e:
        print(f"fp32 FMA peak: not measured: building the program failed: {e}")
        return None


def fma_peak_gflops(threads: int, rounds: int = 5) -> float | None:
    """The machine's fp32 FMA peak on ``threads`` threads, in GFLOP/s: the best of ``rounds``
    rounds of this script's ``fma_peak`` row (12 independent chains of 8-lane AVX2 ``vfmadd``
    per thread, 2 flops per lane), run now; None (with a printed reason) when the program cannot
    be built or run here. The other benchmarks call this to report a share of the peak measured
    in their own run; the program is compiled once (cached) and its fills run on 64 elements
    only (microseconds)."""
    exe = _peak_program()
    if exe is None:
        return None
    try:
        times = run(exe, 64, rounds, [threads])
    except (subprocess.SubprocessError, OSError) as e:
        print(f"fp32 FMA peak: not measured: the program failed: {e}")
        return None
    return best_rate(times[("fma_peak", threads)]) / 1e9


def load() -> str:
    try:
        return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    except OSError:
        return "load average n/a"


def run(exe: Path, n: int, rounds: int, threads: Sequence[int]) -> dict[tuple[str, int], list]:
    r = subprocess.run(
        [str(exe), str(n), str(rounds), *map(str, threads)],
        capture_output=True,
        text=True,
        check=True,
    )
    times: dict[tuple[str, int], list[tuple[float, float]]] = defaultdict(list)
    for line in r.stdout.splitlines():
        parts = line.split()
        if parts and parts[0] == "time":
            times[(parts[1], int(parts[2]))].append((float(parts[4]), float(parts[5])))
            if int(parts[2]) == 1:  # the calling thread's CPU time is the whole cost
                times[(parts[1], 0)].append((float(parts[6]), float(parts[5])))
    return times


def best_rate(samples: list[tuple[float, float]]) -> float:
    return max(units / seconds for seconds, units in samples)


def median_ratio(num: list[tuple[float, float]], den: list[tuple[float, float]]) -> float:
    """Median over rounds of num's rate / den's rate within the round."""
    return statistics.median((u / s) / (v / t) for (s, u), (t, v) in zip(num, den, strict=True))


def tables(times: dict[tuple[str, int], list], threads: Sequence[int], n: int) -> list[Table]:
    machine = Table(
        "machine limits (best of the rounds)",
        ["threads", "fp32 FMA peak", "streaming write", "ordinary write"],
        [
            [
                str(t),
                f"{best_rate(times[('fma_peak', t)]) / 1e9:.1f} GFLOP/s",
                f"{best_rate(times[('write_stream', t)]) / 1e9:.1f} GB/s",
                f"{best_rate(times[('write_plain', t)]) / 1e9:.1f} GB/s",
            ]
            for t in threads
        ],
        [
            "FMA peak: 12 chains of 8-lane vfmadd231ps, 2 flops per lane",
            f"writes: {n * 4 / 1e6:.0f} MB of float32 (AVX2 stores; streaming = vmovntps)",
        ],
    )
    have_er = ("eigenrand_normal", threads[0]) in times
    fills = []
    for kind, title in (
        ("normal", "normal N(0, 1), float32"),
        ("trunc_normal", "truncated normal N(0, 1) on [-2, 2], float32"),
    ):
        rows = []
        for t in threads:
            fi_t = times[(f"fastinit_{kind}", t)]
            row = [str(t), f"{best_rate(fi_t) / 1e6:.0f} M/s"]
            if have_er:
                er_t = times[(f"eigenrand_{kind}", t)]
                row += [f"{best_rate(er_t) / 1e6:.0f} M/s", f"{median_ratio(fi_t, er_t):.2f}x"]
            else:
                row += ["n/a", "n/a"]
            scale = median_ratio(fi_t, times[(f"fastinit_{kind}", threads[0])])
            row.append(f"{scale:.2f}x")
            bw = best_rate(times[("write_stream", t)])
            row.append(f"{best_rate(fi_t) * 4 / bw:.0%}")
            rows.append(row)
        if have_er and (f"fastinit_{kind}", 0) in times:
            fi_c, er_c = times[(f"fastinit_{kind}", 0)], times[(f"eigenrand_{kind}", 0)]
            rows.append(
                [
                    "1 (CPU time)",
                    f"{best_rate(fi_c) / 1e6:.0f} M/s",
                    f"{best_rate(er_c) / 1e6:.0f} M/s",
                    f"{median_ratio(fi_c, er_c):.2f}x",
                    "",
                    "",
                ]
            )
        fills.append(
            Table(
                f"{title}: fastinit vs EigenRand",
                [
                    "threads",
                    "fastinit",
                    "EigenRand",
                    "fastinit / EigenRand",
                    f"vs {threads[0]} thread",
                    "of streaming write",
                ],
                rows,
                [
                    f"{n} elements per call; ratios: median over rounds of the in-round ratio",
                    "1 (CPU time): the 1-thread rows timed by the thread's CPU clock, which a "
                    "loaded machine does not inflate",
                ],
            )
        )
    return [machine, *fills]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short run (small buffer, 3 rounds)")
    parser.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--rounds", type=int, help="rounds (default: 15, --quick 3)")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    args = parser.parse_args(argv)
    n, rounds = QUICK if args.quick else FULL
    rounds = args.rounds or rounds
    threads = sorted(set(args.threads))

    if not has_avx2_fma():
        print("bench_peak: skipped: this program needs an x86-64 CPU with AVX2 and FMA")
        return 0
    cxx, eigen = find_compiler(), find_eigen()
    if cxx is None or eigen is None:
        print("bench_peak: skipped: " + ("no C++ compiler" if cxx is None else "Eigen not found"))
        return 0
    eigenrand, origin = find_eigenrand()
    print("machine limits and normal fills (one C++ program, rounds interleaved)")
    print(f"  compiler: {cxx}; Eigen: {eigen}")
    if eigenrand is None:
        print(f"  EigenRand: not available ({origin}): its rows are skipped")
    else:
        print(f"  EigenRand: {eigenrand} ({origin})")
    exe = build(cxx, eigen, eigenrand)
    print(f"  rounds: {rounds}, threads: {threads}; before: {load()}", flush=True)
    times = run(exe, n, rounds, threads)
    after = load()
    for table in tables(times, threads, n):
        print("\n" + table.render(args.markdown))
    print(f"\n  after: {after}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
