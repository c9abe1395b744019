"""MLP.fit: the C++ training loop (mini-batches, loss and gradients, clipping, optimizer step).

fit is checked four ways: it learns (digits to >= 95% training accuracy); it equals the same
loop written in Python with loss_and_grad + fastinit.clip_* + fastinit.optim (float64, to
1e-12); it is reproducible (same seed -> identical run; 1 or 2 threads -> identical run); and
its controls (clipping bounds, non-finite stop, callbacks, argument checks) do what they say.
"""

from __future__ import annotations

import math
import sys
from itertools import pairwise

import fastinit as fi
import numpy as np
import pytest
from helpers import assert_rel


def synthetic_digits(n=1500, d=64, k=10, seed=0):
    """A separable stand-in for digits: 10 random binary 8x8 prototypes plus noise, in [0, 1]."""
    rng = np.random.default_rng(seed)
    protos = (rng.uniform(size=(k, d)) < 0.4).astype(np.float64)
    y = rng.integers(0, k, n)
    X = np.clip(protos[y] + 0.25 * rng.standard_normal((n, d)), 0.0, 1.0)
    return X.astype(np.float32), y.astype(np.int64)


def load_dataset():
    """scikit-learn's bundled digits (1797 x 64, scaled to [0, 1]); a synthetic stand-in
    when scikit-learn is not installed."""
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        return (*synthetic_digits(), "synthetic")
    d = load_digits()
    return (d.data / 16.0).astype(np.float32), d.target.astype(np.int64), "digits"


@pytest.fixture(scope="module")
def digits():
    X, y, _ = load_dataset()
    return X, y


def regression_problem(n=100, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 6)).astype(dtype)
    Y = np.tanh(X @ rng.standard_normal((6, 2))).astype(dtype)
    return X, Y


def accuracy(net, X, y) -> float:
    return float(np.mean(net.forward(X).argmax(axis=1) == y))


# ------------------------------------------------------------------------------------------------
# It learns
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("optimizer", "kwargs"),
    [
        pytest.param("sgd", {"lr": 0.1, "momentum": 0.9}, id="sgd_momentum"),
        pytest.param("adam", {"lr": 3e-3}, id="adam"),
    ],
)
def test_fit_reaches_training_accuracy(optimizer, kwargs):
    X, y, name = load_dataset()
    net = fi.MLP([64, 128, 10], "relu", "softmax", generator=fi.Generator(0))
    before = accuracy(net, X, y)
    h = net.fit(
        X, y, epochs=5, batch_size=32, optimizer=optimizer, generator=fi.Generator(1), **kwargs
    )
    acc = accuracy(net, X, y)
    assert acc >= 0.95, f"{name}: training accuracy {acc:.4f} < 0.95 after 5 epochs"
    assert before < 0.5
    steps_per_epoch = math.ceil(len(X) / 32)
    assert h.epochs == 5 and not h.nonfinite and not h.stopped
    assert h.step_loss.shape == h.step_grad_norm.shape == (5 * steps_per_epoch,)
    assert h.epoch_loss.shape == (5,) and h.layer_grad_norm.shape == (5, 2)
    assert np.all(np.isfinite(h.step_loss)) and np.all(h.step_grad_norm > 0)
    assert h.epoch_loss[-1] < 0.5 * h.epoch_loss[0]
    for e in range(5):  # epoch loss = mean of the epoch's step losses
        chunk = h.step_loss[e * steps_per_epoch : (e + 1) * steps_per_epoch]
        assert h.epoch_loss[e] == pytest.approx(chunk.mean(), rel=1e-12)


def test_load_dataset_falls_back_without_sklearn(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)  # import -> ImportError
    X, y, name = load_dataset()
    assert name == "synthetic"
    assert X.shape == (1500, 64) and X.dtype == np.float32 and y.shape == (1500,)
    assert X.min() >= 0.0 and X.max() <= 1.0 and set(np.unique(y)) == set(range(10))


