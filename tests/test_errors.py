"""Errors and the in-place contract of fastinit.init.

Wrong inputs raise typed Python exceptions with useful messages (never a silent copy, never a
crash): TypeError for a wrong dtype / a non-array / a wrong generator, ValueError for a bad layout,
a read-only array, an unknown name (the message lists the valid ones), non-finite or out-of-range
parameters and negative sizes, MemoryError for sizes that cannot be allocated. A call that raises
leaves the array and the generator untouched. Zero-size arrays are no-ops wherever PyTorch accepts
them, and every in-place function returns the very array it was given.
"""

from __future__ import annotations

import math
import warnings

import fastinit as fi
import numpy as np
import pytest
from fastinit import init
from helpers import GAIN_NAMES

NAN, INF = math.nan, math.inf


def gen() -> fi.Generator:
    return fi.Generator(11, 2, 3)


# Every in-place initializer with valid arguments; `shape` is a valid shape for it.
INPLACE = {
    "uniform_": (lambda w, **k: init.uniform_(w, -1.0, 1.0, **k), (4, 6), True),
    "normal_": (lambda w, **k: init.normal_(w, 0.0, 1.0, **k), (4, 6), True),
    "trunc_normal_": (lambda w, **k: init.trunc_normal_(w, 0.0, 1.0, -2.0, 2.0, **k), (4, 6), True),
    "constant_": (lambda w, **k: init.constant_(w, 0.5), (4, 6), False),
    "ones_": (lambda w, **k: init.ones_(w), (4, 6), False),
    "zeros_": (lambda w, **k: init.zeros_(w), (4, 6), False),
    "eye_": (lambda w, **k: init.eye_(w), (4, 6), False),
    "dirac_": (lambda w, **k: init.dirac_(w), (4, 2, 3), False),
    "xavier_uniform_": (lambda w, **k: init.xavier_uniform_(w, **k), (4, 6), True),
    "xavier_normal_": (lambda w, **k: init.xavier_normal_(w, **k), (4, 6), True),
    "kaiming_uniform_": (lambda w, **k: init.kaiming_uniform_(w, **k), (4, 6), True),
    "kaiming_normal_": (lambda w, **k: init.kaiming_normal_(w, **k), (4, 6), True),
    "orthogonal_": (lambda w, **k: init.orthogonal_(w, **k), (4, 6), True),
    "sparse_": (lambda w, **k: init.sparse_(w, 0.5, **k), (4, 6), True),
    "variance_scaling_": (lambda w, **k: init.variance_scaling_(w, **k), (4, 6), True),
    "glorot_uniform_": (lambda w, **k: init.glorot_uniform_(w, **k), (4, 6), True),
    "glorot_normal_": (lambda w, **k: init.glorot_normal_(w, **k), (4, 6), True),
    "he_uniform_": (lambda w, **k: init.he_uniform_(w, **k), (4, 6), True),
    "he_normal_": (lambda w, **k: init.he_normal_(w, **k), (4, 6), True),
    "lecun_uniform_": (lambda w, **k: init.lecun_uniform_(w, **k), (4, 6), True),
    "lecun_normal_": (lambda w, **k: init.lecun_normal_(w, **k), (4, 6), True),
    "zero_": (lambda w, **k: init.zero_(w), (4, 6), False),
}
NAMES = sorted(INPLACE)
RANDOM_NAMES = sorted(n for n in INPLACE if INPLACE[n][2])


def call(name, w, **kw):
    fn, _, is_random = INPLACE[name]
    if is_random:
        kw.setdefault("generator", gen())
    return fn(w, **kw)


def assert_untouched(w, before, g=None, offset=None):
    assert np.array_equal(w, before, equal_nan=True), "a call that raised modified the array"
    if g is not None:
        assert g.offset == offset, (
            f"a call that raised moved the generator from {offset} to {g.offset}"
        )


# ======================================================================== the in-place contract


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("name", NAMES)
def test_inplace_returns_the_same_object(name, dtype):
    shape = INPLACE[name][1]
    w = np.full(shape, np.nan, dtype)
    out = call(name, w)
    assert out is w, f"{name} returned {type(out).__name__} {id(out):#x}, not its argument"
    assert np.isfinite(w).all(), f"{name} left NaNs: it did not write every element"


