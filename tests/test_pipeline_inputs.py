"""Issue 11, class 2 (DESIGN.md section 4): ordinary data is converted once; in-place targets are
never copied.

Read-only inputs (X, y, one-hot targets) of another float dtype, a non-contiguous layout, a
read-only buffer or a plain list give the result of the same data converted by hand. In-place
targets (initializer outputs, gradients handed to clipping) of a wrong dtype, a non-contiguous
layout or a read-only buffer are an error naming the problem, and are left untouched.
"""

from __future__ import annotations

import fastinit as fi
import numpy as np
import pytest
from fastinit import init as I  # noqa: N812

rng = np.random.default_rng(0)
X64 = rng.standard_normal((10, 4)).astype(np.float32).astype(np.float64)  # exact in both
LABELS = rng.integers(0, 3, 10)
ONEHOT64 = np.eye(3)[LABELS]


def _net(dtype=np.float32, output="softmax", sizes=(4, 6, 3)):
    return fi.MLP(
        list(sizes), activation="tanh", output=output, dtype=dtype, generator=fi.Generator(0)
    )


def _readonly(a):
    a = np.array(a)
    a.setflags(write=False)
    return a


def _variants(X: np.ndarray):
    """Ways the same values arrive: (name, array-like); the reference is ``X`` itself."""
    wide = np.zeros((X.shape[0], 2 * X.shape[1]), X.dtype)
    wide[:, ::2] = X
    big = np.zeros((2 * X.shape[0], X.shape[1]), X.dtype)
    big[::2] = X
    return {
        "float64": X.astype(np.float64),
        "float32": X.astype(np.float32),
        "fortran": np.asfortranarray(X),
        "column_stride": wide[:, ::2],
        "row_stride": big[::2],
        "transposed_view": np.ascontiguousarray(X.T).T,
        "readonly": _readonly(X),
        "list": X.tolist(),
        "big_endian": X.astype(X.dtype.newbyteorder(">")),
    }


X_CASES = sorted(_variants(X64))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", X_CASES)
def test_forward_and_loss_convert_X(dtype, case) -> None:
    net = _net(dtype)
    Xref = X64.astype(dtype)
    Xin = _variants(Xref)[case]
    np.testing.assert_array_equal(net.forward(Xin), net.forward(Xref))
    assert net.loss(Xin, LABELS) == net.loss(Xref, LABELS)
    la, ga = net.loss_and_grad(Xin, LABELS)
    lb, gb = net.loss_and_grad(Xref, LABELS)
    assert la == lb
    for a, b in zip(ga.tensors(), gb.tensors(), strict=True):
        np.testing.assert_array_equal(a, b)
    if not isinstance(Xin, list):
        assert Xin.dtype == _variants(Xref)[case].dtype, "the caller's array must not change"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", X_CASES)
def test_fit_converts_X(dtype, case) -> None:
    Xref = X64.astype(dtype)
    Xin = _variants(Xref)[case]
    a, b = _net(dtype), _net(dtype)
    ha = a.fit(Xin, LABELS, epochs=2, batch_size=3, generator=fi.Generator(1))
    hb = b.fit(Xref, LABELS, epochs=2, batch_size=3, generator=fi.Generator(1))
    np.testing.assert_array_equal(ha.step_loss, hb.step_loss)
    np.testing.assert_array_equal(a.forward(Xref), b.forward(Xref))


@pytest.mark.parametrize("case", X_CASES)
def test_diagnose_lsuv_init_network_convert_X(case) -> None:
    Xref = X64.astype(np.float32)
    Xin = _variants(Xref)[case]
    net = _net()
    da, db = fi.diagnose(net, Xin, LABELS), fi.diagnose(net, Xref, LABELS)
    assert da.loss == db.loss and da.verdict == db.verdict
    a, b = _net(), _net()
    I.lsuv_(a, Xin, generator=fi.Generator(2))
    I.lsuv_(b, Xref, generator=fi.Generator(2))
    np.testing.assert_array_equal(a.forward(Xref), b.forward(Xref))
    a, b = _net(), _net()
    fi.init_network_(a, "lsuv", X=Xin, generator=fi.Generator(2))
    fi.init_network_(b, "lsuv", X=Xref, generator=fi.Generator(2))
    np.testing.assert_array_equal(a.forward(Xref), b.forward(Xref))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", sorted(_variants(ONEHOT64)))
