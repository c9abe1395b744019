"""float16 / bfloat16 outputs: NumPy float16 and ml_dtypes.bfloat16 arrays, torch half / bfloat16
tensors.

Every initializer computes in float32 and rounds to nearest even (checked against NumPy's,
ml_dtypes' and torch's own float32 -> 16-bit conversions); the truncated normal is exact after
rounding: no sample outside [a, b], and the count at each bound's rounding cell matches that
cell's probability under the exact law (which clamping would exceed)."""

from __future__ import annotations

import math
from typing import Any

import fastinit as fi
import numpy as np
import pytest
from scipy import stats

torch = pytest.importorskip("torch")
ml_dtypes = pytest.importorskip("ml_dtypes")

BF16 = np.dtype(ml_dtypes.bfloat16)
F16 = np.dtype(np.float16)
ARGS = {
    "uniform_": {"a": -0.3, "b": 0.7},
    "normal_": {"std": 0.02},
    "xavier_uniform_": {},
    "xavier_normal_": {},
    "kaiming_uniform_": {},
    "kaiming_normal_": {"nonlinearity": "relu"},
    "orthogonal_": {},
    "sparse_": {"sparsity": 0.5},
    "variance_scaling_": {},
    "he_normal_": {},
    "lecun_uniform_": {},
}
DETERMINISTIC = {"ones_": {}, "zeros_": {}, "eye_": {}, "zero_": {}, "constant_": {"val": 0.1}}


def _target(shape: Any, dtype: Any) -> tuple[Any, np.ndarray]:
    """(the object to fill, a NumPy view of its values): a NumPy float16 or ml_dtypes bfloat16
    array, or a torch half tensor (whose NumPy view is float16)."""
    if dtype == "torch.float16":
        t = torch.full(
            shape if isinstance(shape, tuple) else (shape,), float("nan"), dtype=torch.float16
        )
        return t, t.numpy()
    a = np.full(shape, np.nan, dtype)
    return a, a


@pytest.mark.parametrize(
    "dtype", [F16, BF16, "torch.float16"], ids=["float16", "bfloat16", "torch-float16"]
)
@pytest.mark.parametrize("name", sorted(ARGS) + sorted(DETERMINISTIC))
def test_16bit_is_the_float32_fill_rounded_to_nearest_even(name: str, dtype: Any) -> None:
    kw = {**ARGS.get(name, {}), **DETERMINISTIC.get(name, {})}
    if name in ARGS:
        kw["generator"] = fi.Generator(3)
    obj, w = _target((48, 40), dtype)
    assert getattr(fi.init, name)(obj, **kw) is obj
    if name in ARGS:
        kw["generator"] = fi.Generator(3)
    ref = getattr(fi.init, name)(np.empty((48, 40), np.float32), **kw)
    np.testing.assert_array_equal(w.view(np.uint16), ref.astype(w.dtype).view(np.uint16))


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("name", ["kaiming_normal_", "uniform_", "orthogonal_", "ones_"])
def test_torch_16bit_parameter_in_place(name: str, dtype: str) -> None:
    tdt = getattr(torch, dtype)
    kw: dict[str, Any] = dict(ARGS.get(name, {}))
    if name != "ones_":
        kw["generator"] = fi.Generator(4)
    p = torch.nn.Parameter(torch.empty(32, 24, dtype=tdt))
    ptr = p.data_ptr()
    assert getattr(fi.init, name)(p, **kw) is p and p.data_ptr() == ptr and p.dtype == tdt
    if name != "ones_":
        kw["generator"] = fi.Generator(4)
    ref = torch.from_numpy(getattr(fi.init, name)(np.empty((32, 24), np.float32), **kw)).to(tdt)
    assert torch.equal(p.detach(), ref)  # torch's own float32 -> 16-bit rounding
    (p.float() * 2).sum().backward()
    assert p.grad is not None and p.grad.dtype == tdt


