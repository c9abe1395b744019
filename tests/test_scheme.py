"""fastinit.init_network_: the one network recipe, against an independent assembly from the
per-tensor initializers, and the same scheme giving the same network in a sweep."""

from __future__ import annotations

import math
import pickle

import fastinit as fi
import numpy as np
import pytest
from fastinit import _core

SCHEMES = fi.schemes()


def _net(activation: str = "tanh", sizes=(6, 8, 8, 3), dtype=np.float64) -> fi.MLP:
    return fi.MLP(list(sizes), activation=activation, output="softmax", dtype=dtype, init="zeros")


def test_scheme_names_come_from_the_core() -> None:
    assert SCHEMES == list(_core.scheme_names())
    assert {"zeros", "normal", "kaiming_normal", "orthogonal", "lsuv", "sigma", "critical"} <= set(
        SCHEMES
    )


@pytest.mark.parametrize(
    "activation,nonlinearity,slope",
    [
        ("tanh", "tanh", 0.0),
        ("relu", "relu", 0.0),
        ("leaky_relu", "leaky_relu", 0.01),
        ("gelu", "relu", 0.0),
        ("identity", "linear", 0.0),
    ],
)
def test_kaiming_normal_uses_each_layers_gain(activation, nonlinearity, slope) -> None:
    """The recipe equals kaiming_normal_ with the activation's gain on W_1, W_2, ... in order."""
    net = _net(activation)
    fi.init_network_(net, "kaiming_normal", generator=fi.Generator(3))
    g = fi.Generator(3)
    for W, b in zip(net.weights, net.biases, strict=True):
        expected = fi.init.kaiming_normal_(
            np.empty_like(W), a=slope, nonlinearity=nonlinearity, generator=g
        )
        np.testing.assert_array_equal(W, expected)
        assert not b.any()


def test_orthogonal_uses_the_gain_and_lsuv_needs_data() -> None:
    net = _net("tanh")
    fi.init_network_(net, "orthogonal", generator=fi.Generator(1))
    g = fi.Generator(1)
    for W in net.weights:
        expected = fi.init.orthogonal_(np.empty_like(W), gain=5 / 3, generator=g)
        np.testing.assert_array_equal(W, expected)
    with pytest.raises(ValueError, match="lsuv.*needs data"):
        fi.init_network_(net, "lsuv")
    X = fi.init.normal((64, 6), dtype=np.float64, generator=fi.Generator(2))
    r = fi.init_network_(net, "lsuv", X=X, generator=fi.Generator(1))
    assert len(r["lsuv"]) == net.num_layers
    for l in range(net.num_layers - 1):  # the hidden pre-activations have unit variance
        net.forward(X)
        assert abs(float(np.var(net.cache("Z", l))) - 1.0) < 0.1


def test_sigma_draws_weights_then_bias_per_layer() -> None:
    net = _net("tanh")
    r = fi.init_network_(net, "sigma", sigma_w=1.5, sigma_b=0.2, generator=fi.Generator(5))
    assert r["sigma_w"] == 1.5
    g = fi.Generator(5)
    for W, b in zip(net.weights, net.biases, strict=True):
        eW = fi.init.normal_(np.empty_like(W), 0.0, 1.5 / math.sqrt(W.shape[1]), generator=g)
        eb = fi.init.normal_(np.empty_like(b), 0.0, 0.2, generator=g)
        np.testing.assert_array_equal(W, eW)
        np.testing.assert_array_equal(b, eb)


def test_critical_resolves_the_edge_of_chaos() -> None:
    net = _net("tanh")
    r = fi.init_network_(net, "critical", sigma_b=0.05, generator=fi.Generator(0))
    assert r["sigma_w"] == fi.theory.critical_sigma_w("tanh", sigma_b=0.05)
    net2 = _net("tanh")
    fi.init_network_(net2, "sigma", sigma_w=r["sigma_w"], sigma_b=0.05, generator=fi.Generator(0))
    for a, b in zip(net.parameters(), net2.parameters(), strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("scheme", ["kaiming_normal", "orthogonal", "sigma", "xavier_uniform"])
def test_a_sweep_and_the_recipe_build_the_same_network(scheme) -> None:
    """An experiment draws X (batch x width, float64: 2 values a block), then the labels (2 a
    block), then the weights by init_network_: the same generator state gives the same weights."""
    batch, width, depth = 16, 8, 3
    kw = {"sigma_w": [1.3], "sigma_b": [0.1]} if scheme == "sigma" else {}
    r = fi.sweep(
        init=[] if scheme == "sigma" else [scheme],
        activation=["tanh"],
        depth=[depth],
        width=[width],
        seeds=1,
        batch=batch,
        classes=4,
        dtype=np.float64,
        progress=False,
        **kw,
    )
    g = fi.Generator(0).spawn(1)[0]
    g.offset += (batch * width + 1) // 2 + (batch + 1) // 2
    net = fi.MLP(
        [width] * (depth + 1) + [4],
        activation="tanh",
        output="softmax",
        dtype=np.float64,
        init="zeros",
    )
    fi.init_network_(net, scheme, generator=g, sigma_w=1.3, sigma_b=0.1)
    measured = [row["w_norm"] for row in r.layers]
    assert measured == pytest.approx([float(np.linalg.norm(W)) for W in net.weights], rel=1e-12)


@pytest.mark.parametrize(
    "call,exc,match",
    [
        (lambda n: fi.init_network_(n, "kaiming"), ValueError, "unknown init scheme 'kaiming'"),
        (lambda n: fi.init_network_(n, 3), TypeError, "scheme"),
        (lambda n: fi.init_network_(n, "normal", std=-1.0), ValueError, "std"),
        (lambda n: fi.init_network_(n, "normal", std="1"), TypeError, "std"),
        (lambda n: fi.init_network_(n, "normal", generator=0), TypeError, "generator"),
        (lambda n: fi.init_network_(object(), "normal"), TypeError, "net"),
    ],
    ids=["unknown", "not_a_name", "negative_std", "str_std", "bad_generator", "not_a_net"],
)
def test_bad_arguments(call, exc, match) -> None:
    with pytest.raises(exc, match=match):
        call(_net())


def test_configurations_pickle_and_compare_by_value() -> None:
    c = _core.ExperimentConfig(
        init=_core.SchemeConfig("sigma", sigma_w=2.0, sigma_b=0.1),
        activation=("leaky_relu", {"negative_slope": 0.2}),
        optim=_core.OptimConfig(kind="adam", lr=1e-3),
        clip=_core.ClipConfig(mode="norm", threshold=1.0),
        depth=3,
        width=8,
    )
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        assert pickle.loads(pickle.dumps(c, protocol)) == c
    assert c.activation == ("leaky_relu", {"negative_slope": 0.2})
    assert c.init.scheme == "sigma" and c.optim.kind == "adam" and c.clip.mode == "norm"
    with pytest.raises(ValueError, match="unknown optimizer 'adagrad'; valid: 'sgd', 'adam'"):
        _core.OptimConfig(kind="adagrad")
    with pytest.raises(ValueError, match="unknown clip mode"):
        _core.ClipConfig(mode="global")