def test_fit_learns_the_synthetic_fallback():
    """The stand-in used without scikit-learn is learnable too (the fallback really works)."""
    X, y = synthetic_digits()
    net = fi.MLP([64, 128, 10], "relu", "softmax", generator=fi.Generator(0))
    net.fit(X, y, epochs=3, batch_size=32, lr=0.1, momentum=0.9, generator=fi.Generator(1))
    assert accuracy(net, X, y) >= 0.95


# ------------------------------------------------------------------------------------------------
# It equals the Python loop
# ------------------------------------------------------------------------------------------------

MANUAL = [
    pytest.param("sgd", {"lr": 0.05, "momentum": 0.9}, {"clip_norm": 0.5}, id="sgd_clipnorm"),
    pytest.param(
        "sgd",
        {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01},
        {"clip_norm": 0.3, "clip_mode": "per_tensor"},
        id="nesterov_per_tensor",
    ),
    pytest.param("adam", {"lr": 0.01}, {"clip_value": 0.02}, id="adam_clipvalue"),
    pytest.param(
        "adamw", {"lr": 0.01}, {"clip_norm": 0.2, "norm_type": math.inf}, id="adamw_clipnorm_inf"
    ),
    pytest.param("sgd", {"lr": 0.1}, {}, id="sgd_noclip"),
]


def _manual_fit(net, X, Y, epochs, batch, optimizer, okw, ckw):
    cls = {"sgd": fi.optim.SGD, "adam": fi.optim.Adam, "adamw": fi.optim.AdamW}[optimizer]
    opt = cls(net, **okw)
    losses, norms, layer_norms = [], [], []
    for _ in range(epochs):
        ep = []
        for s in range(0, len(X), batch):
            loss, g = net.loss_and_grad(X[s : s + batch], Y[s : s + batch])
            losses.append(loss)
            norms.append(fi.total_norm(g))
            ep.append([np.linalg.norm(w) for w in g.weights])
            if "clip_value" in ckw:
                fi.clip_grad_value_(g, ckw["clip_value"])
            elif ckw.get("clip_mode") == "per_tensor":
                fi.clip_by_norm_(g, ckw["clip_norm"])
            elif "clip_norm" in ckw:
                fi.clip_grad_norm_(g, ckw["clip_norm"], ckw.get("norm_type", 2.0))
            opt.step(g)
        layer_norms.append(np.mean(ep, axis=0))
    return np.array(losses), np.array(norms), np.array(layer_norms)


@pytest.mark.parametrize(("optimizer", "okw", "ckw"), MANUAL)
def test_fit_equals_python_loop(optimizer, okw, ckw):
    X, Y = regression_problem(n=100)  # batches of 32, 32, 32 and a last one of 4
    sizes = [6, 12, 2]
    a = fi.MLP(
        sizes, "tanh", "linear", dtype=np.float64, generator=fi.Generator(4), bias_init="uniform"
    )
    b = fi.MLP(
        sizes, "tanh", "linear", dtype=np.float64, generator=fi.Generator(4), bias_init="uniform"
    )
    h = a.fit(X, Y, epochs=3, batch_size=32, optimizer=optimizer, shuffle=False, **okw, **ckw)
    losses, norms, layer_norms = _manual_fit(b, X, Y, 3, 32, optimizer, okw, ckw)
    assert h.step_loss.shape == (12,)
    assert_rel(h.step_loss, losses, 1e-12, "step_loss")
    assert_rel(h.step_grad_norm, norms, 1e-12, "step_grad_norm")
    assert_rel(h.epoch_loss, losses.reshape(3, 4).mean(axis=1), 1e-12, "epoch_loss")
    assert_rel(h.layer_grad_norm, layer_norms, 1e-12, "layer_grad_norm")
    for i, (p, q) in enumerate(zip(a.parameters(), b.parameters(), strict=True)):
        assert_rel(p, q, 1e-12, f"parameter {i}")
    if ckw:  # clipping was active at least once (unclipped gradient norm above the bound)
        bound = ckw.get("clip_norm", ckw.get("clip_value"))
        assert np.max(h.step_grad_norm) > bound


