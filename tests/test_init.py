"""fastinit.init: fans and gains, the scale of every scheme, distributions (Kolmogorov–Smirnov
with negative controls, moments, bounds), the truncated normal's hard cases, orthogonal_, sparse_,
the deterministic initializers, the allocating twins and the name registry.

Statistical tests use FIXED seeds, so they are deterministic: a correct implementation passes
them with overwhelming probability (p > 1e-4 for each KS test, 5-6 standard errors for moments),
and once passing they cannot flake. The negative controls show that the same tests, at the same
sample sizes, reject a distribution whose scale is off by 2%.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import fastinit as fi
import numpy as np
import pytest
import scipy.linalg
import scipy.stats as st
from fastinit import init
from helpers import GAIN_NAMES
from scipy.special import log_ndtr, ndtr

DTYPES = [np.float32, np.float64]
DTYPE_IDS = ["float32", "float64"]
EPS = {np.float32: float(np.finfo(np.float32).eps), np.float64: float(np.finfo(np.float64).eps)}

P_MIN = 1e-4  # KS acceptance threshold at fixed seeds
N_KS = 2**19  # samples per KS test: enough to reject a 2% error of scale (see negative controls)

SQRT2 = math.sqrt(2.0)
TRUNC_STD_2 = 0.87962566103423978  # std of N(0, 1) truncated to [-2, 2] (Keras' correction)


def maxdiff(a, b) -> float:
    return float(np.max(np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64)), initial=0.0))


# ============================================================================ fans and gains


@pytest.mark.parametrize(
    ("shape", "fans"),
    [
        pytest.param((3, 5), (5, 3), id="linear-3x5"),
        pytest.param((8, 4, 3, 3), (36, 72), id="conv2d-8x4x3x3"),
        pytest.param((16, 2, 5), (10, 80), id="conv1d-16x2x5"),
        pytest.param((4, 6, 2, 3, 5), (180, 120), id="conv3d-4x6x2x3x5"),
        pytest.param((1, 1), (1, 1), id="1x1"),
        pytest.param((0, 7), (7, 0), id="empty-rows"),
        pytest.param((7, 3, 0, 2), (0, 0), id="empty-kernel"),
    ],
)
def test_compute_fans_by_hand(shape, fans):
    got = init.compute_fans(shape)
    assert tuple(got) == fans, f"compute_fans{shape} = {got}, expected {fans}"


def test_compute_fans_overrides():
    assert tuple(init.compute_fans((3, 5), fan_in=7)) == (7, 3)
    assert tuple(init.compute_fans((3, 5), fan_out=9.5)) == (5, 9.5)
    assert tuple(init.compute_fans((3, 5), fan_in=2, fan_out=4)) == (2, 4)
    assert tuple(init.compute_fans((10,), fan_in=4, fan_out=6)) == (4, 6)
    assert tuple(init.compute_fans((), fan_in=1.5, fan_out=2.5)) == (1.5, 2.5)


@pytest.mark.parametrize("shape", [(10,), ()], ids=["1-D", "0-D"])
@pytest.mark.parametrize(
    "overrides",
    [{}, {"fan_in": 4}, {"fan_out": 4}],
    ids=["no-override", "fan_in-only", "fan_out-only"],
)
def test_compute_fans_needs_both_overrides_below_2d(shape, overrides):
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init.compute_fans(shape, **overrides)


@pytest.mark.parametrize(
    "bad", [0, -1, float("nan"), float("inf")], ids=["zero", "negative", "nan", "inf"]
)
@pytest.mark.parametrize("which", ["fan_in", "fan_out"])
def test_compute_fans_rejects_bad_overrides(which, bad):
    with pytest.raises(ValueError, match=which):
        init.compute_fans((3, 5), **{which: bad})


@pytest.mark.parametrize(
    "shape",
    [(3, 5), (8, 4, 3, 3), (16, 2, 5), (4, 6, 2, 3, 5), (1, 1), (0, 7)],
    ids=lambda s: "x".join(map(str, s)),
)
def test_compute_fans_matches_torch(shape):
    torch = pytest.importorskip("torch")
    expected = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))
    assert tuple(init.compute_fans(shape)) == tuple(float(f) for f in expected)


def test_torch_also_refuses_fans_of_1d():
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError):
        torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(10))
    with pytest.raises(ValueError):
        init.compute_fans((10,))


GAINS = [
    *(
        pytest.param(name, None, 1.0, id=name)
        for name in GAIN_NAMES[: GAIN_NAMES.index("sigmoid") + 1]  # the names with gain 1
    ),
    pytest.param("tanh", None, 5.0 / 3.0, id="tanh"),
    pytest.param("relu", None, math.sqrt(2.0), id="relu"),
    pytest.param(
        "leaky_relu", None, math.sqrt(2.0 / (1.0 + 0.01**2)), id="leaky_relu-default-0.01"
    ),
    pytest.param("leaky_relu", 0.2, math.sqrt(2.0 / (1.0 + 0.2**2)), id="leaky_relu-0.2"),
    pytest.param("leaky_relu", 0, math.sqrt(2.0), id="leaky_relu-int-0"),
    pytest.param("leaky_relu", 1, 1.0, id="leaky_relu-int-1"),
    pytest.param("leaky_relu", -0.5, math.sqrt(2.0 / 1.25), id="leaky_relu-negative"),
    pytest.param("selu", None, 0.75, id="selu"),
]


@pytest.mark.parametrize(("name", "param", "expected"), GAINS)
def test_calculate_gain_by_hand(name, param, expected):
    got = init.calculate_gain(name, param) if param is not None else init.calculate_gain(name)
    assert got == pytest.approx(expected, rel=1e-15, abs=0), (
        f"{name}({param}) = {got!r}, |diff| {abs(got - expected):.3e}"
    )


@pytest.mark.parametrize(("name", "param", "expected"), GAINS)
def test_calculate_gain_matches_torch(name, param, expected):
    torch = pytest.importorskip("torch")
    want = torch.nn.init.calculate_gain(name, param)
    got = init.calculate_gain(name, param)
    assert got == pytest.approx(want, rel=1e-15, abs=0), f"|diff| {abs(got - want):.3e}"


def test_calculate_gain_unknown_name_lists_valid_names():
    valid = GAIN_NAMES
    with pytest.raises(ValueError, match="swish") as exc:
        init.calculate_gain("swish")
    missing = [n for n in valid if f"'{n}'" not in str(exc.value)]
    assert not missing, f"message {str(exc.value)!r} does not list {missing}"


@pytest.mark.parametrize("param", [True, False, "0.2", [0.2]], ids=["True", "False", "str", "list"])
def test_calculate_gain_rejects_non_numbers(param):
    with pytest.raises(ValueError):
        init.calculate_gain("leaky_relu", param)


def test_torch_also_rejects_bool_slope():
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError):
        torch.nn.init.calculate_gain("leaky_relu", True)


# ============================================================================ distributions


@dataclass(frozen=True)
class Uniform:
    lo: float
    hi: float

    def cdf(self, x):
        return np.clip((np.asarray(x, np.float64) - self.lo) / (self.hi - self.lo), 0.0, 1.0)

    def moments(self):  # mean, variance, 4th central moment
        w = self.hi - self.lo
        return (self.lo + self.hi) / 2, w * w / 12, w**4 / 80

    def scaled(self, f):
        c, h = (self.lo + self.hi) / 2, (self.hi - self.lo) / 2
        return Uniform(c - f * h, c + f * h)


@dataclass(frozen=True)
class Normal:
    mu: float
    sd: float

    def cdf(self, x):
        return ndtr((np.asarray(x, np.float64) - self.mu) / self.sd)

    def moments(self):
        return self.mu, self.sd**2, 3 * self.sd**4

    def scaled(self, f):
        return Normal(self.mu, self.sd * f)


@dataclass(frozen=True)
class TruncNormal:  # N(mu, sd^2) conditioned on the absolute interval [a, b] (central cases only)
    mu: float
    sd: float
    a: float
    b: float

    @property
    def standard(self):
        return (self.a - self.mu) / self.sd, (self.b - self.mu) / self.sd

    def cdf(self, x):
        al, be = self.standard
        z = (np.asarray(x, np.float64) - self.mu) / self.sd
        pa = ndtr(al)
        return np.clip((ndtr(z) - pa) / (ndtr(be) - pa), 0.0, 1.0)

    def moments(self):
        al, be = self.standard
        m, v, _, k = st.truncnorm.stats(al, be, loc=self.mu, scale=self.sd, moments="mvsk")
        return float(m), float(v), float((k + 3) * v * v)

    def scaled(self, f):
        return TruncNormal(
            self.mu, self.sd * f, self.mu + (self.a - self.mu) * f, self.mu + (self.b - self.mu) * f
        )


def kstest(x, cdf):
    """scipy's one-sample KS test; for n >= 1e5 with the asymptotic (Kolmogorov) p-value, which
    is accurate there and avoids scipy's slow exact path when the p-value is tiny."""
    x = np.asarray(x, np.float64).ravel()
    return st.kstest(x, cdf, method="asymp" if x.size >= 100_000 else "auto")


