"""fastinit.theory (mean-field signal propagation) against an independent SciPy computation.

What is compared, and how
-------------------------
* Reference expectations E[g(z)], z ~ N(0, 1), are ``scipy.integrate.quad`` (adaptive
  Gauss-Kronrod) over the Gaussian density on [-14, 14] (the mass outside is < 1e-43), split at
  the activation's kink z = 0 and at the softplus threshold, with ``epsrel = 1e-12``; the
  activations are the independent NumPy oracle's (tests/reference.py). fastinit uses a different
  rule (fixed composite Gauss-Legendre in C++), so agreement tests both.
* Tolerance ``RTOL = 1e-10`` relative for every activation, smooth or not: the split at the kink
  makes each half-line integrand smooth, so both sides are accurate to ~1e-13 (measured worst
  difference over this grid: a few 1e-14), and 1e-10 still leaves the brief's 1e-8 with margin.
* Fixed points: the reference q* is ``scipy.optimize.brentq`` on the reference length map, so
  q*, chi1 and the depth scales are checked end to end, not only the integrals.
* The per-layer predictions are also checked against a Monte Carlo network in NumPy (seeded,
  width 500) to confirm the conventions (q_1 = sigma_w^2 q0 + sigma_b^2; ||dL/dz|| shrinks by
  sqrt(chi) per layer backwards) to the few-percent accuracy finite width allows.
"""

from __future__ import annotations

import math
import sys
import threading
import time
from pathlib import Path

import fastinit as fi
import numpy as np
import pytest
from fastinit import theory as T
from scipy import integrate, optimize

sys.path.insert(0, str(Path(__file__).parent))
import reference as ref  # noqa: E402

RTOL = 1e-10
ZMAX = 14.0

ALL = list(ref.ACTIVATIONS)
# (name, activation parameters): every activation with PyTorch's defaults, plus non-defaults.
SPECS = [(a, {}) for a in ALL] + [
    ("leaky_relu", {"negative_slope": 0.2}),
    ("elu", {"alpha": 0.5}),
    ("softplus", {"beta": 2.0, "threshold": 5.0}),  # the threshold x = 2.5 falls inside the range
]
POINTS = [(0.3, 1.0, 0.0), (1.0, 1.5, 0.05), (4.0, 0.8, 0.5)]  # (q, sigma_w, sigma_b)


def _ids(spec: tuple[str, dict[str, float]]) -> str:
    name, p = spec
    return name + "".join(f"-{k}={v}" for k, v in p.items())


# ---------------------------------------------------------------------------------------------
# The independent reference
# ---------------------------------------------------------------------------------------------


def _phi(name: str, p: dict[str, float], x: float) -> float:
    return float(ref.activation_forward((name, p), np.array([x]))[0])


def _dphi(name: str, p: dict[str, float], x: float) -> float:
    return float(ref.activation_derivative((name, p), np.array([x]))[0])


def _expect(g, name: str, p: dict[str, float], q: float) -> float:
    """E[g(z)] for z ~ N(0, 1) by quad, split at 0 and at the softplus threshold."""
    edges = {-ZMAX, 0.0, ZMAX}
    if name == "softplus" and q > 0:
        zt = p.get("threshold", 20.0) / p.get("beta", 1.0) / math.sqrt(q)
        if abs(zt) < ZMAX:
            edges.add(zt)
    e = sorted(edges)
    dens = 1.0 / math.sqrt(2 * math.pi)
    total = 0.0
    for a, b in zip(e[:-1], e[1:], strict=True):
        val, _ = integrate.quad(
            lambda z: g(z) * dens * math.exp(-0.5 * z * z),
            a,
            b,
            epsabs=1e-15,
            epsrel=1e-12,
            limit=200,
        )
        total += val
    return total


def ref_V(name, p, q):
    return _expect(lambda z: _phi(name, p, math.sqrt(q) * z) ** 2, name, p, q)


def ref_D(name, p, q):
    return _expect(lambda z: _dphi(name, p, math.sqrt(q) * z) ** 2, name, p, q)


def ref_dV(name, p, q):  # dV/dq = E[z phi phi'] / sqrt(q)
    s = math.sqrt(q)
    return _expect(lambda z: z * _phi(name, p, s * z) * _dphi(name, p, s * z), name, p, q) / s