@pytest.mark.parametrize(
    ("optimizer", "okw"),
    [("sgd", {"lr": 0.05}), ("sgd", {"lr": 0.05, "momentum": 0.9}), ("adam", {"lr": 0.01})],
    ids=["sgd", "momentum", "adam"],
)
def test_fit_l2_clipping_is_bit_identical_to_the_python_loop(optimizer, okw):
    # fit folds global L2 clipping into the optimizer's read of the gradients; the Python loop
    # scales the gradients first (clip_grad_norm_) and then steps: the same bits, step by step.
    X, Y = regression_problem(n=100)
    X, Y = X.astype(np.float32), Y.astype(np.float32)
    sizes = [6, 12, 2]
    nets = [
        fi.MLP(sizes, "tanh", "linear", dtype=np.float32, generator=fi.Generator(4))
        for _ in range(2)
    ]
    ckw = {"clip_norm": 0.05}
    h = nets[0].fit(X, Y, epochs=3, batch_size=32, optimizer=optimizer, shuffle=False, **okw, **ckw)
    losses, norms, _ = _manual_fit(nets[1], X, Y, 3, 32, optimizer, okw, ckw)
    assert np.all(norms > ckw["clip_norm"])  # every step was clipped
    np.testing.assert_array_equal(h.step_loss, losses)
    for i, (p, q) in enumerate(zip(nets[0].parameters(), nets[1].parameters(), strict=True)):
        np.testing.assert_array_equal(p, q, err_msg=f"parameter {i}")


def test_fit_int_labels_equal_one_hot(digits):
    X, y = digits
    X, y = X[:300], y[:300]
    onehot = np.eye(10, dtype=np.float32)[y]
    runs = []
    for target in (y, onehot):
        net = fi.MLP([64, 32, 10], "relu", "softmax", generator=fi.Generator(2))
        h = net.fit(X, target, epochs=2, batch_size=50, lr=0.1, generator=fi.Generator(3))
        runs.append((h, net.parameters()))
    (h1, p1), (h2, p2) = runs
    np.testing.assert_allclose(h1.step_loss, h2.step_loss, rtol=1e-6)
    for a, b in zip(p1, p2, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)


# ------------------------------------------------------------------------------------------------
# Reproducibility
# ------------------------------------------------------------------------------------------------


def _history_arrays(h):
    return [h.step_loss, h.step_grad_norm, h.epoch_loss, h.layer_grad_norm]


def _run(X, y, gen_seed, **kw):
    net = fi.MLP([64, 48, 10], "relu", "softmax", generator=fi.Generator(11))
    h = net.fit(
        X,
        y,
        epochs=2,
        batch_size=64,
        optimizer="adam",
        lr=1e-3,
        generator=None if gen_seed is None else fi.Generator(gen_seed),
        **kw,
    )
    return h, net.parameters()


def test_same_seed_gives_identical_run(digits):
    X, y = digits
    (h1, p1), (h2, p2) = _run(X, y, 5), _run(X, y, 5)
    for a, b in zip(_history_arrays(h1), _history_arrays(h2), strict=True):
        assert np.array_equal(a, b)
    for a, b in zip(p1, p2, strict=True):
        assert np.array_equal(a, b)
    # a different shuffling seed gives a different run (so the seed is what fixed it)
    h3, p3 = _run(X, y, 6)
    assert not np.array_equal(h1.step_loss, h3.step_loss)
    assert not np.array_equal(p1[0], p3[0])


def test_default_generator_reseeded_gives_identical_run(digits):
    X, y = digits
    fi.manual_seed(123)
    h1, p1 = _run(X, y, None)
    fi.manual_seed(123)
    h2, p2 = _run(X, y, None)
    assert np.array_equal(h1.step_loss, h2.step_loss)
    for a, b in zip(p1, p2, strict=True):
        assert np.array_equal(a, b)


def test_no_shuffle_ignores_the_generator(digits):
    X, y = digits
    (h1, p1), (h2, p2) = _run(X, y, 1, shuffle=False), _run(X, y, 2, shuffle=False)
    assert np.array_equal(h1.step_loss, h2.step_loss)
    for a, b in zip(p1, p2, strict=True):
        assert np.array_equal(a, b)


