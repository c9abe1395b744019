"""Issue 11, class 4: no call hangs; Ctrl-C stops every long call quickly.

Every case runs in a child interpreter with limits (address space, and therefore the number of
threads it can start; processes) and a timeout: a timeout or a signal exit is a failure. For
Ctrl-C the parent sends SIGINT to the child during a long call (fit without a callback, a sweep,
a large fill, a theory grid); the child measures when KeyboardInterrupt reaches it and then
checks that the object is still usable. The latency is printed; it must be under 2 s (the goal
is 0.5 s; the margin is for a loaded CI machine).
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import textwrap
import time

import pytest

TIMEOUT = 90
LATENCY_LIMIT = 2.0


def _limits(address_space: int) -> None:
    # before exec, so that glibc takes its default thread stack size from RLIMIT_STACK: the
    # address-space limit then caps the number of threads the child can start (even as root,
    # whom RLIMIT_NPROC does not bind)
    resource.setrlimit(resource.RLIMIT_STACK, (8 << 20, 8 << 20))
    if "libasan" not in os.environ.get("LD_PRELOAD", ""):  # ASan reserves terabytes of shadow
        resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
    soft, hard = resource.getrlimit(resource.RLIMIT_NPROC)
    resource.setrlimit(resource.RLIMIT_NPROC, (min(4096, hard), hard))


PRELUDE = """
import os, sys, time, threading
import numpy as np
import fastinit as fi
rng = np.random.default_rng(0)
def say(*a):
    print(*a, flush=True)