def test_one_hot_targets_convert(dtype, case) -> None:
    net = _net(dtype)
    Xref = X64.astype(dtype)
    ref = ONEHOT64.astype(dtype)
    yin = _variants(ref)[case]
    assert net.loss(Xref, yin) == net.loss(Xref, ref)
    # one-hot rows and integer labels mean the same thing
    assert net.loss(Xref, ref) == pytest.approx(net.loss(Xref, LABELS), rel=1e-6)
    ha = _net(dtype).fit(Xref, yin, epochs=1, batch_size=4, generator=fi.Generator(1))
    hb = _net(dtype).fit(Xref, ref, epochs=1, batch_size=4, generator=fi.Generator(1))
    np.testing.assert_array_equal(ha.step_loss, hb.step_loss)
    d = fi.diagnose(net, Xref, yin)
    assert d.loss == fi.diagnose(net, Xref, ref).loss


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_regression_targets_convert(dtype) -> None:
    net = _net(dtype, output="linear", sizes=(4, 5, 2))
    Xref = X64.astype(dtype)
    ref = rng.standard_normal((10, 2)).astype(np.float32).astype(dtype)
    for name, yin in _variants(ref).items():
        assert net.loss(Xref, yin) == net.loss(Xref, ref), name


@pytest.mark.parametrize(
    "labels",
    [
        LABELS.astype(np.int32),
        LABELS.astype(np.uint8),
        LABELS.astype(np.int16),
        LABELS.tolist(),
        _readonly(LABELS),
        np.repeat(LABELS, 2)[::2],
        LABELS.astype(">i8"),
    ],
    ids=["int32", "uint8", "int16", "list", "readonly", "strided", "big_endian"],
)
def test_integer_labels_convert(labels) -> None:
    net = _net()
    X = X64.astype(np.float32)
    np.testing.assert_array_equal(np.asarray(labels), LABELS)
    assert net.loss(X, labels) == net.loss(X, LABELS)
    ha = _net().fit(X, labels, epochs=1, batch_size=4, generator=fi.Generator(1))
    hb = _net().fit(X, LABELS, epochs=1, batch_size=4, generator=fi.Generator(1))
    np.testing.assert_array_equal(ha.step_loss, hb.step_loss)


def test_sklearn_loader_data_trains_a_float32_net() -> None:
    datasets = pytest.importorskip("sklearn.datasets")
    X, y = datasets.load_iris(return_X_y=True)  # float64, int64
    X = (X - X.mean(0)) / X.std(0)
    net = fi.MLP([4, 16, 3], output="softmax", generator=fi.Generator(0))
    h = net.fit(
        X, y, epochs=30, batch_size=16, optimizer="adam", lr=1e-2, generator=fi.Generator(0)
    )
    assert h.epoch_loss[-1] < h.epoch_loss[0]
    assert X.dtype == np.float64


# ---- in-place targets

FILLS = {
    "uniform_": lambda w: I.uniform_(w),
    "normal_": lambda w: I.normal_(w),
    "trunc_normal_": lambda w: I.trunc_normal_(w),
    "constant_": lambda w: I.constant_(w, 2.0),
    "ones_": lambda w: I.ones_(w),
    "zeros_": lambda w: I.zeros_(w),
    "eye_": lambda w: I.eye_(w),
    "xavier_uniform_": lambda w: I.xavier_uniform_(w),
    "xavier_normal_": lambda w: I.xavier_normal_(w),
    "kaiming_uniform_": lambda w: I.kaiming_uniform_(w),
    "kaiming_normal_": lambda w: I.kaiming_normal_(w),
    "orthogonal_": lambda w: I.orthogonal_(w),
    "sparse_": lambda w: I.sparse_(w, 0.5),
    "variance_scaling_": lambda w: I.variance_scaling_(w),
    "glorot_uniform_": lambda w: I.glorot_uniform_(w),
    "he_normal_": lambda w: I.he_normal_(w),
    "lecun_normal_": lambda w: I.lecun_normal_(w),
    "zero_": lambda w: I.zero_(w),
}