@pytest.mark.parametrize(
    "dtype", [pytest.param(np.float32, id="float32"), pytest.param(np.float64, id="float64")]
)
def test_threads_give_identical_parameters(digits, dtype, threads):
    # Wide enough that the GEMMs are split into row panels (batch 128 x 256 x 256) and the
    # optimizer's elementwise loop into chunks: 2 threads really run in parallel.
    X, y = digits
    X = X.astype(dtype)
    runs = []
    for n in (1, 2):
        threads(n)
        net = fi.MLP([64, 256, 256, 10], "gelu", "softmax", dtype=dtype, generator=fi.Generator(8))
        h = net.fit(
            X,
            y,
            epochs=1,
            batch_size=128,
            optimizer="adam",
            lr=1e-3,
            clip_norm=1.0,
            generator=fi.Generator(9),
        )
        runs.append((h, net.parameters()))
    (h1, p1), (h2, p2) = runs
    for a, b in zip(_history_arrays(h1), _history_arrays(h2), strict=True):
        assert np.array_equal(a, b)
    for i, (a, b) in enumerate(zip(p1, p2, strict=True)):
        assert np.array_equal(a, b), f"parameter {i}: max diff {np.max(np.abs(a - b)):.3e}"


# ------------------------------------------------------------------------------------------------
# Clipping bounds the step
# ------------------------------------------------------------------------------------------------


def _snapshots(net, X, Y, **kw):
    """fit with a callback after every step that records the parameters."""
    snaps = [[p.copy() for p in net.parameters()]]

    def cb(step, loss, gnorm):
        snaps.append([p.copy() for p in net.parameters()])

    h = net.fit(X, Y, callback=cb, callback_every=1, **kw)
    return h, snaps


def _deltas(snaps):
    return [[b - a for a, b in zip(s0, s1, strict=True)] for s0, s1 in pairwise(snaps)]


LR, CLIP = 0.1, 1e-3


@pytest.mark.parametrize("mode", ["norm", "norm_inf", "per_tensor", "value", "none"])
def test_clipping_bounds_each_sgd_step(mode):
    X, Y = regression_problem(n=64)
    net = fi.MLP(
        [6, 16, 2],
        "tanh",
        "linear",
        dtype=np.float64,
        generator=fi.Generator(1),
        bias_init="uniform",
    )
    kw = {
        "norm": {"clip_norm": CLIP},
        "norm_inf": {"clip_norm": CLIP, "norm_type": math.inf},
        "per_tensor": {"clip_norm": CLIP, "clip_mode": "per_tensor"},
        "value": {"clip_value": CLIP},
        "none": {},
    }[mode]
    h, snaps = _snapshots(net, X, Y, epochs=2, batch_size=16, optimizer="sgd", lr=LR, **kw)
    assert len(snaps) == 1 + 8
    assert np.all(h.step_grad_norm > 100 * CLIP)  # recorded before clipping; clipping matters
    bound = LR * CLIP
    for step, d in enumerate(_deltas(snaps), start=1):
        flat = np.concatenate([t.ravel() for t in d])
        l2, linf = np.linalg.norm(flat), np.max(np.abs(flat))
        per_tensor = [np.linalg.norm(t) for t in d]
        if mode == "norm":  # plain SGD: the step is lr * clip * g / (||g|| + 1e-6)
            assert bound * (1 - 1e-3) <= l2 <= bound * (1 + 1e-12), f"step {step}: {l2:.6e}"
        elif mode == "norm_inf":
            assert bound * (1 - 1e-3) <= linf <= bound * (1 + 1e-12), f"step {step}: {linf:.6e}"
        elif mode == "per_tensor":
            assert max(per_tensor) <= bound * (1 + 1e-12), f"step {step}: {per_tensor}"
            assert min(per_tensor) >= bound * (1 - 1e-9)  # every tensor was over the threshold
        elif mode == "value":
            assert linf == pytest.approx(bound, rel=1e-12), f"step {step}: {linf:.6e}"
        else:  # unclipped control: far larger steps, so the bounds above are not vacuous
            assert l2 > 100 * bound