"""


def _spawn(code: str, address_space: int) -> subprocess.Popen:
    script = PRELUDE + textwrap.dedent(code) + "\nsay('CHILD-DONE')\n"
    return subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: _limits(address_space),
        env={**os.environ, "PYTHONFAULTHANDLER": "1"},
    )


def _finish(p: subprocess.Popen, timeout: float, what: str) -> str:
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        pytest.fail(
            f"{what}: the child hung (> {timeout} s)\nstdout: {out[-2000:]}\nstderr: {err[-3000:]}"
        )
    if p.returncode < 0:
        pytest.fail(
            f"{what}: the child died of {signal.Signals(-p.returncode).name}\n"
            f"stdout: {out[-2000:]}\nstderr: {err[-3000:]}"
        )
    assert p.returncode == 0 and "CHILD-DONE" in out, (
        f"{what}: exit {p.returncode}\nstdout: {out[-2000:]}\nstderr: {err[-3000:]}"
    )
    return out


def run_child(code: str, timeout: float = TIMEOUT, address_space: int = 4 << 30) -> str:
    return _finish(_spawn(code, address_space), timeout, "child")


# ---- re-entry


def test_fit_callback_calling_its_own_network_is_a_runtime_error() -> None:
    run_child("""
    X = rng.standard_normal((64, 4)).astype(np.float32)
    y = rng.integers(0, 3, 64)
    net = fi.MLP([4, 16, 3], output="softmax")
    other = fi.MLP([4, 16, 3], output="softmax")
    opt = fi.optim.SGD(net, lr=0.1)
    calls = {
        "forward": lambda: net.forward(X),
        "loss": lambda: net.loss(X, y),
        "loss_and_grad": lambda: net.loss_and_grad(X, y),
        "fit": lambda: net.fit(X, y, epochs=1),
        "reset_parameters": lambda: net.reset_parameters(),
        "diagnose": lambda: fi.diagnose(net, X, y),
        "init_network_": lambda: fi.init_network_(net, "kaiming_normal"),
        "lsuv_": lambda: fi.init.lsuv_(net, X),
        "optimizer step": lambda: opt.step(other.loss_and_grad(X, y)[1]),
        "cache": lambda: net.cache("Z", 0),
    }
    for what, call in calls.items():
        def cb(step, loss, norm, call=call):
            call()
        t0 = time.monotonic()
        try:
            net.fit(X, y, epochs=2, batch_size=8, callback=cb, callback_every=1)
        except RuntimeError as exc:
            say(f"{what}: RuntimeError: {exc}")
            assert str(exc), what
        else:
            # allowed only if the call is safe during a step (a read of a consistent state)
            assert what in ("forward", "loss", "cache", "diagnose"), f"{what}: re-entry accepted"
            say(f"{what}: accepted")
        assert time.monotonic() - t0 < 10, f"{what}: slow"
        # the network is not left locked
        net.fit(X, y, epochs=1)
        assert np.all(np.isfinite(net.forward(X)))
    # a callback may use *another* network freely
    def cb_other(step, loss, norm):
        other.fit(X, y, epochs=1)
    net.fit(X, y, epochs=1, batch_size=8, callback=cb_other, callback_every=1)
    """)


def test_callback_reentry_mutating_calls_are_runtime_errors() -> None:
    """Re-entries that would change the network mid-step must be refused."""
    run_child(
        """
    X = rng.standard_normal((32, 4)).astype(np.float32)
    y = rng.integers(0, 3, 32)
    net = fi.MLP([4, 8, 3], output="softmax")
    for what, call in {
        "fit": lambda: net.fit(X, y, epochs=1),
        "reset_parameters": lambda: net.reset_parameters(),
        "init_network_": lambda: fi.init_network_(net, "orthogonal"),
        "lsuv_": lambda: fi.init.lsuv_(net, X),
    }.items():
        try:
            net.fit(X, y, epochs=1, batch_size=8, callback=lambda s, l, n: call(),
                    callback_every=1)
        except RuntimeError as exc:
            say(what, "->", exc)
        else:
            raise AssertionError(f"{what} from the callback of the same network was accepted")
    """,
        timeout=60,
    )


# ---- thread counts


def test_set_num_threads_huge_is_value_error() -> None:
    run_child(
        """
    for n in (2**31, 2**40, 2**63, -1, 0):
        try:
            fi.set_num_threads(n)
        except ValueError as exc:
            assert "Unable to cast" not in str(exc) and "incompatible" not in str(exc), exc
            say(n, exc)
        else:
            raise AssertionError(f"set_num_threads({n}) accepted")
    assert fi.get_num_threads() >= 1
    w = fi.init.normal_(np.zeros(10**6, np.float32))
    assert np.isfinite(w).all()
    """,
        timeout=30,
    )


def test_more_threads_than_the_os_will_start_does_not_hang() -> None:
    """Under an address-space limit only ~100 threads fit: asking for 100000 is refused or
    gives a pool that still works (the next parallel calls end)."""
    out = run_child(
        """
    try:
        fi.set_num_threads(100000)
    except (ValueError, RuntimeError, MemoryError) as exc:
        say("refused:", type(exc).__name__, exc)
    n = fi.get_num_threads()
    say("threads", n)
    for _ in range(3):
        w = fi.init.normal_(np.zeros(4 * 10**6, np.float32))
        assert np.isfinite(w).all()
        fi.theory.phase_diagram("tanh", np.linspace(0.5, 2, 20), np.linspace(0, 1, 20))
        net = fi.MLP([32, 64, 3], output="softmax")
        net.fit(rng.standard_normal((256, 32)), rng.integers(0, 3, 256), epochs=1)
        fi.sweep("kaiming_normal", "relu", 2, 16, seeds=4, batch=8, progress=False)
    fi.set_num_threads(2)
    assert fi.get_num_threads() == 2
    w = fi.init.normal_(np.zeros(10**6, np.float32))
    """,
        timeout=60,
        address_space=1536 << 20,
    )
    assert "threads" in out


def test_set_num_threads_releases_the_gil() -> None:
    """Other Python threads keep running while set_num_threads waits for the pool."""
    run_child(
        """
    ticks = []
    stop = threading.Event()
    def ticker():
        while not stop.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.005)
    t = threading.Thread(target=ticker)
    t.start()
    net = fi.MLP([256, 1024, 1024, 10], output="softmax")
    X = rng.standard_normal((4096, 256)).astype(np.float32)
    y = rng.integers(0, 10, 4096)
    trainer = threading.Thread(target=lambda: net.fit(X, y, epochs=3, batch_size=4096))
    trainer.start()
    time.sleep(0.2)
    t0 = time.monotonic()
    for n in (1, 2, 1, 2):
        fi.set_num_threads(n)
    took = time.monotonic() - t0
    trainer.join(60)
    stop.set()
    t.join()
    inside = [b - a for a, b in zip(ticks, ticks[1:]) if a >= t0 - 0.01 and a <= t0 + took]
    gap = max(inside, default=0.0)
    say(f"set_num_threads took {took:.3f} s, largest ticker gap {gap:.3f} s")
    assert gap < 0.5, f"the GIL was held for {gap:.3f} s by set_num_threads"
    """,
        timeout=90,
    )


# ---- fork


def test_fork_while_another_thread_trains() -> None:
    run_child(
        """
    import signal
    X = rng.standard_normal((2048, 64)).astype(np.float32)
    y = rng.integers(0, 3, 2048)
    net = fi.MLP([64, 512, 512, 3], output="softmax")
    stop = threading.Event()
    started = threading.Event()
    def cb(step, loss, norm):
        started.set()
        return not stop.is_set()
    trainer = threading.Thread(
        target=lambda: net.fit(X, y, epochs=10**6, batch_size=64, callback=cb, callback_every=1)
    )
    trainer.start()
    assert started.wait(30)
    time.sleep(0.1)
    pid = os.fork()
    if pid == 0:  # the child: the training thread does not exist here
        code = 0
        try:
            try:
                net.forward(X[:8])
                print("child: the forked network works", flush=True)
            except RuntimeError as exc:
                print("child: RuntimeError:", exc, flush=True)
            fresh = fi.MLP([64, 32, 3], output="softmax")
            try:
                fresh.fit(X[:256], y[:256], epochs=1)
                fi.init.normal_(np.zeros(10**6, np.float32))
                print("child: a fresh network trains", flush=True)
            except RuntimeError as exc:
                print("child: fresh RuntimeError:", exc, flush=True)
        except BaseException as exc:
            print("child: unexpected", repr(exc), flush=True)
            code = 3
        os._exit(code)
    deadline = time.monotonic() + 30
    status = None
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.05)
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        stop.set()
        trainer.join()
        raise AssertionError("the forked child hung")
    stop.set()
    trainer.join(30)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status
    net.forward(X[:8])
    """,
        timeout=90,
    )


# ---- Ctrl-C


# The Ctrl-C latency cases time a subprocess against wall-clock limits: under AddressSanitizer
# (the suite's instrumented re-run) everything is several times slower, so they run only in the
# uninstrumented suite; the sanitizers still see every other case of this file.
_timed = pytest.mark.skipif(
    "libasan" in os.environ.get("LD_PRELOAD", ""),
    reason="wall-clock latency limits; the uninstrumented suite runs it",
)


def _interrupt(
    code_setup: str, code_call: str, code_after: str, what: str, address_space: int = 4 << 30
) -> float:
    """Run ``code_call`` (a long call) in a child, SIGINT it 0.5 s after it starts; returns the
    latency from SIGINT to KeyboardInterrupt."""
    code = f"""
{textwrap.dedent(code_setup)}
say("READY")
try:
    sys.stdin.readline()  # the parent's "go"
    say("STARTED")
    t0 = time.monotonic()
    for _ in range(1000):
{textwrap.indent(textwrap.dedent(code_call), "        ")}
        say("ONE-CALL-ENDED", time.monotonic() - t0)
    raise AssertionError("never interrupted")
