"""fastinit.theory.c_map, c*, chi_c and xi_c against independent references.

References, none of which calls fastinit's quadrature:
- erf: Williams' closed form E[erf(u1) erf(u2)] = (2/pi) arcsin(2 q c / (1 + 2 q)) and
  E[erf'(u1) erf'(u2)] = (4/pi) / sqrt((1 + 2q)^2 - 4 q^2 c^2);
- relu / leaky_relu: the arc-cosine kernel (Cho & Saul 2009);
- hardtanh: the inner Gaussian expectation in closed form, the outer one by scipy.integrate.quad
  split at the kinks;
- tanh, sigmoid, gelu: scipy.integrate.dblquad over [-10, 10]^2.
q* comes from scipy.optimize.brentq on a SciPy length map, c* from brentq on the reference map.
Measured: smooth activations agree to ~1e-13, the kinked ones (relu, leaky_relu, hardtanh,
also elu, selu, softsign checked once against a nested split quad) to ~1e-15, up to c = 1 - 1e-9.
"""

from __future__ import annotations

import math
import warnings

import fastinit as fi
import numpy as np
import pytest
from scipy import integrate, optimize, special

T = fi.theory
_N = lambda z: math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)  # noqa: E731


# --- references ------------------------------------------------------------------------------


def _erf_pair(q: float, c: float) -> float:
    return 2 / math.pi * math.asin(2 * q * c / (1 + 2 * q))


def _erf_dpair(q: float, c: float) -> float:
    return 4 / math.pi / math.sqrt((1 + 2 * q) ** 2 - 4 * q * q * c * c)


def _arccos(q: float, c: float) -> float:  # E[relu(u1) relu(u2)]
    c = min(1.0, max(-1.0, c))
    return q / (2 * math.pi) * (math.sqrt(1 - c * c) + (math.pi - math.acos(c)) * c)


def _leaky_pair(q: float, c: float, a: float) -> float:
    return (1 + a * a) * _arccos(q, c) - 2 * a * _arccos(q, -c)


def _clamp_mean(m: float, s: float, lo: float, hi: float) -> float:  # E[clamp(m + s Z)]
    a, b = (lo - m) / s, (hi - m) / s
    Phi = special.ndtr
    return float(m * (Phi(b) - Phi(a)) - s * (_N(b) - _N(a)) + lo * Phi(a) + hi * (1 - Phi(b)))


def _split_quad(h, pts) -> float:
    L = 12.0
    edges = sorted({-L, L, *[p for p in pts if -L < p < L]})
    with warnings.catch_warnings():  # quad's "roundoff error" note at this tight tolerance
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        return sum(
            integrate.quad(h, a, b, epsabs=1e-16, epsrel=1e-14, limit=400)[0]
            for a, b in zip(edges[:-1], edges[1:], strict=True)
        )


def _hardtanh_pair(q: float, c: float, lo: float, hi: float) -> float:
    sq = math.sqrt(q)
    f = lambda x: min(max(x, lo), hi)  # noqa: E731
    if abs(c) == 1:
        return _split_quad(lambda z: _N(z) * f(sq * z) * f(c * sq * z), [0, lo / sq, hi / sq])
    s = math.sqrt((1 - c) * (1 + c))
    pts = [0.0, lo / sq, hi / sq]
    if c != 0:  # where the smoothed kinks of the inner expectation turn
        for b in (lo, hi):
            pts += [b / (sq * c) + k * s / abs(c) for k in (-16, -4, -1, 0, 1, 4, 16)]
    return _split_quad(lambda z: _N(z) * f(sq * z) * _clamp_mean(sq * c * z, sq * s, lo, hi), pts)


def _dbl(f, q: float, c: float) -> float:
    sq, s = math.sqrt(q), math.sqrt((1 - c) * (1 + c))
    return integrate.dblquad(
        lambda z2, z1: f(sq * z1) * f(sq * (c * z1 + s * z2)) * _N(z1) * _N(z2),
        -10,
        10,
        -10,
        10,
        epsabs=1e-14,
        epsrel=1e-13,
    )[0]


_SMOOTH = {
    "tanh": (math.tanh, lambda x: 1 - math.tanh(x) ** 2),
    "sigmoid": (special.expit, lambda x: special.expit(x) * (1 - special.expit(x))),
    "gelu": (
        lambda x: x * special.ndtr(x),
        lambda x: special.ndtr(x) + x * _N(x),
    ),
}