# ------------------------------------------------------------------------------------------------
# Non-finite stop, callbacks
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dtype", [pytest.param(np.float32, id="float32"), pytest.param(np.float64, id="float64")]
)
def test_nonfinite_loss_stops_training(dtype):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((256, 8)).astype(dtype)
    Y = rng.standard_normal((256, 2)).astype(dtype)
    net = fi.MLP([8, 16, 2], "identity", "linear", dtype=dtype, generator=fi.Generator(0))
    # lr far above 2 / curvature: the linear least-squares iteration diverges geometrically
    h, snaps = _snapshots(
        net,
        X,
        Y,
        epochs=50,
        batch_size=32,
        lr=1e3 if dtype == np.float32 else 1e8,
        generator=fi.Generator(1),
    )
    assert h.nonfinite
    assert not h.stopped
    assert h.epochs < 50 and len(h.step_loss) < 50 * 8, "training did not stop early"
    assert not (math.isfinite(h.step_loss[-1]) and math.isfinite(h.step_grad_norm[-1]))
    assert np.all(np.isfinite(h.step_loss[:-1]))
    # the non-finite step applied no update: the parameters are those after the previous step
    assert len(snaps) == len(h.step_loss)  # no callback after the failed step
    for p, q in zip(net.parameters(), snaps[-1], strict=True):
        assert np.array_equal(p, q)
        assert np.all(np.isfinite(p))
    assert h.epoch_loss.shape == (h.epochs,) and h.layer_grad_norm.shape == (h.epochs, 2)


def test_callback_every_n_steps():
    X, Y = regression_problem(n=100)
    net = fi.MLP([6, 8, 2], "tanh", "linear", dtype=np.float64, generator=fi.Generator(0))
    calls = []

    def cb(step, loss, grad_norm):
        calls.append((step, loss, grad_norm))  # returns None: keep going

    h = net.fit(X, Y, epochs=3, batch_size=10, lr=0.01, callback=cb, callback_every=7)
    assert len(h.step_loss) == 30 and not h.stopped
    assert [c[0] for c in calls] == [7, 14, 21, 28]  # the step count runs across epochs
    for step, loss, grad_norm in calls:
        assert isinstance(step, int) and isinstance(loss, float)
        assert loss == h.step_loss[step - 1]
        assert grad_norm == h.step_grad_norm[step - 1]


@pytest.mark.parametrize("stop_value", [False, 0], ids=["False", "zero"])
def test_callback_returning_false_stops(stop_value):
    X, Y = regression_problem(n=100)
    net = fi.MLP([6, 8, 2], "tanh", "linear", dtype=np.float64, generator=fi.Generator(0))
    calls = []

    def cb(step, loss, grad_norm):
        calls.append(step)
        return stop_value if step == 14 else True

    h = net.fit(X, Y, epochs=5, batch_size=10, lr=0.01, callback=cb, callback_every=2)
    assert h.stopped and not h.nonfinite
    assert calls == list(range(2, 15, 2))
    assert len(h.step_loss) == 14
    assert h.epochs == 2 and h.epoch_loss.shape == (2,)
    assert h.epoch_loss[1] == pytest.approx(h.step_loss[10:14].mean(), rel=1e-12)


def test_callback_exception_propagates():
    class Boom(Exception):
        pass

    X, Y = regression_problem(n=100)
    net = fi.MLP([6, 8, 2], "tanh", "linear", dtype=np.float64, generator=fi.Generator(0))
    calls = []

    def cb(step, loss, grad_norm):
        calls.append(step)
        if step == 6:
            raise Boom("from the callback")

    with pytest.raises(Boom, match="from the callback"):
        net.fit(X, Y, epochs=5, batch_size=10, lr=0.01, callback=cb, callback_every=3)
    assert calls == [3, 6]  # training stopped at the raising call
    # the network is still usable
    h = net.fit(X, Y, epochs=1, batch_size=10, lr=0.01)
    assert h.epochs == 1 and np.all(np.isfinite(h.step_loss))


# ------------------------------------------------------------------------------------------------
# Edge cases and argument checks
# ------------------------------------------------------------------------------------------------


