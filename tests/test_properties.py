"""Hypothesis property tests over the public Python API.

Whatever a pipeline hands it — any shape (0-size and 1-element dimensions included), dtype,
memory layout, seed, name and numeric edge value (NaN, +-inf, subnormals, 1e38, values beyond
float32's range) — every public function either returns a correct result or raises the documented
exception (DESIGN.md section 4, README):

* TypeError: a wrong dtype, something that is not an array, a generator that is not one;
* ValueError: a non-contiguous, read-only or misaligned array, a bad value, an unknown name (the
  message lists the valid ones), non-finite data where finite data is required
  (``fastinit.NonFiniteError`` is a ValueError);
* MemoryError: a size that cannot be allocated (before anything is allocated).

A call that raises changes nothing: neither the array nor the generator. A call that returns is
checked against what the function promises: values inside the distribution's support (never NaN,
never outside [a, b]), the exact deterministic patterns (eye, dirac, ZerO), orthogonality, the
per-column zero count of ``sparse_``, bit-identical results for the same generator state and for the
allocating twins, and the generator advanced by exactly the blocks used. The MLP, the clipping
functions and the optimizers are compared with the NumPy oracle ``tests/reference.py``.

Failures found here are kept as explicit regression tests at the bottom of this file.

Run more examples locally with ``HYPOTHESIS_PROFILE=dev python -m pytest tests/test_properties.py``.
"""

from __future__ import annotations

import math
import os
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import fastinit as fi
import fastinit.theory  # noqa: F401  (fi.theory)
import numpy as np
import pytest
from fastinit import init
from hypothesis import assume, example, given, note
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))
import reference as ref  # noqa: E402
from helpers import GAIN_NAMES  # noqa: E402

NAN, INF = math.nan, math.inf
F32_MAX = float(np.finfo(np.float32).max)

# ----------------------------------------------------------------------------- strategies
EDGE = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    0.5,
    2.0,
    1e-3,
    NAN,
    INF,
    -INF,
    5e-324,
    -5e-324,
    1.4e-45,
    1e-40,
    1e-38,
    2.2250738585072014e-308,  # subnormals and tiny
    1e38,
    -1e38,
    2e38,
    -2e38,
    F32_MAX,
    3.5e38,
    1e39,
    -1e39,
    1e300,
    -1e300,
    1.7976931348623157e308,
]
edge_floats = st.one_of(st.sampled_from(EDGE), st.floats(-10, 10, allow_nan=False, width=32))
small_floats = st.floats(-4, 4, allow_nan=False, allow_infinity=False)
FLOAT_DTYPES = [np.dtype(np.float32), np.dtype(np.float64)]
HALF_DTYPES = [np.dtype(np.float16)]  # an output dtype of initializers, not of networks
BAD_DTYPES = [np.dtype(t) for t in (np.int32, np.int64, np.uint8, np.complex64, np.bool_)]
dtypes = st.sampled_from(FLOAT_DTYPES)
seeds = st.integers(0, 2**64 - 1)
# Shapes with 0-size and 1-element dimensions, at most 4 dims and a few hundred elements.
dims = st.one_of(st.integers(0, 2), st.integers(0, 7))
shapes = st.lists(dims, min_size=0, max_size=4).map(tuple)
shapes_2d = st.tuples(dims, dims)
LAYOUTS = ["c", "f", "strided", "reversed", "readonly", "misaligned"]


def rng_gen(seed: int, stream: int = 0, offset: int = 0) -> fi.Generator:
    return fi.Generator(seed, stream, offset)


def make_array(
    shape: tuple[int, ...], dtype: np.dtype, layout: str, fill: float = 7.0
) -> np.ndarray:
    """An array of ``shape`` and ``dtype`` in the given memory layout, filled with ``fill``."""
    n = int(np.prod(shape, dtype=np.int64))
    if layout == "c":
        a = np.full(shape, fill, dtype)
    elif layout == "f":
        a = np.asfortranarray(np.full(shape, fill, dtype))
    elif layout == "strided":
        big = np.full((*shape[:-1], 2 * shape[-1]) if shape else (2,), fill, dtype)
        a = big[..., ::2] if shape else big[::2].reshape(())
    elif layout == "reversed":
        a = np.full(shape, fill, dtype)
        a = a[::-1] if shape else a
    elif layout == "readonly":
        a = np.full(shape, fill, dtype)
        a.setflags(write=False)
    elif layout == "misaligned":
        raw = np.zeros(n * dtype.itemsize + 1, np.uint8)[1:]
        a = raw.view(dtype).reshape(shape)
        if a.flags.writeable:
            a[...] = fill
    else:  # pragma: no cover
        raise AssertionError(layout)
    return a


def layout_error(a: np.ndarray) -> type[BaseException] | None:
    """The documented exception for an in-place call on ``a``, or None when ``a`` is acceptable."""
    if a.dtype not in FLOAT_DTYPES + HALF_DTYPES:
        return TypeError
    if not a.flags.c_contiguous or not a.flags.writeable or not a.flags.aligned:
        return ValueError
    return None


def cast(x: float, dtype: np.dtype) -> float:
    """``x`` rounded to ``dtype`` (inf when it overflows), as a Python float."""
    with np.errstate(over="ignore"):
        return float(np.asarray(x, np.float64).astype(dtype))


# ----------------------------------------------------------------------------- initializer specs
@dataclass
class Spec:
    """One in-place initializer: how to call it with params ``p`` and what a result must satisfy."""

    name: str
    params: st.SearchStrategy[dict[str, Any]]
    call: Callable[..., Any]  # call(f, w, p, g): f is init.<name>_ (or its allocating twin)
    check: Callable[[np.ndarray, dict[str, Any], tuple[int, ...]], None]
    random: bool = True
    takes_fans: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def fans_of(shape: tuple[int, ...], p: dict[str, Any]) -> tuple[float, float]:
    if len(shape) >= 2:
        rf = float(np.prod(shape[2:])) if len(shape) > 2 else 1.0
        fan_in, fan_out = shape[1] * rf, shape[0] * rf
    else:
        fan_in = fan_out = NAN
    if p.get("fan_in") is not None:
        fan_in = p["fan_in"]
    if p.get("fan_out") is not None:
        fan_out = p["fan_out"]
    return fan_in, fan_out


def f64(w: np.ndarray) -> np.ndarray:
    return np.asarray(w, np.float64)


def check_no_nan(w: np.ndarray) -> None:
    assert not np.isnan(w).any(), f"NaN in the result: {w.ravel()[:8]}"


def check_bounded(w: np.ndarray, bound: float, what: str) -> None:
    """|w| <= bound (bound in double); values that overflow the dtype are allowed only when the
    bound itself is beyond the dtype's range."""
    check_no_nan(w)
    x = f64(w)
    finite = np.isfinite(x)
    if bound < 0.5 * float(np.finfo(w.dtype).max):
        assert finite.all(), (
            f"{what}: non-finite values for a finite bound {bound}: {x.ravel()[:8]}"
        )
    tol = bound * 1e-6 + 1e-300
    assert (np.abs(x[finite]) <= bound + tol).all(), f"{what}: |w| exceeds {bound}: {x.ravel()[:8]}"