@pytest.mark.parametrize("name", NAMES)
def test_inplace_on_a_contiguous_view_writes_the_base(name):
    shape = INPLACE[name][1]
    base = np.full((3, *shape), np.nan)
    view = base[1]
    assert view.flags.c_contiguous and view.base is base
    out = call(name, view)
    assert out is view
    assert np.isfinite(base[1]).all() and np.isnan(base[0]).all() and np.isnan(base[2]).all()


# ========================================================================== dtype, layout, type


BAD_DTYPES = {
    "int64": np.int64,
    "int32": np.int32,
    "uint8": np.uint8,
    "bool": np.bool_,
    "complex64": np.complex64,
    "complex128": np.complex128,
    "object": object,
}
if np.dtype(np.longdouble).itemsize > 8:  # x86-64 Linux: 80-bit extended precision
    BAD_DTYPES["longdouble"] = np.longdouble


@pytest.mark.parametrize("dtype", list(BAD_DTYPES.values()), ids=list(BAD_DTYPES))
@pytest.mark.parametrize("name", NAMES)
def test_wrong_dtype_is_a_type_error(name, dtype):
    shape = INPLACE[name][1]
    w = np.zeros(shape, dtype)
    with pytest.raises(TypeError, match="float32 or float64"):
        call(name, w)
    assert (w == 0).all()


def _noncontiguous(shape, kind, dtype=np.float64):
    if kind == "strided":  # every other element of the last axis
        big = np.zeros((*shape[:-1], 2 * shape[-1]), dtype)
        return big[..., ::2]
    if kind == "transposed":  # the transpose of a C array: F-contiguous (non-square 2-D)
        return np.zeros(shape[::-1], dtype).T
    if kind == "fortran":
        return np.asfortranarray(np.zeros(shape, dtype))
    if kind == "negative-stride":
        return np.zeros(shape, dtype)[::-1]
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["strided", "transposed", "fortran", "negative-stride"])
@pytest.mark.parametrize("name", NAMES)
def test_non_contiguous_is_a_value_error(name, kind):
    shape = INPLACE[name][1]
    w = _noncontiguous(shape, kind)
    assert w.shape == shape and not w.flags.c_contiguous
    g = gen()
    before = w.copy()
    with pytest.raises(ValueError, match="C-contiguous"):
        call(name, w, **({"generator": g} if INPLACE[name][2] else {}))
    assert_untouched(w, before, g, 3)


@pytest.mark.parametrize("name", NAMES)
def test_read_only_is_a_value_error(name):
    w = np.zeros(INPLACE[name][1])
    w.setflags(write=False)
    g = gen()
    with pytest.raises(ValueError, match="read-only"):
        call(name, w, **({"generator": g} if INPLACE[name][2] else {}))
    assert (w == 0).all() and g.offset == 3


def test_misaligned_buffer_is_a_value_error():
    buf = np.zeros(8 * 10 + 1, np.uint8)
    w = np.ndarray((10,), np.float64, buffer=buf, offset=1)
    assert not w.flags.aligned
    with pytest.raises(ValueError, match="aligned"):
        init.normal_(w, generator=gen())


@pytest.mark.parametrize(
    "obj",
    [
        [[0.0, 1.0], [2.0, 3.0]],
        ((0.0, 1.0), (2.0, 3.0)),
        1.5,
        None,
        "abc",
        memoryview(bytearray(32)),
    ],
    ids=["list", "tuple", "float", "None", "str", "memoryview"],
)
@pytest.mark.parametrize("name", NAMES)
def test_non_array_is_a_type_error(name, obj):
    with pytest.raises(TypeError, match="numpy.ndarray"):
        call(name, obj)