def ref_q_star(name, p, sw, sb):
    """q* by brentq on the reference length map (for cases with a finite, nonzero q*)."""

    def G(q):
        return sw * sw * ref_V(name, p, q) + sb * sb - q

    a, b = 1.0, 1.0
    if G(1.0) > 0:
        while G(b) > 0:
            a, b = b, 2 * b
    else:
        while G(a) < 0:
            a, b = a / 2, a
    return optimize.brentq(G, a, b, xtol=1e-15, rtol=1e-14)


# ---------------------------------------------------------------------------------------------
# Expectations against SciPy, every activation
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", SPECS, ids=_ids)
def test_maps_match_scipy_quadrature(spec) -> None:
    name, p = spec
    for q, sw, sb in POINTS:
        expected = sw * sw * ref_V(name, p, q) + sb * sb
        assert T.q_map(name, q, sw, sb, **p) == pytest.approx(expected, rel=RTOL)
        assert T.chi(name, q, sw, **p) == pytest.approx(sw * sw * ref_D(name, p, q), rel=RTOL)
        expected = sw * sw * ref_dV(name, p, q)
        assert T.q_map_slope(name, q, sw, **p) == pytest.approx(expected, rel=RTOL)


@pytest.mark.parametrize("name", ["tanh", "elu", "gelu", "softplus", "sigmoid", "softsign"])
def test_q_map_slope_is_the_derivative(name: str) -> None:
    # central differences of fastinit's own length map: truncation ~h^2, rounding ~1e-16/h
    for q in (0.2, 1.0, 5.0):
        h = 1e-5 * q
        fd = (T.q_map(name, q + h, 1.3, 0.1) - T.q_map(name, q - h, 1.3, 0.1)) / (2 * h)
        assert T.q_map_slope(name, q, 1.3) == pytest.approx(fd, rel=1e-8)


def test_q_map_slope_at_zero_is_the_limit() -> None:
    # phi(0) = 0: V'(0+) = E[phi'(0±)^2] (elu's one-sided derivatives 1 and alpha average)
    assert T.q_map_slope("tanh", 0.0, 1.0) == pytest.approx(1.0, rel=1e-14)
    assert T.q_map_slope("elu", 0.0, 1.0, alpha=0.5) == pytest.approx((1 + 0.25) / 2, rel=1e-14)
    # phi(0) != 0: V'(0) = phi'(0)^2 + phi(0) phi''(0): sigmoid 1/16, softplus 1/4 + log(2)/4
    assert T.q_map_slope("sigmoid", 0.0, 1.0) == pytest.approx(1 / 16, rel=1e-9)
    assert T.q_map_slope("softplus", 0.0, 1.0) == pytest.approx(0.25 + math.log(2) / 4, rel=1e-9)
    assert T.q_map_slope("sigmoid", 1e-12, 1.0) == pytest.approx(1 / 16, rel=1e-6)


def test_wide_range_of_q_is_accurate() -> None:
    # large q: tanh(sqrt(q) z) is nearly a step; the closed form for large q of
    # E[sigmoid(sqrt(q) z)^2] = 1/2 - E[sigmoid'(sqrt(q) z)] ~ 1/2 - (1 - pi^2/(6q)) / sqrt(2 pi q)
    q = 1e8
    expected = 0.5 - (1 - math.pi**2 / (6 * q)) / math.sqrt(2 * math.pi * q)
    assert T.q_map("sigmoid", q, 1.0, 0.0) == pytest.approx(expected, rel=1e-13)
    # tiny q: E[tanh(sqrt(q) z)^2] = q - 2 q^2 + O(q^3)
    q = 1e-6
    assert T.q_map("tanh", q, 1.0, 0.0) == pytest.approx(q - 2 * q * q, rel=1e-11)
    # q = 0: the map is phi(0)^2 sigma_w^2 + sigma_b^2
    assert T.q_map("sigmoid", 0.0, 2.0, 0.5) == pytest.approx(4 * 0.25 + 0.25, rel=1e-15)
    assert T.q_map("tanh", 0.0, 2.0, 0.0) == 0.0
    # E[relu'(sqrt(q) z)^2] = 1/2 for any q; elu at large q tends to relu's 1/2
    assert T.chi("relu", 1e12, 1.0) == 0.5
    assert T.chi("elu", float("inf"), 1.0) == 0.5
    for name in ("tanh", "gelu", "softsign"):
        assert T.q_map(name, 100.0, 1.0, 0.0) == pytest.approx(ref_V(name, {}, 100.0), rel=1e-9)


