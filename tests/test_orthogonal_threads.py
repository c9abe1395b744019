"""orthogonal_ on matrices large enough for its blocked, threaded QR (cpp/include/fastinit/qr.hpp).

* Orthonormality to the dtype's rounding for square, tall and wide shapes, 1024x1024 included.
* An independent reference: NumPy's LAPACK QR of the SAME Gaussian matrix, whose columns are
  multiplied by sign(diag R). orthogonal_ fills the (max, min) column-major matrix A with the
  generator's normal stream in storage order, which is the stream ``normal_`` writes into a
  C-contiguous (min, max) array: A is that array transposed. A Q with a positive-diagonal R is
  unique, so any correct QR gives it up to rounding.
* Bit-identical results for 1, 2, 3 and 8 threads, for float32, float64 and bfloat16 targets;
  the same result for the same seed, another for another seed, and the generator advanced by
  exactly the normal stream that A consumes.
* Ctrl-C stops a long orthogonal_ (slow).
"""

from __future__ import annotations

import math

import fastinit as fi
import numpy as np
import pytest
from fastinit import init

EPS = {np.float32: float(np.finfo(np.float32).eps), np.float64: float(np.finfo(np.float64).eps)}
DTYPES = [np.float32, np.float64]
DTYPE_IDS = ["float32", "float64"]


def shape_id(shape: tuple[int, ...]) -> str:
    return "x".join(map(str, shape))


def maxdiff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64)), initial=0.0))


def numpy_reference(
    shape: tuple[int, ...], dtype: type, seed: int, gain: float = 1.0
) -> np.ndarray:
    """W as NumPy computes it from the same Gaussian matrix: the thin Q of A (m, n), m >= n, with
    Q[:, j] multiplied by gain * sign(R_jj), then reshaped (Q itself when rows >= cols, else Qᵀ).
    The QR runs in float64 on A's values (float32 values are exact in float64)."""
    rows = shape[0]
    cols = math.prod(shape[1:])
    m, n = max(rows, cols), min(rows, cols)
    a = init.normal_(np.empty((n, m), dtype), 0.0, 1.0, generator=fi.Generator(seed)).T
    q, r = np.linalg.qr(a.astype(np.float64), mode="reduced")
    q = q * (gain * np.sign(np.diag(r)))
    return (q if rows >= cols else q.T).reshape(shape)


ORTHO_SHAPES = [(1024, 1024), (2048, 256), (256, 2048), (300, 200), (64, 16, 3, 3)]


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("shape", ORTHO_SHAPES, ids=shape_id)
def test_orthonormal_to_rounding(shape, dtype):
    """max |QᵀQ - I| (or |QQᵀ - I| for a wide W) within 4 sqrt(m) eps: what Householder QR
    achieves (the worst-case bound is O(m n eps)); a wrong reflector or a mis-ordered block gives
    an O(1) error."""
    w = init.orthogonal_(np.empty(shape, dtype), generator=fi.Generator(11))
    q = w.reshape(shape[0], -1).astype(np.float64)
    gram = q.T @ q if q.shape[0] >= q.shape[1] else q @ q.T
    err = maxdiff(gram, np.eye(gram.shape[0]))
    tol = 4 * math.sqrt(max(q.shape)) * EPS[dtype]
    print(f"{shape_id(shape)} {dtype.__name__}: max |gram - I| = {err:.3e} (tol {tol:.1e})")
    assert err <= tol, f"{shape} {dtype.__name__}: max |gram - I| = {err:.3e} > {tol:.1e}"