def ks_pvalue(x, dist) -> float:
    return float(kstest(x, dist.cdf).pvalue)


def check_ks(x, dist, label):
    res = kstest(x, dist.cdf)
    assert res.pvalue > P_MIN, (
        f"{label}: KS vs {dist} rejects: D={res.statistic:.3e}, p={res.pvalue:.3e}"
    )


def check_moments(x, dist, label, k=5.0):
    x = np.asarray(x, np.float64).ravel()
    n = x.size
    mean, var, m4 = dist.moments()
    se_mean = math.sqrt(var / n)
    se_var = math.sqrt(max(m4 - var * var, 0.0) / n)
    d_mean = abs(x.mean() - mean)
    d_var = abs(x.var() - var)
    assert d_mean <= k * se_mean, (
        f"{label}: |mean - {mean:.6g}| = {d_mean:.3e} > {k} SE ({se_mean:.3e})"
    )
    assert d_var <= k * se_var, f"{label}: |var - {var:.6g}| = {d_var:.3e} > {k} SE ({se_var:.3e})"


def check_bounds(x, dist, dtype, label):
    if isinstance(dist, Uniform):
        lo, hi = float(dtype(dist.lo)), float(dtype(dist.hi))  # the bounds as the dtype holds them
    elif isinstance(dist, TruncNormal):
        lo, hi = dist.a, dist.b  # exact: samples never leave [a, b]
    else:
        assert np.isfinite(x).all(), f"{label}: non-finite samples"
        return
    # slack: the library computes the bound with its own (equivalent) formula, maybe 1 ulp apart
    slack = 4 * EPS[np.float64] * max(abs(lo), abs(hi))
    below, above = float(np.min(x)) - lo, float(np.max(x)) - hi
    assert below >= -slack and above <= slack, (
        f"{label}: samples leave [{lo!r}, {hi!r}]: min-lo={below:.3e}, max-hi={above:.3e}"
    )


# The unit fill with the same EPB and the same underlying variates as each family, used to check
# that a scheme is exactly "location + scale * unit variate" with the hand-computed scale.
def unit_fill(dist, w, gen):
    if isinstance(dist, Uniform):
        return init.uniform_(w, 0.0, 1.0, generator=gen)
    if isinstance(dist, Normal):
        return init.normal_(w, 0.0, 1.0, generator=gen)
    al, be = dist.standard
    return init.trunc_normal_(w, 0.0, 1.0, al, be, generator=gen)


def from_unit(dist, u):
    u = np.asarray(u, np.float64)
    if isinstance(dist, Uniform):
        return dist.lo + (dist.hi - dist.lo) * u
    return dist.mu + dist.sd * u


# Shapes of the KS tests: 2**19 elements each.
LIN = (1024, 512)  # fan_in 512, fan_out 1024
CONV = (512, 256, 2, 2)  # fan_in 1024, fan_out 2048
FAN = {
    "fan_in": 1024.0,
    "fan_out": 2048.0,
    "fan_avg": 1536.0,
    "fan_geo_avg": math.sqrt(1024.0 * 2048.0),
}


def vs_dist(scale, fan, distribution):
    """Keras VarianceScaling by hand: variance scale / max(1, fan)."""
    var = scale / max(1.0, fan)
    if distribution == "truncated_normal":
        sd = math.sqrt(var) / TRUNC_STD_2
        return TruncNormal(0.0, sd, -2 * sd, 2 * sd)
    if distribution == "untruncated_normal":
        return Normal(0.0, math.sqrt(var))
    lim = math.sqrt(3 * var)
    return Uniform(-lim, lim)


