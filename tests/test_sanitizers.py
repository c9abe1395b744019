"""Memory safety and resources: sanitizer runs, fuzz regressions, leaks, large inputs.

All of these run in ``python -m pytest`` (and so in ``.ci/run``); the slow ones are left out of
the quick loop ``-m "not slow"``. Together they take about 20 minutes on 2 cores.

* ``test_cpp_tests_under_sanitizers`` / ``test_python_suite_under_sanitizers`` (slow): the C++
  unit tests and this whole suite (but for the tool-only consumer and lint tests) against an
  AddressSanitizer + UndefinedBehaviorSanitizer build of both extension modules
  (``scripts/sanitize.sh``). Skipped only where the compiler has no ASan runtime.
* ``test_fuzz_regressions_replay`` (slow): every input in ``fuzz/corpus`` and ``fuzz/regressions``
  through the fuzz target, built with ASan + UBSan by the regular compiler
  (``fuzz/build.sh replay``).
* ``test_fuzz_briefly`` (slow): 60 s of libFuzzer (``FASTINIT_FUZZ_SECONDS``) when a clang with
  libFuzzer is installed (``.ci/run`` installs one where apt-get can).
* ``test_no_leak_over_many_calls``: 10^5 mixed calls (fills, twins, generators, pickling, MLP
  passes, clipping, optimizers, error paths) keep the resident memory flat.
* ``test_large_fill_uses_bounded_extra_memory`` (slow): several GB initialize with bounded memory
  beyond the array itself; byte counts that overflow raise MemoryError before allocating.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import fastinit as fi
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
SANITIZE = ROOT / "scripts" / "sanitize.sh"
FUZZ = ROOT / "fuzz" / "build.sh"
LINUX = sys.platform.startswith("linux")

# Under the sanitizers: the whole suite but for the tests that only drive build tools (the consumer
# projects, ruff/mypy/clang-format), which never load fastinit into the sanitized interpreter.
# Left out under the sanitizers: runs that only drive build tools (consumers, lint, packaging:
# the packaging tests build and install their own wheel, never the instrumented modules), and
# the PyTorch tests (torch's uninstrumented libraries and allocator under a preloaded libasan).
NOT_UNDER_SANITIZERS = [
    "tests/test_consumers.py",
    "tests/test_lint.py",
    "tests/test_packaging.py",
    *sorted(
        str(p.relative_to(Path(__file__).parents[1]))
        for p in Path(__file__).parent.glob("test_torch_*.py")
    ),
]


def _mem_available() -> int:
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _cxx() -> str | None:
    return os.environ.get("CXX") or shutil.which("g++") or shutil.which("c++")


def _has_asan() -> bool:
    cxx = _cxx()
    if not LINUX or cxx is None or shutil.which("bash") is None:
        return False
    out = subprocess.run([cxx, "-print-file-name=libasan.so"], capture_output=True, text=True)
    path = out.stdout.strip()
    return out.returncode == 0 and os.path.isabs(path) and os.path.exists(path)


needs_asan = pytest.mark.skipif(
    not _has_asan(), reason="the C++ compiler has no ASan runtime (libasan)"
)
UNDER_SANITIZER = "libasan" in os.environ.get("LD_PRELOAD", "")


def _run(cmd: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    t = time.monotonic()
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env)
    print(f"{' '.join(cmd)}: {time.monotonic() - t:.0f} s")
    print(r.stdout[-20000:])
    print(r.stderr[-20000:], file=sys.stderr)
    return r


def _sanitizer_reports(text: str) -> list[str]:
    keys = ("ERROR: AddressSanitizer", "runtime error:", "ERROR: LeakSanitizer", "FINDING")
    return [line for line in text.splitlines() if any(k in line for k in keys)]


# ----------------------------------------------------------------------------- sanitizer runs
@pytest.mark.slow
@needs_asan
@pytest.mark.skipif(UNDER_SANITIZER, reason="already running under the sanitizers")
def test_cpp_tests_under_sanitizers():
    r = _run(["bash", str(SANITIZE), "cpp"], timeout=3600)
    assert not _sanitizer_reports(r.stdout + r.stderr), _sanitizer_reports(r.stdout + r.stderr)
    assert r.returncode == 0, r.stdout[-5000:] + r.stderr[-5000:]
    assert "100% tests passed" in r.stdout


@pytest.mark.slow
@needs_asan
@pytest.mark.skipif(UNDER_SANITIZER, reason="already running under the sanitizers")
def test_python_suite_under_sanitizers():
    ignore = [f"--ignore={p}" for p in NOT_UNDER_SANITIZERS]
    r = _run(["bash", str(SANITIZE), "python", "-q", "-p", "no:randomly", *ignore], timeout=5400)
    reports = _sanitizer_reports(r.stdout + r.stderr)
    assert not reports, "\n".join(reports[:20])
    assert r.returncode == 0, r.stdout[-8000:] + r.stderr[-8000:]
    assert " passed" in r.stdout


# ----------------------------------------------------------------------------- fuzzing
@pytest.mark.slow
@pytest.mark.skipif(not LINUX or _cxx() is None, reason="needs a C++ compiler (Linux)")
@pytest.mark.skipif(UNDER_SANITIZER, reason="already running under the sanitizers")
def test_fuzz_regressions_replay():
    """Everything the fuzzer found (fuzz/regressions) and the seed corpus, replayed under ASan +
    UBSan: each input must run to its end without a finding."""
    r = _run(["bash", str(FUZZ), "replay"], timeout=3600)
    out = r.stdout + r.stderr
    assert not _sanitizer_reports(out), "\n".join(_sanitizer_reports(out)[:20])
    assert r.returncode == 0, out[-5000:]
    assert "replayed" in r.stdout


@pytest.mark.slow
@pytest.mark.skipif(not LINUX, reason="libFuzzer runs on Linux here")
@pytest.mark.skipif(UNDER_SANITIZER, reason="already running under the sanitizers")
def test_fuzz_briefly():
    if subprocess.run(["bash", str(FUZZ), "check"], cwd=ROOT).returncode != 0:
        pytest.skip("no clang with libFuzzer (apt-get install clang libclang-rt-dev)")
    secs = os.environ.get("FASTINIT_FUZZ_SECONDS", "60")
    r = _run(["bash", str(FUZZ), "run", secs], timeout=int(secs) + 3600)
    out = r.stdout + r.stderr
    assert r.returncode == 0, "the fuzzer found something:\n" + "\n".join(
        [*_sanitizer_reports(out)[:10], *out.splitlines()[-30:]]
    )


# ----------------------------------------------------------------------------- leaks
def _rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _mixed_calls(i: int, net: fi.MLP, X: np.ndarray, y: np.ndarray, opt: fi.optim.Adam) -> int:
    """About 10 calls into fastinit, among them error paths; returns how many."""
    g = fi.Generator(i)
    w = np.empty((7, 9), np.float32)
    fi.init.kaiming_uniform_(w, generator=g)
    fi.init.trunc_normal(13, dtype=np.float64, generator=g)
    kids = g.spawn(2)
    pickle.loads(pickle.dumps(kids[0]))
    try:
        fi.init.uniform_(w, 1.0, -1.0)  # ValueError
    except ValueError:
        pass
    try:
        fi.init.normal_(w.astype(np.int32))  # TypeError
    except TypeError:
        pass
    try:
        fi.init.zeros((2**40, 2**40))  # MemoryError before allocating
    except MemoryError:
        pass
    if i % 10 == 0:
        loss, grads = net.loss_and_grad(X, y)
        fi.clip_grad_norm_(grads, 1.0)
        opt.step(grads)
        net.forward(X)
        fi.init.orthogonal((8, 8), generator=g)
        return 14
    return 9


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs /proc (Linux)")
@pytest.mark.skipif(UNDER_SANITIZER, reason="ASan's allocator keeps freed memory in quarantine")
def test_no_leak_over_many_calls():
    """10^5 mixed calls: after a warm-up (caches, pools, NumPy's allocator) the resident memory
    must stay flat. A leak of even 100 bytes per call would grow it by 10 MB."""
    net = fi.MLP([16, 32, 4], output="softmax", generator=fi.Generator(0))
    X = np.random.default_rng(0).standard_normal((32, 16)).astype(np.float32)
    y = np.arange(32) % 4
    opt = fi.optim.Adam(net, lr=1e-3)
    calls, i = 0, 0
    while calls < 10_000:  # warm-up
        calls += _mixed_calls(i, net, X, y, opt)
        i += 1
    before = _rss_bytes()
    calls = 0
    while calls < 100_000:
        calls += _mixed_calls(i, net, X, y, opt)
        i += 1
    grown = _rss_bytes() - before
    print(f"{calls} calls: resident memory grew by {grown / 2**20:.2f} MiB")
    assert grown < 8 * 2**20, f"resident memory grew by {grown / 2**20:.1f} MiB over {calls} calls"


# ----------------------------------------------------------------------------- large inputs
LARGE_SCRIPT = textwrap.dedent(
    r"""
    import resource, sys, time
    import numpy as np
    import fastinit as fi

    def peak():  # kilobytes on Linux
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    name, gb = sys.argv[1], float(sys.argv[2])
    rows = 1 << 15
    cols = int(gb * 2**30 / 4 / rows)
    w = np.empty((rows, cols), np.float32)
    w.fill(0)                     # touch every page: the array is now resident
    base = peak()
    t = time.perf_counter()
    fn = {
        "normal_": lambda: fi.init.normal_(w, generator=fi.Generator(0)),
        "kaiming_uniform_": lambda: fi.init.kaiming_uniform_(w, generator=fi.Generator(0)),
        "trunc_normal_": lambda: fi.init.trunc_normal_(w, generator=fi.Generator(0)),
        "he_normal_": lambda: fi.init.he_normal_(w, generator=fi.Generator(0)),
        "constant_": lambda: fi.init.constant_(w, 0.5),
        "sparse_": lambda: fi.init.sparse_(w, 0.5, generator=fi.Generator(0)),
    }[name]
    fn()
    dt = time.perf_counter() - t
    extra = peak() - base
    assert np.isfinite(w[:: 997, :: 101]).all()
    print(f"{name}: {w.nbytes / 2**30:.2f} GiB in {dt:.1f} s, extra peak {extra / 2**20:.1f} MiB")
    sys.exit(0 if extra < 64 * 2**20 else 1)
    """
)


@pytest.mark.slow
@pytest.mark.skipif(not LINUX, reason="peak RSS via getrusage (Linux)")
@pytest.mark.skipif(UNDER_SANITIZER, reason="ASan's shadow memory")
@pytest.mark.skipif(_mem_available() < 6 * 2**30, reason="needs 6 GiB of free memory")
@pytest.mark.parametrize(
    "name, gb",
    [
        ("normal_", 2.5),
        ("kaiming_uniform_", 2.5),
        ("constant_", 2.5),
        # the exact truncated normal runs at ~10 M values/s: a smaller weight keeps the test short
        ("trunc_normal_", 0.25),
        ("he_normal_", 0.25),
        ("sparse_", 0.25),
    ],
    ids=["normal_", "kaiming_uniform_", "constant_", "trunc_normal_", "he_normal_", "sparse_"],
)
def test_large_fill_uses_bounded_extra_memory(name, gb, tmp_path):
    """A weight of several GB initializes in place with less than 64 MB of memory beyond the array
    (orthogonal_ is the exception by nature: a QR needs a working copy)."""
    script = tmp_path / "large.py"
    script.write_text(LARGE_SCRIPT)
    r = subprocess.run(
        [sys.executable, str(script), name, str(gb)], capture_output=True, text=True, timeout=600
    )
    print(r.stdout, r.stderr)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize(
    "make",
    [
        lambda: fi.init.normal((2**62, 4)),
        lambda: fi.init.zeros((2**31, 2**31, 2**31), dtype=np.float64),
        lambda: fi.init.kaiming_normal((2**40, 2**24)),
        lambda: fi.MLP([2**40, 2**40]),
        lambda: fi.MLP([4, 2**62, 4]),
        # each layer fits, their sum does not
        lambda: fi.MLP([2**30, 2**29] * 4, dtype=np.float32),
        lambda: fi.MLP([2**29, 2**29] * 4, dtype=np.float64),
        lambda: fi.sweep(init=["zeros"], activation=["relu"], depth=[1], width=[2**40], seeds=1),
    ],
    ids=[
        "normal-2^64",
        "zeros-2^93",
        "kaiming-2^64",
        "mlp-2^80",
        "mlp-2^64",
        "mlp-7x2^59-float32",
        "mlp-7x2^58-float64",
        "sweep-width-2^40",
    ],
)
def test_overflowing_sizes_raise_before_allocating(make):
    t = time.perf_counter()
    before = _rss_bytes() if os.path.exists("/proc/self/statm") else 0
    with pytest.raises(MemoryError):
        make()
    assert time.perf_counter() - t < 5, "an impossible size must be refused, not attempted"
    if before:
        assert _rss_bytes() - before < 64 * 2**20