def _V(f, q: float) -> float:
    return integrate.quad(lambda z: f(math.sqrt(q) * z) ** 2 * _N(z), -12, 12, epsabs=1e-15)[0]


def _ref_c_map(name: str, c: float, q: float, sw: float, sb: float, **p: float) -> float:
    w2, b2 = sw * sw, sb * sb
    if name == "erf":
        num, den = _erf_pair(q, c), _erf_pair(q, 1.0)
    elif name == "relu":
        num, den = _arccos(q, c), q / 2
    elif name == "leaky_relu":
        a = p["negative_slope"]
        num, den = _leaky_pair(q, c, a), (1 + a * a) * q / 2
    elif name == "hardtanh":
        lo, hi = p.get("min_val", -1.0), p.get("max_val", 1.0)
        num, den = _hardtanh_pair(q, c, lo, hi), _hardtanh_pair(q, 1.0, lo, hi)
    else:
        f = _SMOOTH[name][0]
        num, den = _dbl(f, q, c), _V(f, q)
    return (w2 * num + b2) / (w2 * den + b2)


# --- the map ---------------------------------------------------------------------------------

_CS = [-1.0, -0.7, 0.0, 0.5, 0.99, 0.999999, 1 - 1e-9, 1.0]


@pytest.mark.parametrize("q", [0.05, 1.0, 20.0])
@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("erf", {}),
        ("relu", {}),
        ("leaky_relu", {"negative_slope": 0.2}),
        ("hardtanh", {}),
        ("hardtanh", {"min_val": -0.5, "max_val": 2.0}),
    ],
    ids=["erf", "relu", "leaky_relu", "hardtanh", "hardtanh-asym"],
)
def test_c_map_against_closed_forms(name, params, q) -> None:
    sw, sb = 1.3, 0.3
    worst = 0.0
    for c in _CS:
        got = T.c_map(name, c, q, sw, sb, **params)
        want = _ref_c_map(name, c, q, sw, sb, **params)
        worst = max(worst, abs(got - want))
    print(f"{name} {params} q={q}: max |c_map - reference| = {worst:.2g}")
    assert worst <= 1e-13


@pytest.mark.parametrize(
    ("name", "q", "c"), [("tanh", 1.0, 0.5), ("sigmoid", 2.0, -0.6), ("gelu", 0.5, 0.9)]
)
def test_c_map_smooth_against_dblquad(name, q, c) -> None:
    got = T.c_map(name, c, q, 1.4, 0.2)
    want = _ref_c_map(name, c, q, 1.4, 0.2)
    print(f"{name}: |c_map - dblquad| = {abs(got - want):.2g}")
    assert got == pytest.approx(want, abs=1e-10)


def test_c_map_facts() -> None:
    for name in fi.available_activations():
        assert T.c_map(name, 1.0, 0.7, 1.2, 0.1) == 1.0
        cs = np.linspace(-0.9, 1.0, 12)
        vals = [T.c_map(name, float(c), 0.7, 1.2, 0.1) for c in cs]
        assert np.all(np.diff(vals[5:]) > 0), name  # increasing on [0, 1] (Mehler)
        assert all(-1 <= v <= 1 for v in vals), name
    # no bias: an odd activation maps c = 0 to 0 and the map is odd
    assert T.c_map("tanh", 0.0, 0.8, 1.5, 0.0) == pytest.approx(0.0, abs=1e-15)
    assert T.c_map("erf", -0.4, 0.8, 1.5, 0.0) == pytest.approx(
        -T.c_map("erf", 0.4, 0.8, 1.5, 0.0), abs=1e-15
    )
    # q = 0: both inputs sit at 0; with a bias the outputs are identical (c' = 1), without it the
    # map is its q -> 0+ limit (relu's arc-cosine map does not depend on q)
    assert T.c_map("tanh", 0.3, 0.0, 1.0, 0.5) == 1.0
    assert T.c_map("relu", 0.3, 0.0, 1.0, 0.0) == pytest.approx(_arccos(1.0, 0.3) * 2, rel=1e-12)
    assert T.c_map("tanh", 0.3, 0.0, 1.0, 0.0) == pytest.approx(0.3, rel=1e-12)


