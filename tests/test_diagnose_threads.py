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


def _mean_abs_cos(W: np.ndarray, rows: int = 32) -> float:
    """Mean |cos| between distinct rows among the first ``rows``; zero rows count as 0."""
    R = np.asarray(W[:rows], dtype=np.float64)
    norms = np.linalg.norm(R, axis=1)
    if norms.max() == 0:
        return 1.0
    U = np.divide(R, norms[:, None], out=np.zeros_like(R), where=norms[:, None] > 0)
    G = np.abs(U @ U.T)
    n = len(R)
    return float((G.sum() - np.trace(G)) / (n * (n - 1)))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_row_similarity_matches_numpy(dtype: str) -> None:
    # widths above and below the 32 rows compared; a dead (zero) row and two copies in W_2
    net = fi.MLP(
        [12, 48, 20, 5], activation="relu", output="softmax", dtype=dtype, generator=fi.Generator(4)
    )
    net.weights[1][3] = 0.0
    net.weights[1][7] = net.weights[1][5]
    X = fi.init.normal((40, 12), generator=fi.Generator(5)).astype(dtype)
    y = np.arange(40) % 5
    d = fi.diagnose(net, X, y)
    _, grads = net.loss_and_grad(X, y)
    tol = 1e-6 if dtype == "float32" else 1e-13  # cosines in the weights' precision
    for l, row in enumerate(d.layers):
        assert row["w_row_similarity"] == pytest.approx(_mean_abs_cos(net.weights[l]), abs=tol)
        assert row["grad_w_row_similarity"] == pytest.approx(
            _mean_abs_cos(grads.weights[l]), abs=tol
        )
    # independent rows of width 48: far from the 0.999 of copies
    assert 0.05 < d.layers[1]["w_row_similarity"] < 0.3


def test_copied_rows_are_symmetric_and_the_first_32_rows_decide() -> None:
    net = fi.MLP([8, 64, 64, 3], activation="tanh", output="softmax", generator=fi.Generator(6))
    W = net.weights[1]
    W[:32] = W[0]  # the rows compared are copies; the rest differ
    X = fi.init.normal((16, 8), generator=fi.Generator(7))
    d = fi.diagnose(net, X, np.arange(16) % 3)
    assert d.layers[1]["w_row_similarity"] == pytest.approx(1.0, abs=1e-6)
    assert d.verdict == "symmetric"