CONFIGS = {
    # plain fills
    "uniform(-1.5,2.5)": (
        lambda w, g: init.uniform_(w, -1.5, 2.5, generator=g),
        LIN,
        Uniform(-1.5, 2.5),
    ),
    "normal(0.5,2)": (lambda w, g: init.normal_(w, 0.5, 2.0, generator=g), LIN, Normal(0.5, 2.0)),
    "trunc_normal-default": (
        lambda w, g: init.trunc_normal_(w, generator=g),
        LIN,
        TruncNormal(0, 1, -2, 2),
    ),
    "trunc_normal(0.2,1.5,[-1,3])": (
        lambda w, g: init.trunc_normal_(w, 0.2, 1.5, -1.0, 3.0, generator=g),
        LIN,
        TruncNormal(0.2, 1.5, -1.0, 3.0),
    ),
    # PyTorch's He / Glorot
    "kaiming_uniform-default": (
        lambda w, g: init.kaiming_uniform_(w, generator=g),
        LIN,
        Uniform(-math.sqrt(3) * SQRT2 / math.sqrt(512), math.sqrt(3) * SQRT2 / math.sqrt(512)),
    ),
    "kaiming_normal-default": (
        lambda w, g: init.kaiming_normal_(w, generator=g),
        LIN,
        Normal(0, SQRT2 / math.sqrt(512)),
    ),
    "kaiming_uniform-leaky0.2-fan_out": (
        lambda w, g: init.kaiming_uniform_(w, a=0.2, mode="fan_out", generator=g),
        LIN,
        Uniform(-math.sqrt(3 * 2 / 1.04 / 1024), math.sqrt(3 * 2 / 1.04 / 1024)),
    ),
    "kaiming_normal-relu-fan_out-conv": (
        lambda w, g: init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu", generator=g),
        CONV,
        Normal(0, math.sqrt(2 / 2048)),
    ),
    "kaiming_normal-tanh-conv": (
        lambda w, g: init.kaiming_normal_(w, nonlinearity="tanh", generator=g),
        CONV,
        Normal(0, (5 / 3) / math.sqrt(1024)),
    ),
    "kaiming_uniform-selu-conv": (
        lambda w, g: init.kaiming_uniform_(w, nonlinearity="selu", generator=g),
        CONV,
        Uniform(-math.sqrt(3) * 0.75 / 32, math.sqrt(3) * 0.75 / 32),
    ),
    "kaiming_normal-1d-fan-overrides": (
        lambda w, g: init.kaiming_normal_(
            w.reshape(-1), mode="fan_out", generator=g, fan_in=3.0, fan_out=50.0
        ),
        LIN,
        Normal(0, SQRT2 / math.sqrt(50)),
    ),
    "xavier_uniform-default-conv": (
        lambda w, g: init.xavier_uniform_(w, generator=g),
        CONV,
        Uniform(-math.sqrt(6 / 3072), math.sqrt(6 / 3072)),
    ),
    "xavier_uniform-gain-tanh": (
        lambda w, g: init.xavier_uniform_(w, init.calculate_gain("tanh"), generator=g),
        LIN,
        Uniform(-(5 / 3) * math.sqrt(6 / 1536), (5 / 3) * math.sqrt(6 / 1536)),
    ),
    "xavier_normal-default-conv": (
        lambda w, g: init.xavier_normal_(w, generator=g),
        CONV,
        Normal(0, math.sqrt(2 / 3072)),
    ),
    "xavier_normal-gain-relu-fan_in-override": (
        lambda w, g: init.xavier_normal_(w, SQRT2, generator=g, fan_in=64.0),
        LIN,
        Normal(0, SQRT2 * math.sqrt(2 / (64 + 1024))),
    ),
    # Keras / JAX variance scaling, every distribution x mode
    **{
        f"variance_scaling-{dist}-{mode}": (
            lambda w, g, mode=mode, dist=dist: init.variance_scaling_(
                w, 2.0, mode, dist, generator=g
            ),
            CONV,
            vs_dist(2.0, FAN[mode], dist),
        )
        for dist in ("truncated_normal", "untruncated_normal", "uniform")
        for mode in ("fan_in", "fan_out", "fan_avg", "fan_geo_avg")
    },
    "variance_scaling-fan-below-1-uses-max(1,fan)": (
        lambda w, g: init.variance_scaling_(
            w, 0.5, "fan_in", "untruncated_normal", generator=g, fan_in=0.25
        ),
        LIN,
        Normal(0, math.sqrt(0.5)),
    ),
    "glorot_uniform": (
        lambda w, g: init.glorot_uniform_(w, generator=g),
        CONV,
        vs_dist(1.0, 1536, "uniform"),
    ),
    "glorot_normal": (
        lambda w, g: init.glorot_normal_(w, generator=g),
        CONV,
        vs_dist(1.0, 1536, "truncated_normal"),
    ),
    "he_uniform": (
        lambda w, g: init.he_uniform_(w, generator=g),
        CONV,
        vs_dist(2.0, 1024, "uniform"),
    ),
    "he_normal": (
        lambda w, g: init.he_normal_(w, generator=g),
        CONV,
        vs_dist(2.0, 1024, "truncated_normal"),
    ),
    "lecun_uniform": (
        lambda w, g: init.lecun_uniform_(w, generator=g),
        CONV,
        vs_dist(1.0, 1024, "uniform"),
    ),
    "lecun_normal": (
        lambda w, g: init.lecun_normal_(w, generator=g),
        CONV,
        vs_dist(1.0, 1024, "truncated_normal"),
    ),
    "keras-names-accept-fan-overrides": (
        lambda w, g: init.he_normal_(w, generator=g, fan_in=8.0, fan_out=1.0),
        LIN,
        vs_dist(2.0, 8.0, "truncated_normal"),
    ),
}
CONFIG_IDS = sorted(CONFIGS)


def test_keras_truncation_constant():
    assert st.truncnorm(-2, 2).std() == pytest.approx(TRUNC_STD_2, rel=1e-14)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("name", CONFIG_IDS)
def test_scale_is_exactly_the_hand_computed_one(name, dtype):
    """With the same generator state, each scheme equals location + scale * (the unit variate)."""
    fn, shape, dist = CONFIGS[name]  # the KS shape: the scale depends on its fans
    g1, g2 = fi.Generator(5, 1), fi.Generator(5, 1)
    w = np.empty(shape, dtype)
    fn(w, g1)
    u = unit_fill(dist, np.empty(shape, dtype), g2)
    expected = from_unit(dist, u)
    assert g1.offset == g2.offset, "the scheme and its unit fill use different numbers of blocks"
    # rounding of the location, of the scale and of the unit variate (float32 holds it rounded)
    if isinstance(dist, Uniform):
        size = abs(dist.lo) + abs(dist.hi - dist.lo) * np.abs(u.astype(np.float64))
    else:
        size = abs(dist.mu) + dist.sd * np.abs(u.astype(np.float64))
    tol = 4 * EPS[dtype] * (np.abs(expected) + size)
    err = np.abs(w.astype(np.float64) - expected)
    assert (err <= tol).all(), (
        f"{name}: max |w - expected| = {err.max():.3e} (tolerance ~{tol.max():.1e})"
    )


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("name", CONFIG_IDS)
def test_distribution_ks_moments_bounds(name, dtype):
    fn, shape, dist = CONFIGS[name]
    w = np.empty(shape, dtype)
    out = fn(w, fi.Generator(20240607, 3))
    assert out is not None
    label = f"{name} {dtype.__name__}"
    check_bounds(w, dist, dtype, label)
    check_moments(w, dist, label)
    check_ks(w, dist, label)