def test_zero_epochs_and_oversized_batch():
    X, Y = regression_problem(n=20)
    net = fi.MLP([6, 8, 2], "tanh", "linear", dtype=np.float64, generator=fi.Generator(0))
    before = [p.copy() for p in net.parameters()]
    h = net.fit(X, Y, epochs=0)
    assert h.epochs == 0 and h.step_loss.size == 0 and h.layer_grad_norm.shape == (0, 2)
    for p, q in zip(net.parameters(), before, strict=True):
        assert np.array_equal(p, q)
    h = net.fit(X, Y, epochs=3, batch_size=1000, lr=0.01)  # one full batch per epoch
    assert h.step_loss.shape == (3,)
    assert h.step_loss[0] == pytest.approx(
        fi.MLP([6, 8, 2], "tanh", "linear", dtype=np.float64, generator=fi.Generator(0)).loss(X, Y),
        rel=1e-12,
    )


BAD_ARGS = [
    pytest.param({"batch_size": 0}, "batch_size", id="batch_size_0"),
    pytest.param({"batch_size": -3}, "batch_size", id="batch_size_negative"),
    pytest.param({"epochs": -1}, "epochs", id="epochs_negative"),
    pytest.param({"optimizer": "rmsprop"}, "sgd", id="unknown_optimizer"),
    pytest.param({"clip_norm": 1.0, "clip_value": 0.5}, "not both", id="clip_norm_and_value"),
    pytest.param({"clip_norm": 1.0, "clip_mode": "value"}, "clip_mode", id="norm_with_mode_value"),
    pytest.param({"clip_value": 1.0, "clip_mode": "norm"}, "clip_mode", id="value_with_mode_norm"),
    pytest.param({"clip_mode": "norm"}, "clip_norm", id="mode_without_threshold"),
    pytest.param({"clip_norm": -1.0}, "threshold", id="clip_norm_negative"),
    pytest.param({"clip_value": math.nan}, "threshold", id="clip_value_nan"),
    pytest.param({"clip_norm": 1.0, "norm_type": 0.0}, "norm_type", id="norm_type_0"),
    pytest.param({"lr": -0.1}, "lr", id="lr_negative"),
    pytest.param({"lr": math.inf}, "lr", id="lr_inf"),
    pytest.param({"nesterov": True}, "Nesterov", id="nesterov_without_momentum"),
    pytest.param({"optimizer": "adam", "betas": (0.9, 1.0)}, "betas", id="adam_beta2_1"),
    pytest.param(
        {"callback": lambda *a: None, "callback_every": -1},
        "callback_every",
        id="callback_every_negative",
    ),
]


@pytest.mark.parametrize(("kwargs", "match"), BAD_ARGS)
def test_bad_fit_arguments_are_value_errors(kwargs, match):
    X, Y = regression_problem(n=20)
    net = fi.MLP([6, 8, 2], "tanh", "linear", dtype=np.float64, generator=fi.Generator(0))
    before = [p.copy() for p in net.parameters()]
    with pytest.raises(ValueError, match=match):
        net.fit(X, Y, **kwargs)
    for p, q in zip(net.parameters(), before, strict=True):  # nothing was trained
        assert np.array_equal(p, q)


def test_bad_fit_data():
    X, Y = regression_problem(n=20)
    net = fi.MLP([6, 8, 2], "tanh", "linear", dtype=np.float64, generator=fi.Generator(0))
    with pytest.raises(TypeError, match="X"):
        net.fit(X.astype(np.complex128), Y)
    Xn = X.copy()
    Xn[3, 1] = math.nan
    with pytest.raises(ValueError, match="finite"):
        net.fit(Xn, Y)
    with pytest.raises(ValueError, match="shape"):
        net.fit(X, Y[:10])
    with pytest.raises(TypeError, match="generator"):
        net.fit(X, Y, generator=np.random.default_rng(0))
    clf = fi.MLP([6, 8, 3], "tanh", "softmax", dtype=np.float64)
    with pytest.raises(ValueError, match="outside"):
        clf.fit(X, np.full(20, 3))