# ---------------------------------------------------------------------------------------------
# Anchors
# ---------------------------------------------------------------------------------------------


def test_relu_halves_q_at_unit_sigma_w() -> None:
    for q in (1e-3, 1.0, 3.0, 1e6):
        assert T.q_map("relu", q, 1.0, 0.0) == q / 2  # exactly
    pred = T.predicted_log_slopes("relu", 1.0, 0.0, q0=2.0, depth=20)
    assert pred["q"][0] == 2.0
    np.testing.assert_array_equal(pred["q"][1:] / pred["q"][:-1], 0.5)
    np.testing.assert_allclose(pred["log_q_slope"], math.log(0.5), rtol=1e-15)
    np.testing.assert_allclose(pred["chi"], 0.5, rtol=1e-15)
    fp = T.fixed_point("relu", 1.0, 0.0)
    assert fp["q_star"] == 0.0 and fp["kind"] == "zero"


def test_relu_is_critical_at_sigma_w_squared_2() -> None:
    assert T.critical_sigma_w("relu") == pytest.approx(math.sqrt(2), rel=1e-15)
    assert T.critical_sigma_w("relu", sigma_b=0.7) == pytest.approx(math.sqrt(2), rel=1e-15)
    d = T.depth_scales("relu", math.sqrt(2), 0.0)
    assert d["chi1"] == pytest.approx(1.0, rel=1e-15)
    assert d["phase"] == "critical" and d["xi_c"] == math.inf and d["xi_q"] == math.inf
    assert d["q_star"] == 1.0  # every q is a fixed point: q* = q0
    assert T.q_star("relu", math.sqrt(2), 0.0, q0=3.5) == 3.5
    # leaky_relu: sigma_w^2 (1 + a^2) / 2 = 1
    assert T.critical_sigma_w("leaky_relu", negative_slope=0.2) == pytest.approx(
        math.sqrt(2 / 1.04), rel=1e-15
    )


def test_tanh_is_critical_at_unit_sigma_w_without_bias() -> None:
    assert T.critical_sigma_w("tanh", sigma_b=0.0) == pytest.approx(1.0, abs=1e-7)
    d = T.depth_scales("tanh", 1.0, 0.0)
    assert d["q_star"] == 0.0 and d["kind"] == "zero"
    assert d["chi1"] == pytest.approx(1.0, rel=1e-14) and d["phase"] == "critical"
    # ordered just below, chaotic just above
    assert T.depth_scales("tanh", 0.9, 0.0)["phase"] == "ordered"
    assert T.chi1("tanh", 0.9, 0.0) == pytest.approx(0.81, rel=1e-14)  # q* = 0: chi1 = sigma_w^2
    assert T.depth_scales("tanh", 1.1, 0.0)["phase"] == "chaotic"


def test_linear_map() -> None:
    for name in ("identity", "linear"):
        for q, sw, sb in [(0.0, 1.3, 0.2), (2.5, 0.7, 1.1), (1e5, 2.0, 0.0)]:
            assert T.q_map(name, q, sw, sb) == pytest.approx(sw * sw * q + sb * sb, rel=1e-15)
        assert T.chi(name, 3.0, 1.5) == pytest.approx(2.25, rel=1e-15)
    assert T.q_star("identity", 0.5, 1.0) == pytest.approx(1 / 0.75, rel=1e-15)
    assert T.critical_sigma_w("identity", 0.3) == 1.0