NEGATIVE_CONTROLS = {
    "uniform-x1.02": ("kaiming_uniform-default", 1.02),
    "normal-x0.98": ("xavier_normal-default-conv", 0.98),
    "keras-truncated_normal-x1.02": ("he_normal", 1.02),
    "trunc_normal[-2,2]-x0.98": ("trunc_normal-default", 0.98),
}


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("family", sorted(NEGATIVE_CONTROLS))
def test_ks_negative_control_detects_2_percent_scale_error(family, dtype):
    """At N_KS samples the KS test that accepts the right distribution rejects the same family
    with the scale off by 2% (so the acceptance tests above have the power they claim)."""
    name, factor = NEGATIVE_CONTROLS[family]
    fn, shape, dist = CONFIGS[name]
    w = np.empty(shape, dtype)
    fn(w, fi.Generator(20240607, 3))
    assert w.size >= N_KS
    p_right = ks_pvalue(w, dist)
    p_wrong = ks_pvalue(w, dist.scaled(factor))
    assert p_right > P_MIN, f"{name}: right distribution rejected, p={p_right:.3e}"
    assert p_wrong < P_MIN, (
        f"{name}: KS cannot see a x{factor} scale error at n={w.size}: p={p_wrong:.3e}"
    )


# ================================================================= truncated normal: hard cases
#
# An accurate reference for N(0, 1) truncated to [alpha, beta] (standard units) in log space, so it
# stays exact thousands of sigma out, where 1 - Phi underflows or rounds to 1.


def _log_q(x):
    return log_ndtr(-np.asarray(x, np.float64))  # log P(Z > x)


def _cdf_sf_right(x, al, be):
    """(cdf, sf) for al + be >= 0 (most of the mass right of 0)."""
    x = np.clip(np.asarray(x, np.float64), al, be)
    with np.errstate(divide="ignore", invalid="ignore"):
        if al >= 0:
            lqa, lqb, lqx = _log_q(al), _log_q(be), _log_q(x)
            den = -np.expm1(lqb - lqa)
            cdf = -np.expm1(lqx - lqa) / den
            sf = np.where(x >= be, 0.0, np.exp(lqx - lqa) * -np.expm1(lqb - lqx) / den)
            return cdf, sf
        pa, qb = ndtr(al), ndtr(-be)
        den = (0.5 - pa) + (0.5 - qb)
        return (ndtr(x) - pa) / den, (ndtr(-x) - qb) / den


def tn_cdf(x, al, be):
    if al + be < 0:  # mirror
        return _cdf_sf_right(-np.asarray(x, np.float64), -be, -al)[1]
    return _cdf_sf_right(x, al, be)[0]


def tn_sf(x, al, be):
    if al + be < 0:
        return _cdf_sf_right(-np.asarray(x, np.float64), -be, -al)[0]
    return _cdf_sf_right(x, al, be)[1]


def tn_mean_std_units(al, be):
    """E[Z | al <= Z <= be] = (phi(al) - phi(be)) / (Phi(be) - Phi(al)), evaluated in log space."""
    sign = 1.0
    if al + be < 0:
        al, be, sign = -be, -al, -1.0
    if al >= 0:
        log_phi = lambda z: -0.5 * z * z - 0.5 * math.log(2 * math.pi)  # noqa: E731
        lam = math.exp(log_phi(al) - float(_log_q(al)))  # phi(al) / Q(al)
        num = -math.expm1(log_phi(be) - log_phi(al)) if math.isfinite(be) else 1.0
        den = -math.expm1(float(_log_q(be)) - float(_log_q(al)))
        return sign * lam * num / den
    return sign * (st.norm.pdf(al) - st.norm.pdf(be)) / ((0.5 - ndtr(al)) + (0.5 - ndtr(-be)))


def representable_interval(dtype, a, b):
    """The values of the dtype inside [a, b] (what the sampler clamps to)."""
    lo, hi = dtype(a), dtype(b)
    if math.isfinite(a) and float(lo) < a:
        lo = np.nextafter(lo, dtype(np.inf))
    if math.isfinite(b) and float(hi) > b:
        hi = np.nextafter(hi, dtype(-np.inf))
    return lo, hi


def randomized_pit(w, mu, sd, a, b, seed=0):
    """Randomized probability integral transform: exactly U(0, 1) if w is the dtype-rounding of a
    draw from the truncated normal. Each float32 value stands for its rounding cell (clipped to
    [a, b]); a uniform point of the cell's CDF range removes the discreteness, so the KS test is
    exact even where float32 has only a few values per standard deviation. For float64 the cells
    are negligible (< 1e-10 of the mass here) and the plain transform F(w) is used."""
    al, be = (a - mu) / sd, (b - mu) / sd
    x = w.astype(np.float64)
    if w.dtype == np.float64:
        return tn_cdf((x - mu) / sd, al, be)
    dt = w.dtype.type
    lo_t, hi_t = representable_interval(dt, a, b)
    up = np.nextafter(w, dt(np.inf)).astype(np.float64)
    dn = np.nextafter(w, dt(-np.inf)).astype(np.float64)
    lower = np.where(w == lo_t, a, (x + dn) / 2)
    upper = np.where(w == hi_t, b, (x + up) / 2)
    f_lo = tn_cdf((lower - mu) / sd, al, be)
    f_hi = tn_cdf((upper - mu) / sd, al, be)
    return f_lo + np.random.default_rng(seed).random(w.size) * (f_hi - f_lo)


INF = math.inf
HARD = {
    # id: (mean, std, a, b)
    "narrow[0.5,0.5001]": (0.0, 1.0, 0.5, 0.5001),
    "tail[5,6]": (0.0, 1.0, 5.0, 6.0),
    "tail[10,10.5]": (0.0, 1.0, 10.0, 10.5),
    "left-tail[-40,-38]": (0.0, 1.0, -40.0, -38.0),
    "far[1000,1001]": (0.0, 1.0, 1000.0, 1001.0),
    "far-left[-1001,-1000]": (0.0, 1.0, -1001.0, -1000.0),
    "mean3-std0.1[3.9,4.0]": (3.0, 0.1, 3.9, 4.0),
    "one-sided[-inf,0]": (0.0, 1.0, -INF, 0.0),
    "one-sided[0,inf]": (0.0, 1.0, 0.0, INF),
    "one-sided[3,inf]": (0.0, 1.0, 3.0, INF),
    "one-sided[-inf,-3]": (0.0, 1.0, -INF, -3.0),
    "one-sided[30,inf]": (0.0, 1.0, 30.0, INF),
    "mean-2-std3[-inf,-1]": (-2.0, 3.0, -INF, -1.0),
    "unbounded[-inf,inf]": (0.0, 1.0, -INF, INF),
    "asymmetric[-0.1,50]": (0.0, 1.0, -0.1, 50.0),
    # wide intervals (float32: rejection from the normal stream, then the exact sampler)
    "wide[-2,2]": (0.0, 1.0, -2.0, 2.0),
    "wide-shifted[-0.5,5.3]": (1.0, 2.0, -0.5, 5.3),
}
N_HARD = 200_000