def test_c_map_bad_arguments() -> None:
    for c in (1.5, -1.0001, float("nan")):
        with pytest.raises(ValueError, match="c must be a correlation"):
            T.c_map("tanh", c, 1.0, 1.0, 0.1)
    with pytest.raises(ValueError, match="q"):
        T.c_map("tanh", 0.5, -1.0, 1.0, 0.1)
    with pytest.raises(ValueError, match="sigma_w"):
        T.c_map("tanh", 0.5, 1.0, float("inf"), 0.1)
    with pytest.raises(ValueError, match="undefined"):
        T.c_map("tanh", 0.5, 1.0, 0.0, 0.0)
    with pytest.raises(ValueError, match="min_val must be < max_val"):
        T.c_map("hardtanh", 0.5, 1.0, 1.0, 0.1, min_val=1.0, max_val=1.0)


# --- c*, chi_c, xi_c -------------------------------------------------------------------------


def _ref_q_star(name: str, sw: float, sb: float, **p: float) -> float:
    if name == "erf":
        F = lambda q: sw * sw * _erf_pair(q, 1.0) + sb * sb  # noqa: E731
    elif name == "hardtanh":
        lo, hi = p.get("min_val", -1.0), p.get("max_val", 1.0)
        F = lambda q: sw * sw * _hardtanh_pair(q, 1.0, lo, hi) + sb * sb  # noqa: E731
    else:
        f = _SMOOTH[name][0]
        F = lambda q: sw * sw * _V(f, q) + sb * sb  # noqa: E731
    return optimize.brentq(lambda q: F(q) - q, 1e-6, 50.0, xtol=1e-15, rtol=1e-15)


def _ref_chaotic(name: str, sw: float, sb: float, **p: float) -> tuple[float, float, float]:
    qs = _ref_q_star(name, sw, sb, **p)
    cs = optimize.brentq(lambda c: _ref_c_map(name, c, qs, sw, sb, **p) - c, 0.0, 0.999, xtol=1e-14)
    if name == "erf":
        chic = sw * sw * _erf_dpair(qs, cs)
    else:
        chic = sw * sw * _dbl(_SMOOTH[name][1], qs, cs)
    return cs, chic, -1 / math.log(chic)


@pytest.mark.parametrize(("sigma_w2", "xi_issue"), [(2.0, 25.2), (3.0, 9.05)])
def test_the_issue_values(sigma_w2, xi_issue) -> None:
    # tanh, sigma_b^2 = 0.05 (fastinit's sigma_w, sigma_b are standard deviations)
    sw, sb = math.sqrt(sigma_w2), math.sqrt(0.05)
    d = T.depth_scales("tanh", sw, sb)
    cs, chic, xi = _ref_chaotic("tanh", sw, sb)
    print(f"sigma_w^2 = {sigma_w2}: c* {d['c_star']} vs {cs}, xi_c {d['xi_c']} vs {xi}")
    assert d["phase"] == "chaotic" and d["chi1"] > 1
    assert d["c_star"] == pytest.approx(cs, abs=1e-10)
    assert d["chi_c"] == pytest.approx(chic, rel=1e-10)
    assert d["xi_c"] == pytest.approx(xi, rel=1e-9)
    assert round(d["xi_c"], 1 if xi_issue > 10 else 2) == xi_issue


@pytest.mark.parametrize(("sw", "sb"), [(0.8, 0.3), (1.6, 0.1), (2.5, 0.4), (1.2, 0.0)], ids=str)
def test_erf_fixed_point_in_closed_form(sw, sb) -> None:
    d = T.depth_scales("erf", sw, sb)
    if d["phase"] == "ordered":
        assert d["c_star"] == 1.0 and d["chi_c"] == d["chi1"]
        qs = d["q_star"]
        assert d["chi1"] == pytest.approx(sw * sw * _erf_dpair(qs, 1.0), rel=1e-12)
        assert d["xi_c"] == pytest.approx(-1 / math.log(d["chi1"]), rel=1e-12)
        return
    cs, chic, xi = _ref_chaotic("erf", sw, sb)
    assert d["c_star"] == pytest.approx(cs, abs=1e-11)
    assert d["chi_c"] == pytest.approx(chic, rel=1e-11)
    assert d["xi_c"] == pytest.approx(xi, rel=1e-10) and d["xi_c"] > 0


