"""fastinit.theory.jacobian_moments against a NumPy Monte Carlo and exact special cases.

The Monte Carlo builds the network h^l = W_l x^{l-1} + b_l, x^l = phi(h^l) at width 512 with its
input scaled so that h^1 has second moment q*, multiplies out J = D_L W_L ... D_1 W_1 and takes
the moments of the eigenvalues of J J^T from traces: mean = ||J||_F^2 / N and
E[lambda^2] = ||J J^T||_F^2 / N. Its noise (a few samples) and the finite width leave a few
percent on the mean and up to ~15% on the variance (measured: tanh within 5%, relu within 20%
at depth 4-8 with 3 samples), so those are the tolerances; the comparison that matters is that
Gaussian weights add about depth * mean^2 to the variance and orthogonal ones do not.
"""

from __future__ import annotations

import math
import subprocess
import sys
import textwrap

import fastinit as fi
import numpy as np
import pytest

T = fi.theory
N = 512


def _orthogonal(rng: np.random.Generator, n: int) -> np.ndarray:
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def _monte_carlo(phi, dphi, sw, sb, depth, weights, q1, samples, seed):
    rng = np.random.default_rng(seed)
    means, variances = [], []
    for _ in range(samples):
        x = rng.standard_normal(N)
        x *= math.sqrt((q1 - sb * sb) / (sw * sw) / np.mean(x * x))  # h^1 has second moment q1
        J = np.eye(N)
        for _l in range(depth):
            if weights == "orthogonal":
                W = sw * _orthogonal(rng, N)
            else:
                W = rng.standard_normal((N, N)) * (sw / math.sqrt(N))
            h = W @ x + sb * rng.standard_normal(N)
            J = (dphi(h)[:, None] * W) @ J
            x = phi(h)
        m1 = np.sum(J * J) / N
        JJ = J @ J.T
        means.append(m1)
        variances.append(np.sum(JJ * JJ) / N - m1 * m1)
    return float(np.mean(means)), float(np.mean(variances))


_TANH = (np.tanh, lambda h: 1.0 - np.tanh(h) ** 2)
_RELU = (lambda h: np.maximum(h, 0.0), lambda h: (h > 0).astype(np.float64))


@pytest.mark.slow
@pytest.mark.parametrize("weights", ["orthogonal", "gaussian"])
@pytest.mark.parametrize(
    ("name", "depth", "rtol_mean", "rtol_var"),
    [("tanh", 6, 0.05, 0.12), ("relu", 4, 0.08, 0.25)],
)
def test_against_monte_carlo_at_width_512(name, depth, rtol_mean, rtol_var, weights) -> None:
    if name == "tanh":
        sb = 0.05
        sw = T.critical_sigma_w("tanh", sb)  # the edge of chaos: mean 1
        phi, dphi = _TANH
    else:
        sw, sb = math.sqrt(2.0), 0.0
        phi, dphi = _RELU
    q1 = T.q_star(name, sw, sb)
    th = T.jacobian_moments(name, sw, sb, depth, weights=weights)
    m, v = _monte_carlo(phi, dphi, sw, sb, depth, weights, q1, samples=3, seed=depth)
    print(f"{name} {weights} L={depth}: MC mean {m:.4f} var {v:.4f}, theory {th}")
    assert th["mean"] == pytest.approx(1.0, rel=1e-9)
    assert m == pytest.approx(th["mean"], rel=rtol_mean)
    assert v == pytest.approx(th["variance"], rel=rtol_var)


def test_orthogonal_removes_the_gaussian_variance() -> None:
    # tanh at criticality: mu2/mu1^2 is close to 1 (q* small), so orthogonal weights keep the
    # spectrum narrow while Gaussian ones add depth * mean^2
    sb = 0.05
    sw = T.critical_sigma_w("tanh", sb)
    for depth in (4, 16, 64):
        o = T.jacobian_moments("tanh", sw, sb, depth, weights="orthogonal")
        g = T.jacobian_moments("tanh", sw, sb, depth, weights="gaussian")
        assert o["mean"] == pytest.approx(g["mean"], rel=1e-15)
        assert g["variance"] - o["variance"] == pytest.approx(depth * o["mean"] ** 2, rel=1e-12)
        assert o["variance"] < 0.1 * g["variance"]


def test_exact_cases() -> None:
    # linear networks: orthogonal J is sigma_w^L times an orthogonal matrix (variance 0); a
    # product of L square Ginibre matrices has m2 = (L + 1) m1^2
    for depth in (1, 3, 10):
        o = T.jacobian_moments("identity", 1.3, 0.2, depth, weights="orthogonal")
        g = T.jacobian_moments("identity", 1.3, 0.2, depth, weights="gaussian")
        assert o["mean"] == pytest.approx(1.3 ** (2 * depth), rel=1e-13)
        assert o["variance"] == 0.0
        assert g["variance"] == pytest.approx(depth * 1.3 ** (4 * depth), rel=1e-13)
    # relu: mu1 = mu2 = 1/2, so mu2 / mu1^2 = 2 for any q
    r = T.jacobian_moments("relu", 1.7, 0.0, 5, weights="orthogonal")
    assert r["mean"] == pytest.approx((1.7**2 / 2) ** 5, rel=1e-13)
    assert r["variance"] == pytest.approx(5 * r["mean"] ** 2, rel=1e-13)
    assert T.jacobian_moments("tanh", 1.0, 0.1, 0) == {"mean": 1.0, "variance": 0.0}
    # the mean is chi1^L at q*
    for name, sw, sb in (("tanh", 1.4, 0.3), ("erf", 0.9, 0.2), ("hardtanh", 1.2, 0.1)):
        chi1 = T.chi1(name, sw, sb)
        assert T.jacobian_moments(name, sw, sb, 7)["mean"] == pytest.approx(chi1**7, rel=1e-12)


