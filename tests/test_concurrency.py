"""Many Python threads (and forked processes) calling fastinit at once.

fastinit releases the GIL in every long call, so Python threads really run its C++ in parallel,
beside its own thread pool. The contract tested here:

* **Separate generators** (``Generator(seed)`` or ``g.spawn(n)``, one per thread): every thread gets
  exactly the numbers it would get alone, bit for bit, whatever runs beside it.
* **One shared generator** (a ``Generator`` object used by several threads, or the default
  generator with ``generator=None``): each call reserves its own contiguous range of the stream
  atomically, so no two calls ever get the same numbers and no number is skipped; every call's
  output is exactly the fill that a single-threaded program would produce at the offset that call
  reserved, and the generator ends at the same offset as a serial run. *Which* call gets *which*
  range depends on the scheduling: for run-to-run reproducibility across threads, give each thread
  its own generator (spawn).
* fills, forward / backward, fit, sweeps, LSUV, diagnose and the theory functions from many threads
  at once give the results of a serial run and never deadlock (every test joins with a timeout);
  changing the thread count while other threads compute is safe.
* fork after fastinit's pool has run works: the child re-creates the pool (tested with ``os.fork``
  and with a ``multiprocessing`` fork pool, also while another thread of the parent is inside a
  parallel fill).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import fastinit as fi
import fastinit.theory  # noqa: F401  (fi.theory)
import numpy as np
import pytest

N_THREADS = 8
TIMEOUT = 120.0  # seconds; a join that takes longer is a deadlock


def run_threads(
    target: Callable[[int], Any], n: int = N_THREADS, timeout: float = TIMEOUT
) -> list[Any]:
    """Runs target(k) for k in range(n) on n threads started together; returns the results in
    order. Fails on a deadlock (a thread still running after `timeout`) and re-raises the first
    exception a thread raised."""
    results: list[Any] = [None] * n
    errors: list[BaseException] = []
    barrier = threading.Barrier(n)

    def body(k: int) -> None:
        try:
            barrier.wait()
            results[k] = target(k)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=body, args=(k,), daemon=True) for k in range(n)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + timeout
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()))
    alive = [t for t in threads if t.is_alive()]
    assert not alive, f"{len(alive)} thread(s) still running after {timeout} s: deadlock"
    if errors:
        raise errors[0]
    return results


@pytest.fixture(params=[1, 2], ids=["pool-1", "pool-2"])
def pool(request, threads):
    threads(request.param)
    return request.param


# ----------------------------------------------------------------------------- separate generators
FILLS: dict[str, Callable[[np.ndarray, fi.Generator], Any]] = {
    "uniform": lambda w, g: fi.init.uniform_(w, -1, 1, generator=g),
    "normal": lambda w, g: fi.init.normal_(w, 0, 1, generator=g),
    "trunc_normal": lambda w, g: fi.init.trunc_normal_(w, 0, 1, -2, 2, generator=g),
    "kaiming": lambda w, g: fi.init.kaiming_normal_(w.reshape(-1, 50), generator=g),
    "orthogonal": lambda w, g: fi.init.orthogonal_(w.reshape(-1, 50), generator=g),
    "sparse": lambda w, g: fi.init.sparse_(w.reshape(-1, 50), 0.3, generator=g),
}


def _fill_program(k: int, dtype: Any) -> list[np.ndarray]:
    g = fi.Generator(1000 + k)
    out = []
    for i, (_, fill) in enumerate(sorted(FILLS.items())):
        w = np.empty(50 * (20 + 37 * ((k + i) % 5)), dtype)  # 1000..8400 elements
        fill(w, g)
        out.append(w)
    big = np.empty(200_000, dtype)  # large enough to use the pool
    fi.init.normal_(big, generator=g)
    out.append(big)
    return out


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
def test_separate_generators_give_the_serial_results(pool, dtype):
    expected = [_fill_program(k, dtype) for k in range(N_THREADS)]
    for _ in range(2):
        got = run_threads(lambda k: _fill_program(k, dtype))
        for k in range(N_THREADS):
            for a, b in zip(got[k], expected[k], strict=True):
                assert a.tobytes() == b.tobytes(), f"thread {k} got other numbers than alone"


def test_spawned_generators_give_the_serial_results(pool):
    kids = fi.Generator(7).spawn(N_THREADS)
    serial = [fi.init.normal((300, 301), generator=k.clone()) for k in kids]
    got = run_threads(lambda k: fi.init.normal((300, 301), generator=kids[k]))
    for a, b in zip(got, serial, strict=True):
        assert a.tobytes() == b.tobytes()


# ----------------------------------------------------------------------------- a shared generator
def _locate(outputs: list[tuple[str, np.ndarray]], start: int, g_seed: int, g_stream: int) -> None:
    """Each output must be exactly the fill that starts at some block of the shared stream, and
    the blocks the outputs used must tile [start, start + total) without overlap or gap."""
    per_block = {("uniform", 4): 4, ("uniform", 8): 2, ("normal", 4): 4, ("normal", 8): 2}
    total = sum(-(-o.size // per_block[(kind, o.dtype.itemsize)]) for kind, o in outputs)
    refs: dict[tuple[str, np.dtype], np.ndarray] = {}
    index: dict[tuple[str, np.dtype], dict[bytes, list[int]]] = {}
    spans = []
    for kind, out in outputs:
        key = (kind, out.dtype)
        e = per_block[(kind, out.dtype.itemsize)]
        if key not in refs:
            r = np.empty(total * e, out.dtype)  # the whole stream, as this kind of fill
            getattr(fi.init, kind + "_")(r, generator=fi.Generator(g_seed, g_stream, start))
            refs[key] = r
            index[key] = {}
            for b in range(total):
                index[key].setdefault(r[b * e].tobytes(), []).append(b)
        r = refs[key]
        hits = [
            b
            for b in index[key].get(out[0].tobytes(), [])
            if r[b * e : b * e + out.size].tobytes() == out.tobytes()
        ]
        assert hits, f"a {kind} fill of {out.size} {out.dtype} is no fill of the shared stream"
        spans.append((hits[0], -(-out.size // e)))
    spans.sort()
    pos = 0
    for b, n in spans:
        assert b == pos, f"blocks {pos}..{b} were {'skipped' if b > pos else 'handed out twice'}"
        pos += n
    assert pos == total


@pytest.mark.parametrize("which", ["object", "default"], ids=["shared-object", "default-generator"])
def test_shared_generator_hands_out_disjoint_ranges(pool, which):
    seed, stream, start = 99, 5, 1234
    if which == "object":
        g: fi.Generator | None = fi.Generator(seed, stream, start)
    else:
        d = fi.manual_seed(seed)
        d.offset = start
        stream = d.stream
        g = None
    sizes = [5, 6, 7, 8, 64, 257, 1000, 4099]  # >= 5 values: a fill is found by its content

    def work(k: int) -> list[tuple[str, np.ndarray]]:
        out = []
        for i in range(12):
            n = sizes[(k * 7 + i) % len(sizes)]
            dtype = np.float32 if (k + i) % 3 else np.float64
            kind = "uniform" if (k + i) % 2 else "normal"
            w = np.empty(n, dtype)
            getattr(fi.init, kind + "_")(w, generator=g)
            out.append((kind, w))
        return out

    outputs = [o for per_thread in run_threads(work) for o in per_thread]
    _locate(outputs, start, seed, stream)
    per_block = {4: 4, 8: 2}
    used = sum(-(-o.size // per_block[o.dtype.itemsize]) for _, o in outputs)
    end = (g if g is not None else fi.default_generator()).offset
    assert end == start + used, "the shared generator did not end where a serial run ends"


def test_shared_generator_spawn_from_threads():
    g = fi.Generator(3)
    kids = run_threads(lambda k: g.spawn(5))
    streams = [c.stream for ks in kids for c in ks]
    assert len(set(streams)) == 5 * N_THREADS and g.spawned == 5 * N_THREADS
    assert sorted(streams) == sorted(c.stream for c in fi.Generator(3).spawn(5 * N_THREADS))


# ----------------------------------------------------------------------------- the MLP
def _net(seed: int, dtype: Any = np.float32) -> fi.MLP:
    return fi.MLP(
        [64, 96, 96, 10],
        activation="tanh",
        output="softmax",
        dtype=dtype,
        generator=fi.Generator(seed),
    )


def _data(seed: int, n: int = 256, dtype: Any = np.float32) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, 64)).astype(dtype), rng.integers(0, 10, n)


def _mlp_program(k: int) -> tuple[Any, ...]:
    net = _net(k)
    X, y = _data(k, 64 + 97 * k)
    P = net.forward(X)
    loss, grads = net.loss_and_grad(X, y)
    hist = net.fit(
        X,
        y,
        epochs=2,
        batch_size=32,
        optimizer="adam",
        lr=1e-3,
        clip_norm=1.0,
        generator=fi.Generator(k),
    )
    return (
        P,
        loss,
        [t.copy() for t in grads.tensors()],
        hist.step_loss,
        [p.copy() for p in net.parameters()],
    )


def test_separate_networks_forward_backward_fit(pool):
    expected = [_mlp_program(k) for k in range(4)]
    got = run_threads(_mlp_program, n=4)
    for e, g in zip(expected, got, strict=True):
        assert e[0].tobytes() == g[0].tobytes()
        assert e[1] == g[1]
        for a, b in zip(e[2], g[2], strict=True):
            assert a.tobytes() == b.tobytes()
        assert e[3].tobytes() == g[3].tobytes()
        for a, b in zip(e[4], g[4], strict=True):
            assert a.tobytes() == b.tobytes()


def test_shared_network_read_only_calls_from_threads(pool):
    """One network, many threads calling forward / loss / loss_and_grad with batches of different
    sizes (each with its own Grads): every call returns what it returns alone. (The network keeps
    its per-layer caches in one workspace: concurrent calls must not share it unguarded.)"""
    net = _net(0)
    batches = [_data(s, n) for s, n in enumerate([1, 7, 300, 2000])]
    expected = [(net.forward(X).copy(), net.loss(X, y)) for X, y in batches]
    mismatches: list[str] = []

    def work(k: int) -> None:
        grads = net.new_grads()
        for it in range(40):
            j = (k + it) % len(batches)
            X, y = batches[j]
            P = net.forward(X)
            if P.tobytes() != expected[j][0].tobytes():
                mismatches.append(f"thread {k} forward batch {j}")
            loss, _ = net.loss_and_grad(X, y, grads)
            if loss != expected[j][1]:
                mismatches.append(f"thread {k} loss batch {j}")

    run_threads(work, n=4)
    assert not mismatches, f"{len(mismatches)} wrong results, e.g. {mismatches[:3]}"


def test_lsuv_and_diagnose_from_threads(pool):
    def program(k: int) -> tuple[Any, ...]:
        net = fi.MLP(
            [32, 48, 48, 4], activation="relu", output="softmax", generator=fi.Generator(k)
        )
        X, y = (
            np.random.default_rng(k).standard_normal((128, 32)).astype(np.float32),
            np.arange(128) % 4,
        )
        fi.init.lsuv_(net, X, generator=fi.Generator(k))
        d = fi.diagnose(net, X, y, generator=fi.Generator(k))
        return [p.copy() for p in net.parameters()], d.verdict, [r["grad_w_norm"] for r in d.layers]

    expected = [program(k) for k in range(4)]
    got = run_threads(program, n=4)
    for e, g in zip(expected, got, strict=True):
        assert all(a.tobytes() == b.tobytes() for a, b in zip(e[0], g[0], strict=True))
        assert e[1:] == g[1:]


# ----------------------------------------------------------------------------- sweeps and theory
def _sweep(k: int, threads: int | None = None) -> list[tuple[Any, ...]]:
    r = fi.sweep(
        init=["xavier_normal", "orthogonal"],
        activation=["tanh", "relu"],
        depth=[3],
        width=[16],
        seeds=2,
        batch=32,
        classes=4,
        steps=2,
        seed=k,
        threads=threads,
    )
    return [
        (x["init"], x["activation"], x["verdict"], x["loss"], x["final_loss"]) for x in r.records
    ]


def test_sweeps_from_threads(pool):
    expected = [_sweep(k) for k in range(4)]
    assert run_threads(_sweep, n=4) == expected


def test_sweeps_with_threads_argument_restore_the_thread_count():
    """sweep(threads=n) sets the pool size for its duration; two sweeps that overlap in time must
    still leave the process with the thread count it had before either started."""
    original = fi.get_num_threads()
    a_set, b_set, a_done = threading.Event(), threading.Event(), threading.Event()

    class Gate:
        """An executor that runs a chunk when its event is set (to force one interleaving)."""

        def __init__(self, before: threading.Event | None, after: threading.Event | None) -> None:
            self.before, self.after = before, after

        def submit(self, fn, *args):
            from concurrent.futures import Future

            if self.after is not None:
                self.after.set()
            if self.before is not None:
                assert self.before.wait(TIMEOUT)
            f: Future[Any] = Future()
            f.set_result(fn(*args))
            return f

    def sweep_a(_: int) -> None:  # starts first, ends first
        fi.sweep(
            init=["zeros"],
            activation=["relu"],
            depth=[1],
            width=[4],
            seeds=1,
            batch=4,
            classes=2,
            threads=original + 1,
            executor=Gate(b_set, a_set),
        )
        a_done.set()

    def sweep_b(_: int) -> None:  # starts second, ends last
        assert a_set.wait(TIMEOUT)
        fi.sweep(
            init=["zeros"],
            activation=["relu"],
            depth=[1],
            width=[4],
            seeds=1,
            batch=4,
            classes=2,
            threads=original + 2,
            executor=Gate(a_done, b_set),
        )

    run_threads(lambda k: (sweep_a, sweep_b)[k](k), n=2)
    assert fi.get_num_threads() == original, (
        f"two overlapping sweeps left {fi.get_num_threads()} threads, not {original}"
    )


def test_theory_from_threads():
    T = fi.theory

    def program(k: int) -> list[float]:
        acts = ["tanh", "relu", "sigmoid", "gelu"]
        a = acts[k % len(acts)]
        return [
            T.chi1(a, 1.0 + 0.1 * k, 0.05),
            T.q_star(a, 1.2, 0.1),
            T.critical_sigma_w("tanh", 0.05 * k),
        ]

    expected = [program(k) for k in range(N_THREADS)]
    assert run_threads(program) == expected


# ----------------------------------------------------------------------------- everything at once
def test_mixed_calls_and_thread_count_changes_never_deadlock():
    """Fills, MLP passes, clipping, sweeps, theory, reseeding and set_num_threads, all at once."""
    original = fi.get_num_threads()
    stop = time.monotonic() + 4.0
    counts = [0] * N_THREADS

    def work(k: int) -> None:
        g = fi.Generator(k)
        net = _net(k)
        X, y = _data(k, 64)
        while time.monotonic() < stop:
            kind = (k + counts[k]) % 8
            if kind == 0:
                fi.init.normal_(np.empty(100_000, np.float32), generator=g)
            elif kind == 1:
                fi.init.orthogonal((64, 64), generator=None)
            elif kind == 2:
                _, grads = net.loss_and_grad(X, y)
                fi.clip_grad_norm_(grads, 1.0)
            elif kind == 3:
                net.fit(X, y, epochs=1, batch_size=16, generator=g)
            elif kind == 4:
                fi.set_num_threads(1 + (k + counts[k]) % 3)
            elif kind == 5:
                fi.theory.chi1("tanh", 1.1, 0.1)
            elif kind == 6:
                fi.manual_seed(k)
            else:
                fi.sweep(
                    init=["zeros"],
                    activation=["relu"],
                    depth=[2],
                    width=[8],
                    seeds=1,
                    batch=8,
                    classes=2,
                )
            counts[k] += 1

    try:
        run_threads(work)
    finally:
        fi.set_num_threads(original)
    assert all(c > 0 for c in counts)


def test_thread_pool_used_from_a_thread_pool_executor():
    """concurrent.futures threads (as Dask's local executor uses) around fastinit's own pool."""
    with ThreadPoolExecutor(max_workers=6) as ex:
        futures = [
            ex.submit(fi.init.kaiming_normal, (512, 256), generator=fi.Generator(i))
            for i in range(24)
        ]
        got = [f.result(timeout=TIMEOUT) for f in futures]
    for i, w in enumerate(got):
        assert (
            w.tobytes() == fi.init.kaiming_normal((512, 256), generator=fi.Generator(i)).tobytes()
        )


# ----------------------------------------------------------------------------- fork
FORK_SCRIPT = textwrap.dedent(
    r"""
    import os, sys, threading, time
    import numpy as np
    import fastinit as fi

    fi.set_num_threads(2)
    ref = fi.init.normal((1000, 1000), generator=fi.Generator(5))   # runs on the pool
    mode = sys.argv[1]
    busy = None
    if mode == "busy":
        # another thread keeps the pool busy while the main thread forks
        stop = threading.Event()
        def spin():
            g = fi.Generator(1)
            while not stop.is_set():
                fi.init.normal_(np.empty(400_000, np.float32), generator=g)
        busy = threading.Thread(target=spin, daemon=True)
        busy.start()
        time.sleep(0.2)
    pids = []
    for i in range(3):
        pid = os.fork()
        if pid == 0:
            try:
                ok = fi.get_num_threads() == 2
                w = fi.init.normal((1000, 1000), generator=fi.Generator(5))   # the pool, re-created
                ok = ok and w.tobytes() == ref.tobytes()
                fi.set_num_threads(3)
                w = fi.init.normal((1000, 1000), generator=fi.Generator(5))
                ok = ok and w.tobytes() == ref.tobytes()
                net = fi.MLP([32, 64, 4], output="softmax", generator=fi.Generator(1))
                X = np.ones((300, 32), np.float32)
                net.fit(X, np.zeros(300, np.int64), epochs=1, batch_size=300)
                os._exit(0 if ok else 3)
            except BaseException:
                os._exit(4)
        pids.append(pid)
    codes = []
    for pid in pids:
        _, status = os.waitpid(pid, 0)
        codes.append(os.waitstatus_to_exitcode(status))
    if busy is not None:
        stop.set()
        busy.join()
    print("child exit codes", codes)
    sys.exit(0 if codes == [0, 0, 0] else 1)
    """
)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
@pytest.mark.parametrize("mode", ["idle", "busy"], ids=["pool-idle", "pool-busy-in-another-thread"])
def test_fork_after_the_pool_has_run(mode, tmp_path):
    """The child of a fork re-creates fastinit's pool (its threads do not exist there) and gets
    the same numbers; it neither hangs nor crashes, even when another thread of the parent was
    inside a parallel fill at the moment of the fork."""
    script = tmp_path / "fork_child.py"
    script.write_text(FORK_SCRIPT)
    env = {**os.environ, "PYTHONWARNINGS": "ignore::DeprecationWarning"}  # 3.12+: fork with threads
    r = subprocess.run(
        [sys.executable, str(script), mode],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=env,
    )
    assert r.returncode == 0, r.stdout + r.stderr


def _mp_fill(i: int) -> bytes:
    return fi.init.normal((300, 300), generator=fi.Generator(i)).tobytes()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs the fork start method")
@pytest.mark.filterwarnings(
    "ignore:This process .* is multi-threaded, use of fork:DeprecationWarning"
)
def test_multiprocessing_fork_pool_after_the_pool_has_run(threads):
    import multiprocessing as mp

    threads(2)
    expected = [_mp_fill(i) for i in range(6)]  # the parent's pool has run
    ctx = mp.get_context("fork")
    with ctx.Pool(2) as p:
        got = p.map_async(_mp_fill, range(6)).get(timeout=TIMEOUT)
    assert got == expected