@pytest.mark.parametrize(
    ("shape", "dtype", "tol"),
    [
        pytest.param((1024, 1024), np.float64, 1e-12, id="1024x1024-float64"),
        pytest.param((300, 200), np.float64, 1e-13, id="300x200-float64"),
        pytest.param((200, 500), np.float64, 1e-13, id="200x500-float64"),
        pytest.param((64, 16, 3, 3), np.float64, 1e-13, id="64x16x3x3-float64"),
        pytest.param((3, 5), np.float64, 1e-14, id="3x5-float64"),
        pytest.param((7, 1), np.float64, 1e-15, id="7x1-float64"),
        pytest.param((1, 7), np.float64, 1e-15, id="1x7-float64"),
        pytest.param((2048, 256), np.float32, 1e-6, id="2048x256-float32"),
        pytest.param((256, 2048), np.float32, 1e-6, id="256x2048-float32"),
    ],
)
@pytest.mark.parametrize("gain", [1.0, -0.5], ids=["gain1", "gain-0.5"])
def test_matches_numpy_qr_of_the_same_gaussian_matrix(shape, dtype, tol, gain, threads):
    """Values and signs against LAPACK (via NumPy): fastinit's Q, column signs included. The
    tolerances allow for the condition number of a square Gaussian matrix (~n) at 1024x1024;
    tall and wide Gaussian matrices are well conditioned."""
    threads(2)
    w = init.orthogonal_(np.empty(shape, dtype), gain, generator=fi.Generator(5))
    ref = numpy_reference(shape, dtype, 5, gain)
    err = maxdiff(w, ref)
    print(f"{shape_id(shape)} {dtype.__name__} gain {gain}: max |W - W_numpy| = {err:.3e}")
    assert err <= tol * abs(gain), f"max |W - W_numpy| = {err:.3e} > {tol * abs(gain):.1e}"
    # negative control: the reference of another seed is far away
    assert maxdiff(w, numpy_reference(shape, dtype, 6, gain)) > 0.1 * abs(gain) / math.sqrt(
        max(shape[0], math.prod(shape[1:]))
    )


THREAD_CASES = [
    pytest.param((1024, 1024), np.float32, id="1024x1024-float32"),
    pytest.param((512, 384), np.float64, id="512x384-float64"),
    pytest.param((2048, 256), np.float32, id="2048x256-float32"),
    pytest.param((200, 1000), np.float64, id="200x1000-float64"),
    pytest.param((96, 8, 3, 3), np.float32, id="96x8x3x3-float32"),
]


@pytest.mark.parametrize(("shape", "dtype"), THREAD_CASES)
def test_bit_identical_for_any_thread_count(shape, dtype, threads):
    out = {}
    for n in (1, 2, 3, 8):
        threads(n)
        out[n] = init.orthogonal_(np.empty(shape, dtype), 1.5, generator=fi.Generator(77))
    for n in (2, 3, 8):
        assert np.array_equal(out[n], out[1]), (
            f"{n} threads differ from 1: max diff {maxdiff(out[n], out[1]):.3e}"
        )


def test_bfloat16_target_bit_identical_for_any_thread_count(threads):
    """A 16-bit target is computed in float32 and rounded: the same bits for any thread count,
    the float32 result rounded to nearest even."""
    ml_dtypes = pytest.importorskip("ml_dtypes")
    shape = (512, 512)
    out = {}
    for n in (1, 2, 3):
        threads(n)
        out[n] = init.orthogonal_(np.empty(shape, ml_dtypes.bfloat16), generator=fi.Generator(3))
    for n in (2, 3):
        assert np.array_equal(out[n].view(np.uint16), out[1].view(np.uint16)), f"{n} threads"
    f32 = init.orthogonal_(np.empty(shape, np.float32), generator=fi.Generator(3))
    assert np.array_equal(out[1].view(np.uint16), f32.astype(ml_dtypes.bfloat16).view(np.uint16))


@pytest.mark.parametrize(("shape", "dtype"), THREAD_CASES[:3])
def test_same_seed_same_result_and_the_stream_consumed(shape, dtype, threads):
    threads(2)
    g = fi.Generator(21)
    a = init.orthogonal_(np.empty(shape, dtype), generator=g)
    size = a.size
    per_block = 4 if dtype == np.float32 else 2  # normals per Philox block
    assert g.offset == -(-size // per_block), "A must consume exactly its normal stream"
    b = init.orthogonal_(np.empty(shape, dtype), generator=fi.Generator(21))
    c = init.orthogonal_(np.empty(shape, dtype), generator=fi.Generator(22))
    d = init.orthogonal_(np.empty(shape, dtype), generator=g)  # the next draw of the same stream
    assert np.array_equal(a, b)
    scale = 1 / math.sqrt(max(shape[0], math.prod(shape[1:])))
    assert maxdiff(a, c) > scale and maxdiff(a, d) > scale


@pytest.mark.slow
def test_ctrl_c_stops_a_large_orthogonal():
    """4096x4096 float64 takes seconds; SIGINT must stop it as it stops the other fills."""
    import test_pipeline_hangs as hangs

    hangs._interrupt(
        """
        fi.set_num_threads(2)
        w = np.empty((4096, 4096))
        g = fi.Generator(0)
        """,
        "fi.init.orthogonal_(w, generator=g)",
        """
        small = fi.init.orthogonal_(np.empty((64, 64)), generator=g)
        assert np.abs(small.T @ small - np.eye(64)).max() < 1e-13
        """,
        "large orthogonal",
    )
