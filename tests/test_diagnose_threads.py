"""fastinit.diagnose: the whole diagnosis is bit-identical for any thread count, and the fused
per-layer statistics (one pass over Z, A, dZ, dA; one over W and dW) match NumPy on the caches
for every kind of layer (relu, tanh, sigmoid hidden layers and the output layer)."""

from __future__ import annotations

import math
from typing import Any

import fastinit as fi
import numpy as np
import pytest


def _bits(v: Any) -> Any:
    """A value with every float replaced by its bytes (NaN-safe, -0.0 != 0.0)."""
    if isinstance(v, float):
        return np.float64(v).tobytes()
    if isinstance(v, np.ndarray):
        return (v.dtype.str, v.shape, v.tobytes())
    if isinstance(v, (list, tuple)):
        return [_bits(x) for x in v]
    if isinstance(v, dict):
        return {k: _bits(x) for k, x in v.items()}
    return v


def _all_fields(d: fi.Diagnosis) -> Any:
    return _bits({k: getattr(d, k) for k in d.__dataclass_fields__})


def _mixed(dtype: str, seed: int = 0) -> fi.MLP:
    return fi.MLP(
        [20, 40, 40, 40, 40, 6],
        activation=["sigmoid", "relu", "tanh", "leaky_relu"],
        output="softmax",
        dtype=dtype,
        generator=fi.Generator(seed),
    )


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("targets", [False, True])
def test_whole_diagnosis_is_bit_identical_for_any_thread_count(dtype: str, targets: bool) -> None:
    net = _mixed(dtype)
    X = fi.init.normal((31, 20), generator=fi.Generator(1)).astype(dtype)
    y = np.arange(31) % 6 if targets else None
    before = fi.get_num_threads()
    runs = []
    try:
        for n in (1, 2, 3):
            fi.set_num_threads(n)
            runs.append(_all_fields(fi.diagnose(net, X, y, generator=fi.Generator(7))))
    finally:
        fi.set_num_threads(before)
    assert runs[0]["layers"][0]["q"] != runs[0]["layers"][1]["q"]  # a real table
    for r in runs[1:]:
        assert r == runs[0]


def test_fused_statistics_match_numpy_on_every_kind_of_layer() -> None:
    net = _mixed("float64", seed=3)
    for b in net.biases:
        b[...] = 0.3  # some sigmoid units saturate, some relu units stay alive
    net.weights[0][...] *= 6.0  # the sigmoid layer saturates in part
    X = fi.init.normal((26, 20), generator=fi.Generator(2), dtype=np.float64)
    y = np.arange(26) % 6
    d = fi.diagnose(net, X, y)
    _, grads = net.loss_and_grad(X, y)
    rel = 1e-12  # float64 caches: sums in double, only the summation order differs
    sat = {
        "sigmoid": lambda A: np.mean((A < 0.01) | (A > 0.99)),
        "tanh": lambda A: np.mean(np.abs(A) > 0.99),
    }
    seen_saturated = False
    for l, row in enumerate(d.layers):
        Z, dZ = net.cache("Z", l), net.cache("dZ", l)
        assert row["z_mean"] == pytest.approx(Z.mean(), rel=rel, abs=1e-15)
        assert row["q"] == pytest.approx(np.mean(Z * Z), rel=rel)
        assert row["z_std"] == pytest.approx(Z.std(), rel=1e-9)
        assert row["grad_z_norm"] == pytest.approx(np.linalg.norm(dZ), rel=rel)
        assert row["grad_w_norm"] == pytest.approx(np.linalg.norm(grads.weights[l]), rel=rel)
        assert row["w_norm"] == pytest.approx(np.linalg.norm(net.weights[l]), rel=rel)
        assert row["grad_b_norm"] == pytest.approx(np.linalg.norm(grads.biases[l]), rel=rel)
        assert row["grad_w_ratio"] == pytest.approx(
            np.linalg.norm(grads.weights[l]) / np.linalg.norm(net.weights[l]), rel=rel
        )
        if l == net.num_layers - 1:  # the output layer: "activation" statistics of the logits
            assert row["a_std"] == row["z_std"] and row["a_mean"] == row["z_mean"]
            assert math.isnan(row["grad_a_norm"])
            continue
        A, dA = net.cache("A", l), net.cache("dA", l)
        act = net.activations[l]
        assert row["a_mean"] == pytest.approx(A.mean(), rel=rel)
        assert row["a_std"] == pytest.approx(A.std(), rel=1e-9)
        assert row["grad_a_norm"] == pytest.approx(np.linalg.norm(dA), rel=rel)
        expected_sat = sat[act](A) if act in sat else 0.0
        assert row["saturated_frac"] == expected_sat
        seen_saturated |= expected_sat > 0
        dead = np.mean(np.all(A == 0, axis=0)) if act == "relu" else 0.0
        assert row["dead_frac"] == dead
    assert seen_saturated  # the saturation counts were exercised