def test_hardtanh_chaotic_fixed_point() -> None:
    sw, sb, p = 1.8, 0.2, {"min_val": -0.7, "max_val": 1.2}
    d = T.depth_scales("hardtanh", sw, sb, **p)
    assert d["phase"] == "chaotic"
    qs = _ref_q_star("hardtanh", sw, sb, **p)
    assert d["q_star"] == pytest.approx(qs, rel=1e-12)
    cs = optimize.brentq(
        lambda c: _ref_c_map("hardtanh", c, qs, sw, sb, **p) - c, 0.0, 0.999, xtol=1e-14
    )
    # chi_c = sigma_w^2 P(both pre-activations strictly inside the bounds): a bivariate normal
    # rectangle probability
    s = math.sqrt(1 - cs * cs)
    sq = math.sqrt(qs)
    lo, hi = p["min_val"], p["max_val"]
    inside = _split_quad(
        lambda z: (
            _N(z)
            * (lo < sq * z < hi)
            * (
                special.ndtr((hi - sq * cs * z) / (sq * s))
                - special.ndtr((lo - sq * cs * z) / (sq * s))
            )
        ),
        [lo / sq, hi / sq],
    )
    assert d["c_star"] == pytest.approx(cs, abs=1e-12)
    assert d["chi_c"] == pytest.approx(sw * sw * inside, rel=1e-11)


def test_xi_c_is_positive_everywhere() -> None:
    # the bug of the old depth_scales: xi_c = -1/log chi1 < 0 in the chaotic phase
    for name in fi.available_activations():
        for sw in (0.7, 1.3, 2.5):
            d = T.depth_scales(name, sw, 0.3)
            assert d["xi_c"] > 0, (name, sw, d)
            assert 0 <= d["chi_c"] <= 1 + 1e-12, (name, sw, d)
            if d["phase"] == "chaotic" and d["kind"] == "finite":
                assert d["c_star"] < 1
                c = d["c_star"]
                # c* is a fixed point of the public map
                assert T.c_map(name, c, d["q_star"], sw, 0.3) == pytest.approx(c, abs=1e-12)
            elif d["phase"] == "ordered":
                assert d["c_star"] == 1 and d["chi_c"] == d["chi1"]


def test_criticality_and_degenerate_fixed_points() -> None:
    sb = 0.05
    sw = T.critical_sigma_w("tanh", sb)
    d = T.depth_scales("tanh", sw, sb)
    assert d["xi_c"] == math.inf and d["c_star"] == 1.0
    # xi_c grows without bound on both sides of the edge of chaos
    below = T.depth_scales("tanh", sw * 0.99, sb)["xi_c"]
    above = T.depth_scales("tanh", sw * 1.01, sb)["xi_c"]
    assert 0 < below < math.inf and 0 < above < math.inf
    assert T.depth_scales("tanh", sw * 0.999, sb)["xi_c"] > below
    assert T.depth_scales("tanh", sw * 1.001, sb)["xi_c"] > above
    # relu: critical at sqrt 2 for any sigma_b; beyond it q* = inf, where the map's slope at c = 1
    # tends to 1: c* = chi_c = 1 and xi_c = inf, never negative
    d = T.depth_scales("relu", 2.0, 0.1)
    assert d["kind"] == "infinite" and d["phase"] == "chaotic"
    assert d["c_star"] == 1.0 and d["chi_c"] == 1.0 and d["xi_c"] == math.inf
    d = T.depth_scales("relu", 1.2, 0.1)
    assert d["xi_c"] == pytest.approx(-1 / math.log(1.2**2 / 2), rel=1e-13)


@pytest.mark.parametrize(
    ("name", "params"), [("relu", {}), ("leaky_relu", {"negative_slope": 0.2}), ("erf", {})]
)
def test_closed_form_c_map_stays_a_correlation_near_one(name: str, params: dict) -> None:
    # iterating C from c = 1 - 1e-12 never leaves [-1, 1] (closed form beside a quadrature of
    # F(q)), and the map is continuous up to C(1) = 1
    for q in (0.3, 1.0, 7.0):
        c = 1 - 1e-12
        for _ in range(50):
            c = T.c_map(name, c, q, 1.3, 0.2, **params)
            assert -1.0 <= c <= 1.0
        assert T.c_map(name, 1 - 1e-15, q, 1.3, 0.2, **params) == pytest.approx(1.0, abs=1e-7)


@pytest.mark.parametrize("name", ["tanh", "gelu", "hardtanh", "selu"])
def test_c_map_is_bit_identical_for_any_thread_count(name: str) -> None:
    before = fi.get_num_threads()
    try:
        runs = []
        for n in (1, 2, 3):
            fi.set_num_threads(n)
            runs.append(
                [T.c_map(name, c, q, 1.4, 0.3) for c in (-0.6, 0.2, 0.97) for q in (0.2, 4.0)]
            )
    finally:
        fi.set_num_threads(before)
    assert runs[0] == runs[1] == runs[2]