def check_uniform(w, p, shape):
    lo, hi = cast(p["a"], w.dtype), cast(p["b"], w.dtype)
    check_no_nan(w)
    x = f64(w)
    assert ((x >= lo) & (x <= hi)).all(), f"U({p['a']}, {p['b']}) gave {x.ravel()[:8]}"


def check_normal(w, p, shape):
    mean, std = p["mean"], p["std"]
    check_no_nan(w)
    x = f64(w)
    if std == 0:
        assert (x == cast(mean, w.dtype)).all()
        return
    bound = abs(mean) + 8.6 * std
    if bound < 0.5 * float(np.finfo(w.dtype).max):
        assert np.isfinite(x).all(), f"N({mean}, {std}^2) gave non-finite values"
        assert (np.abs(x - mean) <= 8.6 * std + abs(mean) * 1e-6 + 1e-300).all()


def check_trunc(w, p, shape):
    x = f64(w)
    assert np.isfinite(x).all(), f"trunc_normal_ gave non-finite values: {x.ravel()[:8]}"
    assert ((x >= p["a"]) & (x <= p["b"])).all(), f"trunc_normal_ left [{p['a']}, {p['b']}]"


def check_constant(w, p, shape):
    assert (f64(w) == cast(p["val"], w.dtype)).all()


def check_value(v):
    return lambda w, p, shape: np.testing.assert_array_equal(w, np.full(shape, v, w.dtype))


def check_eye(w, p, shape):
    np.testing.assert_array_equal(w, np.eye(*shape, dtype=w.dtype))


