"""Gradient clipping (fastinit.clip_*) and the optimizers (fastinit.optim) against the NumPy
oracle (tests/reference.py) and, when it is installed, PyTorch.

Tolerances
----------
* Norms accumulate in double in fastinit and in the oracle, from the same float32/float64
  values, so totals agree to ~1e-15 relative in both dtypes (1e-12 is asserted). PyTorch
  accumulates float32 norms in float32, so totals are compared with it at 1e-5.
* Clipped float32 gradients: one multiplication by a coefficient formed in float32 (as PyTorch
  forms it), i.e. a couple of ulps: 1e-6 relative. Float64: 1e-12.
* Optimizers: float64 elementwise update rules, a handful of flops per element and step; after
  six steps the results agree to ~1e-15, so 1e-12 (relative to the largest parameter) is asserted.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import fastinit as fi
import numpy as np
import pytest
from helpers import assert_rel

sys.path.insert(0, str(Path(__file__).parent))
import reference as ref  # noqa: E402

DTYPES = [pytest.param(np.float32, id="float32"), pytest.param(np.float64, id="float64")]
NORM_TYPES = [
    pytest.param(1.0, id="l1"),
    pytest.param(2.0, id="l2"),
    pytest.param(3.0, id="l3"),
    pytest.param(math.inf, id="linf"),
]
NONFINITE_NORM_TYPES = [pytest.param(2.0, id="l2"), pytest.param(math.inf, id="linf")]


def clip_rtol(dtype) -> float:
    return 1e-6 if np.dtype(dtype) == np.float32 else 1e-12


def random_grads(dtype, seed=0, scale=1.0):
    rng = np.random.default_rng(seed)
    return [
        (scale * rng.standard_normal(shape)).astype(dtype)
        for shape in [(5, 4), (5,), (3, 5), (3,), (2, 3, 2)]
    ]


def torch_clip_grad_norm(grads, max_norm, norm_type=2.0, error_if_nonfinite=False):
    """Runs torch.nn.utils.clip_grad_norm_ on copies; returns (total, clipped arrays)."""
    torch = pytest.importorskip("torch")
    ps = []
    for g in grads:
        p = torch.nn.Parameter(torch.zeros(g.shape, dtype=torch.from_numpy(g).dtype))
        p.grad = torch.from_numpy(g.copy())
        ps.append(p)
    total = torch.nn.utils.clip_grad_norm_(
        ps, max_norm, norm_type, error_if_nonfinite=error_if_nonfinite
    )
    return float(total), [p.grad.numpy() for p in ps]


# ------------------------------------------------------------------------------------------------
# clip_grad_norm_
# ------------------------------------------------------------------------------------------------


def test_clip_3_4_float32_literal():
    g = np.array([3.0, 4.0], dtype=np.float32)
    total = fi.clip_grad_norm_([g], 1.0)
    assert total == 5.0
    expected = np.array([0.59999988, 0.79999984], dtype=np.float32)
    ulps = np.abs(g.astype(np.float64) - expected) / np.spacing(expected)
    assert np.all(ulps <= 1.0), f"{g.tolist()} vs {expected.tolist()}: {ulps} ulps"
    # PyTorch's "+ 1e-6": the result is strictly below the exact [0.6, 0.8]
    assert np.all(g < np.array([0.6, 0.8], dtype=np.float32))


def test_clip_3_4_float32_equals_torch():
    g = np.array([3.0, 4.0], dtype=np.float32)
    t_total, (t_g,) = torch_clip_grad_norm([g], 1.0)
    total = fi.clip_grad_norm_([g], 1.0)  # a single array is accepted too
    assert total == t_total
    assert np.array_equal(g, t_g), f"fastinit {g.tolist()} != torch {t_g.tolist()}"


@pytest.mark.parametrize("norm_type", NORM_TYPES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_clip_grad_norm_matches_oracle(dtype, norm_type):
    grads = random_grads(dtype, seed=1)
    orig = [g.copy() for g in grads]
    expected, expected_total = ref.clip_grad_norm(orig, 0.5, norm_type)
    total = fi.clip_grad_norm_(grads, 0.5, norm_type)
    assert total == pytest.approx(expected_total, rel=1e-12)
    assert expected_total > 0.5  # so this really clips
    for i, (g, e) in enumerate(zip(grads, expected, strict=True)):
        assert g.dtype == np.dtype(dtype)
        assert_rel(g, e, clip_rtol(dtype), f"tensor {i}")
    # the clipped gradients have norm max_norm (less PyTorch's 1e-6 guard)
    after = fi.total_norm(grads, norm_type)
    assert after == pytest.approx(0.5, rel=1e-5)
    assert fi.total_norm(orig, norm_type) == pytest.approx(expected_total, rel=1e-12)


@pytest.mark.parametrize("norm_type", NORM_TYPES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_clip_grad_norm_matches_torch(dtype, norm_type):
    grads = random_grads(dtype, seed=2)
    t_total, t_grads = torch_clip_grad_norm(grads, 0.5, norm_type)
    total = fi.clip_grad_norm_(grads, 0.5, norm_type)
    if np.dtype(dtype) == np.float64:
        assert total == pytest.approx(t_total, rel=1e-12)
    else:
        assert total == pytest.approx(t_total, rel=1e-5)  # torch accumulates in float32
    for i, (g, t) in enumerate(zip(grads, t_grads, strict=True)):
        assert_rel(g, t, clip_rtol(dtype), f"tensor {i}")


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kind", ["zeros", "below_max_norm"])
def test_clip_grad_norm_leaves_small_grads_unchanged(dtype, kind):
    grads = random_grads(dtype, seed=3, scale=0.0 if kind == "zeros" else 0.01)
    before = [g.copy() for g in grads]
    total = fi.clip_grad_norm_(grads, 1.0)
    expected_total = ref.clip_grad_norm(before, 1.0)[1]
    assert total == pytest.approx(expected_total, rel=1e-12, abs=0)
    assert (total == 0.0) == (kind == "zeros")
    for g, b in zip(grads, before, strict=True):
        assert np.array_equal(g, b)


def test_clip_grad_norm_on_grads_object():
    net = fi.MLP([4, 6, 3], "tanh", "softmax", dtype=np.float64, generator=fi.Generator(0))
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((8, 4)), rng.integers(0, 3, 8)
    _, grads = net.loss_and_grad(X, y)
    params = [(np.array(w), np.array(b)) for w, b in zip(net.weights, net.biases, strict=True)]
    bw = ref.backward(params, X, y, [("tanh", {})], "softmax")
    ref_tensors = [t for pair in zip(bw["dW"], bw["db"], strict=True) for t in pair]
    expected, expected_total = ref.clip_grad_norm(ref_tensors, 0.05)
    assert fi.total_norm(grads) == pytest.approx(expected_total, rel=1e-10)
    total = fi.clip_grad_norm_(grads, 0.05)
    assert total == pytest.approx(expected_total, rel=1e-10)
    for i, (g, e) in enumerate(zip(grads.tensors(), expected, strict=True)):
        assert_rel(g, e, 1e-10, f"tensor {i}")
    assert grads.weights[0] is grads.tensors()[0]  # clipped in place, through the views
    assert fi.total_norm(grads) == pytest.approx(0.05, rel=1e-4)


@pytest.mark.parametrize("norm_type", NONFINITE_NORM_TYPES)
@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan], ids=["inf", "-inf", "nan"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_clip_grad_norm_nonfinite_raises_when_asked(dtype, bad, norm_type):
    grads = random_grads(dtype, seed=4)
    grads[2][1, 3] = bad
    before = [g.copy() for g in grads]
    with pytest.raises(fi.NonFiniteError, match="non-finite"):
        fi.clip_grad_norm_(grads, 1.0, norm_type, error_if_nonfinite=True)
    # catchable as RuntimeError (PyTorch raises RuntimeError) and as ValueError
    with pytest.raises(RuntimeError):
        fi.clip_grad_norm_(grads, 1.0, norm_type, error_if_nonfinite=True)
    with pytest.raises(ValueError):
        fi.clip_grad_norm_(grads, 1.0, norm_type, error_if_nonfinite=True)
    for g, b in zip(grads, before, strict=True):  # nothing was scaled
        np.testing.assert_array_equal(g, b)


@pytest.mark.parametrize("norm_type", NONFINITE_NORM_TYPES)
@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan], ids=["inf", "-inf", "nan"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_clip_grad_norm_nonfinite_propagates(dtype, bad, norm_type):
    grads = random_grads(dtype, seed=4)
    grads[2][1, 3] = bad
    with np.errstate(invalid="ignore"):  # the oracle computes inf * 0 too
        expected, expected_total = ref.clip_grad_norm([g.copy() for g in grads], 1.0, norm_type)
    total = fi.clip_grad_norm_(grads, 1.0, norm_type, error_if_nonfinite=False)
    if math.isnan(bad):
        assert math.isnan(total) and math.isnan(expected_total)
        assert all(np.all(np.isnan(g)) for g in grads)  # NaN coefficient: everything NaN
    else:
        assert total == math.inf == expected_total
        # coefficient max_norm / inf = 0: finite entries become 0, the inf one inf * 0 = NaN
        assert np.isnan(grads[2][1, 3])
        assert sum(int(np.isnan(g).sum()) for g in grads) == 1
    for g, e in zip(grads, expected, strict=True):
        np.testing.assert_array_equal(g, e.astype(dtype))


@pytest.mark.parametrize("norm_type", NONFINITE_NORM_TYPES)
@pytest.mark.parametrize("bad", [math.inf, math.nan], ids=["inf", "nan"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_clip_grad_norm_nonfinite_like_torch(dtype, bad, norm_type):
    grads = random_grads(dtype, seed=5)
    grads[0][2, 1] = bad
    with pytest.raises(RuntimeError):
        torch_clip_grad_norm(grads, 1.0, norm_type, error_if_nonfinite=True)
    t_total, t_grads = torch_clip_grad_norm(grads, 1.0, norm_type)
    total = fi.clip_grad_norm_(grads, 1.0, norm_type)
    assert (math.isnan(total) and math.isnan(t_total)) or total == t_total
    for g, t in zip(grads, t_grads, strict=True):
        np.testing.assert_array_equal(g, t)


@pytest.mark.parametrize("norm_type", NORM_TYPES)
def test_clip_grad_norm_float32_1e19_does_not_overflow(norm_type):
    # In float32, (1e19)^2 = 1e38 per element: a float32 sum of squares would overflow to inf.
    grads = [np.full((100, 10), 1e19, np.float32), np.full(50, -2e19, np.float32)]
    expected, expected_total = ref.clip_grad_norm([g.copy() for g in grads], 1.0, norm_type)
    assert math.isfinite(expected_total)
    assert fi.total_norm(grads, norm_type) == pytest.approx(expected_total, rel=1e-12)
    total = fi.clip_grad_norm_(grads, 1.0, norm_type)
    assert math.isfinite(total)
    assert total == pytest.approx(expected_total, rel=1e-12)
    for i, (g, e) in enumerate(zip(grads, expected, strict=True)):
        assert np.all(np.isfinite(g))
        assert_rel(g, e, 1e-6, f"tensor {i}")
    assert fi.total_norm(grads, norm_type) == pytest.approx(1.0, rel=1e-5)


def test_clip_grad_norm_total_above_float32_max():
    """float32 gradients whose total norm (accumulated in double) exceeds FLT_MAX.

    The total is returned finite (6e38), so by the documented rule every entry must be scaled by
    max_norm / (total + 1e-6) = 1/6e38: 3e38 -> 0.5, and the clipped norm is max_norm = 1.
    (1/6e38 is a float32 subnormal with ~1e-6 relative resolution, hence rtol 1e-5.)
    """
    g = np.full(4, 3e38, np.float32)
    expected, expected_total = ref.clip_grad_norm([g.copy()], 1.0)
    total = fi.clip_grad_norm_([g], 1.0)
    assert total == pytest.approx(expected_total, rel=1e-12)  # 6e38, finite
    assert math.isfinite(total)
    np.testing.assert_allclose(
        g, expected[0], rtol=1e-5, err_msg="clipped gradients should have norm max_norm = 1"
    )


# ------------------------------------------------------------------------------------------------
# clip_by_norm_ (per tensor) and clip_grad_value_
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
def test_clip_by_norm_per_tensor_matches_oracle(dtype):
    grads = random_grads(dtype, seed=6)
    grads[1] *= 0.01  # this one is below the threshold
    threshold = 0.8
    before = [g.copy() for g in grads]
    norms_before = [float(np.linalg.norm(g.astype(np.float64))) for g in before]
    assert sum(n > threshold for n in norms_before) >= 3 and norms_before[1] < threshold
    expected = ref.clip_by_norm(before, threshold)
    norms = fi.clip_by_norm_(grads, threshold)
    assert len(norms) == len(grads)
    np.testing.assert_allclose(norms, norms_before, rtol=1e-12)
    for i, (g, e) in enumerate(zip(grads, expected, strict=True)):
        assert_rel(g, e, clip_rtol(dtype), f"tensor {i}")
        n_after = np.linalg.norm(g.astype(np.float64))
        if norms_before[i] > threshold:
            assert n_after == pytest.approx(threshold, rel=1e-6)
        else:
            assert np.array_equal(g, before[i])
    # per tensor, not global: the global rule would scale every tensor by the same factor
    global_expected, _ = ref.clip_grad_norm(before, threshold)
    assert not np.allclose(grads[0], global_expected[0], rtol=1e-3)


@pytest.mark.parametrize("dtype", DTYPES)
def test_clip_grad_value_matches_oracle(dtype):
    grads = random_grads(dtype, seed=7)
    expected = ref.clip_grad_value(grads, 0.25)  # 0.25 is exact in both dtypes
    fi.clip_grad_value_(grads, 0.25)
    for g, e in zip(grads, expected, strict=True):
        assert np.array_equal(g, e.astype(dtype))
    assert max(float(np.max(np.abs(g))) for g in grads) == 0.25


@pytest.mark.parametrize("dtype", DTYPES)
def test_clip_grad_value_matches_torch(dtype):
    torch = pytest.importorskip("torch")
    grads = random_grads(dtype, seed=8)
    grads[0][0, 0], grads[0][0, 1], grads[2][1, 1] = np.inf, -np.inf, np.nan
    ps = []
    for g in grads:
        p = torch.nn.Parameter(torch.zeros(g.shape, dtype=torch.from_numpy(g).dtype))
        p.grad = torch.from_numpy(g.copy())
        ps.append(p)
    torch.nn.utils.clip_grad_value_(ps, 0.3)  # 0.3 is rounded to the dtype, as in torch
    fi.clip_grad_value_(grads, 0.3)
    for g, p in zip(grads, ps, strict=True):
        np.testing.assert_array_equal(g, p.grad.numpy())
    assert np.isnan(grads[2][1, 1])


def test_clipping_argument_errors():
    g = [np.ones(3, np.float32)]
    with pytest.raises(ValueError, match="max_norm"):
        fi.clip_grad_norm_(g, -1.0)
    for bad in (0.0, -2.0, math.nan):
        with pytest.raises(ValueError, match="norm_type"):
            fi.clip_grad_norm_(g, 1.0, norm_type=bad)
        with pytest.raises(ValueError, match="norm_type"):
            fi.total_norm(g, bad)
    with pytest.raises(ValueError, match="threshold"):
        fi.clip_by_norm_(g, -0.5)
    with pytest.raises(ValueError, match="NaN"):
        fi.clip_grad_value_(g, math.nan)
    with pytest.raises(TypeError):
        fi.clip_grad_norm_([np.ones(3, np.float32), np.ones(3, np.float64)], 1.0)
    with pytest.raises(TypeError):
        fi.clip_grad_norm_([np.ones(3, np.int64)], 1.0)
    with pytest.raises(ValueError, match="contiguous"):
        fi.clip_grad_norm_([np.ones((4, 4), np.float32)[:, ::2]], 1.0)
    ro = np.ones(3, np.float32)
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        fi.clip_grad_value_([ro], 0.5)
    assert fi.clip_grad_norm_([], 1.0) == 0.0
    assert g[0].tolist() == [1.0, 1.0, 1.0]  # none of the failed calls touched it


# ------------------------------------------------------------------------------------------------
# Optimizers
# ------------------------------------------------------------------------------------------------

OPTIMIZERS = [
    pytest.param("SGD", {"lr": 0.1}, id="sgd_plain"),
    pytest.param("SGD", {"lr": 0.1, "momentum": 0.9}, id="sgd_momentum"),
    pytest.param("SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.5}, id="sgd_dampening"),
    pytest.param("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True}, id="sgd_nesterov"),
    pytest.param("SGD", {"lr": 0.1, "weight_decay": 0.1}, id="sgd_weight_decay"),
    pytest.param(
        "SGD",
        {"lr": 0.05, "momentum": 0.8, "dampening": 0.1, "weight_decay": 0.01},
        id="sgd_momentum_dampening_wd",
    ),
    pytest.param(
        "SGD",
        {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weight_decay": 0.05},
        id="sgd_nesterov_wd",
    ),
    pytest.param("Adam", {"lr": 0.01}, id="adam_default"),
    pytest.param("Adam", {"lr": 0.02, "betas": (0.8, 0.99), "eps": 1e-6}, id="adam_betas_eps"),
    pytest.param("Adam", {"lr": 0.01, "weight_decay": 0.1}, id="adam_l2"),
    pytest.param("AdamW", {"lr": 0.01}, id="adamw_default_wd"),
    pytest.param(
        "AdamW", {"lr": 0.02, "weight_decay": 0.1, "betas": (0.85, 0.995)}, id="adamw_wd0.1"
    ),
]
STEPS = 6


def _problem(dtype=np.float64, seed=0):
    net = fi.MLP(
        [4, 6, 3], "tanh", "softmax", dtype=dtype, generator=fi.Generator(seed), bias_init="uniform"
    )
    rng = np.random.default_rng(seed)
    batches = [
        (rng.standard_normal((8, 4)).astype(dtype), rng.integers(0, 3, 8)) for _ in range(STEPS)
    ]
    return net, batches


def _run_against(net, batches, fi_opt, other_step, other_params, rtol, what):
    start = [p.copy() for p in net.parameters()]
    for step, (X, y) in enumerate(batches, start=1):
        _, grads = net.loss_and_grad(X, y)
        g_copy = [t.copy() for t in grads.tensors()]
        fi_opt.step(grads)
        # the step does not modify the gradients
        for t, c in zip(grads.tensors(), g_copy, strict=True):
            assert np.array_equal(t, c)
        other_step(g_copy)
        for i, (p, q) in enumerate(zip(net.parameters(), other_params(), strict=True)):
            assert_rel(p, q, rtol, f"{what}: step {step}, tensor {i}")
    assert fi_opt.steps == len(batches)
    moved = max(float(np.max(np.abs(p - s))) for p, s in zip(net.parameters(), start, strict=True))
    assert moved > 1e-3, "the optimizer barely moved the parameters: the test is vacuous"


@pytest.mark.parametrize(("name", "kwargs"), OPTIMIZERS)
def test_optimizer_matches_oracle(name, kwargs):
    net, batches = _problem()
    ref_params = [p.copy() for p in net.parameters()]
    ref_opt = getattr(ref, name)(ref_params, **kwargs)
    fi_opt = getattr(fi.optim, name)(net, **kwargs)
    assert fi_opt.lr == kwargs["lr"]
    _run_against(net, batches, fi_opt, ref_opt.step, lambda: ref_params, 1e-12, "oracle")


@pytest.mark.parametrize(("name", "kwargs"), OPTIMIZERS)
def test_optimizer_matches_torch(name, kwargs):
    torch = pytest.importorskip("torch")
    net, batches = _problem(seed=1)
    tparams = [torch.nn.Parameter(torch.from_numpy(p.copy())) for p in net.parameters()]
    topt = getattr(torch.optim, name)(tparams, **kwargs)

    def torch_step(grads):
        for p, g in zip(tparams, grads, strict=True):
            p.grad = torch.from_numpy(g)
        topt.step()

    def torch_params():
        return [p.detach().numpy() for p in tparams]

    fi_opt = getattr(fi.optim, name)(net, **kwargs)
    _run_against(net, batches, fi_opt, torch_step, torch_params, 1e-12, "torch")


@pytest.mark.parametrize("name,kwargs", [OPTIMIZERS[1], OPTIMIZERS[9], OPTIMIZERS[11]])
def test_optimizer_float32_matches_oracle(name, kwargs):
    # float32 state and arithmetic vs the float64 oracle fed the same float32 gradients and
    # rounded back to float32 after each step: a few float32 ulps per step.
    net, batches = _problem(dtype=np.float32, seed=2)
    ref_params = [p.copy() for p in net.parameters()]  # float32 arrays: rounded like the net
    ref_opt = getattr(ref, name)(ref_params, **kwargs)
    fi_opt = getattr(fi.optim, name)(net, **kwargs)
    _run_against(net, batches, fi_opt, ref_opt.step, lambda: ref_params, 1e-5, "oracle f32")


def test_sgd_step_is_exact_and_lr_can_change():
    net, batches = _problem()
    opt = fi.optim.SGD(net, lr=0.1)
    X, y = batches[0]
    p0 = [p.copy() for p in net.parameters()]
    _, g = net.loss_and_grad(X, y)
    opt.lr = 0.5
    assert opt.lr == 0.5
    opt.step(g)
    for p, q, t in zip(net.parameters(), p0, g.tensors(), strict=True):
        np.testing.assert_array_equal(p, q - 0.5 * t)
    with pytest.raises(ValueError, match="lr"):
        opt.lr = -1.0
    with pytest.raises(ValueError, match="lr"):
        opt.lr = math.nan


def test_adamw_decays_without_gradient():
    """With zero gradients Adam's update is 0 and AdamW only shrinks: p *= (1 - lr * wd)."""
    net, _ = _problem()
    p0 = [p.copy() for p in net.parameters()]
    zero = net.new_grads()
    for t in zero.tensors():
        t[...] = 0.0
    fi.optim.AdamW(net, lr=0.1, weight_decay=0.5).step(zero)
    for p, q in zip(net.parameters(), p0, strict=True):
        np.testing.assert_allclose(p, q * (1 - 0.1 * 0.5), rtol=1e-15)
    p1 = [p.copy() for p in net.parameters()]
    fi.optim.Adam(net, lr=0.1, weight_decay=0.0).step(zero)
    for p, q in zip(net.parameters(), p1, strict=True):
        np.testing.assert_array_equal(p, q)


