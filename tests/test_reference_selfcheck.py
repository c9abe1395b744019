"""Self-checks of the NumPy oracle in ``tests/reference.py``.

The oracle is checked against itself (analytic back-propagation vs central finite
differences, int labels vs one-hot labels), against hand-computed numbers (clipping,
SGD, Adam, AdamW), and -- when PyTorch happens to be installed -- against torch's
activations, losses, autograd, ``clip_grad_norm_`` and optimizers.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from reference import (  # noqa: E402
    ACTIVATIONS,
    OUTPUTS,
    SELU_ALPHA,
    SELU_SCALE,
    SGD,
    Adam,
    AdamW,
    activation_derivative,
    activation_forward,
    backward,
    clip_by_norm,
    clip_grad_norm,
    clip_grad_value,
    finite_difference_grads,
    forward,
    loss,
    softmax,
)

SIZES = [3, 4, 5, 2]
N = 4

# Non-default parameters, to check that kwargs are really forwarded.
ACT_KWARGS = {
    "leaky_relu": {"negative_slope": 0.2},
    "elu": {"alpha": 0.7},
    "softplus": {"beta": 2.0, "threshold": 3.0},
    "hardtanh": {"min_val": -0.5, "max_val": 1.5},
}


def _random_params(sizes, rng, scale=1.0):
    return [
        (
            rng.normal(scale=scale / math.sqrt(din), size=(dout, din)),
            rng.normal(scale=0.5, size=dout),
        )
        for din, dout in zip(sizes[:-1], sizes[1:], strict=True)
    ]


def _targets(output, rng, n, k, int_labels=False):
    if output == "linear":
        return rng.normal(size=(n, k))
    if output == "sigmoid":
        return rng.uniform(size=(n, k))
    labels = rng.integers(0, k, size=n)
    return labels if int_labels else np.eye(k)[labels]


def _problem(act_name, output, seed=0, int_labels=False, act_kwargs=None):
    rng = np.random.default_rng(seed)
    params = _random_params(SIZES, rng, scale=1.5)
    X = rng.normal(size=(N, SIZES[0]))
    Y = _targets(output, rng, N, SIZES[-1], int_labels)
    kwargs = act_kwargs if act_kwargs is not None else {}
    acts = [(act_name, dict(kwargs)) for _ in range(len(SIZES) - 2)]
    return params, X, Y, acts


def _rel_err(a, b):
    a, b = np.asarray(a), np.asarray(b)
    scale = max(np.max(np.abs(a)), np.max(np.abs(b)), 1e-8)
    return float(np.max(np.abs(a - b)) / scale), float(np.max(np.abs(a - b)))


# ----------------------------------------------------------------------------
# backward vs finite differences
# ----------------------------------------------------------------------------

GRAD_CASES = [
    pytest.param(act, out, {}, id=f"{act}-{out}") for act in ACTIVATIONS for out in OUTPUTS
] + [
    pytest.param(act, out, kw, id=f"{act}[{','.join(f'{k}={v}' for k, v in kw.items())}]-{out}")
    for act, kw in ACT_KWARGS.items()
    for out in OUTPUTS
]


@pytest.mark.parametrize(("act_name", "output", "act_kwargs"), GRAD_CASES)
def test_backward_matches_finite_differences(act_name, output, act_kwargs):
    params, X, Y, acts = _problem(act_name, output, act_kwargs=act_kwargs)
    bw = backward(params, X, Y, acts, output)
    fd_W, fd_b = finite_difference_grads(params, X, Y, acts, output)
    assert bw["loss"] == pytest.approx(loss(params, X, Y, acts, output), rel=1e-14)
    for layer, (gW, gb, fW, fb) in enumerate(
        zip(bw["dW"], bw["db"], fd_W, fd_b, strict=True), start=1
    ):
        assert gW.shape == params[layer - 1][0].shape
        assert gb.shape == params[layer - 1][1].shape
        for name, g, f in (("dW", gW, fW), ("db", gb, fb)):
            rel, absdiff = _rel_err(g, f)
            assert rel < 1e-6, (
                f"{name}_{layer}: relative error {rel:.3e} (max |diff| {absdiff:.3e})"
            )
            assert np.max(np.abs(g)) > 0 or layer < len(SIZES) - 1, f"{name}_{layer} is all zero"


@pytest.mark.parametrize("output", OUTPUTS)
def test_backward_intermediate_gradients(output):
    """dZ/dA agree with finite differences w.r.t. the input X and with the chain rule."""
    params, X, Y, acts = _problem("tanh", output, seed=3)
    bw = backward(params, X, Y, acts, output)
    fw = forward(params, X, acts, output)
    L = len(params)
    assert len(bw["dZ"]) == L and len(bw["dA"]) == L
    for l_idx in range(L):
        assert bw["dZ"][l_idx].shape == fw["Z"][l_idx].shape
        assert bw["dA"][l_idx].shape == fw["A"][l_idx].shape
    # dA_0 = dLoss/dX by central differences.
    eps = 1e-6
    fd = np.zeros_like(X)
    for idx in np.ndindex(X.shape):
        Xp, Xm = X.copy(), X.copy()
        Xp[idx] += eps
        Xm[idx] -= eps
        fd[idx] = (loss(params, Xp, Y, acts, output) - loss(params, Xm, Y, acts, output)) / (
            2 * eps
        )
    rel, absdiff = _rel_err(bw["dA"][0], fd)
    assert rel < 1e-6, f"dA_0: relative error {rel:.3e} (max |diff| {absdiff:.3e})"
    # Chain rule consistency: db_l = sum_n dZ_l, dA_{l-1} = dZ_l W_l.
    for l_idx in range(L):
        np.testing.assert_allclose(bw["db"][l_idx], bw["dZ"][l_idx].sum(axis=0), rtol=1e-14)
        np.testing.assert_allclose(bw["dA"][l_idx], bw["dZ"][l_idx] @ params[l_idx][0])


def test_forward_shapes_and_float32_inputs():
    params, X, _, acts = _problem("relu", "softmax")
    p32 = [(W.astype(np.float32), b.astype(np.float32)) for W, b in params]
    out = forward(p32, X.astype(np.float32), acts, "softmax")
    assert [z.shape for z in out["Z"]] == [(N, d) for d in SIZES[1:]]
    assert [a.shape for a in out["A"]] == [(N, d) for d in SIZES[:-1]]
    assert all(a.dtype == np.float64 for a in out["A"] + out["Z"] + [out["P"]])
    np.testing.assert_allclose(out["P"].sum(axis=1), 1.0, rtol=1e-15)
    # Manual forward pass.
    A = X.astype(np.float32).astype(np.float64)
    for W, b in p32[:-1]:
        A = np.maximum(A @ W.astype(np.float64).T + b, 0.0)
    Z = A @ p32[-1][0].astype(np.float64).T + p32[-1][1]
    np.testing.assert_allclose(out["Z"][-1], Z, rtol=1e-14)


def test_activation_spec_forms_are_equivalent():
    params, X, Y, _ = _problem("gelu", "linear")
    a = loss(params, X, Y, ["gelu", "gelu"], "linear")
    b = loss(params, X, Y, [("gelu", {}), ("gelu",)], "linear")
    assert a == b
    with pytest.raises(ValueError, match="unknown activation"):
        loss(params, X, Y, ["nope", "gelu"], "linear")
    with pytest.raises(ValueError, match="one activation per hidden layer"):
        loss(params, X, Y, ["gelu"], "linear")


# ----------------------------------------------------------------------------
# Activations: derivatives, conventions at kinks, numerical stability
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("act_name", list(ACTIVATIONS))
def test_activation_derivative_matches_finite_differences(act_name):
    z = np.linspace(-6.0, 6.0, 241) + 0.0123  # stays away from 0 and softplus threshold
    spec = (act_name, ACT_KWARGS.get(act_name, {}))
    eps = 1e-6
    fd = (activation_forward(spec, z + eps) - activation_forward(spec, z - eps)) / (2 * eps)
    np.testing.assert_allclose(activation_derivative(spec, z), fd, rtol=1e-7, atol=1e-8)


def test_activation_conventions_at_kinks():
    zero = np.zeros(1)
    assert activation_derivative("relu", zero)[0] == 0.0
    assert activation_derivative(("leaky_relu", {"negative_slope": 0.3}), zero)[0] == 0.3
    assert activation_derivative("leaky_relu", zero)[0] == 0.01
    assert activation_derivative(("elu", {"alpha": 0.5}), zero)[0] == 0.5
    assert activation_derivative("selu", zero)[0] == pytest.approx(SELU_ALPHA * SELU_SCALE)
    assert activation_derivative("gelu", zero)[0] == 0.5
    # softplus: x is returned (derivative 1) only where beta*x > threshold.
    sp = ("softplus", {"beta": 2.0, "threshold": 3.0})
    assert activation_forward(sp, np.array([1.6]))[0] == 1.6
    assert activation_derivative(sp, np.array([1.6]))[0] == 1.0
    assert activation_forward(sp, np.array([1.5]))[0] == pytest.approx(np.log1p(np.exp(3.0)) / 2)
    assert activation_derivative(sp, np.array([1.5]))[0] == pytest.approx(1 / (1 + np.exp(-3.0)))


@pytest.mark.parametrize("act_name", list(ACTIVATIONS))
def test_activations_stable_for_extreme_inputs(act_name):
    # pyproject turns warnings into errors, so an overflow warning would fail here too.
    z = np.array([-1e4, -800.0, -50.0, 0.0, 50.0, 800.0, 1e4])
    f = activation_forward(act_name, z)
    d = activation_derivative(act_name, z)
    assert np.all(np.isfinite(f)) and np.all(np.isfinite(d)), (f, d)


def test_selu_and_gelu_values():
    z = np.array([-2.0, -0.5, 0.0, 0.5, 2.0])
    expected = SELU_SCALE * np.where(z > 0, z, SELU_ALPHA * (np.exp(z) - 1))
    np.testing.assert_allclose(activation_forward("selu", z), expected, rtol=1e-15)
    # Phi(1) = 0.8413447460685429
    assert activation_forward("gelu", np.array([1.0]))[0] == pytest.approx(0.8413447460685429)


# ----------------------------------------------------------------------------
# Losses
# ----------------------------------------------------------------------------


def test_softmax_int_labels_equal_one_hot():
    params, X, labels, acts = _problem("silu", "softmax", seed=7, int_labels=True)
    onehot = np.eye(SIZES[-1])[labels]
    a = backward(params, X, labels, acts, "softmax")
    b = backward(params, X, onehot, acts, "softmax")
    assert a["loss"] == pytest.approx(b["loss"], rel=1e-15)
    for ga, gb in zip(a["dW"] + a["db"], b["dW"] + b["db"], strict=True):
        np.testing.assert_allclose(ga, gb, rtol=1e-15, atol=0)
    with pytest.raises(ValueError):
        loss(params, X, np.full(N, SIZES[-1]), acts, "softmax")


def test_softmax_probability_targets_finite_differences():
    rng = np.random.default_rng(11)
    params, X, _, acts = _problem("elu", "softmax", seed=11)
    Y = rng.uniform(size=(N, SIZES[-1]))  # rows not normalised on purpose
    bw = backward(params, X, Y, acts, "softmax")
    fd_W, fd_b = finite_difference_grads(params, X, Y, acts, "softmax")
    for g, f in zip(bw["dW"] + bw["db"], fd_W + fd_b, strict=True):
        rel, absdiff = _rel_err(g, f)
        assert rel < 1e-6, f"relative error {rel:.3e} (max |diff| {absdiff:.3e})"


def test_loss_values_by_hand():
    # Single layer, identity weights: logits == X.
    W, b = np.eye(2), np.zeros(2)
    X = np.array([[1.0, -2.0], [0.5, 3.0]])
    Y = np.array([[0.0, 1.0], [1.0, 1.0]])
    mse = np.mean((X - Y) ** 2)
    assert loss([(W, b)], X, Y, [], "linear") == pytest.approx(mse, rel=1e-15)
    s = 1 / (1 + np.exp(-X))
    bce = -np.mean(Y * np.log(s) + (1 - Y) * np.log(1 - s))
    assert loss([(W, b)], X, Y, [], "sigmoid") == pytest.approx(bce, rel=1e-13)
    labels = np.array([1, 0])
    p = np.exp(X) / np.exp(X).sum(axis=1, keepdims=True)
    ce = -np.mean(np.log(p[np.arange(2), labels]))
    assert loss([(W, b)], X, labels, [], "softmax") == pytest.approx(ce, rel=1e-14)


def test_losses_stable_for_huge_logits():
    W, b = np.eye(2), np.zeros(2)
    X = np.array([[1000.0, -1000.0], [-800.0, 900.0]])
    Y = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert loss([(W, b)], X, Y, [], "sigmoid") == 0.0
    assert loss([(W, b)], X, Y, [], "softmax") == 0.0
    assert loss([(W, b)], X, 1 - Y, [], "softmax") == pytest.approx(1850.0)
    np.testing.assert_allclose(softmax(X), Y)


# ----------------------------------------------------------------------------
# Clipping
# ----------------------------------------------------------------------------


def test_clip_grad_norm_single_tensor_by_hand():
    (g,), total = clip_grad_norm([np.array([3.0, 4.0])], max_norm=1.0)
    assert total == 5.0
    np.testing.assert_allclose(g, np.array([3.0, 4.0]) * 1.0 / (5.0 + 1e-6), rtol=1e-15)


def test_clip_grad_norm_multi_tensor_and_no_op():
    grads = [np.array([[1.0, 2.0]]), np.array([2.0])]
    clipped, total = clip_grad_norm(grads, max_norm=10.0)
    assert total == 3.0
    for c, g in zip(clipped, grads, strict=True):
        np.testing.assert_array_equal(c, g)
    _, total_inf = clip_grad_norm(grads, max_norm=1.0, norm_type=math.inf)
    assert total_inf == 2.0
    _, total_1 = clip_grad_norm(grads, max_norm=1.0, norm_type=1)
    assert total_1 == 5.0
    with pytest.raises(RuntimeError):
        clip_grad_norm([np.array([np.inf, 1.0])], 1.0, error_if_nonfinite=True)


def test_clip_by_norm_and_value():
    a, b = clip_by_norm([np.array([3.0, 4.0]), np.array([0.3, 0.4])], threshold=1.0)
    np.testing.assert_allclose(a, [0.6, 0.8], rtol=1e-15)
    np.testing.assert_array_equal(b, [0.3, 0.4])
    (c,) = clip_grad_value([np.array([-3.0, 0.5, 2.0])], 1.0)
    np.testing.assert_array_equal(c, [-1.0, 0.5, 1.0])


# ----------------------------------------------------------------------------
# Optimizers by hand
# ----------------------------------------------------------------------------


def test_sgd_by_hand():
    p = np.array([1.0, 2.0])
    g = np.array([0.5, -1.0])
    SGD([p], lr=0.1).step([g])
    np.testing.assert_allclose(p, [0.95, 2.1], rtol=1e-15)

    p = np.array([1.0])
    opt = SGD([p], lr=0.1, momentum=0.9)
    opt.step([np.array([0.5])])  # buf = 0.5
    opt.step([np.array([0.5])])  # buf = 0.9*0.5 + 0.5 = 0.95
    assert p[0] == pytest.approx(1.0 - 0.05 - 0.095, rel=1e-15)

    p = np.array([1.0])
    SGD([p], lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.1).step([np.array([0.5])])
    # d = 0.5 + 0.1 * 1.0 = 0.6; buf = 0.6; nesterov: d + 0.9 * buf = 1.14
    assert p[0] == pytest.approx(1.0 - 0.1 * 1.14, rel=1e-15)


def test_adam_by_hand():
    p = np.array([1.0])
    opt = Adam([p], lr=0.1)
    opt.step([np.array([0.5])])
    # m = 0.05, v = 0.00025, step_size = 0.1/0.1, denom = sqrt(v)/sqrt(0.001) + 1e-8 = 0.5 + 1e-8
    assert p[0] == pytest.approx(1.0 - 1.0 * 0.05 / (0.5 + 1e-8), rel=1e-14)
    p1 = p[0]
    opt.step([np.array([0.25])])
    m = 0.9 * 0.05 + 0.1 * 0.25  # 0.07
    v = 0.999 * 0.00025 + 0.001 * 0.0625  # 0.00031225
    step_size = 0.1 / (1 - 0.9**2)
    denom = math.sqrt(v) / math.sqrt(1 - 0.999**2) + 1e-8
    assert p[0] == pytest.approx(p1 - step_size * m / denom, rel=1e-14)

    # L2 weight decay is added to the gradient: g = 0.5 + 0.1 * 1.0 = 0.6.
    p = np.array([1.0])
    Adam([p], lr=0.1, weight_decay=0.1).step([np.array([0.5])])
    assert p[0] == pytest.approx(1.0 - 0.1 * 0.6 / (0.6 + 1e-8), rel=1e-14)


def test_adamw_by_hand():
    p = np.array([1.0])
    opt = AdamW([p], lr=0.1)
    assert opt.weight_decay == 1e-2
    opt.step([np.array([0.5])])
    assert p[0] == pytest.approx(1.0 * (1 - 0.1 * 0.01) - 0.1 * 0.5 / (0.5 + 1e-8), rel=1e-14)


def test_optimizer_updates_in_place_and_keeps_other_params():
    W, b = np.ones((2, 2)), np.zeros(2)
    opt = SGD([W, b], lr=1.0)
    W_id, b_id = id(W), id(b)
    opt.step([np.full((2, 2), 0.5), np.zeros(2)])
    assert id(W) == W_id and id(b) == b_id
    np.testing.assert_array_equal(W, np.full((2, 2), 0.5))
    np.testing.assert_array_equal(b, np.zeros(2))


# ----------------------------------------------------------------------------
# Comparisons with PyTorch (only when torch is importable)
# ----------------------------------------------------------------------------

TORCH_ACTS = {
    "identity": lambda F, z, **kw: z,
    "sigmoid": lambda F, z, **kw: F.sigmoid(z),
    "tanh": lambda F, z, **kw: F.tanh(z),
    "relu": lambda F, z, **kw: F.relu(z),
    "leaky_relu": lambda F, z, **kw: F.leaky_relu(z, **kw),
    "elu": lambda F, z, **kw: F.elu(z, **kw),
    "selu": lambda F, z, **kw: F.selu(z),
    "gelu": lambda F, z, **kw: F.gelu(z),
    "softplus": lambda F, z, **kw: F.softplus(z, **kw),
    "softsign": lambda F, z, **kw: F.softsign(z),
    "silu": lambda F, z, **kw: F.silu(z),
    "erf": lambda F, z, **kw: z.erf(),
    "hardtanh": lambda F, z, **kw: F.hardtanh(z, **kw),
}


@pytest.mark.parametrize("act_name", list(ACTIVATIONS))
def test_activations_match_torch(act_name):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    kw = ACT_KWARGS.get(act_name, {})
    z = np.concatenate([np.linspace(-8, 8, 161), [0.0, 1.5, 1.5000001, -1e-12, 1e-12]])
    zt = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    out = TORCH_ACTS[act_name](F, zt, **kw)
    (grad,) = torch.autograd.grad(out.sum(), zt)
    spec = (act_name, kw)
    np.testing.assert_allclose(
        activation_forward(spec, z), out.detach().numpy(), rtol=1e-13, atol=1e-15
    )
    np.testing.assert_allclose(activation_derivative(spec, z), grad.numpy(), rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize(
    ("act_name", "output", "int_labels"),
    [
        pytest.param("tanh", "linear", False, id="tanh-linear"),
        pytest.param("gelu", "sigmoid", False, id="gelu-sigmoid"),
        pytest.param("leaky_relu", "softmax", True, id="leaky_relu-softmax-int"),
        pytest.param("softplus", "softmax", False, id="softplus-softmax-onehot"),
    ],
)
def test_backward_matches_torch_autograd(act_name, output, int_labels):
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    kw = ACT_KWARGS.get(act_name, {})
    params, X, Y, acts = _problem(act_name, output, seed=5, int_labels=int_labels, act_kwargs=kw)
    tp = [
        (torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True))
        for W, b in params
    ]
    a = torch.tensor(X)
    for i, (W, b) in enumerate(tp):
        a = a @ W.T + b
        if i < len(tp) - 1:
            a = TORCH_ACTS[act_name](F, a, **kw)
    Yt = torch.tensor(Y)
    if output == "linear":
        lt = F.mse_loss(a, Yt)
    elif output == "sigmoid":
        lt = F.binary_cross_entropy_with_logits(a, Yt)
    else:
        lt = F.cross_entropy(a, Yt)
    lt.backward()
    bw = backward(params, X, Y, acts, output)
    assert bw["loss"] == pytest.approx(lt.item(), rel=1e-13)
    for (W, b), gW, gb in zip(tp, bw["dW"], bw["db"], strict=True):
        np.testing.assert_allclose(gW, W.grad.numpy(), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(gb, b.grad.numpy(), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(
    ("max_norm", "norm_type"),
    [
        pytest.param(0.5, 2.0, id="l2-clipped"),
        pytest.param(100.0, 2.0, id="l2-unclipped"),
        pytest.param(0.5, 1.0, id="l1"),
        pytest.param(0.5, 3.0, id="l3"),
        pytest.param(0.5, math.inf, id="linf"),
    ],
)
def test_clip_grad_norm_matches_torch(max_norm, norm_type):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2)
    grads = [rng.normal(size=(4, 3)), rng.normal(size=4), rng.normal(size=(2, 4))]
    tensors = []
    for g in grads:
        t = torch.zeros(g.shape, dtype=torch.float64, requires_grad=True)
        t.grad = torch.tensor(g)
        tensors.append(t)
    total_t = torch.nn.utils.clip_grad_norm_(tensors, max_norm, norm_type=norm_type)
    clipped, total = clip_grad_norm(grads, max_norm, norm_type=norm_type)
    assert total == pytest.approx(total_t.item(), rel=1e-13)
    for c, t in zip(clipped, tensors, strict=True):
        np.testing.assert_allclose(c, t.grad.numpy(), rtol=1e-13, atol=0)


def test_clip_grad_value_matches_torch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    grads = [rng.normal(size=(3, 3)), rng.normal(size=3)]
    tensors = []
    for g in grads:
        t = torch.zeros(g.shape, dtype=torch.float64, requires_grad=True)
        t.grad = torch.tensor(g)
        tensors.append(t)
    torch.nn.utils.clip_grad_value_(tensors, 0.7)
    for c, t in zip(clip_grad_value(grads, 0.7), tensors, strict=True):
        np.testing.assert_array_equal(c, t.grad.numpy())


OPTIMIZER_CASES = [
    pytest.param("SGD", {"lr": 0.1}, id="sgd-plain"),
    pytest.param("SGD", {"lr": 0.1, "momentum": 0.9}, id="sgd-momentum"),
    pytest.param(
        "SGD",
        {"lr": 0.05, "momentum": 0.8, "dampening": 0.3, "weight_decay": 0.01},
        id="sgd-momentum-dampening-wd",
    ),
    pytest.param(
        "SGD",
        {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.1},
        id="sgd-nesterov-wd",
    ),
    pytest.param("Adam", {}, id="adam-defaults"),
    pytest.param(
        "Adam",
        {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.1},
        id="adam-custom-wd",
    ),
    pytest.param("Adam", {"lr": 0.01, "amsgrad": True}, id="adam-amsgrad"),
    pytest.param("AdamW", {}, id="adamw-defaults"),
    pytest.param(
        "AdamW", {"lr": 0.01, "weight_decay": 0.1, "betas": (0.85, 0.95)}, id="adamw-custom"
    ),
]


@pytest.mark.parametrize(("name", "kwargs"), OPTIMIZER_CASES)
def test_optimizers_match_torch(name, kwargs):
    torch = pytest.importorskip("torch")
    ours_cls = {"SGD": SGD, "Adam": Adam, "AdamW": AdamW}[name]
    rng = np.random.default_rng(9)
    init = [
        rng.normal(size=(3, 2)),
        rng.normal(size=3),
        rng.normal(size=(1, 3)),
        rng.normal(size=1),
    ]
    ours = [p.copy() for p in init]
    theirs = [torch.tensor(p, requires_grad=True) for p in init]
    opt = ours_cls(ours, **kwargs)
    # foreach=False selects the simple single-tensor reference loop in torch.
    topt = getattr(torch.optim, name)(theirs, foreach=False, **kwargs)
    for _ in range(5):
        # Gradients of varying scale and sign; same values for both sides.
        grads = [rng.normal(size=p.shape) * rng.uniform(0.1, 3.0) for p in init]
        for t, g in zip(theirs, grads, strict=True):
            t.grad = torch.tensor(g)
        topt.step()
        opt.step(grads)
    for o, t in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(o, t.detach().numpy(), rtol=1e-12, atol=1e-14)