@pytest.mark.parametrize(
    "bad",
    [3, "seed", np.random.default_rng(0), np.random.RandomState(0)],
    ids=["int", "str", "numpy-Generator", "RandomState"],
)
@pytest.mark.parametrize("name", RANDOM_NAMES)
def test_generator_of_wrong_type_is_a_type_error(name, bad):
    w = np.zeros(INPLACE[name][1])
    with pytest.raises(TypeError, match="generator"):
        call(name, w, generator=bad)
    assert (w == 0).all()


def test_generator_none_means_the_default_generator():
    fi.manual_seed(5)
    a = init.normal_(np.empty(8), generator=None)
    b = init.normal_(np.empty(8), generator=fi.Generator(5))
    assert np.array_equal(a, b)


# ============================================================================ names


def _assert_lists(message: str, names):
    missing = [n for n in names if f"'{n}'" not in message]
    assert not missing, f"the message {message!r} does not list {missing}"


@pytest.mark.parametrize("name", ["kaiming_uniform_", "kaiming_normal_"])
@pytest.mark.parametrize("mode", ["fan_avg", "FAN_IN", "", "fan_in "])
def test_kaiming_unknown_mode(name, mode):
    w = np.zeros((4, 6))
    g = gen()
    with pytest.raises(ValueError, match="mode") as exc:
        getattr(init, name)(w, mode=mode, generator=g)
    _assert_lists(str(exc.value), ["fan_in", "fan_out"])
    assert_untouched(w, np.zeros((4, 6)), g, 3)


@pytest.mark.parametrize("name", ["kaiming_uniform_", "kaiming_normal_"])
@pytest.mark.parametrize("nonlinearity", ["gelu", "ReLU", ""])
def test_kaiming_unknown_nonlinearity(name, nonlinearity):
    w = np.zeros((4, 6))
    with pytest.raises(ValueError, match="nonlinearity") as exc:
        getattr(init, name)(w, nonlinearity=nonlinearity, generator=gen())
    _assert_lists(str(exc.value), GAIN_NAMES)
    assert (w == 0).all()


def test_calculate_gain_unknown_name():
    with pytest.raises(ValueError) as exc:
        init.calculate_gain("gelu")
    _assert_lists(str(exc.value), GAIN_NAMES)


@pytest.mark.parametrize("mode", ["fan_sum", "avg", "FAN_AVG"])
def test_variance_scaling_unknown_mode(mode):
    w = np.zeros((4, 6))
    with pytest.raises(ValueError, match="mode") as exc:
        init.variance_scaling_(w, 1.0, mode, generator=gen())
    _assert_lists(str(exc.value), ["fan_in", "fan_out", "fan_avg", "fan_geo_avg"])
    assert (w == 0).all()


@pytest.mark.parametrize("distribution", ["normal", "truncated", "Uniform", ""])
def test_variance_scaling_unknown_distribution(distribution):
    w = np.zeros((4, 6))
    with pytest.raises(ValueError, match="distribution") as exc:
        init.variance_scaling_(w, 1.0, "fan_in", distribution, generator=gen())
    _assert_lists(str(exc.value), ["truncated_normal", "untruncated_normal", "uniform"])
    assert (w == 0).all()


def test_unknown_names_through_the_allocating_twins():
    with pytest.raises(ValueError, match="mode"):
        init.kaiming_normal((3, 4), mode="bad")
    with pytest.raises(ValueError, match="distribution"):
        init.variance_scaling((3, 4), 1.0, "fan_in", "bad")
    with pytest.raises(ValueError, match="unknown initializer"):
        init.get("bad")


# ============================================================================ parameter values