def _bad_targets():
    base = np.full((6, 8), 7.0, np.float32)
    wide = np.full((6, 16), 7.0, np.float32)
    ro = base.copy()
    ro.setflags(write=False)
    return {
        "uint16": (np.full((6, 8), 7, np.uint16), TypeError),  # float16 is a target dtype
        "int64": (np.full((6, 8), 7, np.int64), TypeError),
        "complex64": (np.full((6, 8), 7.0, np.complex64), TypeError),
        "column_stride": (wide[:, ::2], ValueError),
        "fortran": (np.asfortranarray(base), ValueError),
        "transposed": (np.full((8, 6), 7.0, np.float32).T, ValueError),
        "readonly": (ro, ValueError),
    }


@pytest.mark.parametrize("case", sorted(_bad_targets()))
@pytest.mark.parametrize("fill", sorted(FILLS))
def test_initializer_refuses_bad_in_place_target(fill, case) -> None:
    w, exc = _bad_targets()[case]
    before = np.array(w, copy=True)
    with pytest.raises((TypeError, ValueError)) as info:
        FILLS[fill](w)
    msg = str(info.value)
    assert "Unable to cast" not in msg and "incompatible function arguments" not in msg, msg
    assert isinstance(info.value, exc), f"{fill} on {case}: {type(info.value).__name__}: {msg}"
    assert "tensor" in msg or "array" in msg, msg
    np.testing.assert_array_equal(w, before)


def test_initializer_fills_a_view_that_is_contiguous() -> None:
    """A C-contiguous view (a row block of a bigger buffer) is a valid in-place target."""
    buf = np.zeros((10, 8), np.float32)
    I.ones_(buf[2:5])
    assert buf[2:5].sum() == 24 and buf.sum() == 24


CLIPS = {
    "clip_grad_norm_": lambda gs: fi.clip_grad_norm_(gs, 0.1),
    "clip_grad_value_": lambda gs: fi.clip_grad_value_(gs, 0.1),
    "clip_by_norm_": lambda gs: fi.clip_by_norm_(gs, 0.1),
}


@pytest.mark.parametrize("case", sorted(_bad_targets()))
@pytest.mark.parametrize("clip", sorted(CLIPS))
def test_clipping_refuses_bad_in_place_target(clip, case) -> None:
    bad, _ = _bad_targets()[case]
    good = np.full(5, 7.0, np.float32)
    before_bad, before_good = np.array(bad, copy=True), good.copy()
    with pytest.raises((TypeError, ValueError)) as info:
        CLIPS[clip]([good, bad])
    msg = str(info.value)
    assert "Unable to cast" not in msg and "incompatible function arguments" not in msg, msg
    np.testing.assert_array_equal(bad, before_bad)
    np.testing.assert_array_equal(good, before_good)  # checked before anything is written


@pytest.mark.parametrize("clip", sorted(CLIPS))
def test_clipping_refuses_mixed_dtypes(clip) -> None:
    a, b = np.full(5, 7.0, np.float32), np.full(5, 7.0, np.float64)
    with pytest.raises((TypeError, ValueError), match="dtype|float"):
        CLIPS[clip]([a, b])
    assert np.all(a == 7.0) and np.all(b == 7.0)


def test_total_norm_accepts_read_only_inputs() -> None:
    """total_norm writes nothing: a read-only or strided array is an ordinary input."""
    a = _readonly(np.full((3, 4), 2.0, np.float32))
    assert fi.total_norm([a]) == pytest.approx(np.sqrt(12 * 4.0))
    wide = np.full((3, 8), 2.0, np.float32)
    assert fi.total_norm([wide[:, ::2]]) == pytest.approx(np.sqrt(12 * 4.0))