@pytest.mark.parametrize("dtype", [F16, BF16], ids=["float16", "bfloat16"])
def test_allocating_twins_take_16bit_dtypes(dtype: Any) -> None:
    w = fi.init.normal((3, 4), std=2.0, dtype=dtype, generator=fi.Generator(0))
    ref = fi.init.normal((3, 4), std=2.0, generator=fi.Generator(0)).astype(dtype)
    assert w.dtype == dtype
    np.testing.assert_array_equal(w.view(np.uint16), ref.view(np.uint16))


def test_numpy_float16_in_place_layouts() -> None:
    """NumPy float16 arrays follow the layout rules of every target: written in place (the very
    array returned), non-contiguous and read-only ones refused with nothing written."""
    w = np.zeros((5, 4), F16)
    assert fi.init.normal_(w, generator=fi.Generator(1)) is w and (w != 0).any()
    t = np.zeros((4, 5), F16).T
    with pytest.raises(ValueError, match="C-contiguous"):
        fi.init.normal_(t)
    r = np.zeros(4, F16)
    r.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        fi.init.normal_(r)
    assert (t == 0).all() and (r == 0).all()


def test_16bit_errors() -> None:
    with pytest.raises(ValueError, match="C-contiguous"):
        fi.init.normal_(np.zeros((4, 6), BF16)[:, ::2])
    with pytest.raises(ValueError, match="C-contiguous"):
        fi.init.trunc_normal_(torch.zeros(6, 4, dtype=torch.bfloat16).t())
    ro = np.zeros(4, BF16)
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        fi.init.normal_(ro)
    with pytest.raises(ValueError, match="meta"):
        fi.init.normal_(torch.empty(3, dtype=torch.float16, device="meta"))
    with pytest.raises(ValueError, match="no finite value"):
        fi.init.trunc_normal_(torch.zeros(4, dtype=torch.float16), a=7e4, b=8e4)
    with pytest.raises(ValueError, match="a < b"):
        fi.init.trunc_normal_(np.zeros(4, BF16), a=1.0, b=1.0)


# --------------------------------------------------------------------- the exact truncated normal
def _grid(dtype: Any) -> np.ndarray:
    """Every finite non-negative value of the 16-bit format, as float64, ascending."""
    bits = np.arange(0x7C00 if dtype == F16 else 0x7F80, dtype=np.uint16)
    return bits.view(dtype).astype(np.float64)


def _cells(dtype: Any, a: float, b: float) -> tuple[float, float, float, float]:
    """(lo, hi, a', b'): the extreme 16-bit values in [a, b] and the outer rounding edges of
    their cells, cut by [a, b] (the law of fill.hpp: N on [a', b'], rounded once)."""
    g = _grid(dtype)
    g = np.concatenate([-g[:0:-1], g])
    inside = g[(g >= a) & (g <= b)]
    lo, hi = inside[0], inside[-1]
    i_lo, i_hi = np.searchsorted(g, lo), np.searchsorted(g, hi)
    return lo, hi, max(a, (lo + g[i_lo - 1]) / 2), min(b, (hi + g[i_hi + 1]) / 2)


CASES = [
    (BF16, 0.02, -0.04, 0.04),
    (BF16, 1e-3, -2e-3, 2e-3),
    (F16, 1e-3, -2e-3, 2e-3),
    (F16, 0.02, -0.04, 0.04),
    (BF16, 1.0, 0.3, 2.7),
]