# (id, callable(w, g)) -> must raise ValueError, leaving w and g untouched.
BAD_PARAMS = {
    "uniform-a-nan": lambda w, g: init.uniform_(w, NAN, 1.0, generator=g),
    "uniform-b-nan": lambda w, g: init.uniform_(w, 0.0, NAN, generator=g),
    "uniform-a-inf": lambda w, g: init.uniform_(w, -INF, 1.0, generator=g),
    "uniform-b-inf": lambda w, g: init.uniform_(w, 0.0, INF, generator=g),
    "uniform-a>b": lambda w, g: init.uniform_(w, 1.0, 0.0, generator=g),
    "normal-mean-nan": lambda w, g: init.normal_(w, NAN, 1.0, generator=g),
    "normal-mean-inf": lambda w, g: init.normal_(w, INF, 1.0, generator=g),
    "normal-std-nan": lambda w, g: init.normal_(w, 0.0, NAN, generator=g),
    "normal-std-inf": lambda w, g: init.normal_(w, 0.0, INF, generator=g),
    "normal-std-negative": lambda w, g: init.normal_(w, 0.0, -1.0, generator=g),
    "trunc-mean-nan": lambda w, g: init.trunc_normal_(w, NAN, 1.0, -2.0, 2.0, generator=g),
    "trunc-mean-inf": lambda w, g: init.trunc_normal_(w, INF, 1.0, -2.0, 2.0, generator=g),
    "trunc-std-nan": lambda w, g: init.trunc_normal_(w, 0.0, NAN, -2.0, 2.0, generator=g),
    "trunc-std-inf": lambda w, g: init.trunc_normal_(w, 0.0, INF, -2.0, 2.0, generator=g),
    "trunc-std-negative": lambda w, g: init.trunc_normal_(w, 0.0, -1.0, -2.0, 2.0, generator=g),
    "trunc-std-zero": lambda w, g: init.trunc_normal_(w, 0.0, 0.0, -2.0, 2.0, generator=g),
    "trunc-a-nan": lambda w, g: init.trunc_normal_(w, 0.0, 1.0, NAN, 2.0, generator=g),
    "trunc-b-nan": lambda w, g: init.trunc_normal_(w, 0.0, 1.0, -2.0, NAN, generator=g),
    "trunc-a==b": lambda w, g: init.trunc_normal_(w, 0.0, 1.0, 1.0, 1.0, generator=g),
    "trunc-a>b": lambda w, g: init.trunc_normal_(w, 0.0, 1.0, 2.0, -2.0, generator=g),
    "trunc-a=b=+inf": lambda w, g: init.trunc_normal_(w, 0.0, 1.0, INF, INF, generator=g),
    "trunc-a=b=-inf": lambda w, g: init.trunc_normal_(w, 0.0, 1.0, -INF, -INF, generator=g),
    "trunc-a=+inf,b=-inf": lambda w, g: init.trunc_normal_(w, 0.0, 1.0, INF, -INF, generator=g),
    "xavier_uniform-gain-nan": lambda w, g: init.xavier_uniform_(w, NAN, generator=g),
    "xavier_uniform-gain-inf": lambda w, g: init.xavier_uniform_(w, INF, generator=g),
    "xavier_normal-gain-nan": lambda w, g: init.xavier_normal_(w, NAN, generator=g),
    "xavier_normal-gain-inf": lambda w, g: init.xavier_normal_(w, INF, generator=g),
    "orthogonal-gain-nan": lambda w, g: init.orthogonal_(w, NAN, generator=g),
    "orthogonal-gain-inf": lambda w, g: init.orthogonal_(w, -INF, generator=g),
    "kaiming_uniform-a-nan": lambda w, g: init.kaiming_uniform_(w, NAN, generator=g),
    "kaiming_normal-a-inf": lambda w, g: init.kaiming_normal_(w, INF, generator=g),
    "kaiming-fan_in-zero": lambda w, g: init.kaiming_normal_(w, generator=g, fan_in=0.0),
    "kaiming-fan_in-nan": lambda w, g: init.kaiming_normal_(w, generator=g, fan_in=NAN),
    "xavier-fan_out-negative": lambda w, g: init.xavier_uniform_(w, generator=g, fan_out=-3.0),
    "variance_scaling-fan_in-inf": lambda w, g: init.variance_scaling_(w, generator=g, fan_in=INF),
    "variance_scaling-scale-nan": lambda w, g: init.variance_scaling_(w, NAN, generator=g),
    "variance_scaling-scale-inf": lambda w, g: init.variance_scaling_(w, INF, generator=g),
    "variance_scaling-scale-zero": lambda w, g: init.variance_scaling_(w, 0.0, generator=g),
    "variance_scaling-scale-negative": lambda w, g: init.variance_scaling_(w, -1.0, generator=g),
    "sparse-std-nan": lambda w, g: init.sparse_(w, 0.5, NAN, generator=g),
    "sparse-std-negative": lambda w, g: init.sparse_(w, 0.5, -0.1, generator=g),
    "sparse-sparsity-nan": lambda w, g: init.sparse_(w, NAN, generator=g),
    "sparse-sparsity-negative": lambda w, g: init.sparse_(w, -0.1, generator=g),
    "sparse-sparsity>1": lambda w, g: init.sparse_(w, 1.5, generator=g),
    "constant-nan": lambda w, g: init.constant_(w, NAN),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("case", list(BAD_PARAMS))
def test_bad_parameter_is_a_value_error_and_changes_nothing(case, dtype):
    w = np.full((4, 6), 7.0, dtype)
    g = gen()
    with pytest.raises(ValueError) as exc:
        BAD_PARAMS[case](w, g)
    assert str(exc.value), "empty error message"
    assert_untouched(w, np.full((4, 6), 7.0, dtype), g, 3)


@pytest.mark.parametrize("slope", [NAN, INF, -INF], ids=["nan", "inf", "-inf"])
def test_calculate_gain_non_finite_slope(slope):
    with pytest.raises(ValueError):
        init.calculate_gain("leaky_relu", slope)


def test_infinite_constant_is_allowed():
    # PyTorch's constant_ accepts +-inf; only NaN is refused here.
    w = init.constant_(np.zeros(3), INF)
    assert (w == INF).all()


@pytest.mark.parametrize(
    ("fn", "shape"),
    [
        pytest.param(init.eye_, (2, 3, 4), id="eye-3d"),
        pytest.param(init.eye_, (4,), id="eye-1d"),
        pytest.param(init.dirac_, (4, 4), id="dirac-2d"),
        pytest.param(init.dirac_, (2, 2, 2, 2, 2, 2), id="dirac-6d"),
        pytest.param(init.orthogonal_, (4,), id="orthogonal-1d"),
        pytest.param(init.orthogonal_, (), id="orthogonal-0d"),
        pytest.param(lambda w: init.sparse_(w, 0.5), (4,), id="sparse-1d"),
        pytest.param(lambda w: init.sparse_(w, 0.5), (2, 3, 4), id="sparse-3d"),
        pytest.param(init.zero_, (2, 3, 4), id="zero-3d"),
        pytest.param(init.kaiming_normal_, (5,), id="kaiming-1d-without-fans"),
        pytest.param(init.xavier_uniform_, (5,), id="xavier-1d-without-fans"),
        pytest.param(init.variance_scaling_, (5,), id="variance_scaling-1d-without-fans"),
        pytest.param(init.he_normal_, (), id="he_normal-0d-without-fans"),
    ],
)
def test_unsupported_number_of_dimensions(fn, shape):
    w = np.full(shape, 7.0)
    with pytest.raises(ValueError, match="dimensions"):
        fn(w)
    assert (w == 7.0).all()


def test_1d_with_fan_overrides_is_accepted():
    w = init.kaiming_normal_(np.zeros(1000), generator=gen(), fan_in=10.0, fan_out=10.0)
    assert abs(w.std() - math.sqrt(2 / 10)) < 0.1
    w = init.xavier_uniform_(np.zeros(1000), generator=gen(), fan_in=10.0, fan_out=20.0)
    assert np.abs(w).max() <= math.sqrt(6 / 30)


# ===================================================================== sizes (allocating twins)

TWIN_NAMES = [
    "uniform",
    "normal",
    "trunc_normal",
    "zeros",
    "ones",
    "xavier_uniform",
    "kaiming_normal",
    "orthogonal",
    "variance_scaling",
    "he_normal",
    "zero",
    "eye",
]


@pytest.mark.parametrize(
    "shape", [(3, -1), (-1,), -5, (2, 3, -4)], ids=["3x-1", "-1", "int-5", "2x3x-4"]
)
@pytest.mark.parametrize("name", TWIN_NAMES)
def test_negative_shape_is_a_value_error(name, shape):
    with pytest.raises(ValueError, match="non-negative"):
        getattr(init, name)(shape)


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize(
    "shape",
    [(2**40, 2**40), (10**15,), (2**62, 4), (2**31, 2**31, 2**31)],
    ids=["2^40x2^40", "1e15", "2^62x4", "2^31^3"],
)
@pytest.mark.parametrize("name", ["normal", "zeros", "orthogonal", "sparse"])
def test_absurd_shape_is_a_memory_error(name, shape, dtype):
    args = (0.5,) if name == "sparse" else ()
    g = gen()
    kwargs = {} if name == "zeros" else {"generator": g}
    with pytest.raises(MemoryError):
        getattr(init, name)(shape, *args, dtype=dtype, **kwargs)
    assert g.offset == 3


@pytest.mark.parametrize(
    "shape", [(2**63,), (2**64,), (4, 2**70), 2**100], ids=["2^63", "2^64", "4x2^70", "int-2^100"]
)
def test_shape_beyond_int64_is_a_memory_error(shape):
    """Sizes that do not even fit in int64 can never be allocated: MemoryError like any other
    impossible size (not an untyped RuntimeError from a failed integer conversion)."""
    with pytest.raises(MemoryError):
        init.normal(shape)


@pytest.mark.parametrize(
    "shape", [(-(2**64),), (3, -(2**70)), -(2**100)], ids=["-2^64", "3x-2^70", "int--2^100"]
)
def test_negative_shape_beyond_int64_is_a_value_error(shape):
    with pytest.raises(ValueError, match="non-negative"):
        init.zeros(shape)


@pytest.mark.parametrize(
    "dtype",
    [
        np.int32,
        np.int64,
        np.complex128,
        "float128" if hasattr(np, "float128") else np.uint8,
        bool,
    ],
    ids=["int32", "int64", "complex128", "float128", "bool"],
)
def test_twin_wrong_dtype_is_a_type_error(dtype):
    with pytest.raises(TypeError, match="dtype"):
        init.normal((3, 4), dtype=dtype)


def test_twin_accepts_dtype_spellings():
    for spelling, want in [
        ("float32", np.float32),
        ("f8", np.float64),
        (float, np.float64),
        (np.dtype("<f4"), np.float32),
    ]:
        assert init.zeros((2, 2), dtype=spelling).dtype == want


@pytest.mark.parametrize(
    "shape",
    ["abc", (2.0, 3), (2, "3"), None, 2.5],
    ids=["str", "float-in-tuple", "str-in-tuple", "None", "float"],
)
def test_twin_bad_shape_type_is_a_type_error(shape):
    with pytest.raises(TypeError, match="shape"):
        init.zeros(shape)


# ======================================================================== generator and threads


def test_set_num_threads_rejects_non_positive(threads):
    threads(2)
    for bad in (0, -1, -(2**31)):
        with pytest.raises(ValueError, match="set_num_threads"):
            fi.set_num_threads(bad)
        assert fi.get_num_threads() == 2


def test_spawn_rejects_negative():
    g = fi.Generator(1)
    with pytest.raises(ValueError, match="spawn"):
        g.spawn(-1)
    assert g.spawned == 0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"seed": -1},
        {"seed": 2**64},
        {"stream": -1},
        {"offset": 2**64},
        {"seed": 1.5},
        {"seed": "1"},
    ],
    ids=["seed-negative", "seed-2^64", "stream-negative", "offset-2^64", "seed-float", "seed-str"],
)
def test_generator_rejects_out_of_range_state(kwargs):
    with pytest.raises((TypeError, OverflowError, ValueError)):
        fi.Generator(**kwargs)