def test_truncnorm_oracle_agrees_with_scipy():
    """The log-space reference above agrees with scipy where scipy is accurate."""
    for al, be in [
        (-2, 2),
        (-1, 3),
        (0.5, 0.6),
        (5, 6),
        (-6, -5),
        (-INF, 0.3),
        (1, INF),
        (-0.1, 50),
    ]:
        lo = al if math.isfinite(al) else -8.0
        hi = be if math.isfinite(be) else lo + 8.0
        x = np.linspace(lo, hi, 101)
        with np.errstate(all="ignore"):
            ref = st.truncnorm.cdf(x, al, be)
            ref_mean = st.truncnorm.mean(al, be)
        ours = tn_cdf(x, al, be)
        assert maxdiff(ours, ref) < 1e-12, f"[{al}, {be}]: max |cdf diff| {maxdiff(ours, ref):.3e}"
        assert maxdiff(1 - tn_sf(x, al, be), ref) < 1e-12
        assert tn_mean_std_units(al, be) == pytest.approx(ref_mean, rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("case", list(HARD))
def test_trunc_normal_hard_cases(case, dtype):
    """Narrow, far-tail, shifted and one-sided intervals, where a naive sampler (PyTorch's
    erfinv-based trunc_normal_) clamps, piles up at a bound or returns inf/NaN.

    * no sample outside [a, b] and none non-finite;
    * no pile-up at a bound: a value equal to the lowest (highest) representable value of the
      dtype in [a, b] can only come from the rounding cell of that value, so its count must
      match that cell's exact probability mass within binomial noise. (A fixed threshold such as
      "< 1e-3 of the samples" is not meaningful: in float32, [0.5, 0.5001] holds only ~1700
      values, and at 1000 sigma the density decays at rate ~1000 while float32's spacing is 6e-5,
      so ~3% of the samples rightly round to a = 1000. In float64 the cells hold < 1e-10 of the
      mass, so a pile-up of even a few samples fails.);
    * KS of the randomized probability integral transform against the exact log-space CDF;
      and, in float64, the plain KS test against scipy.stats.truncnorm wherever scipy's CDF is
      accurate (checked against the log-space reference on the interval's quantiles; where it is
      not, that one comparison is left out);
    * the sample mean against the closed-form mean of a truncated normal (and scipy's
      truncnorm.mean where finite and accurate).
    """
    mu, sd, a, b = HARD[case]
    al, be = (a - mu) / sd, (b - mu) / sd
    g = fi.Generator(1234, 5)
    w = np.empty(N_HARD, dtype)
    assert init.trunc_normal_(w, mu, sd, a, b, generator=g) is w
    assert g.offset == N_HARD // 2
    x = w.astype(np.float64)
    label = f"{case} {dtype.__name__}"

    # bounds
    assert np.isfinite(x).all(), f"{label}: {np.count_nonzero(~np.isfinite(x))} non-finite samples"
    assert x.min() >= a and x.max() <= b, f"{label}: [{x.min()!r}, {x.max()!r}] leaves [{a}, {b}]"

    # pile-up at the bounds
    lo_t, hi_t = representable_interval(dtype, a, b)
    for at_bound, value, neighbour, mass_fn in [
        ("a", lo_t, np.nextafter(lo_t, dtype(INF)), lambda z: tn_cdf(z, al, be)),
        ("b", hi_t, np.nextafter(hi_t, dtype(-INF)), lambda z: tn_sf(z, al, be)),
    ]:
        bound = a if at_bound == "a" else b
        if not math.isfinite(bound):
            continue
        mid = (float(value) + float(neighbour)) / 2
        p = float(mass_fn((mid - mu) / sd)) if dtype == np.float32 else 0.0
        count = int(np.count_nonzero(w == value))
        expected = N_HARD * p
        slack = 6 * math.sqrt(expected) + 3
        assert abs(count - expected) <= slack, (
            f"{label}: {count} samples equal the bound {at_bound}={float(value)!r}; its rounding "
            f"cell holds {p:.3e} of the mass, i.e. {expected:.1f} expected "
            f"(|diff| {abs(count - expected):.1f} > {slack:.1f})"
        )

    # exact distribution: randomized PIT + KS against the log-space CDF
    u = randomized_pit(w, mu, sd, a, b)
    res = kstest(u, "uniform")
    assert res.pvalue > P_MIN, f"{label}: PIT KS rejects: D={res.statistic:.3e}, p={res.pvalue:.3e}"

    # against scipy, where scipy is accurate
    if dtype == np.float64:
        qs = np.quantile(x, [0.01, 0.1, 0.5, 0.9, 0.99])
        with np.errstate(all="ignore"):
            scipy_cdf = st.truncnorm.cdf(qs, al, be, loc=mu, scale=sd)
        scipy_ok = (
            np.all(np.isfinite(scipy_cdf))
            and maxdiff(scipy_cdf, tn_cdf((qs - mu) / sd, al, be)) < 1e-9
        )
        if scipy_ok:
            with np.errstate(all="ignore"):
                res = kstest(x, st.truncnorm(al, be, loc=mu, scale=sd).cdf)
            assert res.pvalue > P_MIN, (
                f"{label}: KS vs scipy truncnorm: D={res.statistic:.3e}, p={res.pvalue:.3e}"
            )

    # the mean
    mean = mu + sd * tn_mean_std_units(al, be)
    with np.errstate(all="ignore"):
        scipy_mean = float(st.truncnorm.mean(al, be, loc=mu, scale=sd))
    if math.isfinite(scipy_mean) and abs(scipy_mean - mean) <= 1e-9 * max(1.0, abs(mean)):
        mean = scipy_mean
    ulp = float(np.spacing(dtype(max(abs(x.min()), abs(x.max())))))
    tol = 6 * x.std() / math.sqrt(N_HARD) + ulp
    assert abs(x.mean() - mean) <= tol, (
        f"{label}: |mean - {mean!r}| = {abs(x.mean() - mean):.3e} > {tol:.3e}"
    )


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize(
    "case", ["tail[5,6]", "tail[10,10.5]", "far[1000,1001]", "left-tail[-40,-38]"]
)
def test_trunc_normal_hard_case_negative_control(case, dtype):
    """The PIT KS test of the hard cases, at the same sample size, rejects the right interval with
    the std off by 2% (it has the power to see a sampler that is slightly wrong in the tail)."""
    mu, sd, a, b = HARD[case]
    w = np.empty(N_HARD, dtype)
    init.trunc_normal_(w, mu, sd, a, b, generator=fi.Generator(1234, 5))
    p = kstest(randomized_pit(w, mu, sd * 1.02, a, b), "uniform").pvalue
    assert p < P_MIN, f"{case}: KS does not reject std x1.02, p={p:.3e}"


def test_trunc_normal_torch_semantics_absolute_bounds():
    """a and b are absolute (PyTorch's trunc_normal_), not in units of std (Keras / scipy)."""
    w = init.trunc_normal(
        100_000, 10.0, 2.0, 9.0, 11.0, dtype=np.float64, generator=fi.Generator(3)
    )
    assert w.min() >= 9.0 and w.max() <= 11.0
    assert w.min() < 9.01 and w.max() > 10.99


# ============================================================================ orthogonal_

ORTHO_TOL = {np.float32: 1e-6, np.float64: 1e-13}


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize(
    "shape",
    [(64, 64), (32, 100), (100, 32), (8, 4, 3, 3), (1, 7), (7, 1), (1, 1)],
    ids=lambda s: "x".join(map(str, s)),
)
def test_orthogonal_is_orthonormal(shape, dtype):
    g = fi.Generator(17)
    w = np.empty(shape, dtype)
    assert init.orthogonal_(w, generator=g) is w
    q = w.reshape(shape[0], -1).astype(np.float64)
    rows, cols = q.shape
    gram = q @ q.T if rows <= cols else q.T @ q
    err = maxdiff(gram, np.eye(gram.shape[0]))
    assert err <= ORTHO_TOL[dtype], f"{shape} {dtype.__name__}: max |Q Q^T - I| = {err:.3e}"
    epb = 4 if dtype == np.float32 else 2
    assert g.offset == -(-(rows * cols) // epb)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("gain", [2.0, 0.5, -1.0, 3.0])
def test_orthogonal_gain(gain, dtype):
    base = init.orthogonal_(np.empty((40, 24), dtype), generator=fi.Generator(4))
    w = init.orthogonal_(np.empty((40, 24), dtype), gain, generator=fi.Generator(4))
    expected = base.astype(np.float64) * gain
    err = maxdiff(w, expected)
    assert err <= 2 * EPS[dtype] * abs(gain), f"gain {gain}: max |W - gain Q| = {err:.3e}"
    gram = w.astype(np.float64).T @ w.astype(np.float64)
    assert maxdiff(gram, gain**2 * np.eye(24)) <= ORTHO_TOL[dtype] * gain**2 * 4


def test_orthogonal_reproducible_and_seed_dependent():
    a = init.orthogonal(((30, 20)), dtype=np.float64, generator=fi.Generator(1))
    b = init.orthogonal(((30, 20)), dtype=np.float64, generator=fi.Generator(1))
    c = init.orthogonal(((30, 20)), dtype=np.float64, generator=fi.Generator(2))
    assert np.array_equal(a, b)
    assert maxdiff(a, c) > 0.1


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_orthogonal_is_haar_distributed(dtype):
    """For Haar-distributed 3x3 orthogonal Q every entry is a coordinate of a uniform point on the
    sphere S^2, i.e. uniform on [-1, 1] (Archimedes): mean 0, E[Q_ij^2] = 1/3; det(Q) = +1 or -1
    with probability 1/2 each. A QR without the sign correction fails this (Q00 < 0 always)."""
    n = 6000
    g = fi.Generator(2718)
    qs = np.empty((n, 3, 3), dtype)
    for i in range(n):
        init.orthogonal_(qs[i], generator=g)
    qs = qs.astype(np.float64)
    for i, j in [(0, 0), (0, 2), (1, 1), (2, 0), (2, 2)]:
        e = qs[:, i, j]
        se_mean, se_sq = math.sqrt(1 / 3 / n), math.sqrt(4 / 45 / n)
        assert abs(e.mean()) <= 5 * se_mean, f"E[Q{i}{j}] = {e.mean():.4f} (SE {se_mean:.4f})"
        assert abs((e * e).mean() - 1 / 3) <= 5 * se_sq, (
            f"E[Q{i}{j}^2] = {(e * e).mean():.4f}, expected 1/3"
        )
        p = st.kstest(e, st.uniform(-1, 2).cdf).pvalue
        assert p > P_MIN, f"Q{i}{j} is not uniform on [-1, 1]: KS p={p:.3e}"
    dets = np.linalg.det(qs)
    assert maxdiff(np.abs(dets), 1.0) < 1e-5
    frac = float(np.mean(dets > 0))
    assert abs(frac - 0.5) <= 5 * math.sqrt(0.25 / n), f"P(det Q = +1) = {frac:.4f}, expected 0.5"


# ============================================================================ sparse_


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize(
    ("shape", "sparsity", "nzero"),
    [
        pytest.param((10, 2000), 0.3, 3, id="10x2000-0.3"),
        pytest.param((7, 50), 0.5, 4, id="7x50-0.5-ceil"),
        pytest.param((13, 40), 0.1, 2, id="13x40-0.1-ceil"),
        pytest.param((100, 30), 0.01, 1, id="100x30-0.01"),
        pytest.param((9, 20), 0.0, 0, id="9x20-0"),
        pytest.param((9, 20), 1.0, 9, id="9x20-1"),
        pytest.param((1, 5), 0.5, 1, id="1x5-0.5"),
    ],
)
def test_sparse_zeros_per_column(shape, sparsity, nzero, dtype):
    assert nzero == math.ceil(sparsity * shape[0])
    g = fi.Generator(8)
    w = np.empty(shape, dtype)
    assert init.sparse_(w, sparsity, 0.05, generator=g) is w
    zeros = np.count_nonzero(w == 0, axis=0)
    assert (zeros == nzero).all(), (
        f"zeros per column {sorted(set(zeros.tolist()))}, expected {nzero}"
    )
    epb = 4 if dtype == np.float32 else 2
    assert g.offset == -(-w.size // epb) + -(-(shape[1] * nzero) // 2) * (nzero > 0)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_sparse_nonzeros_are_normal(dtype):
    std = 0.02
    w = init.sparse((1000, 700), 0.1, std, dtype=dtype, generator=fi.Generator(99))
    nz = w[w != 0].astype(np.float64)
    assert nz.size == 900 * 700
    dist = Normal(0.0, std)
    check_moments(nz, dist, f"sparse nonzeros {dtype.__name__}")
    check_ks(nz, dist, f"sparse nonzeros {dtype.__name__}")
    assert ks_pvalue(nz, dist.scaled(1.02)) < P_MIN, "negative control: std x1.02 not rejected"


def test_sparse_mask_is_a_uniform_random_subset():
    """Each column's zero rows are a uniform subset: with 5 rows and 2 zeros per column, each of
    the 10 pairs appears equally often (chi-square), and each row is zero 40% of the time."""
    cols = 20000
    w = init.sparse((5, cols), 0.4, dtype=np.float64, generator=fi.Generator(5))
    mask = w == 0
    assert (mask.sum(axis=0) == 2).all()
    pair_index = {}
    for i in range(5):
        for j in range(i + 1, 5):
            pair_index[(i, j)] = len(pair_index)
    rows_of = np.sort(np.argsort(~mask, axis=0, kind="stable")[:2], axis=0)
    codes = np.array([pair_index[(int(r0), int(r1))] for r0, r1 in rows_of.T])
    counts = np.bincount(codes, minlength=10)
    p = st.chisquare(counts).pvalue
    assert p > P_MIN, f"pair counts {counts.tolist()} are not uniform: chi-square p={p:.3e}"
    row_rate = mask.mean(axis=1)
    assert maxdiff(row_rate, 0.4) <= 5 * math.sqrt(0.24 / cols), f"zero rate per row {row_rate}"


def test_sparse_mask_reproducible_and_seed_dependent():
    a = init.sparse((50, 400), 0.5, generator=fi.Generator(1))
    b = init.sparse((50, 400), 0.5, generator=fi.Generator(1))
    c = init.sparse((50, 400), 0.5, generator=fi.Generator(2))
    assert np.array_equal(a, b)
    assert np.mean((a == 0) != (c == 0)) > 0.3, "different seeds give (nearly) the same mask"


@pytest.mark.parametrize("shape", [(10,), (3, 4, 5), ()], ids=["1-D", "3-D", "0-D"])
def test_sparse_requires_2d(shape):
    with pytest.raises(ValueError, match="2 dimensions"):
        init.sparse_(np.zeros(shape), 0.5)


# =================================================================== deterministic initializers


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
def test_constant_ones_zeros(dtype):
    w = np.full((3, 4, 5), 7.0, dtype)
    assert init.constant_(w, 0.1) is w
    assert (w == dtype(0.1)).all() and w.dtype == dtype
    assert init.constant_(w, -np.inf) is w and (w == -np.inf).all()
    assert init.ones_(w) is w and (w == 1).all()
    assert init.zeros_(w) is w and (w == 0).all() and not np.signbit(w).any()
    assert init.constant_(w, 3) is w and (w == 3).all()  # an int value


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize(
    "shape", [(3, 5), (5, 3), (4, 4), (1, 6), (0, 3)], ids=lambda s: "x".join(map(str, s))
)
def test_eye(shape, dtype):
    w = np.full(shape, 9.0, dtype)
    assert init.eye_(w) is w
    assert np.array_equal(w, np.eye(*shape, dtype=dtype))


DIRAC_CASES = [
    pytest.param((4, 2, 3), 1, id="conv1d-4x2x3"),
    pytest.param((6, 6, 3, 3), 1, id="conv2d-6x6x3x3"),
    pytest.param((3, 5, 2, 2), 1, id="conv2d-more-in-than-out"),
    pytest.param((4, 4, 3, 3, 3), 1, id="conv3d"),
    pytest.param((8, 3, 3, 3), 2, id="groups2"),
    pytest.param((6, 2, 4), 3, id="groups3-even-kernel"),
    pytest.param((8, 1, 5, 5), 8, id="depthwise"),
]


def dirac_by_hand(shape, groups):
    w = np.zeros(shape)
    per = shape[0] // groups
    center = tuple(k // 2 for k in shape[2:])
    for gi in range(groups):
        for d in range(min(per, shape[1])):
            w[(gi * per + d, d, *center)] = 1.0
    return w


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize(("shape", "groups"), DIRAC_CASES)
def test_dirac(shape, groups, dtype):
    w = np.full(shape, 5.0, dtype)
    assert init.dirac_(w, groups) is w
    assert np.array_equal(w, dirac_by_hand(shape, groups))


@pytest.mark.parametrize(("shape", "groups"), DIRAC_CASES)
def test_dirac_matches_torch(shape, groups):
    torch = pytest.importorskip("torch")
    t = torch.empty(shape, dtype=torch.float64)
    torch.nn.init.dirac_(t, groups)
    w = init.dirac(shape, groups, dtype=np.float64)
    assert np.array_equal(w, t.numpy()), f"max |diff| {maxdiff(w, t.numpy())}"


@pytest.mark.parametrize(
    "shape", [(3, 5), (5, 3), (4, 4), (1, 6)], ids=lambda s: "x".join(map(str, s))
)
def test_eye_matches_torch(shape):
    torch = pytest.importorskip("torch")
    t = torch.empty(shape, dtype=torch.float64)
    torch.nn.init.eye_(t)
    assert np.array_equal(init.eye(shape, dtype=np.float64), t.numpy())


def test_dirac_groups_validation():
    with pytest.raises(ValueError, match="divisible"):
        init.dirac_(np.zeros((6, 2, 3)), 4)
    with pytest.raises(ValueError, match="groups"):
        init.dirac_(np.zeros((6, 2, 3)), 0)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize(
    "shape", [(6, 6), (3, 7), (1, 1), (1, 4), (0, 2)], ids=lambda s: "x".join(map(str, s))
)
def test_zero_identity_cases(shape, dtype):
    """ZerO with P <= Q: the (partial) identity."""
    w = np.full(shape, 3.0, dtype)
    assert init.zero_(w) is w
    assert np.array_equal(w, np.eye(*shape, dtype=dtype))


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize(
    "shape",
    [(2, 1), (5, 3), (8, 3), (8, 7), (16, 5), (17, 4), (100, 64), (64, 1)],
    ids=lambda s: "x".join(map(str, s)),
)
def test_zero_hadamard_case(shape, dtype):
    """ZerO with P > Q: c * H[:P, :Q], H the 2^m Sylvester Hadamard matrix, m = ceil(log2 P),
    c = 2^(-(m-1)/2). The columns of H[:P, :Q] are orthogonal exactly when P = 2^m (then
    W^T W = c^2 2^m I = 2 I); otherwise W^T W = c^2 H[:P, :Q]^T H[:P, :Q]."""
    P, Q = shape
    m = math.ceil(math.log2(P))
    c = 2.0 ** (-(m - 1) / 2)
    H = scipy.linalg.hadamard(2**m).astype(np.float64)[:P, :Q]
    w = init.zero(shape, dtype=dtype)
    expected = (dtype(c) * H).astype(dtype)
    assert np.array_equal(w, expected), f"max |diff| {maxdiff(w, expected):.3e}"
    gram = w.astype(np.float64).T @ w.astype(np.float64)
    assert maxdiff(gram, float(dtype(c)) ** 2 * (H.T @ H)) <= 1e-12 * P
    if P == 2**m:
        assert maxdiff(gram, c * c * 2**m * np.eye(Q)) <= 10 * EPS[dtype] * P, (
            "W^T W != 2 I for P = 2^m"
        )
        assert maxdiff(gram, 2 * np.eye(Q)) <= 10 * EPS[dtype] * P


@pytest.mark.parametrize("shape", [(3,), (2, 3, 4), ()], ids=["1-D", "3-D", "0-D"])
def test_zero_requires_2d(shape):
    with pytest.raises(ValueError, match="2 dimensions"):
        init.zero_(np.zeros(shape))


def test_zero_is_deterministic_and_takes_no_generator():
    a = init.zero((12, 5))
    fi.manual_seed(1)
    b = init.zero((12, 5))
    assert np.array_equal(a, b)
    with pytest.raises(TypeError):
        init.zero_(np.zeros((12, 5)), generator=fi.Generator())


# ============================================================================ allocating twins

TWINS = {
    "uniform": ((), {}),
    "normal": ((0.0, 2.0), {}),
    "trunc_normal": ((0.0, 1.0, -1.0, 2.0), {}),
    "constant": ((1.5,), {}),
    "ones": ((), {}),
    "zeros": ((), {}),
    "eye": ((), {}),
    "dirac": ((), {}),
    "xavier_uniform": ((), {}),
    "xavier_normal": ((), {}),
    "kaiming_uniform": ((), {"mode": "fan_out"}),
    "kaiming_normal": ((), {"nonlinearity": "relu"}),
    "orthogonal": ((), {}),
    "sparse": ((0.5,), {}),
    "variance_scaling": ((2.0, "fan_avg", "uniform"), {}),
    "glorot_uniform": ((), {}),
    "glorot_normal": ((), {}),
    "he_uniform": ((), {}),
    "he_normal": ((), {}),
    "lecun_uniform": ((), {}),
    "lecun_normal": ((), {}),
    "zero": ((), {}),
}
RANDOM_TWINS = {
    "uniform",
    "normal",
    "trunc_normal",
    "xavier_uniform",
    "xavier_normal",
    "kaiming_uniform",
    "kaiming_normal",
    "orthogonal",
    "sparse",
    "variance_scaling",
    "glorot_uniform",
    "glorot_normal",
    "he_uniform",
    "he_normal",
    "lecun_uniform",
    "lecun_normal",
}
TWIN_SHAPES = {"dirac": [(4, 3, 3), (6, 2, 3, 3), (2, 1, 1)]}
DEFAULT_TWIN_SHAPES = [(3, 5), (17, 9), (64, 33), (1, 1), (7, 3)]


@pytest.mark.parametrize(
    "dtype", [None, np.float32, np.float64], ids=["default", "float32", "float64"]
)
@pytest.mark.parametrize("name", sorted(TWINS))
def test_allocating_twin(name, dtype):
    twin = getattr(init, name)
    inplace = getattr(init, name + "_")
    args, kwargs = TWINS[name]
    want_dtype = np.float32 if dtype is None else dtype
    for shape in TWIN_SHAPES.get(name, DEFAULT_TWIN_SHAPES):
        extra = {} if dtype is None else {"dtype": dtype}
        gen = {"generator": fi.Generator(3, 1)} if name in RANDOM_TWINS else {}
        a = twin(shape, *args, **kwargs, **extra, **gen)
        assert isinstance(a, np.ndarray)
        assert a.shape == shape and a.dtype == want_dtype, (a.shape, a.dtype)
        assert a.ctypes.data % 64 == 0, (
            f"{name}{shape}: data at {a.ctypes.data:#x} is not 64-byte aligned"
        )
        assert a.flags.c_contiguous and a.flags.writeable and a.flags.aligned
        gen = {"generator": fi.Generator(3, 1)} if name in RANDOM_TWINS else {}
        b = inplace(np.full(shape, np.nan, want_dtype), *args, **kwargs, **gen)
        assert np.array_equal(a, b), (
            f"{name}{shape}: twin differs from the in-place form, max |diff| {maxdiff(a, b)}"
        )


@pytest.mark.parametrize(
    "shape",
    [(0,), (0, 4), 5, 0, (), (3, 0, 2)],
    ids=["0", "0x4", "int-5", "int-0", "scalar", "3x0x2"],
)
def test_allocating_twin_odd_shapes_are_aligned(shape):
    for dtype in DTYPES:
        a = init.uniform(shape, dtype=dtype, generator=fi.Generator())
        expected = (shape,) if isinstance(shape, int) else shape
        assert a.shape == expected and a.dtype == dtype
        assert a.ctypes.data % 64 == 0


def test_twins_are_independent_buffers():
    arrays = [init.zeros((33, 7)) for _ in range(20)]
    addresses = {a.ctypes.data for a in arrays}
    assert len(addresses) == 20
    arrays[0][:] = 1
    assert all((a == 0).all() for a in arrays[1:])


# ============================================================================ registry


PYTORCH_NAMES = [
    "uniform",
    "normal",
    "trunc_normal",
    "constant",
    "ones",
    "zeros",
    "eye",
    "dirac",
    "xavier_uniform",
    "xavier_normal",
    "kaiming_uniform",
    "kaiming_normal",
    "orthogonal",
    "sparse",
]
KERAS_NAMES = [
    "variance_scaling",
    "glorot_uniform",
    "glorot_normal",
    "he_uniform",
    "he_normal",
    "lecun_uniform",
    "lecun_normal",
    "zero",
]


def test_available_lists_every_initializer_sorted():
    names = init.available()
    assert names == sorted(names)
    assert len(names) == len(set(names))
    missing = [n for n in PYTORCH_NAMES + KERAS_NAMES if n not in names]
    assert not missing, f"available() misses {missing}"


@pytest.mark.parametrize("name", PYTORCH_NAMES + KERAS_NAMES)
def test_get_returns_the_in_place_function(name):
    fn = getattr(init, name + "_")
    assert init.get(name) is fn
    assert init.get(name + "_") is fn


@pytest.mark.parametrize("name", init.available())
def test_every_available_name_resolves(name):
    """available() is documented as the names get() accepts."""
    fn = init.get(name)
    assert callable(fn)


def test_get_unknown_name_lists_valid_names():
    with pytest.raises(ValueError, match="no_such_init") as exc:
        init.get("no_such_init")
    missing = [n for n in init.available() if n not in str(exc.value)]
    assert not missing, f"message {str(exc.value)!r} does not list {missing}"
    with pytest.raises(TypeError):
        init.get(3)