@pytest.mark.parametrize(
    "name,sw,sb,q0,expected,kind",
    [
        ("relu", 1.0, 1.0, 1.0, 2.0, "finite"),  # q = q/2 + 1
        ("relu", 2.0, 0.0, 1.0, math.inf, "infinite"),  # q doubles per layer
        ("relu", math.sqrt(2), 0.1, 1.0, math.inf, "infinite"),  # q grows by 0.01 per layer
        ("relu", 2.0, 0.0, 0.0, 0.0, "zero"),  # an unstable fixed point, started on
        ("tanh", 0.9, 0.0, 1.0, 0.0, "zero"),
        ("tanh", 1.0, 0.0, 1.0, 0.0, "zero"),  # critical: q_l ~ 1/(2l), still found
        ("elu", 2.0, 0.0, 1.0, math.inf, "infinite"),  # sigma_w^2 / 2 > 1 at large q
        ("gelu", 1.8, 0.0, 1e-3, 0.0, "zero"),  # bistable: q = 0 attracts small q0 ...
        ("gelu", 1.8, 0.0, 1.0, math.inf, "infinite"),  # ... and inf attracts large q0
        ("tanh", 0.0, 0.3, 1.0, 0.09, "finite"),  # sigma_w = 0: q* = sigma_b^2
    ],
)
def test_fixed_point_kinds(name, sw, sb, q0, expected, kind) -> None:
    fp = T.fixed_point(name, sw, sb, q0)
    assert fp["kind"] == kind
    assert fp["q_star"] == pytest.approx(expected, rel=1e-14)
    assert fp["converged"]


@pytest.mark.parametrize(
    "name", ["tanh", "sigmoid", "elu", "selu", "gelu", "softplus", "softsign", "silu"]
)
def test_q_star_is_the_limit_of_the_iteration(name: str) -> None:
    for sw, sb in [(1.2, 0.3), (0.8, 0.5), (1.25, 1.0)]:  # finite q*, F'(q*) <= 0.9
        qs = T.q_star(name, sw, sb)
        assert T.q_map(name, qs, sw, sb) == pytest.approx(qs, rel=1e-13)
        q = 1.0
        for _ in range(400):
            q = T.q_map(name, q, sw, sb)
        assert q == pytest.approx(qs, rel=1e-10)


def test_worked_example_of_the_header() -> None:
    # tanh, sigma_w = 1.5, sigma_b = 0.05 (chaotic) — values quoted in theory.hpp
    d = T.depth_scales("tanh", 1.5, 0.05)
    assert d["q_star"] == pytest.approx(0.798387114308, rel=1e-11)
    assert d["chi1"] == pytest.approx(1.136707784096, rel=1e-11)
    assert d["q_map_slope"] == pytest.approx(0.501897580903, rel=1e-11)
    assert d["xi_q"] == pytest.approx(1.45062254452, rel=1e-11)
    # chaotic: c* < 1 and xi_c = -1 / log chi_c > 0 (SciPy dblquad + brentq: c* =
    # 0.0520862363717, chi_c = 0.940140496924, xi_c = 16.2006416881)
    assert d["c_star"] == pytest.approx(0.0520862363717, rel=1e-9)
    assert d["chi_c"] == pytest.approx(0.940140496924, rel=1e-11)
    assert d["xi_c"] == pytest.approx(16.2006416881, rel=1e-10)
    assert d["phase"] == "chaotic"
    d = T.depth_scales("tanh", 1.2, 0.3)
    assert d["q_star"] == pytest.approx(0.469521120242, rel=1e-11)
    assert d["chi1"] == pytest.approx(0.870011250038, rel=1e-11)
    assert d["xi_c"] == pytest.approx(7.18137308632, rel=1e-11)
    assert d["phase"] == "ordered"
    assert T.critical_sigma_w("tanh", sigma_b=0.05) == pytest.approx(1.12253900476958, rel=1e-12)
    # and independently: q* by brentq on SciPy's length map, chi1 and slopes there
    qs = ref_q_star("tanh", {}, 1.5, 0.05)
    assert qs == pytest.approx(0.798387114308, rel=1e-11)
    assert 2.25 * ref_D("tanh", {}, qs) == pytest.approx(1.136707784096, rel=1e-11)
    assert -1 / math.log(2.25 * ref_dV("tanh", {}, qs)) == pytest.approx(1.45062254452, rel=1e-10)


_SMOOTH = ("sigmoid", "elu", "selu", "softplus", "softsign", "silu")