def test_generator_offset_setter_rejects_negative():
    g = fi.Generator(1, 0, 5)
    with pytest.raises((TypeError, OverflowError, ValueError)):
        g.offset = -1
    assert g.offset == 5


def test_generator_read_only_properties():
    g = fi.Generator(1, 2, 3)
    for attr in ("seed", "stream", "spawned"):
        with pytest.raises(AttributeError):
            setattr(g, attr, 5)


def test_non_finite_error_is_exported():
    assert issubclass(fi.NonFiniteError, ValueError) and issubclass(fi.NonFiniteError, RuntimeError)


# ============================================================================ zero-size arrays

# Shapes with no elements that PyTorch's torch.nn.init accepts for each function (checked against
# torch below); fastinit must accept them too, as no-ops that do not touch the generator.
ELEMENTWISE_EMPTY = [(0,), (0, 5), (5, 0), (0, 0), (0, 3, 3), (4, 0, 3), (0, 3, 3, 3), (2, 3, 0, 3)]
ZERO_SIZE = {
    "uniform_": ELEMENTWISE_EMPTY,
    "normal_": ELEMENTWISE_EMPTY,
    "trunc_normal_": ELEMENTWISE_EMPTY,
    "constant_": ELEMENTWISE_EMPTY,
    "ones_": ELEMENTWISE_EMPTY,
    "zeros_": ELEMENTWISE_EMPTY,
    "eye_": [(0, 5), (5, 0), (0, 0)],
    "dirac_": [(0, 3, 3), (4, 0, 3), (0, 3, 3, 3), (0, 0, 1, 1, 1)],
    "xavier_uniform_": [(0, 5), (5, 0), (0, 3, 3), (4, 0, 3), (0, 3, 3, 3)],
    "xavier_normal_": [(0, 5), (5, 0), (0, 3, 3), (4, 0, 3), (0, 3, 3, 3)],
    "kaiming_uniform_": ELEMENTWISE_EMPTY,
    "kaiming_normal_": ELEMENTWISE_EMPTY,
    "orthogonal_": [(0, 5), (5, 0), (0, 0), (0, 3, 3), (4, 0, 3), (2, 3, 0, 3)],
    "sparse_": [(0, 5), (5, 0), (0, 0)],
    # not in PyTorch: the same rules as their families
    "variance_scaling_": [(0, 5), (5, 0), (0, 0), (0, 3, 3), (2, 3, 0, 3)],
    "glorot_uniform_": [(0, 5), (5, 0), (0, 3, 3)],
    "he_normal_": [(0, 5), (5, 0), (0, 3, 3)],
    "zero_": [(0, 5), (5, 0), (0, 0)],
}
ZERO_SIZE_CASES = [
    pytest.param(name, shape, id=f"{name}-{'x'.join(map(str, shape))}")
    for name in ZERO_SIZE
    for shape in ZERO_SIZE[name]
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize(("name", "shape"), ZERO_SIZE_CASES)
def test_zero_size_is_a_no_op(name, shape, dtype):
    w = np.empty(shape, dtype)
    g = gen()
    kw = {"generator": g} if INPLACE[name][2] else {}
    assert call(name, w, **kw) is w
    assert g.offset == 3, "a zero-size fill consumed random blocks"


def test_zero_size_twins():
    for name in ("uniform", "normal", "zeros", "orthogonal", "kaiming_normal", "eye"):
        a = getattr(init, name)((0, 4))
        assert a.shape == (0, 4) and a.ctypes.data % 64 == 0


TORCH_NAMES = [
    n
    for n in ZERO_SIZE
    if n
    in {
        "uniform_",
        "normal_",
        "trunc_normal_",
        "constant_",
        "ones_",
        "zeros_",
        "eye_",
        "dirac_",
        "xavier_uniform_",
        "xavier_normal_",
        "kaiming_uniform_",
        "kaiming_normal_",
        "orthogonal_",
        "sparse_",
    }
]


@pytest.mark.parametrize("name", TORCH_NAMES)
def test_zero_size_shapes_are_accepted_by_torch(name):
    """The table above only lists zero-size shapes that PyTorch itself accepts."""
    torch = pytest.importorskip("torch")
    fn = getattr(torch.nn.init, name)
    args = {"constant_": (0.5,), "sparse_": (0.5,)}.get(name, ())
    for shape in ZERO_SIZE[name]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Initializing zero-element tensors is a no-op"
            fn(torch.empty(shape), *args)