except KeyboardInterrupt:
    caught = time.time()
say("CAUGHT", repr(caught))
{textwrap.dedent(code_after)}
"""
    script = PRELUDE + code + "\nsay('CHILD-DONE')\n"
    p = subprocess.Popen(
        [sys.executable, "-c", script],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: _limits(address_space),
        env={**os.environ, "PYTHONFAULTHANDLER": "1"},
    )
    try:
        assert p.stdout.readline().strip() == "READY", p.stderr.read()
        p.stdin.write("go\n")
        p.stdin.flush()
        assert p.stdout.readline().strip() == "STARTED"
        time.sleep(0.5)
        sent = time.time()
        p.send_signal(signal.SIGINT)
    except BaseException:
        p.kill()
        raise
    out = _finish(p, TIMEOUT, what)
    lines = [ln for ln in out.splitlines() if ln.startswith("CAUGHT")]
    assert lines, out
    latency = float(lines[0].split()[1]) - sent
    print(f"{what}: SIGINT -> KeyboardInterrupt in {latency:.3f} s")
    ended = [ln for ln in out.splitlines() if ln.startswith("ONE-CALL-ENDED")]
    assert latency < LATENCY_LIMIT, (
        f"{what}: KeyboardInterrupt {latency:.3f} s after SIGINT (limit {LATENCY_LIMIT} s, "
        f"goal 0.5 s); calls that ended before it: {ended}"
    )
    return latency


@pytest.mark.slow
@_timed
def test_ctrl_c_during_fit_without_callback() -> None:
    _interrupt(
        """
        X = rng.standard_normal((4096, 256)).astype(np.float32)
        y = rng.integers(0, 10, 4096)
        net = fi.MLP([256, 1024, 1024, 10], output="softmax", generator=fi.Generator(0))
        before = net.forward(X[:16]).copy()
        """,
        "net.fit(X, y, epochs=10**6, batch_size=256, optimizer='adam', lr=1e-4)",
        """
        out = net.forward(X[:16])
        assert np.all(np.isfinite(out)) and out.shape == (16, 10)
        assert not np.array_equal(out, before), "no step was taken before the interrupt"
        h = net.fit(X[:64], y[:64], epochs=1, batch_size=32)
        assert h.epochs == 1 and np.all(np.isfinite(h.step_loss))
        """,
        "fit",
    )


@pytest.mark.slow
@_timed
def test_ctrl_c_during_fit_with_many_threads_waiting() -> None:
    """The same with one thread per core and a full-batch step (one long parallel kernel)."""
    _interrupt(
        """
        fi.set_num_threads(2)
        X = rng.standard_normal((8192, 512)).astype(np.float32)
        y = rng.integers(0, 10, 8192)
        net = fi.MLP([512, 2048, 2048, 10], output="softmax", generator=fi.Generator(0))
        """,
        "net.fit(X, y, epochs=10**6, batch_size=8192)",
        """
        assert np.all(np.isfinite(net.forward(X[:16])))
        net.loss_and_grad(X[:16], y[:16])
        """,
        "full-batch fit",
    )


@pytest.mark.slow
@_timed
def test_ctrl_c_during_sweep() -> None:
    _interrupt(
        "",
        "fi.sweep(['kaiming_normal', 'orthogonal'], ['tanh', 'relu'], [60], [512], seeds=50, "
        "batch=256, steps=5, progress=False)",
        """
        r = fi.sweep("kaiming_normal", "relu", 2, 16, seeds=2, batch=8, progress=False)
        assert len(r) == 2
        """,
        "sweep",
    )


@pytest.mark.slow
@_timed
def test_ctrl_c_during_a_large_fill() -> None:
    # 6e8 float32 = 2.4 GB (the test's memory budget is 4 GiB)
    _interrupt(
        """
        w = fi.init.empty(600_000_000, np.float32) if hasattr(fi.init, "empty") else \\
            fi._core.empty(600_000_000, np.float32)
        g = fi.Generator(0)
        """,
        "fi.init.trunc_normal_(w, 0.0, 1.0, -0.5, 0.5, generator=g)",
        """
        small = fi.init.normal_(np.zeros(1000, np.float32), generator=g)
        assert np.isfinite(small).all()
        fi.init.normal_(np.zeros(1000, np.float32))
        """,
        "large fill",
        address_space=3800 << 20,
    )


@pytest.mark.slow
@_timed
def test_ctrl_c_during_a_theory_grid() -> None:
    _interrupt(
        "sw, sb = np.linspace(0.1, 4.0, 2000), np.linspace(0.0, 2.0, 2000)",
        "fi.theory.phase_diagram('gelu', sw, sb)",
        """
        out = fi.theory.phase_diagram("tanh", [1.0, 2.0], [0.0])
        assert out.shape == (2, 1) and abs(out[0, 0] - 1.0) < 1e-6
        """,
        "theory grid",
    )


def test_sigint_is_not_lost_for_short_calls() -> None:
    """After an interrupted long call, short calls run normally (no pending flag left set)."""
    t0 = time.monotonic()
    run_child(
        """
    import signal
    X = rng.standard_normal((256, 32)).astype(np.float32)
    y = rng.integers(0, 3, 256)
    net = fi.MLP([32, 64, 3], output="softmax")
    threading.Timer(0.3, lambda: signal.raise_signal(signal.SIGINT)).start()
    try:
        net.fit(X, y, epochs=10**7)
    except KeyboardInterrupt:
        pass
    for _ in range(50):
        net.fit(X, y, epochs=1)
        fi.init.normal_(np.zeros(1000, np.float32))
    """,
        timeout=60,
    )
    assert time.monotonic() - t0 < 60
