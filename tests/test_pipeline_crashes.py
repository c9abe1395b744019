"""Issue 11, class 3: no Python-reachable call reaches undefined behaviour.

Each case runs in a child interpreter (a crash must not take pytest with it) with a memory and a
process limit and a timeout: a signal exit (SIGSEGV, SIGABRT, ...) or a timeout is a failure, and
the child itself asserts that the misuse is a clear exception (or works).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

TIMEOUT = 90

PRELUDE = """
import os, resource, sys, threading, gc
if "libasan" not in os.environ.get("LD_PRELOAD", ""):  # ASan reserves terabytes of shadow
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
soft, hard = resource.getrlimit(resource.RLIMIT_NPROC)
import numpy as np
import fastinit as fi
from fastinit import optim

CLEAR = (TypeError, ValueError, RuntimeError, IndexError, MemoryError)

def expect_clear(what, call):
    try:
        call()
    except CLEAR as exc:
        msg = str(exc)
        assert "Unable to cast" not in msg and "incompatible function" not in msg, (what, msg)
        assert msg, (what, "an exception without a message")
        print(f"{what}: {type(exc).__name__}: {msg[:200]}", flush=True)
        return exc
    raise AssertionError(f"{what}: no exception")

rng = np.random.default_rng(0)
X = rng.standard_normal((64, 4)).astype(np.float32)
y = rng.integers(0, 3, 64)
"""


def run_child(code: str, timeout: float = TIMEOUT) -> subprocess.CompletedProcess:
    script = PRELUDE + textwrap.dedent(code) + "\nprint('CHILD-DONE', flush=True)\n"
    try:
        p = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, "PYTHONFAULTHANDLER": "1"},
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"the child hung (> {timeout} s); output: {exc.stdout!r} {exc.stderr!r}")
    if p.returncode < 0:
        pytest.fail(
            f"the child crashed with {signal.Signals(-p.returncode).name}\n"
            f"stdout: {p.stdout[-2000:]}\nstderr: {p.stderr[-4000:]}"
        )
    assert p.returncode == 0 and "CHILD-DONE" in p.stdout, (
        f"exit {p.returncode}\nstdout: {p.stdout[-2000:]}\nstderr: {p.stderr[-4000:]}"
    )
    return p


def test_optimizer_stepping_a_larger_network() -> None:
    run_child("""
    small = fi.MLP([4, 3, 3], output="softmax")
    big = fi.MLP([4, 64, 64, 3], output="softmax")
    for opt in (optim.SGD(small, lr=0.1, momentum=0.9), optim.Adam(small), optim.AdamW(small)):
        _, g = big.loss_and_grad(X, y)
        expect_clear("step with grads of another shape", lambda: opt.step(g))
        opt.net = big
        expect_clear("step of another (larger) network", lambda: opt.step(g))
        opt.net = small
        _, g = small.loss_and_grad(X, y)
        opt.step(g)  # still usable
    """)


def test_optimizer_stepping_another_network_of_the_same_shape() -> None:
    run_child("""
    a = fi.MLP([4, 8, 3], output="softmax", generator=fi.Generator(0))
    b = fi.MLP([4, 8, 3], output="softmax", generator=fi.Generator(1))
    opt = optim.Adam(a, lr=1e-2)
    _, g = b.loss_and_grad(X, y)
    before = b.weights[0].copy()
    opt.net = b
    try:
        opt.step(g)
    except CLEAR as exc:
        print("refused:", exc)
    else:
        # it may step b, but then it must have stepped b, and b alone
        assert not np.array_equal(b.weights[0], before), "step() succeeded but b is unchanged"
    """)


def test_network_reinitialized_to_a_smaller_shape_under_its_optimizer() -> None:
    run_child("""
    for make in (lambda n: optim.SGD(n, lr=0.1, momentum=0.9), optim.Adam, optim.AdamW):
        net = fi.MLP([4, 128, 128, 3], output="softmax")
        opt = make(net)
        _, g = net.loss_and_grad(X, y)
        opt.step(g)
        net.__init__([4, 2, 3], output="softmax")  # the same Python object, a smaller core
        gc.collect()
        _, g2 = net.loss_and_grad(X, y)
        expect_clear("step after a smaller re-init", lambda: opt.step(g2))
        expect_clear("step with the old grads", lambda: opt.step(g))
        # the same via __setstate__ (what unpickling into an existing object does)
        net.__setstate__(fi.MLP([4, 1, 3], output="softmax").__getstate__())
        gc.collect()
        _, g3 = net.loss_and_grad(X, y)
        expect_clear("step after __setstate__", lambda: opt.step(g3))
    """)


def test_grads_of_another_network_for_loss_and_grad() -> None:
    run_child("""
    small = fi.MLP([4, 3, 3], output="softmax")
    big = fi.MLP([4, 64, 64, 3], output="softmax")
    expect_clear("small grads into a big net", lambda: big.loss_and_grad(X, y, small.new_grads()))
    expect_clear("big grads into a small net", lambda: small.loss_and_grad(X, y, big.new_grads()))
    g64 = fi.MLP([4, 3, 3], dtype=np.float64).new_grads()
    expect_clear("float64 grads into a float32 net", lambda: small.loss_and_grad(X, y, g64))
    expect_clear("float64 grads into a float32 optimizer", lambda: optim.SGD(small).step(g64))
    expect_clear("a list as grads", lambda: optim.SGD(small).step(small.parameters()))
    """)


def test_views_outlive_their_network() -> None:
    run_child("""
    net = fi.MLP([4, 256, 3])
    w = net.weights[0]
    p = net.parameters()
    _, g = net.loss_and_grad(X, np.zeros((64, 3), np.float32))
    gw = g.weights[0]
    net.__init__([4, 2, 3])
    del net, g
    gc.collect()
    for _ in range(5):
        junk = [np.ones(256 * 4, np.float32) for _ in range(200)]
    w[...] = 1.0
    gw[...] = 2.0
    p[-1][...] = 3.0
    assert w.sum() == w.size and gw.sum() == 2 * gw.size
    """)


def test_cache_and_layer_indices_out_of_range() -> None:
    run_child("""
    net = fi.MLP([4, 5, 3])
    expect_clear("cache before any pass", lambda: net.cache("Z", 0))
    net.forward(X)
    for layer in (2, 100, -1, -100, 2**31, 2**63 - 1, -2**63):
        expect_clear(f"cache layer {layer}", lambda: net.cache("Z", layer))
    expect_clear("cache kind", lambda: net.cache("Q", 0))
    for layer in (2, 100, -3, 2**63):
        expect_clear(f"weights[{layer}] =", lambda: net.weights.__setitem__(layer, 0))
    """)


def test_labels_rewritten_by_another_thread() -> None:
    run_child("""
    net = fi.MLP([4, 32, 3], output="softmax")
    labels = y.copy()
    stop = threading.Event()
    def vandal():
        bad = np.array([10**9, -1, 3, -2**62, 2**62], np.int64)
        i = 0
        while not stop.is_set():
            labels[i % len(labels)] = bad[i % len(bad)]
            labels[(i + 7) % len(labels)] = 1
            i += 1
    t = threading.Thread(target=vandal)
    t.start()
    ok = refused = 0
    try:
        for i in range(60):
            for call in (
                lambda: net.fit(X, labels, epochs=2, batch_size=8),
                lambda: net.loss(X, labels),
                lambda: net.loss_and_grad(X, labels),
                lambda: fi.diagnose(net, X, labels),
            ):
                try:
                    call()
                    ok += 1
                except ValueError:
                    refused += 1
    finally:
        stop.set()
        t.join()
    print("ok", ok, "refused", refused)
    assert refused > 0, "the vandal never produced an out-of-range label: not a test"
    """)


def test_one_hot_and_inputs_rewritten_by_another_thread() -> None:
    run_child("""
    net = fi.MLP([4, 32, 3], output="softmax")
    onehot = np.eye(3, dtype=np.float32)[y]
    Xs = X.copy()
    stop = threading.Event()
    def vandal():
        i = 0
        vals = np.array([np.nan, np.inf, -1e30, 1.0], np.float32)
        while not stop.is_set():
            onehot[i % 64, i % 3] = vals[i % 4]
            Xs[i % 64, i % 4] = vals[(i + 1) % 4]
            i += 1
    t = threading.Thread(target=vandal)
    t.start()
    try:
        for _ in range(60):
            for call in (
                lambda: net.fit(Xs, onehot, epochs=2, batch_size=8),
                lambda: net.loss_and_grad(Xs, onehot),
                lambda: fi.diagnose(net, Xs, onehot),
                lambda: fi.init.lsuv_(net, Xs),
            ):
                try:
                    call()
                except (ValueError, fi.NonFiniteError):
                    pass
    finally:
        stop.set()
        t.join()
    """)


def test_concurrent_fits_on_one_network() -> None:
    run_child("""
    net = fi.MLP([4, 64, 3], output="softmax")
    errors = []
    def train():
        try:
            for _ in range(5):
                net.fit(X, y, epochs=3, batch_size=8, optimizer="adam")
        except RuntimeError as exc:  # refusing concurrent use is fine
            errors.append(exc)
        except BaseException as exc:
            errors.append(AssertionError(repr(exc)))
    ts = [threading.Thread(target=train) for _ in range(4)]
    others = [threading.Thread(target=lambda: [net.forward(X) for _ in range(200)])]
    for t in ts + others:
        t.start()
    for t in ts + others:
        t.join(60)
        assert not t.is_alive(), "deadlock"
    assert not [e for e in errors if isinstance(e, AssertionError)], errors
    assert np.all(np.isfinite(net.forward(X)))
    """)


def test_reinit_from_another_thread_while_training() -> None:
    run_child("""
    net = fi.MLP([4, 256, 256, 3], output="softmax")
    X2 = np.random.default_rng(1).standard_normal((512, 4)).astype(np.float32)
    y2 = np.random.default_rng(1).integers(0, 3, 512)
    stop = threading.Event()
    def reinit():
        sizes = [[4, 2, 3], [4, 512, 3], [4, 256, 256, 3]]
        i = 0
        while not stop.is_set():
            try:
                net.__init__(sizes[i % 3], output="softmax")
            except RuntimeError:
                pass
            i += 1
    t = threading.Thread(target=reinit)
    t.start()
    try:
        for _ in range(20):
            try:
                net.fit(X2, y2, epochs=1, batch_size=64)
                net.forward(X2)
            except (RuntimeError, ValueError):
                pass
    finally:
        stop.set()
        t.join()
    """)


def test_callback_that_raises_or_reinitializes() -> None:
    run_child("""
    net = fi.MLP([4, 16, 3], output="softmax")
    def boom(step, loss, norm):
        raise KeyError("from the callback")
    try:
        net.fit(X, y, epochs=3, batch_size=4, callback=boom, callback_every=1)
    except KeyError as exc:
        assert "from the callback" in str(exc)
    else:
        raise AssertionError("the callback's exception was swallowed")
    net.fit(X, y, epochs=1)  # usable afterwards
    labels = y.copy()
    def vandal(step, loss, norm):
        labels[:] = 10**9  # the caller's labels change under the running fit
    try:
        net.fit(X, labels, epochs=3, batch_size=4, callback=vandal, callback_every=1)
    except (ValueError, RuntimeError) as exc:
        print("refused:", exc)
    net.fit(X, y, epochs=1)
    """)


def test_huge_and_negative_sizes_do_not_crash() -> None:
    run_child("""
    for what, call in {
        "random_bits 2**62": lambda: fi._core.random_bits(2**62),
        "random_bits -1": lambda: fi._core.random_bits(-1),
        "empty 2**62": lambda: fi._core.empty(2**62, np.float32),
        "empty (2**32, 2**32)": lambda: fi._core.empty((2**32, 2**32), np.float32),
        "empty negative": lambda: fi._core.empty((-1, 4), np.float32),
        "zeros (2**40, 2**40)": lambda: fi.init.zeros((2**40, 2**40)),
        "MLP width 2**40": lambda: fi.MLP([4, 2**40, 3]),
        "MLP width 2**31": lambda: fi.MLP([2**31, 2**31, 3]),
        "Grads 2**40": lambda: fi._core.GradsFloat32([2**40, 2**40]),
        "predict depth 10**12": lambda: fi.theory.predicted_log_slopes("tanh", 1, 0, depth=10**12),
        "offset -1": lambda: setattr(fi.Generator(0), "offset", -1),
        "spawn 2**40": lambda: fi.Generator(0).spawn(2**40),
        "sweep width 2**40": lambda: fi.sweep("zeros", "relu", 1, 2**40, seeds=1, progress=False),
    }.items():
        expect_clear(what, call)
    """)