def dirac_reference(shape: tuple[int, ...], groups: int) -> np.ndarray:
    out = np.zeros(shape)
    per = shape[0] // groups
    for g in range(groups):
        for d in range(min(per, shape[1])):
            out[(g * per + d, d, *(s // 2 for s in shape[2:]))] = 1
    return out


def check_dirac(w, p, shape):
    np.testing.assert_array_equal(w, dirac_reference(shape, p.get("groups", 1)))


def zero_reference(shape: tuple[int, int]) -> np.ndarray:
    P, Q = shape
    if P <= Q:
        return np.eye(P, Q)
    m = math.ceil(math.log2(P))
    i = np.arange(P)[:, None] & np.arange(Q)[None, :]
    signs = np.array([1.0, -1.0])[np.vectorize(lambda v: bin(v).count("1") & 1)(i)]
    return signs * 2.0 ** (-(m - 1) / 2)


def check_zero(w, p, shape):
    np.testing.assert_allclose(f64(w), zero_reference(shape), rtol=1e-6)


def kaiming_std(shape, p):
    fan_in, fan_out = fans_of(shape, p)
    fan = fan_in if p.get("mode", "fan_in") == "fan_in" else fan_out
    nl = p.get("nonlinearity", "leaky_relu")
    gain = fi.init.calculate_gain(nl, p.get("a", 0.0) if nl == "leaky_relu" else None)
    return gain / math.sqrt(fan)


def xavier_std(shape, p):
    fan_in, fan_out = fans_of(shape, p)
    return p.get("gain", 1.0) * math.sqrt(2.0 / (fan_in + fan_out))


def vs_bound(shape, p):
    fan_in, fan_out = fans_of(shape, p)
    fan = {
        "fan_in": fan_in,
        "fan_out": fan_out,
        "fan_avg": (fan_in + fan_out) / 2,
        "fan_geo_avg": math.sqrt(fan_in * fan_out),
    }[p.get("mode", "fan_in")]
    var = p.get("scale", 1.0) / max(1.0, fan)
    dist = p.get("distribution", "truncated_normal")
    if dist == "truncated_normal":
        return 2 * math.sqrt(var) / 0.87962566103423978
    if dist == "untruncated_normal":
        return 8.6 * math.sqrt(var)
    return math.sqrt(3 * var)


def check_orthogonal(w, p, shape):
    check_no_nan(w)
    gain = abs(p.get("gain", 1.0))
    info = np.finfo(w.dtype)
    x = f64(w)
    finite = np.isfinite(x)
    assert (np.abs(x[finite]) <= gain * (1 + 1e-5)).all(), "orthogonal_: |w| > |gain|"
    if not (float(info.tiny) * 1e6 < gain < float(info.max) / 1e3):
        return  # gain itself (nearly) under- or overflows the dtype: rounding decides the values
    rows = shape[0]
    m = x.reshape(rows, -1) / gain
    gram = m @ m.T if m.shape[0] <= m.shape[1] else m.T @ m
    atol = (1e-4 if w.dtype == np.float32 else 1e-10) * max(m.shape)
    np.testing.assert_allclose(gram, np.eye(gram.shape[0]), atol=atol)


def check_sparse(w, p, shape):
    check_bounded(w, 8.6 * p["std"], "sparse_")
    rows, cols = shape
    nzero = math.ceil(p["sparsity"] * rows)
    if cols and rows:
        zeros_per_col = (f64(w) == 0).sum(axis=0)
        assert (zeros_per_col >= nzero).all(), (zeros_per_col, nzero)
        if p["std"] > 1e-30:
            assert (zeros_per_col <= nzero + 1).all(), (zeros_per_col, nzero)


fan_override = st.one_of(
    st.none(), st.sampled_from([1.0, 3.0, 0.0, -1.0, NAN, INF, 5e-324, 1e-300, 1e300])
)
modes = st.sampled_from(["fan_in", "fan_out", "fan_avg", "fan_geo_avg", "FAN_IN", ""])
nonlinearities = st.sampled_from(
    ["linear", "conv2d", "sigmoid", "tanh", "relu", "leaky_relu", "selu", "gelu", "Relu", ""]
)
distributions = st.sampled_from(["truncated_normal", "untruncated_normal", "uniform", "normal", ""])


def fan_params(**kw: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(kw, optional={"fan_in": fan_override, "fan_out": fan_override})


def _fans_kw(p):
    return {k: p[k] for k in ("fan_in", "fan_out") if p.get(k) is not None}


SPECS = [
    Spec(
        "uniform_",
        st.fixed_dictionaries({"a": edge_floats, "b": edge_floats}),
        lambda f, w, p, g: f(w, p["a"], p["b"], generator=g),
        check_uniform,
    ),
    Spec(
        "normal_",
        st.fixed_dictionaries({"mean": edge_floats, "std": edge_floats}),
        lambda f, w, p, g: f(w, p["mean"], p["std"], generator=g),
        check_normal,
    ),
    Spec(
        "trunc_normal_",
        st.fixed_dictionaries(
            {"mean": edge_floats, "std": edge_floats, "a": edge_floats, "b": edge_floats}
        ),
        lambda f, w, p, g: f(w, p["mean"], p["std"], p["a"], p["b"], generator=g),
        check_trunc,
    ),
    Spec(
        "constant_",
        st.fixed_dictionaries({"val": edge_floats}),
        lambda f, w, p, g: f(w, p["val"]),
        check_constant,
        random=False,
    ),
    Spec("ones_", st.just({}), lambda f, w, p, g: f(w), check_value(1.0), random=False),
    Spec("zeros_", st.just({}), lambda f, w, p, g: f(w), check_value(0.0), random=False),
    Spec("eye_", st.just({}), lambda f, w, p, g: f(w), check_eye, random=False),
    Spec(
        "dirac_",
        st.fixed_dictionaries({"groups": st.integers(-1, 4)}),
        lambda f, w, p, g: f(w, p["groups"]),
        check_dirac,
        random=False,
    ),
    Spec("zero_", st.just({}), lambda f, w, p, g: f(w), check_zero, random=False),
    Spec(
        "xavier_uniform_",
        fan_params(gain=edge_floats),
        lambda f, w, p, g: f(w, p["gain"], generator=g, **_fans_kw(p)),
        lambda w, p, s: check_bounded(w, math.sqrt(3) * xavier_std(s, p), "xavier_uniform_"),
        takes_fans=True,
    ),
    Spec(
        "xavier_normal_",
        fan_params(gain=edge_floats),
        lambda f, w, p, g: f(w, p["gain"], generator=g, **_fans_kw(p)),
        lambda w, p, s: check_bounded(w, 8.6 * xavier_std(s, p), "xavier_normal_"),
        takes_fans=True,
    ),
    Spec(
        "kaiming_uniform_",
        fan_params(a=edge_floats, mode=modes, nonlinearity=nonlinearities),
        lambda f, w, p, g: f(w, p["a"], p["mode"], p["nonlinearity"], generator=g, **_fans_kw(p)),
        lambda w, p, s: check_bounded(w, math.sqrt(3) * kaiming_std(s, p), "kaiming_uniform_"),
        takes_fans=True,
    ),
    Spec(
        "kaiming_normal_",
        fan_params(a=edge_floats, mode=modes, nonlinearity=nonlinearities),
        lambda f, w, p, g: f(w, p["a"], p["mode"], p["nonlinearity"], generator=g, **_fans_kw(p)),
        lambda w, p, s: check_bounded(w, 8.6 * kaiming_std(s, p), "kaiming_normal_"),
        takes_fans=True,
    ),
    Spec(
        "orthogonal_",
        st.fixed_dictionaries({"gain": edge_floats}),
        lambda f, w, p, g: f(w, p["gain"], generator=g),
        check_orthogonal,
    ),
    Spec(
        "sparse_",
        st.fixed_dictionaries({"sparsity": edge_floats, "std": edge_floats}),
        lambda f, w, p, g: f(w, p["sparsity"], p["std"], generator=g),
        check_sparse,
    ),
    Spec(
        "variance_scaling_",
        fan_params(scale=edge_floats, mode=modes, distribution=distributions),
        lambda f, w, p, g: f(
            w, p["scale"], p["mode"], p["distribution"], generator=g, **_fans_kw(p)
        ),
        lambda w, p, s: check_bounded(w, vs_bound(s, p), "variance_scaling_"),
        takes_fans=True,
    ),
]
for _name, _scale, _mode, _dist in [
    ("glorot_uniform_", 1.0, "fan_avg", "uniform"),
    ("glorot_normal_", 1.0, "fan_avg", "truncated_normal"),
    ("he_uniform_", 2.0, "fan_in", "uniform"),
    ("he_normal_", 2.0, "fan_in", "truncated_normal"),
    ("lecun_uniform_", 1.0, "fan_in", "uniform"),
    ("lecun_normal_", 1.0, "fan_in", "truncated_normal"),
]:
    SPECS.append(
        Spec(
            _name,
            fan_params(),
            lambda f, w, p, g: f(w, generator=g, **_fans_kw(p)),
            (
                lambda sc, mo, di: (
                    lambda w, p, s: check_bounded(
                        w, vs_bound(s, {**p, "scale": sc, "mode": mo, "distribution": di}), "keras"
                    )
                )
            )(_scale, _mode, _dist),
            takes_fans=True,
        )
    )
SPEC_BY_NAME = {s.name: s for s in SPECS}


def test_every_in_place_initializer_has_a_spec():
    public = {n for n in init.__all__ if n.endswith("_") and n != "lsuv_"}
    assert public == set(SPEC_BY_NAME), public ^ set(SPEC_BY_NAME)


# Parameters every initializer accepts: the calls that test layouts, dtypes and argument types.
VALID_PARAMS: dict[str, Any] = {
    "a": -1.0,
    "b": 1.0,
    "mean": 0.0,
    "std": 1.0,
    "val": 0.25,
    "groups": 1,
    "gain": 1.0,
    "mode": "fan_in",
    "nonlinearity": "relu",
    "scale": 1.0,
    "distribution": "uniform",
    "sparsity": 0.5,
}


def call_spec(spec: Spec, w: Any, p: dict[str, Any], g: Any) -> Any:
    return spec.call(getattr(init, spec.name), w, p, g)


def call_twin(
    spec: Spec, shape: tuple[int, ...], dtype: np.dtype, p: dict[str, Any], g: Any
) -> Any:
    """The allocating twin ``init.<name>(shape, ..., dtype=)``, called like the in-place one."""
    twin = getattr(init, spec.name[:-1])
    return spec.call(lambda shp, *a, **k: twin(shp, *a, dtype=dtype, **k), shape, p, g)


def run_spec(spec: Spec, w: np.ndarray, p: dict[str, Any], seed: int, offset: int) -> Any:
    """Calls the initializer; returns the result or the exception, and checks that a refused call
    changed neither the array nor the generator, and that a call that returned is reproducible
    (same generator state, same bits) and equal to its allocating twin."""
    g = rng_gen(seed, 3, offset)
    before = np.array(w, copy=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # overflow inside the oracle's casts
        try:
            out = call_spec(spec, w, p, g)
        except (TypeError, ValueError, MemoryError) as exc:
            note(f"{spec.name}{p} on {w.dtype}{w.shape} raised {type(exc).__name__}: {exc}")
            assert g.offset == offset, "a refused call moved the generator"
            np.testing.assert_array_equal(w, before, err_msg="a refused call changed the array")
            return exc
    assert out is w, "an in-place initializer must return the array it was given"
    if not spec.random:
        assert g.offset == offset
    again = np.full(w.shape, 3.0, w.dtype)
    call_spec(spec, again, p, rng_gen(seed, 3, offset))
    assert again.tobytes() == w.tobytes(), "the same generator state gave other bits"
    g2 = rng_gen(seed, 3, offset)
    t = call_twin(spec, w.shape, w.dtype, p, g2)
    assert t.shape == w.shape and t.dtype == w.dtype and t.flags.c_contiguous
    assert t.tobytes() == w.tobytes(), "the allocating twin differs from the in-place call"
    assert g2.offset == g.offset
    return out


@pytest.mark.parametrize("name", sorted(SPEC_BY_NAME))
@given(data=st.data(), shape=shapes, dtype=dtypes, seed=seeds, offset=st.integers(0, 2**20))
def test_initializer_returns_correct_values_or_raises(name, data, shape, dtype, seed, offset):
    spec = SPEC_BY_NAME[name]
    p = data.draw(spec.params, label="params")
    w = make_array(shape, dtype, "c")
    out = run_spec(spec, w, p, seed, offset)
    if isinstance(out, BaseException):
        assert not isinstance(out, (TypeError, MemoryError)), f"{type(out).__name__}: {out}"
        return
    if w.size:
        spec.check(w, p, shape)


@pytest.mark.parametrize("name", sorted(SPEC_BY_NAME))
@given(
    shape=shapes,
    dtype=st.sampled_from(FLOAT_DTYPES + HALF_DTYPES + BAD_DTYPES),
    layout=st.sampled_from(LAYOUTS),
)
def test_initializer_layouts_and_dtypes(name, shape, dtype, layout):
    """A wrong dtype is a TypeError; a non-contiguous, read-only or misaligned array a ValueError;
    never a silent copy (the caller's array is the one written, or nothing is written)."""
    spec = SPEC_BY_NAME[name]
    assume(layout not in ("strided", "reversed") or len(shape) >= 1)
    w = make_array(shape, dtype, layout)
    expected = layout_error(w)
    p = VALID_PARAMS
    before = np.array(w, copy=True)
    g = rng_gen(1, 2, 3)
    try:
        out = call_spec(spec, w, p, g)
    except (TypeError, ValueError) as exc:
        if expected is not None:
            assert isinstance(exc, expected), f"expected {expected.__name__}, got {exc!r}"
        np.testing.assert_array_equal(w, before)
        assert g.offset == 3
        return
    assert expected is None, f"{name} accepted a {layout} {dtype} array of shape {shape}"
    assert out is w


@pytest.mark.parametrize(
    "bad",
    [[1.0, 2.0], (3, 4), 1.5, None, "w", np.float32(1.0)],
    ids=["list", "tuple", "float", "None", "str", "numpy-scalar"],
)
@pytest.mark.parametrize("name", sorted(SPEC_BY_NAME))
def test_initializer_non_array_is_a_type_error(name, bad):
    p = VALID_PARAMS
    with pytest.raises(TypeError):
        call_spec(SPEC_BY_NAME[name], bad, p, rng_gen(0))


# ----------------------------------------------------------------------------- allocating twins
twin_shapes = st.one_of(
    shapes,
    st.integers(-3, 8),
    st.lists(st.integers(-(2**65), 2**65), min_size=1, max_size=3).map(tuple),
    st.lists(st.sampled_from([2**31, 2**32, 2**40, 2**62, 2**63 - 1]), min_size=1, max_size=3).map(
        tuple
    ),
)


@given(
    shape=twin_shapes,
    dtype=st.sampled_from(FLOAT_DTYPES + HALF_DTYPES + BAD_DTYPES[:2]),
    name=st.sampled_from(["zeros", "normal", "uniform", "orthogonal", "eye", "kaiming_normal"]),
)
def test_twin_sizes(shape, dtype, name):
    """Negative sizes are a ValueError, impossible sizes a MemoryError (raised before anything is
    allocated, so it is quick), a bad dtype a TypeError; otherwise the array has the shape."""
    dims_ = (shape,) if isinstance(shape, int) else shape
    n_bytes = int(np.prod([max(d, 0) for d in dims_], dtype=object)) * max(dtype.itemsize, 4)
    assume(n_bytes < 2**26 or any(d < 0 for d in dims_) or n_bytes >= 2**62)
    g = rng_gen(5)
    try:
        w = (
            getattr(init, name)(shape, dtype=dtype, generator=g)
            if name not in ("zeros", "eye")
            else getattr(init, name)(shape, dtype=dtype)
        )
    except TypeError:
        assert dtype not in FLOAT_DTYPES + HALF_DTYPES
        return
    except MemoryError:
        assert n_bytes >= 2**62 and all(d >= 0 for d in dims_)
        assert g.offset == 0
        return
    except ValueError as exc:
        assert any(d < 0 for d in dims_) or name in ("orthogonal", "eye", "kaiming_normal"), exc
        return
    assert dtype in FLOAT_DTYPES + HALF_DTYPES and w.dtype == dtype and w.shape == tuple(dims_)
    assert w.flags.c_contiguous and w.flags.writeable
    assert w.ctypes.data % 64 == 0, "fastinit's own arrays are 64-byte aligned"


# ----------------------------------------------------------------------------- names
@given(name=st.text(max_size=12))
def test_unknown_names_list_the_valid_ones(name):
    valid_inits = init.available()
    if name in valid_inits or (name.endswith("_") and name[:-1] in valid_inits):
        assert callable(init.get(name))
    else:
        with pytest.raises(ValueError) as e:
            init.get(name)
        assert all(v in str(e.value) for v in valid_inits)
    gains = GAIN_NAMES
    if name in gains:
        assert init.calculate_gain(name) > 0
    else:
        with pytest.raises(ValueError) as e:
            init.calculate_gain(name)
        assert all(v in str(e.value) for v in gains)
    acts = fi._core.activation_names()  # type: ignore[attr-defined]
    if name not in acts and name != "linear":
        with pytest.raises(ValueError) as e:
            fi.MLP([2, 3, 1], activation=name)
        assert all(v in str(e.value) for v in acts)
        with pytest.raises(ValueError):
            fi.theory.chi1(name, 1.0, 0.0)


# ----------------------------------------------------------------------------- the generator
@given(
    seed=seeds,
    stream=seeds,
    offset=st.integers(0, 2**64 - 2**20),
    n=st.integers(0, 300),
    k=st.integers(0, 300),
    dtype=dtypes,
    fill=st.sampled_from(["uniform_", "normal_", "trunc_normal_"]),
)
def test_any_chunking_gives_the_same_bits(seed, stream, offset, n, k, dtype, fill):
    """Element i of a fill is a function of (seed, stream, offset + i // per_block) only: a fill of
    n elements equals a fill of the first k (k a multiple of the elements per block) followed by
    the rest, and the generator ends at the same offset."""
    per_block = {("uniform_", 4): 4, ("normal_", 4): 4}.get((fill, dtype.itemsize), 2)
    k = min(k - k % per_block, n - n % per_block)
    fn = getattr(init, fill)
    whole = np.empty(n, dtype)
    g1 = fi.Generator(seed, stream, offset)
    fn(whole, generator=g1)
    g2 = fi.Generator(seed, stream, offset)
    head, tail = np.empty(k, dtype), np.empty(n - k, dtype)
    fn(head, generator=g2)
    fn(tail, generator=g2)
    np.testing.assert_array_equal(np.concatenate([head, tail]).view(np.uint8), whole.view(np.uint8))
    assert g1.offset == g2.offset == offset + -(-n // per_block)


@given(seed=seeds, stream=seeds, a=st.integers(0, 5), b=st.integers(0, 5))
def test_spawn_is_a_running_sequence(seed, stream, a, b):
    g1, g2 = fi.Generator(seed, stream), fi.Generator(seed, stream)
    kids1 = g1.spawn(a) + g1.spawn(b)
    kids2 = g2.spawn(a + b)
    assert [(k.seed, k.stream, k.offset) for k in kids1] == [
        (k.seed, k.stream, k.offset) for k in kids2
    ]
    assert g1.spawned == g2.spawned == a + b
    streams = {k.stream for k in kids1}
    assert len(streams) == a + b and stream not in streams


@given(
    seed=st.one_of(seeds, st.integers(-(2**70), -1), st.integers(2**64, 2**70)),
    stream=seeds,
    offset=st.one_of(seeds, st.integers(-5, -1)),
)
def test_generator_state_and_pickling(seed, stream, offset):
    import copy
    import pickle

    if not (0 <= seed < 2**64 and 0 <= offset < 2**64):
        with pytest.raises((TypeError, OverflowError, ValueError)):
            fi.Generator(seed, stream, offset)
        return
    g = fi.Generator(seed, stream, offset)
    g.spawn(2)
    for h in (
        pickle.loads(pickle.dumps(g, protocol=p)) for p in range(pickle.HIGHEST_PROTOCOL + 1)
    ):
        assert (h.seed, h.stream, h.offset, h.spawned) == (seed, stream, offset, 2)
    c = copy.deepcopy(g)
    assert (c.seed, c.stream, c.offset, c.spawned) == (seed, stream, offset, 2)


@given(offset=st.integers(2**64 - 40, 2**64 - 1), n=st.integers(1, 200), dtype=dtypes)
def test_the_end_of_a_stream_raises_instead_of_wrapping(offset, n, dtype):
    g = fi.Generator(1, 2, offset)
    w = np.full(n, 9.0, dtype)
    per_block = 4 if dtype == np.float32 else 2
    need = -(-n // per_block)
    if need <= 2**64 - offset:
        init.uniform_(w, generator=g)
        assert g.offset == (offset + need) % 2**64
        assert ((w >= 0) & (w < 1)).all()
    else:
        with pytest.raises(ValueError):
            init.uniform_(w, generator=g)
        assert g.offset == offset and (w == 9.0).all()


# ----------------------------------------------------------------------------- the MLP
ACTS = list(ref.ACTIVATIONS)


@st.composite
def nets(draw):
    sizes = draw(st.lists(st.integers(1, 6), min_size=2, max_size=4))
    act = draw(st.sampled_from(ACTS))
    output = draw(st.sampled_from(["linear", "sigmoid", "softmax"]))
    dtype = draw(dtypes)
    seed = draw(seeds)
    net = fi.MLP(
        sizes,
        activation=act,
        output=output,
        dtype=dtype,
        generator=fi.Generator(seed),
        init="xavier_normal",
        bias_init="normal",
        bias_init_kwargs={"std": 0.1},
    )
    return net


def targets_for(net: fi.MLP, n: int, draw: Any) -> np.ndarray:
    K = net.layer_sizes[-1]
    if net.output == "softmax" and draw(st.booleans()):
        return np.asarray(draw(st.lists(st.integers(0, K - 1), min_size=n, max_size=n)), np.int64)
    vals = st.floats(0, 1) if net.output == "sigmoid" else small_floats
    return np.asarray(draw(st.lists(vals, min_size=n * K, max_size=n * K)), net.dtype).reshape(n, K)


def ref_params(net: fi.MLP) -> list[tuple[np.ndarray, np.ndarray]]:
    pairs = zip(net.weights, net.biases, strict=True)
    return [(w.astype(np.float64), b.astype(np.float64)) for w, b in pairs]


def tol(net: fi.MLP) -> dict[str, float]:
    return (
        {"rtol": 2e-4, "atol": 2e-5} if net.dtype == np.float32 else {"rtol": 1e-9, "atol": 1e-11}
    )


@given(net=nets(), data=st.data())
def test_mlp_matches_the_oracle(net, data):
    n = data.draw(st.integers(1, 5), label="N")
    D0 = net.layer_sizes[0]
    X = np.asarray(data.draw(st.lists(small_floats, min_size=n * D0, max_size=n * D0)), net.dtype)
    X = X.reshape(n, D0)
    y = targets_for(net, n, data.draw)
    acts = list(net.activations)
    P = net.forward(X)
    expected = ref.forward(ref_params(net), X, acts, net.output)["P"]
    np.testing.assert_allclose(P, expected, **tol(net))
    loss, grads = net.loss_and_grad(X, y)
    r = ref.backward(ref_params(net), X, y, acts, net.output)
    assert math.isclose(loss, r["loss"], rel_tol=tol(net)["rtol"], abs_tol=tol(net)["atol"])
    for layer in range(net.num_layers):
        scale = max(1.0, float(np.abs(r["dW"][layer]).max(initial=0)))
        np.testing.assert_allclose(
            grads.weights[layer],
            r["dW"][layer],
            rtol=tol(net)["rtol"],
            atol=tol(net)["atol"] * scale,
        )
        np.testing.assert_allclose(
            grads.biases[layer],
            r["db"][layer],
            rtol=tol(net)["rtol"],
            atol=tol(net)["atol"] * scale,
        )


@given(net=nets(), data=st.data())
def test_mlp_inputs_are_checked(net, data):
    """X: real numbers (TypeError), shape (N, D_0) with N >= 1 and finite (ValueError); any real
    dtype or layout is converted once to the network's dtype; never a crash."""
    D0 = net.layer_sizes[0]
    n = data.draw(st.integers(0, 4), label="N")
    cols = data.draw(st.sampled_from([D0, D0 + 1, max(D0 - 1, 0)]), label="cols")
    dtype = data.draw(st.sampled_from(FLOAT_DTYPES + BAD_DTYPES), label="dtype")
    layout = data.draw(st.sampled_from(["c", "f", "strided", "readonly"]), label="layout")
    value = data.draw(edge_floats, label="value")
    X = make_array((n, cols), dtype, layout, fill=0.5)
    if X.size and X.flags.writeable and X.dtype.kind == "f":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            X.flat[data.draw(st.integers(0, X.size - 1))] = value
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        converted = X.astype(net.dtype) if X.dtype.kind in "fiub" else X
        finite = bool(np.isfinite(converted).all()) if X.dtype.kind in "fiub" else True
    try:
        P = net.forward(X)
    except TypeError:
        assert X.dtype.kind not in "fiub"
        return
    except ValueError:
        assert cols != D0 or n == 0 or not finite
        return
    assert X.dtype.kind in "fiub" and cols == D0 and n >= 1 and finite
    assert P.shape == (n, net.layer_sizes[-1]) and P.dtype == net.dtype
    # converted once, as NumPy-based libraries do: the same as the caller converting it
    np.testing.assert_array_equal(P, net.forward(np.ascontiguousarray(converted)))


@given(net=nets(), data=st.data())
def test_mlp_targets_are_checked(net, data):
    n = data.draw(st.integers(1, 4), label="N")
    K = net.layer_sizes[-1]
    X = np.zeros((n, net.layer_sizes[0]), net.dtype)
    kind = data.draw(st.sampled_from(["labels", "dense"]))
    if kind == "labels":
        labels = data.draw(
            st.lists(
                st.integers(-(2**63), 2**63 - 1) | st.integers(-2, K + 1), min_size=n, max_size=n
            )
        )
        y = np.asarray(labels, np.int64)
        ok = net.output == "softmax" and all(0 <= v < K for v in labels)
    else:
        vals = data.draw(st.lists(edge_floats, min_size=n * K, max_size=n * K))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            y = np.asarray(vals, net.dtype).reshape(n, K)
        ok = bool(np.isfinite(y).all()) and (
            net.output != "sigmoid" or bool(((y >= 0) & (y <= 1)).all())
        )
    try:
        loss, _ = net.loss_and_grad(X, y)
    except ValueError:
        assert not ok
        return
    assert ok
    assert not math.isnan(loss)


@given(
    sizes=st.lists(st.integers(-2, 4), min_size=0, max_size=4),
    dtype=st.sampled_from(FLOAT_DTYPES + HALF_DTYPES + BAD_DTYPES[:1]),
)
def test_mlp_constructor(sizes, dtype):
    try:
        net = fi.MLP(sizes, dtype=dtype, generator=fi.Generator(0))
    except TypeError:
        assert dtype not in FLOAT_DTYPES
        return
    except ValueError:
        assert len(sizes) < 2 or min(sizes) < 1
        return
    assert dtype in FLOAT_DTYPES and len(sizes) >= 2 and min(sizes) >= 1
    assert [w.shape for w in net.weights] == list(zip(sizes[1:], sizes[:-1], strict=True))


# ----------------------------------------------------------------------------- clipping
@st.composite
def grad_lists(draw):
    dtype = draw(dtypes)
    shapes_ = draw(
        st.lists(st.tuples(st.integers(0, 3), st.integers(1, 3)), min_size=0, max_size=3)
    )
    out = []
    for s in shapes_:
        vals = draw(
            st.lists(
                st.one_of(small_floats, st.sampled_from(EDGE)),
                min_size=s[0] * s[1],
                max_size=s[0] * s[1],
            )
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            out.append(np.asarray(vals, dtype).reshape(s))
    return out


norm_types = st.sampled_from([1.0, 2.0, 3.0, 0.5, INF, 0.0, -1.0, NAN, -INF])


def _same(a: float, b: float, rtol: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b or math.isclose(a, b, rel_tol=rtol)


@given(grads=grad_lists(), max_norm=edge_floats, norm_type=norm_types, error=st.booleans())
def test_clip_grad_norm_matches_pytorch_semantics(grads, max_norm, norm_type, error):
    before = [g.copy() for g in grads]
    try:
        total = fi.clip_grad_norm_(grads, max_norm, norm_type, error_if_nonfinite=error)
    except fi.NonFiniteError:
        assert error
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            _, expected_total = ref.clip_grad_norm(before, 0.0, norm_type)
        assert not math.isfinite(expected_total)
        for g, b in zip(grads, before, strict=True):
            np.testing.assert_array_equal(g, b)
        return
    except ValueError:
        assert math.isnan(norm_type) or norm_type <= 0 or math.isnan(max_norm) or max_norm < 0
        for g, b in zip(grads, before, strict=True):
            np.testing.assert_array_equal(g, b)
        return
    assert norm_type > 0 and max_norm >= 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected, expected_total = ref.clip_grad_norm(before, max_norm, norm_type)
    assert _same(total, expected_total, 1e-9), (total, expected_total)
    rtol = 1e-6 if grads and grads[0].dtype == np.float32 else 1e-12
    for g, e in zip(grads, expected, strict=True):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            e_t = e.astype(g.dtype)
        np.testing.assert_allclose(g, e_t, rtol=rtol, atol=0, equal_nan=True)


@given(grads=grad_lists(), clip=edge_floats)
def test_clip_grad_value(grads, clip):
    before = [g.copy() for g in grads]
    try:
        fi.clip_grad_value_(grads, clip)
    except ValueError:
        assert math.isnan(clip)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for g, b in zip(grads, before, strict=True):
            v = cast(clip, g.dtype)
            # torch.clamp(g, -v, v): max first, then min (a negative v sets every element to v)
            np.testing.assert_array_equal(g, np.minimum(np.maximum(b, -v), v))


@given(grads=grad_lists(), threshold=edge_floats)
def test_clip_by_norm(grads, threshold):
    before = [g.copy() for g in grads]
    try:
        norms = fi.clip_by_norm_(grads, threshold)
    except ValueError:
        assert math.isnan(threshold) or threshold < 0
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = ref.clip_by_norm(before, threshold)
        for g, e, b, n in zip(grads, expected, before, norms, strict=True):
            assert _same(n, ref._tensor_norm(b, 2.0), 1e-9)
            rtol = 1e-6 if g.dtype == np.float32 else 1e-12
            np.testing.assert_allclose(g, e.astype(g.dtype), rtol=rtol, atol=0, equal_nan=True)


@given(grads=grad_lists(), data=st.data())
def test_clipping_refuses_mixed_or_bad_arrays(grads, data):
    assume(grads)
    other = np.float64 if grads[0].dtype == np.float32 else np.float32
    kind = data.draw(st.sampled_from(["dtype", "readonly", "list"]))
    bad = list(grads)
    if kind == "dtype":
        bad.append(np.zeros(3, other))
        exc: type[BaseException] = TypeError
    elif kind == "readonly":
        r = np.zeros(3, grads[0].dtype)
        r.setflags(write=False)
        bad.append(r)
        exc = ValueError
    else:
        bad.append([1.0, 2.0])
        exc = TypeError
    before = [g.copy() for g in grads]
    for fn in (
        lambda: fi.clip_grad_norm_(bad, 1e-3),
        lambda: fi.clip_grad_value_(bad, 1e-3),
        lambda: fi.clip_by_norm_(bad, 1e-3),
    ):
        with pytest.raises(exc):
            fn()
        for g, b in zip(grads, before, strict=True):
            np.testing.assert_array_equal(g, b)


# ----------------------------------------------------------------------------- optimizers
@given(net=nets(), data=st.data())
def test_optimizers_match_the_oracle_or_refuse(net, data):
    kind = data.draw(st.sampled_from(["SGD", "Adam", "AdamW"]))
    lr = data.draw(st.one_of(st.sampled_from([0.1, 0.0, -1.0, NAN, INF]), st.floats(0, 1)))
    kw: dict[str, Any] = {"lr": lr}
    if kind == "SGD":
        kw["momentum"] = data.draw(st.sampled_from([0.0, 0.9, -0.5, NAN]))
        kw["nesterov"] = data.draw(st.booleans())
    else:
        kw["betas"] = (data.draw(st.sampled_from([0.9, 0.0, 1.0, -0.1, NAN])), 0.999)
    kw["weight_decay"] = data.draw(st.sampled_from([0.0, 0.01, -1.0, INF]))
    try:
        opt = getattr(fi.optim, kind)(net, **kw)
    except ValueError:
        return
    X = np.linspace(-1, 1, 2 * net.layer_sizes[0]).astype(net.dtype).reshape(2, -1)
    y = np.zeros((2, net.layer_sizes[-1]), net.dtype)
    if net.output == "softmax":
        y[:, 0] = 1
    params = [p.astype(np.float64) for p in net.parameters()]
    oracle = getattr(ref, kind)(params, **kw)
    for _ in range(2):
        _, g = net.loss_and_grad(X, y)
        grads = [t.astype(np.float64) for t in g.tensors()]
        opt.step(g)
        oracle.step(grads)
        params_now = [p.astype(np.float64) for p in net.parameters()]
        for got, want in zip(params_now, oracle.params, strict=True):
            np.testing.assert_allclose(
                got,
                want,
                rtol=1e-4 if net.dtype == np.float32 else 1e-10,
                atol=1e-5 if net.dtype == np.float32 else 1e-12,
            )
        # keep the oracle on fastinit's (rounded) parameters so float32 rounding does not drift
        for o, p in zip(oracle.params, params_now, strict=True):
            o[...] = p


# ----------------------------------------------------------------------------- theory
theory_values = st.one_of(st.sampled_from(EDGE), st.floats(0, 4))


@given(
    act=st.sampled_from(ACTS),
    sw=theory_values,
    sb=theory_values,
    q=theory_values,
    fn=st.sampled_from(["q_map", "chi", "q_map_slope", "chi1", "q_star", "critical_sigma_w"]),
)
def test_theory_returns_a_number_or_raises(act, sw, sb, q, fn):
    """Mean-field quantities: a ValueError for parameters outside their domain, otherwise a
    number that is not NaN (inf only where the theory says so)."""
    T = fi.theory
    calls = {
        "q_map": lambda: T.q_map(act, q, sw, sb),
        "chi": lambda: T.chi(act, q, sw),
        "q_map_slope": lambda: T.q_map_slope(act, q, sw),
        "chi1": lambda: T.chi1(act, sw, sb, q0=max(q, 0.0) if not math.isnan(q) else q),
        "q_star": lambda: T.q_star(act, sw, sb),
        "critical_sigma_w": lambda: T.critical_sigma_w(act, sigma_b=sb),
    }
    try:
        r = calls[fn]()
    except ValueError as exc:
        note(str(exc))
        return
    assert isinstance(r, float) and not math.isnan(r), f"{fn}({act}, sw={sw}, sb={sb}, q={q}) = {r}"
    assert r >= 0 or fn == "q_map_slope"


# ----------------------------------------------------------------------------- regressions
# Inputs that the properties above found; kept explicit so that they run on every profile.


@pytest.mark.parametrize(
    "a, b",
    [(-2e38, 2e38), (-3e38, 3e38), (0.0, 3.4e38), (-1e39, 1e39), (-1e300, 1e300)],
    ids=["-2e38..2e38", "-3e38..3e38", "0..3.4e38", "-1e39..1e39", "-1e300..1e300"],
)
def test_regression_uniform_float32_wide_interval(a, b):
    """uniform_ on float32 with b - a beyond float32's range gave inf for every element (and NaN
    when a or b themselves overflow float32). Either the values are right (inside [a, b] rounded to
    float32, no NaN) or the call is refused with a ValueError, as PyTorch refuses it."""
    w = np.zeros(64, np.float32)
    g = fi.Generator(0)
    try:
        init.uniform_(w, a, b, generator=g)
    except ValueError:
        assert (w == 0).all() and g.offset == 0
        return
    check_uniform(w, {"a": a, "b": b}, w.shape)
    assert np.isfinite(w).all() or not (abs(a) <= F32_MAX and abs(b) <= F32_MAX)


@pytest.mark.parametrize(
    "call",
    [
        lambda w, g: init.xavier_uniform_(w, 1.0, generator=g, fan_in=1e-300, fan_out=1e-300),
        lambda w, g: init.kaiming_uniform_(w, generator=g, fan_in=1e-300),
        lambda w, g: init.variance_scaling_(w, 1e300, "fan_in", "uniform", generator=g),
        lambda w, g: init.he_uniform_(w, generator=g, fan_in=1e-300),
    ],
    ids=["xavier_uniform", "kaiming_uniform", "variance_scaling_uniform", "he_uniform"],
)
def test_regression_uniform_based_initializers_never_give_nan(call):
    """The same overflow reached through the fan-based uniform initializers (a tiny fan_in override
    or a huge scale makes the bound overflow float32): NaN must never come back."""
    w = np.zeros((4, 5), np.float32)
    g = fi.Generator(0)
    try:
        call(w, g)
    except ValueError:
        assert (w == 0).all() and g.offset == 0
        return
    check_no_nan(w)


@pytest.mark.parametrize("gain", [1e39, 1e300, -1e39], ids=["1e39", "1e300", "-1e39"])
def test_regression_orthogonal_gain_beyond_float32(gain):
    """orthogonal_(w_float32, gain) with a gain beyond float32's range: finite values or a refusal,
    never NaN."""
    w = np.zeros((3, 4), np.float32)
    try:
        init.orthogonal_(w, gain, generator=fi.Generator(0))
    except ValueError:
        return
    check_no_nan(w)


def test_regression_mlp_cache_after_forward_is_not_stale():
    """After net.forward(X) (no loss), net.cache('A', L-1) returned the prediction of an earlier
    loss() call on other data (or uninitialized memory): a cache either holds the last pass's
    values or is refused."""
    net = fi.MLP([3, 4, 2], output="softmax", generator=fi.Generator(0))
    X1 = np.ones((5, 3), np.float32)
    net.loss(X1, np.array([0, 1, 0, 1, 1]))
    X2 = 2 * X1
    P = net.forward(X2)
    try:
        A = net.cache("A", net.num_layers - 1)
    except ValueError:
        return
    np.testing.assert_allclose(A, P, rtol=1e-6)


@example(n=3)
@given(n=st.integers(1, 8))
def test_regression_mlp_grad_caches_refused_or_current_after_forward(n):
    """dZ / dA of the last pass: after a forward-only pass with a different batch size the
    gradient caches are either refused or consistent with that pass (not stale rows of an older
    backward, nor uninitialized memory)."""
    net = fi.MLP([3, 4, 2], output="linear", generator=fi.Generator(0))
    net.loss_and_grad(np.ones((2, 3), np.float32), np.zeros((2, 2), np.float32))
    net.forward(np.ones((n, 3), np.float32))
    for kind in ("dZ", "dA"):
        try:
            c = net.cache(kind, 0)
        except ValueError:
            continue
        pytest.fail(
            f"cache({kind!r}) after a forward-only pass returned {c.shape} values that "
            "belong to no pass of this batch"
        )


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize(
    "mean, std, a, b",
    [
        (0.0, 1.0, 1e300, INF),  # alpha = 1e300: log Q(alpha) underflows to -inf
        (-2.0, 1e-300, 3.0, 40.0),  # alpha = 5e300
        (40.0, 5e-324, 5e-324, 3.0),  # (a - mean) / std overflows to -inf on both sides
        (-1e300, 1000.0, 1.4e-45, 1e38),  # alpha = 1e297
        (0.0, 1.0, -INF, -1e300),  # the mirrored case
        # alpha = 9e55, log Q(alpha) finite: AS 241's rational form overflowed (inf / inf)
        (-4.6123586151994557e-268, 5e-324, 5e-324, 1e300),
        (0.0, 1.0, 1e60, INF),
        (0.0, 1.0, -INF, -1e60),
    ],
    ids=[
        "tail-1e300",
        "tail-5e300",
        "both-bounds-overflow",
        "tail-1e297",
        "mirrored-tail",
        "tail-9e55",
        "tail-1e60",
        "mirrored-tail-1e60",
    ],
)
def test_regression_trunc_normal_far_tail_is_not_nan(mean, std, a, b, dtype):
    """trunc_normal_ returned NaN for every element when the interval lies so far in a tail that
    log Q(alpha) underflows (found by the fuzzer, fuzz/regressions/trunc-normal-far-tail). The
    conditional distribution is then a point mass at the bound nearest the mean: the values must lie
    in [a, b] (or the call be refused with a ValueError), never be NaN."""
    w = np.zeros(16, dtype)
    try:
        init.trunc_normal_(w, mean, std, a, b, generator=fi.Generator(0))
    except ValueError:
        return
    x = f64(w)
    assert np.isfinite(x).all() and ((x >= a) & (x <= b)).all(), x[:4]


@pytest.mark.parametrize("a", [2e5, 1e6, 1e7])
def test_trunc_normal_beyond_as241_range_has_the_tail_law(a):
    """Past AS 241's range (sqrt(-log Q(a)) > 1e5, so a > 1.42e5) the inverse starts Newton from
    the asymptote. The excess X - a of N(0, 1) conditioned on X > a is then Exp(a) to first order:
    a * (X - a) has mean 1 and standard deviation 1. 20000 draws: both within 5 % (7 sigma; at
    a = 1e7 float64's spacing is 2 % of the mean excess)."""
    w = init.trunc_normal(20000, 0.0, 1.0, a, INF, dtype=np.float64, generator=fi.Generator(3))
    excess = (w - a) * a
    assert (excess >= 0).all() and np.isfinite(excess).all()
    assert abs(excess.mean() - 1.0) < 0.05, excess.mean()
    assert abs(excess.std() - 1.0) < 0.05, excess.std()


@pytest.mark.parametrize(
    "a, b",
    [(1e39, INF), (-INF, -1e39), (3.5e38, 1e39)],
    ids=["above-float32", "below-float32", "between-max-and-inf"],
)
def test_regression_trunc_normal_interval_beyond_float32(a, b):
    """[a, b] holds no finite float32: trunc_normal_ on float32 returned +-FLT_MAX, outside [a, b].
    It must refuse (ValueError: no value of the dtype lies in [a, b])."""
    w = np.zeros(8, np.float32)
    with pytest.raises(ValueError):
        init.trunc_normal_(w, 0.0, 1.0, a, b, generator=fi.Generator(0))
    assert (w == 0).all()


@pytest.mark.parametrize(
    "call, valid",
    [
        (lambda n: init.calculate_gain(n), ["linear", "tanh", "relu", "leaky_relu", "selu"]),
        (lambda n: init.kaiming_normal_(np.zeros((2, 2)), mode=n), ["fan_in", "fan_out"]),
        (lambda n: init.variance_scaling_(np.zeros((2, 2)), distribution=n), ["uniform"]),
        (lambda n: fi.theory.chi1(n, 1.0, 0.0), ["tanh", "relu", "silu"]),
    ],
    ids=["calculate_gain", "kaiming_mode", "variance_scaling_distribution", "theory_activation"],
)
@pytest.mark.parametrize(
    "name", ["\x00", "re\x00lu", "\x00\x01\n"], ids=["nul", "inner-nul", "ctl"]
)
def test_regression_unknown_name_with_a_nul_byte_still_lists_the_valid_ones(call, valid, name):
    """An unknown name holding a NUL byte cut the C++ message short at the NUL (the message is
    passed on as a C string): "unknown nonlinearity '" and nothing else. The message must still
    list the valid names (e.g. with the bad name escaped, as repr() does)."""
    with pytest.raises(ValueError) as e:
        call(name)
    assert all(v in str(e.value) for v in valid), repr(str(e.value))


# Under AddressSanitizer a failed `operator new` of a huge size aborts the process instead of
# throwing std::bad_alloc (allocator_may_return_null only covers malloc): skip those cases there.
UNDER_ASAN = "libasan" in os.environ.get("LD_PRELOAD", "")
huge_new = pytest.mark.skipif(UNDER_ASAN, reason="ASan aborts on a failed huge operator new")


@pytest.mark.parametrize(
    "n", [2**62, 2**60, pytest.param(2**40, marks=huge_new)], ids=["2^62", "2^60", "2^40"]
)
def test_regression_refused_spawn_changes_nothing(n):
    """Generator.spawn(n) for an n that cannot be allocated raised (a ValueError reading
    "vector::reserve", or MemoryError) but had already advanced ``spawned``: the next spawn then
    skipped 2^62 children. A refused spawn must leave the generator as it was."""
    g = fi.Generator(1)
    g.spawn(2)
    with pytest.raises((ValueError, MemoryError)):
        g.spawn(n)
    assert g.spawned == 2
    assert [k.stream for k in g.spawn(1)] == [k.stream for k in fi.Generator(1).spawn(3)[2:]]


def test_regression_size_errors_name_the_argument():
    """A depth too large to allocate reached the user as ValueError('vector::_M_default_append'),
    a C++ library message naming nothing. It must be a MemoryError or a ValueError that names
    the argument."""
    with pytest.raises((ValueError, MemoryError)) as e:
        fi.theory.predicted_log_slopes("tanh", 1.0, 0.0, depth=2**62)
    assert isinstance(e.value, MemoryError) or "depth" in str(e.value), repr(e.value)


@pytest.mark.parametrize(
    "slope", [1e155, 1e200, 1e300, -1e300], ids=["1e155", "1e200", "1e300", "-1e300"]
)
def test_regression_calculate_gain_huge_slope(slope):
    """calculate_gain('leaky_relu', slope) = sqrt(2 / (1 + slope^2)) gave 0.0 once slope^2
    overflows (found by the fuzzer, fuzz/regressions/calculate-gain-huge-slope), although the gain
    sqrt(2) / |slope| is a normal double. It must be right (sqrt(2) / hypot(1, slope)) or refused
    (PyTorch's float arithmetic raises OverflowError there)."""
    try:
        gain = init.calculate_gain("leaky_relu", slope)
    except (ValueError, OverflowError):
        return
    assert math.isclose(gain, math.sqrt(2) / math.hypot(1, slope), rel_tol=1e-12), gain
