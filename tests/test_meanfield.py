"""Measured per-layer log-slopes of a deep, wide network against mean-field theory.

A 30-hidden-layer, width-512 network on Gaussian input (batch 256). `diagnose` fits the
per-layer log-slope of q = mean(z^2) over the hidden layers and of ||dL/dz|| from the output
back to the input (the upstream gradient is standard normal); `fastinit.theory` predicts both.

Tolerances come from the spread over seeds (measured with seeds 0-2 when the test was written):
ReLU's q slope varies by about +-0.02 between seeds (finite-width fluctuations compound
multiplicatively with depth), tanh's by less than 0.005; gradient slopes vary by less than
0.01. The tolerances are twice those spreads; a 10% error in sigma_w moves the ReLU q slope
by 2 log(1.1) = 0.19, far outside them.
"""

from __future__ import annotations

import math

import fastinit as fi
import pytest

WIDTH, DEPTH, BATCH = 512, 30, 256


def _diagnose(act: str, sigma_w: float, sigma_b: float, seed: int) -> fi.Diagnosis:
    net = fi.MLP(
        [WIDTH] * (DEPTH + 1) + [10],
        activation=act,
        output="softmax",
        init="normal",
        init_kwargs={"std": sigma_w / math.sqrt(WIDTH)},
        bias_init="normal" if sigma_b > 0 else "zeros",
        bias_init_kwargs={"std": sigma_b} if sigma_b > 0 else None,
        generator=fi.Generator(seed),
    )
    X = fi.init.normal((BATCH, WIDTH), generator=fi.Generator(100 + seed))
    return fi.diagnose(net, X, generator=fi.Generator(200 + seed))


CASES = [
    # activation, sigma_w, sigma_b, tol(q slope), tol(grad slope)
    pytest.param("relu", 1.0, 0.0, 0.04, 0.02, id="relu-sw1-shrinks-q-by-ln2"),
    pytest.param("relu", math.sqrt(2.0), 0.0, 0.04, 0.02, id="relu-critical"),
    pytest.param("tanh", 1.5, 0.0, 0.01, 0.02, id="tanh-chaotic"),
    pytest.param("tanh", None, 0.05, 0.01, 0.02, id="tanh-critical-sb0.05"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("act", "sigma_w", "sigma_b", "tol_q", "tol_g"), CASES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_measured_slopes_match_mean_field(
    act: str, sigma_w: float | None, sigma_b: float, tol_q: float, tol_g: float, seed: int
) -> None:
    if sigma_w is None:
        sigma_w = fi.theory.critical_sigma_w(act, sigma_b=sigma_b)
    d = _diagnose(act, sigma_w, sigma_b, seed)
    assert d.sigma_w == pytest.approx(sigma_w, rel=0.02)
    dq = abs(d.log_q_slope - d.predicted_log_q_slope)
    dg = abs(d.log_grad_z_slope - d.predicted_log_grad_z_slope)
    assert dq < tol_q, (
        f"q slope: measured {d.log_q_slope:.4f}, theory {d.predicted_log_q_slope:.4f}"
    )
    assert dg < tol_g, (
        f"grad slope: measured {d.log_grad_z_slope:.4f}, theory {d.predicted_log_grad_z_slope:.4f}"
    )


def test_relu_with_unit_sigma_w_halves_q_per_layer() -> None:
    d = _diagnose("relu", 1.0, 0.0, seed=0)
    # the prediction uses each layer's measured sigma_w,l: sigma_w,l^2 of a 512 x 512 Gaussian
    # matrix is 1 +- sqrt(2) / 512 (0.3 %), which moves the fitted slope by ~1e-3
    assert d.predicted_log_q_slope == pytest.approx(-math.log(2), abs=4e-3)
    assert d.log_q_slope == pytest.approx(-math.log(2), abs=0.04)
    # and the gradient norm halves its square per layer on the way back
    assert d.log_grad_z_slope == pytest.approx(-0.5 * math.log(2), abs=0.02)


def test_critical_tanh_keeps_the_gradient_flat() -> None:
    sw = fi.theory.critical_sigma_w("tanh", sigma_b=0.05)
    d = _diagnose("tanh", sw, 0.05, seed=0)
    assert abs(d.log_grad_z_slope) < 0.02
    assert d.verdict == "healthy"


def test_mixed_activations_are_predicted_layer_by_layer() -> None:
    # tanh then relu: each layer iterates its own activation's length map
    net = fi.MLP([256, 256, 256, 10], activation=["tanh", "relu"], generator=fi.Generator(0))
    X = fi.init.normal((256, 256), generator=fi.Generator(1))
    d = fi.diagnose(net, X)
    for row in d.layers[:-1]:  # (the 10 logits of ReLU features, which share a mean direction,
        assert row["predicted_q"] == pytest.approx(row["q"], rel=0.05), row  # vary by ~40 %)
    assert math.isfinite(d.predicted_log_q_slope)