@pytest.mark.parametrize("spec", [s for s in SPECS if s[0] in _SMOOTH], ids=_ids)
def test_fixed_point_and_chi1_match_scipy(spec) -> None:
    name, p = spec
    sw, sb = 1.1, 0.4
    qs = ref_q_star(name, p, sw, sb)
    d = T.depth_scales(name, sw, sb, **p)
    assert d["q_star"] == pytest.approx(qs, rel=1e-10)
    assert d["chi1"] == pytest.approx(sw * sw * ref_D(name, p, qs), rel=1e-10)
    assert d["q_map_slope"] == pytest.approx(sw * sw * ref_dV(name, p, qs), rel=1e-10)


# ---------------------------------------------------------------------------------------------
# Critical sigma_w
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spec,sigma_b",
    [
        ((a, {}), sb)
        for a in ("tanh", "sigmoid", "softsign", "elu", "selu", "softplus")
        for sb in (0.0, 0.3)
    ]
    + [
        (("gelu", {}), 1.0),
        (("silu", {}), 1.0),
        (("elu", {"alpha": 0.5}), 0.2),
        (("tanh", {}), 0.05),
        (("tanh", {}), 2.0),
    ],
    ids=lambda v: _ids(v) if isinstance(v, tuple) else f"sb={v}",
)
def test_critical_sigma_w_round_trip(spec, sigma_b: float) -> None:
    name, p = spec
    sw = T.critical_sigma_w(name, sigma_b, **p)
    assert 1e-3 <= sw <= 1e3
    assert T.chi1(name, sw, sigma_b, **p) == pytest.approx(1.0, abs=1e-8)
    # ordered below, chaotic above
    assert T.chi1(name, sw * 0.95, sigma_b, **p) < 1 < T.chi1(name, sw * 1.05, sigma_b, **p)


def test_critical_sigma_w_errors_when_there_is_none() -> None:
    # gelu without bias: q* jumps from 0 (chi1 = sigma_w^2/4 < 1) to inf (sigma_w^2/2 > 1)
    with pytest.raises(ValueError, match="jumps across 1"):
        T.critical_sigma_w("gelu", 0.0)
    # tanh with a huge bias needs sigma_w beyond the bracket
    with pytest.raises(ValueError, match=r"no sigma_w in \[0.001, 1000\]"):
        T.critical_sigma_w("tanh", 1e7)
    line = T.critical_line("gelu", [0.0, 1.0])
    assert math.isnan(line[0]) and line[1] == pytest.approx(T.critical_sigma_w("gelu", 1.0))


# ---------------------------------------------------------------------------------------------
# Phase diagram
# ---------------------------------------------------------------------------------------------


def test_phase_diagram_shape_values_and_monotonicity(threads) -> None:
    sw = np.linspace(0.5, 3.0, 11)
    sb = np.array([0.0, 0.1, 0.5, 1.0])
    for name in ("tanh", "relu", "elu", "sigmoid", "softsign"):
        threads(1)
        chi = T.phase_diagram(name, sw, sb)
        assert chi.shape == (11, 4) and chi.dtype == np.float64
        assert np.all(np.diff(chi, axis=0) > 0), name  # chi1 grows with sigma_w
        for i in (0, 5, 10):
            for j in range(4):
                assert chi[i, j] == T.chi1(name, sw[i], sb[j])
        threads(2)
        np.testing.assert_array_equal(T.phase_diagram(name, sw, sb), chi)  # any thread count
    # the critical line lies where chi1 crosses 1
    chi = T.phase_diagram("tanh", sw, sb)
    for j, b in enumerate(sb):
        c = T.critical_sigma_w("tanh", b)
        assert np.all(chi[sw < c, j] < 1) and np.all(chi[sw > c, j] > 1)
    assert T.phase_diagram("tanh", [], [0.0]).shape == (0, 1)
    assert T.phase_diagram("tanh", [1.0], []).shape == (1, 0)


def test_phase_diagram_is_fast_and_releases_the_gil() -> None:
    sw = np.linspace(0.5, 3.0, 40)
    sb = np.linspace(0.0, 1.0, 40)
    t = time.perf_counter()
    chi = T.phase_diagram("tanh", sw, sb)
    assert time.perf_counter() - t < 5.0
    assert np.all(np.isfinite(chi))
    # while a worker thread is inside the C++ call, this thread keeps running Python code
    inside = threading.Event()
    done = threading.Event()

    def work() -> None:
        inside.set()
        T.phase_diagram("gelu", np.linspace(0.5, 3.0, 30), sb)
        done.set()

    worker = threading.Thread(target=work)
    worker.start()
    inside.wait()
    spins = 0
    while not done.is_set():
        spins += 1
    worker.join()
    assert spins > 1000


