"""Issue 11, class 7: every object a pipeline ships pickles (every protocol) and deep-copies
exactly: MLP, Grads, SGD / Adam / AdamW with their state, Results, Diagnosis, History, Generator
and the configuration classes of the compiled core."""

from __future__ import annotations

import copy
import dataclasses
import math
import pickle

import fastinit as fi
import numpy as np
import pytest
from fastinit import optim

PROTOCOLS = list(range(pickle.HIGHEST_PROTOCOL + 1))


def _pickle(obj, protocol):
    return pickle.loads(pickle.dumps(obj, protocol=protocol))


COPIERS = {
    **{f"pickle{p}": (lambda o, p=p: _pickle(o, p)) for p in PROTOCOLS},
    "deepcopy": copy.deepcopy,
    "copy": copy.copy,
}
DEEP_COPIERS = {k: v for k, v in COPIERS.items() if k != "copy"}


def _data(n=12, d=4, classes=3, dtype=np.float32):
    rng = np.random.default_rng(0)
    return rng.standard_normal((n, d)).astype(dtype), rng.integers(0, classes, n)


def _equal_nan(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or a == b
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal_nan(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(_equal_nan, a, b))
    return type(a) is type(b) and a == b


# ---- MLP


@pytest.mark.parametrize("how", sorted(DEEP_COPIERS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_mlp_roundtrip_predicts_bit_identically(how, dtype) -> None:
    net = fi.MLP(
        [4, 6, 5, 3],
        activation=["tanh", ("leaky_relu", {"negative_slope": 0.3})],
        output="softmax",
        dtype=dtype,
        generator=fi.Generator(3),
    )
    X, y = _data(dtype=dtype)
    net.fit(X, y, epochs=1, batch_size=4, lr=0.1, generator=fi.Generator(0))
    other = DEEP_COPIERS[how](net)
    assert other is not net and other._core is not net._core
    assert repr(other) == repr(net)
    assert other.layer_sizes == net.layer_sizes and other.activations == net.activations
    assert other.dtype == net.dtype and other.output == net.output
    assert other._core.activations == net._core.activations
    np.testing.assert_array_equal(other.forward(X), net.forward(X))
    assert other.loss(X, y) == net.loss(X, y)
    # independent buffers: training the copy leaves the original alone
    before = net.forward(X)
    other.fit(X, y, epochs=1, batch_size=4, lr=0.1, generator=fi.Generator(1))
    np.testing.assert_array_equal(net.forward(X), before)
    # the copy's views are its own buffer
    other.weights[0] = np.zeros_like(other.weights[0])
    assert not np.array_equal(net.weights[0], other.weights[0])


def test_mlp_copies_train_identically() -> None:
    net = fi.MLP([4, 8, 3], output="softmax", generator=fi.Generator(5))
    X, y = _data()
    twin = _pickle(net, pickle.HIGHEST_PROTOCOL)
    h1 = net.fit(X, y, epochs=3, batch_size=5, optimizer="adam", lr=1e-2, generator=fi.Generator(9))
    h2 = twin.fit(
        X, y, epochs=3, batch_size=5, optimizer="adam", lr=1e-2, generator=fi.Generator(9)
    )
    np.testing.assert_array_equal(h1.step_loss, h2.step_loss)
    np.testing.assert_array_equal(net.forward(X), twin.forward(X))


# ---- Grads


@pytest.mark.parametrize("how", sorted(DEEP_COPIERS))
def test_grads_roundtrip(how) -> None:
    net = fi.MLP([4, 6, 3], output="softmax", generator=fi.Generator(0))
    X, y = _data()
    _, g = net.loss_and_grad(X, y)
    h = DEEP_COPIERS[how](g)
    assert type(h) is type(g) and h.dtype == g.dtype and len(h) == len(g)
    for a, b in zip(g.tensors(), h.tensors(), strict=True):
        assert a.shape == b.shape
        np.testing.assert_array_equal(a, b)
    h.weights[0][...] = 0
    assert np.any(g.weights[0] != 0)
    # the copy is usable as a buffer and by an optimizer
    net.loss_and_grad(X, y, h)
    np.testing.assert_array_equal(h.weights[0], g.weights[0])
    opt = optim.SGD(net, lr=0.1)
    opt.step(h)


# ---- optimizers

OPTIMIZERS = {
    "sgd": lambda n: optim.SGD(n, lr=0.05, momentum=0.9, dampening=0.1, weight_decay=1e-3),
    "sgd_nesterov": lambda n: optim.SGD(n, lr=0.05, momentum=0.9, nesterov=True),
    "adam": lambda n: optim.Adam(n, lr=1e-2, betas=(0.8, 0.99), eps=1e-7, weight_decay=1e-3),
    "adamw": lambda n: optim.AdamW(n, lr=1e-2, weight_decay=0.1),
}


def _steps(net, opt, X, y, n):
    g = net.new_grads()
    losses = []
    for _ in range(n):
        loss, _ = net.loss_and_grad(X, y, g)
        opt.step(g)
        losses.append(loss)
    return losses


@pytest.mark.parametrize("how", sorted(DEEP_COPIERS))
@pytest.mark.parametrize("kind", sorted(OPTIMIZERS))
def test_optimizer_restored_after_3_steps_continues_bit_identically(kind, how) -> None:
    X, y = _data()
    net = fi.MLP([4, 7, 3], output="softmax", generator=fi.Generator(1))
    opt = OPTIMIZERS[kind](net)
    _steps(net, opt, X, y, 3)
    assert opt.steps == 3
    restored = DEEP_COPIERS[how](opt)
    assert restored.steps == 3 and restored.lr == opt.lr
    assert restored.net is not net
    np.testing.assert_array_equal(restored.net.forward(X), net.forward(X))
    for a, b in zip(
        dataclasses.astuple(_config(opt.config)),
        dataclasses.astuple(_config(restored.config)),
        strict=True,
    ):
        assert a == b
    la = _steps(net, opt, X, y, 4)
    lb = _steps(restored.net, restored, X, y, 4)
    assert la == lb, f"{kind}: losses after restoring differ: {la} vs {lb}"
    for wa, wb in zip(net.parameters(), restored.net.parameters(), strict=True):
        np.testing.assert_array_equal(wa, wb)
    assert restored.steps == opt.steps == 7


@dataclasses.dataclass
class _Cfg:
    kind: str
    lr: float
    momentum: float
    dampening: float
    weight_decay: float
    nesterov: bool
    beta1: float
    beta2: float
    eps: float


def _config(c) -> _Cfg:
    return _Cfg(*(getattr(c, f.name) for f in dataclasses.fields(_Cfg)))


def test_optimizer_pickled_with_its_net_shares_it() -> None:
    """Pickling (net, opt) together keeps the optimizer bound to the unpickled net."""
    X, y = _data()
    net = fi.MLP([4, 7, 3], output="softmax", generator=fi.Generator(1))
    opt = optim.Adam(net, lr=1e-2)
    _steps(net, opt, X, y, 3)
    net2, opt2 = _pickle((net, opt), pickle.HIGHEST_PROTOCOL)
    assert opt2.net is net2
    _steps(net2, opt2, X, y, 2)
    _steps(net, opt, X, y, 2)
    np.testing.assert_array_equal(net2.forward(X), net.forward(X))


def test_optimizer_lr_change_survives_pickle() -> None:
    net = fi.MLP([4, 7, 3], generator=fi.Generator(1))
    opt = optim.SGD(net, lr=0.1)
    opt.lr = 0.025
    assert _pickle(opt, 2).lr == 0.025


# ---- Results, Diagnosis, History


@pytest.fixture(scope="module")
def results():
    return fi.sweep(
        ["zeros", "kaiming_normal"],
        ["relu", "tanh"],
        2,
        8,
        seeds=2,
        steps=2,
        batch=8,
        classes=3,
        progress=False,
    )


@pytest.mark.parametrize("how", sorted(COPIERS))
def test_results_roundtrip_equals(results, how) -> None:
    other = COPIERS[how](results)
    assert len(other) == len(results) == 8
    assert _equal_nan(other.records, results.records)
    assert _equal_nan(other.layers, results.layers)
    assert _equal_nan(other.train_loss, results.train_loss)
    assert other.verdicts() == results.verdicts()


@pytest.mark.parametrize("how", sorted(COPIERS))
def test_diagnosis_roundtrip_equals(how) -> None:
    net = fi.MLP([4, 8, 8, 3], activation="tanh", output="softmax", generator=fi.Generator(0))
    X, y = _data()
    d = fi.diagnose(net, X, y)
    e = COPIERS[how](d)
    assert type(e) is fi.Diagnosis
    assert _equal_nan(e.to_dict(), d.to_dict())
    assert e.activations == d.activations and e.explain() == d.explain()


@pytest.mark.parametrize("how", sorted(COPIERS))
def test_history_roundtrip_equals(how) -> None:
    net = fi.MLP([4, 8, 3], output="softmax", generator=fi.Generator(0))
    X, y = _data()
    h = net.fit(X, y, epochs=2, batch_size=5, generator=fi.Generator(0))
    k = COPIERS[how](h)
    assert type(k) is fi.History
    for f in dataclasses.fields(h):
        assert _equal_nan(getattr(k, f.name), getattr(h, f.name)), f.name


# ---- Generator


@pytest.mark.parametrize("how", sorted(COPIERS))
def test_generator_roundtrip_continues_identically(how) -> None:
    g = fi.Generator(123, stream=4)
    fi.init.normal_(np.zeros(1000, np.float32), generator=g)
    g.spawn(3)
    h = COPIERS[how](g)
    assert h is not g
    assert (h.seed, h.stream, h.offset, h.spawned) == (g.seed, g.stream, g.offset, g.spawned)
    a = fi.init.normal_(np.zeros(257, np.float64), generator=g)
    b = fi.init.normal_(np.zeros(257, np.float64), generator=h)
    np.testing.assert_array_equal(a, b)
    ka, kb = g.spawn(2), h.spawn(2)
    for x, y in zip(ka, kb, strict=True):
        assert (x.seed, x.stream, x.offset) == (y.seed, y.stream, y.offset)
    # independent state
    fi.init.normal_(np.zeros(10, np.float32), generator=h)
    assert h.offset != g.offset


def test_default_generator_pickles_as_a_value() -> None:
    g = fi.default_generator()
    h = _pickle(g, pickle.HIGHEST_PROTOCOL)
    assert (h.seed, h.stream, h.offset) == (g.seed, g.stream, g.offset)


# ---- configuration classes


def _configs():
    c = fi._core
    oc = c.OptimConfig(
        kind="adamw",
        lr=3e-3,
        momentum=0.5,
        dampening=0.0,
        weight_decay=0.02,
        nesterov=True,
        beta1=0.8,
        beta2=0.95,
        eps=1e-6,
    )
    cc = c.ClipConfig(mode="norm", threshold=1.5, norm_type=math.inf)
    sc = c.SchemeConfig("sigma", std=0.3, sigma_w=1.7, sigma_b=0.2)
    return {
        "OptimConfig": (
            oc,
            [
                "kind",
                "lr",
                "momentum",
                "dampening",
                "weight_decay",
                "nesterov",
                "beta1",
                "beta2",
                "eps",
            ],
        ),
        "ClipConfig": (cc, ["mode", "threshold", "norm_type"]),
        "FitConfig": (
            c.FitConfig(
                epochs=7, batch_size=3, shuffle=False, optim=oc, clip=cc, callback_every=11
            ),
            [
                "epochs",
                "batch_size",
                "shuffle",
                "callback_every",
                "optim.kind",
                "optim.lr",
                "optim.beta2",
                "clip.mode",
                "clip.threshold",
                "clip.norm_type",
            ],
        ),
        "SchemeConfig": (sc, ["scheme", "std", "sigma_w", "sigma_b"]),
        "ExperimentConfig": (
            c.ExperimentConfig(
                init=sc,
                activation=("elu", {"alpha": 0.5}),
                depth=3,
                width=9,
                classes=4,
                batch=5,
                steps=2,
                optim=oc,
                clip=cc,
            ),
            [
                "init.scheme",
                "init.sigma_w",
                "activation",
                "depth",
                "width",
                "classes",
                "batch",
                "steps",
                "optim.kind",
                "optim.eps",
                "clip.mode",
                "clip.threshold",
            ],
        ),
    }


def _get(obj, dotted):
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


@pytest.mark.parametrize("how", sorted(COPIERS))
@pytest.mark.parametrize("name", sorted(_configs()))
def test_config_roundtrip_exact(name, how) -> None:
    obj, fields = _configs()[name]
    other = COPIERS[how](obj)
    assert type(other) is type(obj)
    for f in fields:
        assert _get(other, f) == _get(obj, f), f"{name}.{f}"


def test_experiment_config_roundtrip_runs_identically() -> None:
    obj, _ = _configs()["ExperimentConfig"]
    other = _pickle(obj, 2)
    a = fi._core.run_experiments([obj], [fi.Generator(1)], np.dtype(np.float64), 1)
    b = fi._core.run_experiments([other], [fi.Generator(1)], np.dtype(np.float64), 1)
    assert _equal_nan(dict(a[0]), dict(b[0]))


# ---- sweep results from processes


@pytest.mark.slow
def test_pickled_sweep_result_equals_original_through_processes() -> None:
    from concurrent.futures import ProcessPoolExecutor

    kw = dict(
        init=["kaiming_normal", "orthogonal"],
        activation="tanh",
        depth=2,
        width=8,
        seeds=2,
        steps=1,
        batch=8,
        classes=3,
        progress=False,
        chunk_size=1,
    )
    local = fi.sweep(**kw)
    with ProcessPoolExecutor(2) as ex:
        remote = fi.sweep(executor=ex, **kw)
    assert _equal_nan(remote.records, local.records)
    assert _equal_nan(_pickle(remote, 0).layers, local.layers)