def test_erf_against_closed_form_moments() -> None:
    # erf'(x) = 2/sqrt(pi) exp(-x^2): E[erf'(sqrt(q) z)^2] = (4/pi) / sqrt(1 + 4q) and
    # E[erf'^4] = (16/pi^2) / sqrt(1 + 8q)
    sw, sb, depth = 1.1, 0.25, 9
    q = T.q_star("erf", sw, sb)
    mu1 = 4 / math.pi / math.sqrt(1 + 4 * q)
    mu2 = 16 / math.pi**2 / math.sqrt(1 + 8 * q)
    m1 = (sw * sw * mu1) ** depth
    for weights, s1 in (("orthogonal", 0.0), ("gaussian", -1.0)):
        r = T.jacobian_moments("erf", sw, sb, depth, weights=weights)
        assert r["mean"] == pytest.approx(m1, rel=1e-12)
        assert r["variance"] == pytest.approx(m1 * m1 * depth * (mu2 / mu1**2 - 1 - s1), rel=1e-11)


def test_input_off_the_fixed_point_iterates_the_layers() -> None:
    # q0: the first layer's second moment; then q_{l+1} = F(q_l). With erf everything is in
    # closed form: F(q) = sigma_w^2 (2/pi) arcsin(2q / (1 + 2q)) + sigma_b^2.
    sw, sb, depth, q0 = 1.3, 0.1, 6, 3.0
    qs, log_m1, spread = q0, 0.0, 0.0
    for _ in range(depth):
        mu1 = 4 / math.pi / math.sqrt(1 + 4 * qs)
        mu2 = 16 / math.pi**2 / math.sqrt(1 + 8 * qs)
        log_m1 += math.log(sw * sw * mu1)
        spread += mu2 / mu1**2 - 1
        qs = sw * sw * 2 / math.pi * math.asin(2 * qs / (1 + 2 * qs)) + sb * sb
    r = T.jacobian_moments("erf", sw, sb, depth, weights="orthogonal", q0=q0)
    assert r["mean"] == pytest.approx(math.exp(log_m1), rel=1e-12)
    assert r["variance"] == pytest.approx(math.exp(2 * log_m1) * spread, rel=1e-11)
    # starting at q* is the default
    at = T.jacobian_moments("erf", sw, sb, depth, q0=T.q_star("erf", sw, sb))
    assert at["mean"] == pytest.approx(T.jacobian_moments("erf", sw, sb, depth)["mean"], rel=1e-13)
    # a deep network converges to q*: the per-layer factor tends to chi1
    deep = T.jacobian_moments("erf", sw, sb, 400, q0=q0)["mean"]
    deeper = T.jacobian_moments("erf", sw, sb, 401, q0=q0)["mean"]
    assert deeper / deep == pytest.approx(T.chi1("erf", sw, sb), rel=1e-12)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="orthogonal.*gaussian"):
        T.jacobian_moments("tanh", 1.0, 0.0, 3, weights="uniform")
    with pytest.raises(ValueError, match="depth"):
        T.jacobian_moments("tanh", 1.0, 0.0, -1)
    with pytest.raises(TypeError, match="depth"):
        T.jacobian_moments("tanh", 1.0, 0.0, 2.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="q0"):
        T.jacobian_moments("tanh", 1.0, 0.0, 3, q0=-1.0)
    with pytest.raises(ValueError, match="sigma_w"):
        T.jacobian_moments("tanh", -1.0, 0.0, 3)


def test_ctrl_c_stops_a_long_layer_by_layer_call() -> None:
    # tanh at sigma_w = 1 without bias: q_l creeps to 0 and never repeats, so 10^9 layers would
    # take hours; SIGINT must stop it within half a second
    code = textwrap.dedent(
        """
        import os, signal, threading, time
        import fastinit as fi
        threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
        t = time.monotonic()
        try:
            fi.theory.jacobian_moments("tanh", 1.0, 0.0, 10**9, q0=1.0)
            print("finished")
        except KeyboardInterrupt:
            print(f"interrupted {time.monotonic() - t - 0.3:.3f}")
        print(fi.theory.jacobian_moments("tanh", 1.0, 0.0, 3)["mean"])
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    ).stdout.split()
    assert out[0] == "interrupted", out
    assert float(out[1]) < 0.5
    assert float(out[2]) == pytest.approx(1.0, rel=1e-12)