# ---------------------------------------------------------------------------------------------
# Per-layer predictions
# ---------------------------------------------------------------------------------------------


def test_predicted_log_slopes_follow_the_maps() -> None:
    sw, sb, q0 = 1.3, 0.2, 0.7
    pred = T.predicted_log_slopes("tanh", sw, sb, q0=q0, depth=30)
    q, c = pred["q"], pred["chi"]
    assert q.shape == c.shape == (30,) and pred["log_q_slope"].shape == (29,)
    assert q[0] == pytest.approx(sw * sw * q0 + sb * sb, rel=1e-15)
    for k in range(29):
        assert q[k + 1] == pytest.approx(T.q_map("tanh", q[k], sw, sb), rel=1e-15)
    for k in range(30):
        assert c[k] == pytest.approx(T.chi("tanh", q[k], sw), rel=1e-15)
    np.testing.assert_allclose(pred["log_chi"], np.log(c), rtol=1e-15)
    np.testing.assert_allclose(pred["log_grad_slope"], 0.5 * np.log(c), rtol=1e-15)
    np.testing.assert_allclose(pred["log_q_slope"], np.diff(np.log(q)), rtol=0, atol=1e-14)
    deep = T.predicted_log_slopes("tanh", sw, sb, q0=q0, depth=200)  # converges to q*, chi1
    assert deep["q"][-1] == pytest.approx(T.q_star("tanh", sw, sb), rel=1e-12)
    assert deep["chi"][-1] == pytest.approx(T.chi1("tanh", sw, sb), rel=1e-12)
    assert T.predicted_log_slopes("tanh", sw, sb, depth=0)["q"].shape == (0,)


def test_predictions_that_overflow_stay_inf() -> None:
    pred = T.predicted_log_slopes("relu", 4.0, 0.0, q0=1.0, depth=400)  # q x8 per layer
    assert math.isinf(pred["q"][-1])
    np.testing.assert_array_equal(pred["chi"], 8.0)
    pred = T.predicted_log_slopes("elu", 4.0, 0.0, q0=1.0, depth=400)
    assert math.isinf(pred["q"][-1]) and pred["chi"][-1] == 8.0
    pred = T.predicted_log_slopes("tanh", 0.0, 0.0, depth=3)  # chi = 0: log = -inf, no warning
    assert np.all(pred["log_chi"] == -np.inf)


def test_predictions_match_a_wide_random_network() -> None:
    # Mean field vs a seeded width-500 tanh network (ordered: sigma_w = 0.7, no bias, so q and the
    # gradient both shrink). Over seeds 0-9 the worst deviations were 3.5 % in q_l and 0.018 in
    # the per-layer log-slope of ||dL/dz||; mistaking the slope of ||.||^2 for that of ||.||
    # (log chi vs 0.5 log chi) would be off by 0.2-0.3, and q_1 = F(q0) instead of
    # sigma_w^2 q0 by 60 %.
    rng = np.random.default_rng(0)
    width, depth, n, sw = 500, 6, 32, 0.7
    X = rng.standard_normal((n, width))
    pred = T.predicted_log_slopes("tanh", sw, 0.0, q0=float(np.mean(X * X)), depth=depth)
    A, Zs, Ws = X, [], []
    for _ in range(depth):
        Ws.append(rng.standard_normal((width, width)) * (sw / math.sqrt(width)))
        Zs.append(A @ Ws[-1].T)
        A = np.tanh(Zs[-1])
    np.testing.assert_allclose([np.mean(Z * Z) for Z in Zs], pred["q"], rtol=0.08)
    dZ = rng.standard_normal((n, width))  # dL/dz at the last layer
    norms = [np.linalg.norm(dZ)]
    for k in range(depth - 1, 0, -1):  # dZ_{k-1} = (dZ_k W_k) * tanh'(Z_{k-1})
        dZ = (dZ @ Ws[k]) * (1 - np.tanh(Zs[k - 1]) ** 2)
        norms.append(np.linalg.norm(dZ))
    measured = np.diff(np.log(norms))  # per layer, from the output back
    predicted = pred["log_grad_slope"][:-1][::-1]  # 0.5 log chi(q_l), l = depth-1 .. 1
    np.testing.assert_allclose(measured, predicted, rtol=0, atol=0.05)