@pytest.mark.parametrize("dtype,std,a,b", CASES)
def test_trunc_normal_16bit_exact_after_rounding(
    dtype: Any, std: float, a: float, b: float
) -> None:
    n = 1_000_000
    obj, x = _target(n, dtype)
    fi.init.trunc_normal_(obj, 0.0, std, a, b, generator=fi.Generator(8))
    v = x.astype(np.float64)
    assert v.min() >= a and v.max() <= b  # no sample outside [a, b], no outlier
    lo, hi, a2, b2 = _cells(dtype, a, b)
    assert v.min() == lo and v.max() == hi
    cdf = stats.norm(0.0, std).cdf
    z = cdf(b2) - cdf(a2)
    g = np.concatenate([-_grid(dtype)[:0:-1], _grid(dtype)])
    for val, outer, inner_nb in ((hi, b2, g[np.searchsorted(g, hi) - 1]), (lo, a2, None)):
        if inner_nb is not None:
            p = (cdf(outer) - cdf((val + inner_nb) / 2)) / z
            piled = (cdf(b) - cdf(b2)) / z  # what clamping to hi would add
        else:
            above = g[np.searchsorted(g, lo) + 1]
            p = (cdf((val + above) / 2) - cdf(outer)) / z
            piled = (cdf(a2) - cdf(a)) / z
        count = int(np.sum(v == val))
        sd = math.sqrt(n * p * (1 - p))
        assert abs(count - n * p) < 5 * sd, (val, count, n * p)
        if piled * n > 8 * sd:  # a clamp to the bound would fail here (bf16, std 0.02)
            assert count < n * (p + piled) - 5 * sd
    # and the whole law: the 16-bit samples against exact float64 ones rounded the same way
    exact = fi.init.trunc_normal_(np.empty(200_000), 0.0, std, a2, b2, generator=fi.Generator(9))
    assert stats.ks_2samp(v[:200_000], exact.astype(dtype).astype(np.float64)).pvalue > 1e-4


def _bf16_of_double(d: np.ndarray) -> np.ndarray:
    """Nearest-even bfloat16 of float64 values, computed on the float64 bits (one rounding;
    ml_dtypes goes through float32, which rounds twice)."""
    bits = d.view(np.uint64)
    keep = (bits >> np.uint64(45)) & np.uint64(1)
    r = (bits + np.uint64((1 << 44) - 1) + keep) >> np.uint64(45) << np.uint64(45)
    return r.view(np.float64)


@pytest.mark.parametrize("dtype", [F16, BF16], ids=["float16", "bfloat16"])
def test_trunc_normal_16bit_rounds_the_double_once(dtype: Any) -> None:
    # a and b on the grid: the 16-bit law is the float64 one rounded (a' = a, b' = b)
    a, b = -0.5, 0.75
    obj, x = _target(100_000, dtype)
    fi.init.trunc_normal_(obj, 0.0, 0.3, a, b, generator=fi.Generator(1))
    d = fi.init.trunc_normal_(np.empty(100_000), 0.0, 0.3, a, b, generator=fi.Generator(1))
    ref = d.astype(F16).astype(np.float64) if dtype == F16 else _bf16_of_double(d)
    np.testing.assert_array_equal(x.astype(np.float64), ref)


def test_bf16_double_rounding_case() -> None:
    # 1 + 2^-8 + 2^-30 lies just above the midpoint of 1 and 1 + 2^-7: rounded once it goes up
    d = np.array([1 + 2**-8 + 2**-30])
    assert _bf16_of_double(d)[0] == 1 + 2**-7


def test_torch_bf16_trunc_normal_has_no_pile_at_the_bound() -> None:
    t = fi.init.trunc_normal_(
        torch.empty(1_000_000, dtype=torch.bfloat16),
        std=0.02,
        a=-0.04,
        b=0.04,
        generator=fi.Generator(5),
    )
    v = t.float().numpy().astype(np.float64)
    ref = fi.init.trunc_normal_(
        np.empty(1_000_000, BF16), 0.0, 0.02, -0.04, 0.04, generator=fi.Generator(5)
    )
    np.testing.assert_array_equal(v, ref.astype(np.float64))
    assert v.max() <= 0.04 and v.min() >= -0.04


def test_16bit_fills_from_several_threads_and_sizes() -> None:
    from concurrent.futures import ThreadPoolExecutor

    shapes = [(300, 200), (7, 2), (1000, 513), (3, 5, 7), (1 << 12, 1 << 12 | 1)]  # last: unkept

    def run(i: int) -> np.ndarray:
        w = np.empty(shapes[i % len(shapes)], BF16)
        return fi.init.kaiming_normal_(w, generator=fi.Generator(i))

    with ThreadPoolExecutor(4) as ex:
        got = list(ex.map(run, range(20)))
    for i, w in enumerate(got):
        ref = fi.init.kaiming_normal(w.shape, generator=fi.Generator(i)).astype(BF16)
        np.testing.assert_array_equal(w.view(np.uint16), ref.view(np.uint16))