def test_optimizer_errors():
    net, _ = _problem()
    with pytest.raises(ValueError, match="Nesterov"):
        fi.optim.SGD(net, lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="Nesterov"):
        fi.optim.SGD(net, lr=0.1, momentum=0.9, dampening=0.1, nesterov=True)
    with pytest.raises(ValueError, match="lr"):
        fi.optim.SGD(net, lr=-0.1)
    with pytest.raises(ValueError, match="momentum"):
        fi.optim.SGD(net, lr=0.1, momentum=-0.5)
    with pytest.raises(ValueError, match="betas"):
        fi.optim.Adam(net, betas=(1.0, 0.999))
    with pytest.raises(ValueError, match="betas"):
        fi.optim.AdamW(net, betas=(0.9, -0.1))
    with pytest.raises(ValueError, match="eps"):
        fi.optim.Adam(net, eps=-1e-8)
    with pytest.raises(ValueError, match="weight_decay"):
        fi.optim.AdamW(net, weight_decay=-0.01)
    with pytest.raises(TypeError, match="MLP"):
        fi.optim.SGD(object(), lr=0.1)
    opt = fi.optim.SGD(net, lr=0.1)
    with pytest.raises(TypeError, match="Grads"):
        opt.step([np.zeros((6, 4))])
    other = fi.MLP([4, 7, 3], dtype=np.float64)
    with pytest.raises(ValueError, match="other layer sizes"):
        opt.step(other.new_grads())
    assert opt.steps == 0