# ---------------------------------------------------------------------------------------------
# Errors and argument handling
# ---------------------------------------------------------------------------------------------


def test_activation_spec_forms_and_parameters() -> None:
    a = T.chi1("leaky_relu", 1.0, 0.0, negative_slope=0.3)
    assert a == pytest.approx((1 + 0.09) / 2, rel=1e-15)
    assert T.chi1(("leaky_relu", {"negative_slope": 0.3}), 1.0, 0.0) == a
    assert T.chi1("leaky_relu", 1.0, 0.0, negative_slope=np.float64(0.3)) == a
    assert T.chi1("elu", 1.0, 0.0, alpha=np.int64(1)) == T.chi1("elu", 1.0, 0.0)
    assert T.q_map("softplus", 1.0, 1.0, 0.0, beta=3.0) != T.q_map("softplus", 1.0, 1.0, 0.0)
    assert T.q_map("elu", 1.0, 1.0, 0.0, alpha=2) != T.q_map("elu", 1.0, 1.0, 0.0)


@pytest.mark.parametrize(
    "call,match",
    [
        (
            lambda: T.q_map("tanhh", 1.0, 1.0, 0.0),
            r"unknown activation 'tanhh'; valid: 'identity', 'sigmoid'",
        ),
        (
            lambda: T.q_map("tanh", 1.0, -1.0, 0.0),
            "sigma_w must be a finite standard deviation >= 0, got -1",
        ),
        (lambda: T.q_map("tanh", 1.0, float("nan"), 0.0), "sigma_w .* got nan"),
        (lambda: T.q_map("tanh", 1.0, 1.0, -0.5), "sigma_b .* got -0.5"),
        (lambda: T.q_map("tanh", 1.0, 1.0, float("inf")), "sigma_b .* got inf"),
        (lambda: T.q_map("tanh", -1.0, 1.0, 0.0), "q must be a finite second moment >= 0, got -1"),
        (lambda: T.q_map("tanh", float("nan"), 1.0, 0.0), "q must be"),
        (lambda: T.q_map("tanh", 1.0, 1e200, 0.0), "sigma_w is too large"),
        (
            lambda: T.chi1("tanh", 1.0, 0.0, alpha=1.0),
            "activation 'tanh' takes no parameters, got 'alpha'",
        ),
        (
            lambda: T.chi1("elu", 1.0, 0.0, beta=1.0),
            "activation 'elu' has no parameter 'beta'; valid: 'alpha'",
        ),
        (lambda: T.chi1("softplus", 1.0, 0.0, beta=0.0), "beta must be > 0"),
        (
            lambda: T.chi1("leaky_relu", 1.0, 0.0, negative_slope=float("nan")),
            "negative_slope must be finite",
        ),
        (lambda: T.chi1("leaky_relu", 1.0, 0.0, negative_slope="x"), "expected a number"),
        (lambda: T.q_star("tanh", 1.0, 0.0, q0=-1.0), "q0 must be"),
        (lambda: T.critical_sigma_w("tanh", sigma_b=float("nan")), "sigma_b"),
        (lambda: T.predicted_log_slopes("tanh", 1.0, 0.0, depth=-1), "depth must be >= 0"),
        (lambda: T.phase_diagram("tanh", [[1.0, 2.0]], [0.0]), "sigma_w_grid.*1-D"),
        (lambda: T.phase_diagram("tanh", [1.0], [0.0, -1.0]), "sigma_b_grid entries"),
        (lambda: T.phase_diagram("tanh", [1.0, float("nan")], [0.0]), "sigma_w_grid entries"),
    ],
)
def test_bad_inputs_raise_value_error(call, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        call()


def test_bad_activation_type_raises_type_error() -> None:
    with pytest.raises(TypeError, match="activation must be a name"):
        T.chi1(3, 1.0, 0.0)  # type: ignore[arg-type]


def test_top_level_access() -> None:
    import importlib

    assert importlib.import_module("fastinit.theory") is T
    assert fi._core.theory_q_map("relu", 2.0, 1.0, 0.0) == 1.0  # type: ignore[attr-defined]
