"""fastinit.MLP against the independent NumPy oracle (tests/reference.py) and finite differences.

What is compared, and how
-------------------------
* The oracle computes everything in float64 from the *same* parameters (the net's float32 or
  float64 weights cast to float64) and the same inputs, so any difference is fastinit's rounding
  (or a bug).
* Errors are measured relative to the largest magnitude of the reference tensor:
  ``max|actual - ref| <= rtol * max|ref|`` (an all-zero reference must be matched exactly).
  - float64: ``rtol = 1e-10``. Every quantity is a short chain of dot products; the measured
    worst case over the whole grid is ~1e-13 (depth 30), so 1e-10 leaves three orders of margin
    while still catching any wrong formula (those give O(1) errors).
  - float32: ``rtol = 1e-4`` for shallow nets. Unit roundoff is 6e-8; a layer's dot products of
    length <= 8 plus the activation cost a few ulps, and the measured worst case is ~3e-6.
    Depth 30: roundoff compounds layer after layer (forward through 30 layers, then backward
    through 30 more), measured worst ~2e-5, so ``rtol = 5e-4``.
* Central finite differences (float64 only; float32 FD would be dominated by rounding):
  step 1e-6, truncation error O(h^2 f''') ~ 1e-12 and rounding O(eps/h) ~ 1e-10, so gradients
  are compared with ``rtol = 1e-6`` relative to the largest gradient entry of the tensor.
* Depth 30: weights are drawn with ``xavier_normal`` scaled by the activation's gain (for a
  square layer std = gain / sqrt(width)), the classic variance-preserving scale, so the
  activations and gradients of all 30 layers neither explode nor vanish to nothing and the
  relative comparison is meaningful at every layer.
"""

from __future__ import annotations

import gc
import math
import sys
from pathlib import Path

import fastinit as fi
import numpy as np
import pytest
from helpers import assert_rel

sys.path.insert(0, str(Path(__file__).parent))
import reference as ref  # noqa: E402

ACTIVATIONS = list(ref.ACTIVATIONS)
OUTPUTS = ["linear", "sigmoid", "softmax"]
DTYPES = [pytest.param(np.float32, id="float32"), pytest.param(np.float64, id="float64")]

# Variance-preserving gains (PyTorch's calculate_gain where it defines one; ReLU-like
# activations get the ReLU gain, softsign the tanh-like 1.5, erf and hardtanh (slope 1 at 0,
# bounded like tanh) tanh's 5/3).
GAIN = {
    "identity": 1.0,
    "sigmoid": 1.0,
    "tanh": 5.0 / 3.0,
    "relu": math.sqrt(2.0),
    "leaky_relu": math.sqrt(2.0),
    "elu": math.sqrt(2.0),
    "selu": 0.75,
    "gelu": math.sqrt(2.0),
    "softplus": math.sqrt(2.0),
    "softsign": 1.5,
    "silu": math.sqrt(2.0),
    "erf": 5.0 / 3.0,
    "hardtanh": 5.0 / 3.0,
}

# name -> (layer sizes, batch size)
SHAPES = {
    "depth1": ([4, 3], 6),  # a single linear layer, no hidden activation
    "batch1": ([5, 7, 3], 1),  # one sample
    "width1": ([4, 1, 3], 5),  # a hidden layer of width 1
    "out1": ([5, 6, 1], 4),  # a single output unit (softmax: constant 1, zero loss)
    "depth3": ([6, 8, 5, 3], 7),  # the typical small net
    "depth30": ([8] * 30 + [3], 4),  # 30 layers of width 8
}

RTOL64 = 1e-10
RTOL32 = 1e-4
RTOL32_DEEP = 5e-4
FD_RTOL = 1e-6


def rtol_for(dtype, sizes) -> float:
    if np.dtype(dtype) == np.float64:
        return RTOL64
    return RTOL32_DEEP if len(sizes) > 10 else RTOL32


def make_net(sizes, activation, output, dtype, seed=0, gain=1.0):
    return fi.MLP(
        sizes,
        activation,
        output,
        init="xavier_normal",
        bias_init="normal",
        dtype=dtype,
        generator=fi.Generator(seed),
        init_kwargs={"gain": gain},
        bias_init_kwargs={"std": 0.1},
    )


def make_data(sizes, output, n, dtype, seed=1, x_scale=1.0):
    rng = np.random.default_rng(seed)
    X = (x_scale * rng.standard_normal((n, sizes[0]))).astype(dtype)
    K = sizes[-1]
    if output == "softmax":
        y = rng.integers(0, K, n)
    elif output == "sigmoid":
        y = rng.uniform(0.0, 1.0, (n, K)).astype(dtype)
        y[0, 0] = 1.0  # a hard label too
    else:
        y = rng.standard_normal((n, K)).astype(dtype)
    return X, y


def ref_params(net):
    return [
        (np.array(w, dtype=np.float64), np.array(b, dtype=np.float64))
        for w, b in zip(net.weights, net.biases, strict=True)
    ]


def hidden_specs(spec, hidden: int):
    if isinstance(spec, list):
        return [(s, {}) if isinstance(s, str) else s for s in spec]
    s = (spec, {}) if isinstance(spec, str) else spec
    return [s] * hidden


# ------------------------------------------------------------------------------------------------
# The full grid: activation x output x dtype x shape, against the oracle
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", list(SHAPES))
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_forward_loss_grads_match_oracle(activation, output, dtype, shape):
    sizes, n = SHAPES[shape]
    net = make_net(sizes, activation, output, dtype, seed=len(sizes) + 7, gain=GAIN[activation])
    X, y = make_data(sizes, output, n, dtype)
    acts = hidden_specs(activation, len(sizes) - 2)
    params = ref_params(net)
    rtol = rtol_for(dtype, sizes)

    P = net.forward(X)
    assert P.dtype == np.dtype(dtype) and P.shape == (n, sizes[-1])
    fw = ref.forward(params, X, acts, output)
    assert_rel(P, fw["P"], rtol, "forward P")

    loss = net.loss(X, y)
    expected = ref.backward(params, X, y, acts, output)
    assert_rel(loss, expected["loss"], rtol, "loss")

    loss2, grads = net.loss_and_grad(X, y)
    assert loss2 == loss, f"loss_and_grad's loss {loss2!r} != loss {loss!r}"
    assert len(grads.weights) == len(sizes) - 1 == len(grads.biases)
    for layer in range(len(sizes) - 1):
        assert grads.weights[layer].dtype == np.dtype(dtype)
        assert_rel(grads.weights[layer], expected["dW"][layer], rtol, f"dW[{layer}]")
        assert_rel(grads.biases[layer], expected["db"][layer], rtol, f"db[{layer}]")


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("activation", ["tanh", "gelu"])
def test_cached_intermediates_match_oracle(activation, output, dtype):
    """net.cache('Z'|'A'|'dZ'|'dA', l) after loss_and_grad equals the oracle's Z/A/dZ/dA."""
    sizes, n = [5, 7, 6, 4], 6
    net = make_net(sizes, activation, output, dtype, seed=11, gain=GAIN[activation])
    X, y = make_data(sizes, output, n, dtype)
    acts = hidden_specs(activation, len(sizes) - 2)
    rtol = rtol_for(dtype, sizes)
    params = ref_params(net)
    fw = ref.forward(params, X, acts, output)
    bw = ref.backward(params, X, y, acts, output)
    net.loss_and_grad(X, y)
    L = len(sizes) - 1
    for layer in range(L):
        assert_rel(net.cache("Z", layer), fw["Z"][layer], rtol, f"Z[{layer}]")
        assert_rel(net.cache("dZ", layer), bw["dZ"][layer], rtol, f"dZ[{layer}]")
        if layer < L - 1:
            # the oracle's A[0] is X, so hidden layer `layer` is its A[layer + 1]
            assert_rel(net.cache("A", layer), fw["A"][layer + 1], rtol, f"A[{layer}]")
            assert_rel(net.cache("dA", layer), bw["dA"][layer + 1], rtol, f"dA[{layer}]")
    # after a loss pass the last A holds the prediction P
    assert_rel(net.cache("A", L - 1), fw["P"], rtol, "A[L-1] (= P)")
    with pytest.raises(ValueError, match="hidden"):
        net.cache("dA", L - 1)


def test_cache_rows_follow_the_last_batch():
    """A smaller batch after a larger one: the caches hold exactly the new batch's rows."""
    sizes = [4, 6, 3]
    net = make_net(sizes, "tanh", "linear", np.float64, seed=2)
    X, _ = make_data(sizes, "linear", 9, np.float64)
    net.forward(X)
    net.forward(X[:2].copy())
    Z0 = net.cache("Z", 0)
    assert Z0.shape == (2, 6)
    expected = ref.forward(ref_params(net), X[:2], [("tanh", {})], "linear")["Z"][0]
    assert_rel(Z0, expected, RTOL64, "Z[0] of the 2-row batch")


def test_cache_errors():
    net = make_net([4, 5, 3], "relu", "linear", np.float64)
    with pytest.raises(ValueError, match="no pass"):
        net.cache("Z", 0)
    net.forward(np.ones((2, 4)))
    with pytest.raises(ValueError, match="valid"):
        net.cache("Q", 0)
    with pytest.raises(ValueError, match="out of range"):
        net.cache("Z", 2)


def test_batch_rows_are_independent_after_workspace_reuse():
    """Rows do not interact, and a reused (grown) workspace gives the same numbers."""
    sizes = [6, 9, 4]
    net = make_net(sizes, "gelu", "softmax", np.float64, seed=4)
    X, _ = make_data(sizes, "softmax", 12, np.float64)
    P_all = net.forward(X)
    P_part = net.forward(np.ascontiguousarray(X[3:5]))
    assert_rel(P_part, P_all[3:5], 1e-14, "rows 3:5")


# ------------------------------------------------------------------------------------------------
# Finite differences (float64)
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_grads_match_oracle_finite_differences(activation, output):
    sizes, n = [3, 4, 3], 4
    net = make_net(sizes, activation, output, np.float64, seed=3, gain=GAIN[activation])
    X, y = make_data(sizes, output, n, np.float64, seed=2)
    _, grads = net.loss_and_grad(X, y)
    dW, db = ref.finite_difference_grads(ref_params(net), X, y, [(activation, {})], output)
    for layer in range(len(sizes) - 1):
        assert_rel(grads.weights[layer], dW[layer], FD_RTOL, f"dW[{layer}] vs FD")
        assert_rel(grads.biases[layer], db[layer], FD_RTOL, f"db[{layer}] vs FD")


def _fd_through_net(net, X, y, h=1e-6):
    """Central differences of net.loss, perturbing the zero-copy parameter views in place."""
    dW, db = [], []
    for tensors, out in ((net.weights, dW), (net.biases, db)):
        for t in tensors:
            g = np.zeros(t.shape)
            for idx in np.ndindex(t.shape):
                old = t[idx]
                t[idx] = old + h
                fp = net.loss(X, y)
                t[idx] = old - h
                fm = net.loss(X, y)
                t[idx] = old
                g[idx] = (fp - fm) / (2 * h)
            out.append(g)
    return dW, db


@pytest.mark.parametrize(
    ("activation", "output"),
    [
        pytest.param("tanh", "softmax", id="tanh-softmax"),
        pytest.param(["gelu", ("elu", {"alpha": 0.5})], "sigmoid", id="gelu+elu-sigmoid"),
        pytest.param(
            ("softplus", {"beta": 2.0, "threshold": 5.0}), "linear", id="softplus_b2_t5-linear"
        ),
    ],
)
def test_grads_match_finite_differences_through_net_loss(activation, output):
    sizes = [3, 4, 3, 2] if isinstance(activation, list) else [3, 5, 2]
    net = make_net(sizes, activation, output, np.float64, seed=5)
    X, y = make_data(sizes, output, 5, np.float64, seed=6, x_scale=2.0)
    before = [p.copy() for p in net.parameters()]
    _, grads = net.loss_and_grad(X, y)
    dW, db = _fd_through_net(net, X, y)
    for layer in range(len(sizes) - 1):
        assert_rel(grads.weights[layer], dW[layer], FD_RTOL, f"dW[{layer}] vs net FD")
        assert_rel(grads.biases[layer], db[layer], FD_RTOL, f"db[{layer}] vs net FD")
    # the perturbations were undone exactly
    for p, q in zip(net.parameters(), before, strict=True):
        assert np.array_equal(p, q)


# ------------------------------------------------------------------------------------------------
# Labels, activation parameters, per-layer activations
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_int_labels_equal_one_hot(dtype):
    sizes = [5, 8, 4]
    net = make_net(sizes, "relu", "softmax", dtype, seed=9)
    X, labels = make_data(sizes, "softmax", 10, dtype)
    onehot = np.eye(4, dtype=dtype)[labels]
    l_int, g_int = net.loss_and_grad(X, labels)
    l_hot, g_hot = net.loss_and_grad(X, onehot)
    assert l_int == pytest.approx(l_hot, rel=1e-12, abs=0)
    for a, b in zip(g_int.tensors(), g_hot.tensors(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=0)
    # other integer dtypes are accepted as labels too
    l_i32 = net.loss(X, labels.astype(np.int32))
    l_u8 = net.loss(X, labels.astype(np.uint8))
    assert l_i32 == l_int == l_u8


def test_softmax_soft_targets_match_oracle():
    """Dense rows that are probabilities (not one-hot) or do not sum to one."""
    sizes = [4, 6, 3]
    net = make_net(sizes, "silu", "softmax", np.float64, seed=1)
    X, _ = make_data(sizes, "softmax", 5, np.float64)
    rng = np.random.default_rng(3)
    Y = rng.uniform(0.0, 1.0, (5, 3))
    Y[:3] /= Y[:3].sum(axis=1, keepdims=True)
    loss, grads = net.loss_and_grad(X, Y)
    bw = ref.backward(ref_params(net), X, Y, [("silu", {})], "softmax")
    assert_rel(loss, bw["loss"], RTOL64, "loss")
    for layer in range(2):
        assert_rel(grads.weights[layer], bw["dW"][layer], RTOL64, f"dW[{layer}]")
        assert_rel(grads.biases[layer], bw["db"][layer], RTOL64, f"db[{layer}]")


def test_linear_single_output_accepts_1d_targets():
    sizes = [4, 5, 1]
    net = make_net(sizes, "tanh", "linear", np.float64, seed=2)
    X, y = make_data(sizes, "linear", 6, np.float64)
    l2, g2 = net.loss_and_grad(X, y)
    l1, g1 = net.loss_and_grad(X, np.ascontiguousarray(y[:, 0]))
    assert l1 == l2
    for a, b in zip(g1.tensors(), g2.tensors(), strict=True):
        assert np.array_equal(a, b)


NON_DEFAULT = [
    # (spec, kwargs that must NOT reproduce it: proves each parameter is used)
    pytest.param(("leaky_relu", {"negative_slope": 0.2}), [{}], id="leaky_relu_slope0.2"),
    pytest.param(("elu", {"alpha": 0.5}), [{}], id="elu_alpha0.5"),
    pytest.param(
        ("softplus", {"beta": 2.0, "threshold": 5.0}),
        [{"beta": 2.0}, {"threshold": 5.0}],
        id="softplus_beta2_threshold5",
    ),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(("spec", "wrong_kwargs"), NON_DEFAULT)
def test_non_default_activation_parameters(spec, wrong_kwargs, dtype):
    name, kwargs = spec
    sizes, n = [4, 9, 6, 3], 16
    net = make_net(sizes, spec, "linear", dtype, seed=21, gain=1.5)
    X, y = make_data(sizes, "linear", n, dtype, x_scale=3.0)  # wide Z: both branches of each act
    acts = [(name, kwargs)] * 2
    rtol = rtol_for(dtype, sizes)
    params = ref_params(net)
    P = net.forward(X)
    fw = ref.forward(params, X, acts, "linear")
    assert_rel(P, fw["P"], rtol, "forward P")
    # each branch of the piecewise definition is exercised
    Z0 = fw["Z"][0]
    if name == "softplus":
        bz = kwargs["beta"] * Z0
        assert np.any(bz > kwargs["threshold"]) and np.any(bz <= kwargs["threshold"])
    else:
        assert np.any(Z0 > 0) and np.any(Z0 < 0)
    bw = ref.backward(params, X, y, acts, "linear")
    loss, grads = net.loss_and_grad(X, y)
    assert_rel(loss, bw["loss"], rtol, "loss")
    for layer in range(len(sizes) - 1):
        assert_rel(grads.weights[layer], bw["dW"][layer], rtol, f"dW[{layer}]")
        assert_rel(grads.biases[layer], bw["db"][layer], rtol, f"db[{layer}]")
    # the defaults (or a partial set of the parameters) give clearly different outputs
    for wrong in wrong_kwargs:
        other = ref.forward(params, X, [(name, wrong)] * 2, "linear")["P"]
        diff = np.max(np.abs(other - fw["P"])) / np.max(np.abs(fw["P"]))
        # (softplus' threshold changes the output by at most exp(-5)/2: a small but, even in
        # float32, clearly resolved difference)
        assert diff > 2 * rtol, f"{name}{wrong} is indistinguishable from {spec}: {diff:.2e}"


def test_activation_kwargs_equal_tuple_spec():
    sizes = [4, 6, 5, 2]
    X, _ = make_data(sizes, "linear", 5, np.float64)
    a = make_net(sizes, ("leaky_relu", {"negative_slope": 0.2}), "linear", np.float64, seed=3)
    b = fi.MLP(
        sizes,
        "leaky_relu",
        "linear",
        init="xavier_normal",
        bias_init="normal",
        dtype=np.float64,
        generator=fi.Generator(3),
        bias_init_kwargs={"std": 0.1},
        activation_kwargs={"negative_slope": 0.2},
    )
    c = make_net(sizes, "leaky_relu", "linear", np.float64, seed=3)
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        assert np.array_equal(p, q)
    assert np.array_equal(a.forward(X), b.forward(X))
    assert not np.allclose(a.forward(X), c.forward(X), rtol=1e-6, atol=0)


@pytest.mark.parametrize("dtype", DTYPES)
def test_per_layer_activation_list(dtype):
    specs = ["tanh", ("leaky_relu", {"negative_slope": 0.2}), "gelu", "softsign"]
    sizes, n = [4, 6, 5, 7, 6, 3], 8
    net = make_net(sizes, specs, "softmax", dtype, seed=13, gain=1.3)
    assert net.activations == ("tanh", "leaky_relu", "gelu", "softsign")
    X, y = make_data(sizes, "softmax", n, dtype)
    acts = hidden_specs(specs, 4)
    rtol = rtol_for(dtype, sizes)
    params = ref_params(net)
    assert_rel(net.forward(X), ref.forward(params, X, acts, "softmax")["P"], rtol, "P")
    bw = ref.backward(params, X, y, acts, "softmax")
    loss, grads = net.loss_and_grad(X, y)
    assert_rel(loss, bw["loss"], rtol, "loss")
    for layer in range(len(sizes) - 1):
        assert_rel(grads.weights[layer], bw["dW"][layer], rtol, f"dW[{layer}]")
        assert_rel(grads.biases[layer], bw["db"][layer], rtol, f"db[{layer}]")
    # the order of the list matters (layer l uses specs[l])
    swapped = ref.forward(params, X, acts[::-1], "softmax")["P"]
    assert not np.allclose(swapped, net.forward(X), rtol=1e-3, atol=0)
    if np.dtype(dtype) == np.float64:
        small = make_net([3, 4, 3, 4, 3, 2], specs, "softmax", dtype, seed=1, gain=1.3)
        Xs, ys = make_data([3, 4, 3, 4, 3, 2], "softmax", 4, dtype)
        _, g = small.loss_and_grad(Xs, ys)
        dW, db = ref.finite_difference_grads(ref_params(small), Xs, ys, acts, "softmax")
        for layer in range(5):
            assert_rel(g.weights[layer], dW[layer], FD_RTOL, f"dW[{layer}] vs FD")
            assert_rel(g.biases[layer], db[layer], FD_RTOL, f"db[{layer}] vs FD")


def test_linear_is_an_alias_of_identity():
    sizes = [3, 4, 2]
    X, _ = make_data(sizes, "linear", 3, np.float64)
    a = make_net(sizes, "linear", "linear", np.float64, seed=1)
    b = make_net(sizes, "identity", "linear", np.float64, seed=1)
    assert np.array_equal(a.forward(X), b.forward(X))


# ------------------------------------------------------------------------------------------------
# Numerical stability
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
def test_sigmoid_bce_with_huge_logits_is_finite(dtype):
    net = fi.MLP([2, 1], output="sigmoid", init="zeros", dtype=dtype)
    net.weights[0][...] = [[1000.0, -1000.0]]
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.0, 1.0], [0.5, 0.5]], dtype=dtype)
    y = np.array([[0.0], [1.0], [1.0], [0.0], [0.5]], dtype=dtype)  # logits +-1000 and 0
    P = net.forward(X)
    assert np.all(np.isfinite(P)) and np.all((P >= 0) & (P <= 1))
    np.testing.assert_array_equal(P[:4, 0], [1.0, 0.0, 1.0, 0.0])
    loss, grads = net.loss_and_grad(X, y)
    # per row: 1000, 1000, 0, 0, log(2)
    expected = (2000.0 + math.log(2.0)) / 5
    assert math.isfinite(loss)
    assert loss == pytest.approx(expected, rel=1e-6)
    assert loss == pytest.approx(ref.loss(ref_params(net), X, y, [], "sigmoid"), rel=1e-6)
    bw = ref.backward(ref_params(net), X, y, [], "sigmoid")
    assert_rel(grads.weights[0], bw["dW"][0], rtol_for(dtype, [2, 1]), "dW")
    assert_rel(grads.biases[0], bw["db"][0], rtol_for(dtype, [2, 1]), "db")


@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_with_huge_logits_is_finite(dtype):
    net = fi.MLP([2, 3], output="softmax", init="zeros", dtype=dtype)
    net.weights[0][...] = [[5000.0, 0.0], [-5000.0, 0.0], [0.0, 5000.0]]
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], dtype=dtype)
    labels = np.array([1, 2, 0])
    P = net.forward(X)
    assert np.all(np.isfinite(P))
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-6)
    loss, grads = net.loss_and_grad(X, labels)
    assert math.isfinite(loss)
    # logits row 0: [5e3, -5e3, 0] label 1 -> 1e4; row 1: [0, 0, 5e3] label 2 -> ~0;
    # row 2: [5e3, -5e3, 5e3] label 0 -> log 2
    expected = (1e4 + 0.0 + math.log(2.0)) / 3
    assert loss == pytest.approx(expected, rel=1e-6)
    assert loss == pytest.approx(ref.loss(ref_params(net), X, labels, [], "softmax"), rel=1e-6)
    for t in grads.tensors():
        assert np.all(np.isfinite(t))


# ------------------------------------------------------------------------------------------------
# Parameters: zero-copy views, initialization, reproducibility, threads
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
def test_weights_are_writeable_zero_copy_views(dtype):
    sizes = [3, 4, 2]
    net = make_net(sizes, "tanh", "linear", dtype, seed=1)
    X, _ = make_data(sizes, "linear", 5, dtype)
    W0 = net.weights[0]
    assert W0.flags.writeable and W0.flags.c_contiguous and W0.dtype == np.dtype(dtype)
    assert W0.shape == (4, 3) and net.biases[0].shape == (4,)
    assert net.weights[1].shape == (2, 4) and net.biases[1].shape == (2,)
    assert [p.shape for p in net.parameters()] == [(4, 3), (4,), (2, 4), (2,)]
    before = net.forward(X)
    W0[0, 0] += 0.5
    after = net.forward(X)
    assert not np.array_equal(before, after)
    assert_rel(
        after,
        ref.forward(ref_params(net), X, [("tanh", {})], "linear")["P"],
        rtol_for(dtype, sizes),
        "P after an in-place write",
    )
    # a write through parameters() is a write to the same memory
    net.parameters()[2][...] = 0.0
    net.parameters()[3][...] = 0.25
    np.testing.assert_array_equal(net.forward(X), np.full((5, 2), 0.25, dtype=dtype))
    # the views keep the parameter buffer alive after the network is gone
    snapshot = W0.copy()
    del net
    gc.collect()
    _ = [np.ones(4096) for _ in range(16)]
    np.testing.assert_array_equal(W0, snapshot)


def test_grads_buffer_reuse_and_order():
    sizes = [3, 5, 2]
    net = make_net(sizes, "relu", "linear", np.float64, seed=2)
    X, y = make_data(sizes, "linear", 4, np.float64)
    _, fresh = net.loss_and_grad(X, y)
    buf = net.new_grads()
    for t in buf.tensors():
        t[...] = 123.0  # garbage that must be overwritten
    _, reused = net.loss_and_grad(X, y, grads=buf)
    assert reused is buf
    for a, b in zip(reused.tensors(), fresh.tensors(), strict=True):
        assert np.array_equal(a, b)
    t = fresh.tensors()
    assert [x.shape for x in t] == [(5, 3), (5,), (2, 5), (2,)]
    assert t[0] is fresh.weights[0] and t[1] is fresh.biases[0] and t[3] is fresh.biases[1]


INIT_STD = [
    # (init, init_kwargs, expected std of W (out=500, in=1000), uniform bound or None)
    pytest.param("kaiming_normal", None, math.sqrt(2.0 / 1000), None, id="kaiming_normal"),
    pytest.param(
        "kaiming_normal",
        {"nonlinearity": "tanh"},
        (5.0 / 3.0) / math.sqrt(1000),
        None,
        id="kaiming_normal_tanh",
    ),
    pytest.param(
        "kaiming_normal",
        {"mode": "fan_out"},
        math.sqrt(2.0 / 500),
        None,
        id="kaiming_normal_fan_out",
    ),
    pytest.param(
        "kaiming_uniform",
        {"a": math.sqrt(5.0)},
        1.0 / math.sqrt(3 * 1000),
        1.0 / math.sqrt(1000),
        id="kaiming_uniform_torch_linear",
    ),
    pytest.param(
        "xavier_uniform", None, math.sqrt(2.0 / 1500), math.sqrt(6.0 / 1500), id="xavier_uniform"
    ),
    pytest.param(
        "xavier_normal", {"gain": 2.0}, 2.0 * math.sqrt(2.0 / 1500), None, id="xavier_normal_gain2"
    ),
    pytest.param("normal", {"std": 0.05}, 0.05, None, id="normal_std0.05"),
]


@pytest.mark.parametrize(("init", "kwargs", "std", "bound"), INIT_STD)
def test_init_gives_the_right_std(init, kwargs, std, bound):
    net = fi.MLP(
        [1000, 500, 10], init=init, dtype=np.float64, generator=fi.Generator(42), init_kwargs=kwargs
    )
    W = net.weights[0]
    n = W.size
    # sample std: relative standard error ~ 1/sqrt(2n) = 1e-3; 2% is ~14 standard errors
    assert W.std() == pytest.approx(std, rel=0.02), f"std {W.std():.6g} vs {std:.6g}"
    assert abs(W.mean()) < 6 * std / math.sqrt(n)
    if bound is not None:
        assert np.max(np.abs(W)) <= bound
        assert np.max(np.abs(W)) > 0.99 * bound  # really uniform up to the bound
    for b in net.biases:
        assert not np.any(b)  # bias_init="zeros" by default


def test_bias_init_and_callable_init():
    calls = []

    def my_init(w, generator=None):
        calls.append((w.shape, generator))
        w[...] = 0.5
        return w

    g = fi.Generator(1)
    net = fi.MLP(
        [300, 400, 2],
        init=my_init,
        bias_init="normal",
        dtype=np.float64,
        generator=g,
        bias_init_kwargs={"mean": 1.0, "std": 0.5},
    )
    assert [c[0] for c in calls] == [(400, 300), (2, 400)]
    assert all(c[1] is g for c in calls)
    assert np.all(net.weights[0] == 0.5) and np.all(net.weights[1] == 0.5)
    b = net.biases[0]  # 400 draws: std error of the mean 0.025, of the std ~0.018
    assert b.mean() == pytest.approx(1.0, abs=0.15)
    assert b.std() == pytest.approx(0.5, rel=0.15)
    assert np.unique(b).size == b.size


@pytest.mark.parametrize("dtype", DTYPES)
def test_same_seed_same_net(dtype):
    kw = dict(activation="relu", output="softmax", dtype=dtype, bias_init="uniform")
    a = fi.MLP([20, 30, 10], generator=fi.Generator(7), **kw)
    b = fi.MLP([20, 30, 10], generator=fi.Generator(7), **kw)
    c = fi.MLP([20, 30, 10], generator=fi.Generator(8), **kw)
    for p, q, r in zip(a.parameters(), b.parameters(), c.parameters(), strict=True):
        assert np.array_equal(p, q)
        assert not np.array_equal(p, r)
    # the default generator, reseeded, reproduces too
    fi.manual_seed(99)
    d = fi.MLP([20, 30, 10], **kw)
    fi.manual_seed(99)
    e = fi.MLP([20, 30, 10], **kw)
    for p, q in zip(d.parameters(), e.parameters(), strict=True):
        assert np.array_equal(p, q)


@pytest.mark.parametrize("dtype", DTYPES)
def test_threads_give_bit_identical_results(dtype, threads):
    sizes = [256, 512, 512, 10]
    rng = np.random.default_rng(0)
    X = rng.standard_normal((256, 256)).astype(dtype)
    y = rng.integers(0, 10, 256)
    results = []
    for n in (1, 2):
        threads(n)
        net = fi.MLP(
            sizes, "gelu", "softmax", dtype=dtype, generator=fi.Generator(5), bias_init="uniform"
        )
        P = net.forward(X)
        loss, grads = net.loss_and_grad(X, y)
        results.append((net.parameters(), P, loss, grads.tensors()))
    (p1, P1, l1, g1), (p2, P2, l2, g2) = results
    for a, b in zip(p1, p2, strict=True):
        assert np.array_equal(a, b), "initialization differs between 1 and 2 threads"
    assert np.array_equal(P1, P2), f"forward differs: max diff {np.max(np.abs(P1 - P2)):.3e}"
    assert l1 == l2
    for i, (a, b) in enumerate(zip(g1, g2, strict=True)):
        assert np.array_equal(a, b), f"grad tensor {i} differs: {np.max(np.abs(a - b)):.3e}"
    # and the numbers are right, not merely reproducible
    params = ref_params_from(p1)
    acts = [("gelu", {})] * 2
    assert_rel(P1, ref.forward(params, X, acts, "softmax")["P"], rtol_for(dtype, [1]), "P")


def ref_params_from(tensors):
    return [
        (np.array(tensors[i], np.float64), np.array(tensors[i + 1], np.float64))
        for i in range(0, len(tensors), 2)
    ]


# ------------------------------------------------------------------------------------------------
# Errors
# ------------------------------------------------------------------------------------------------

METHODS = ["forward", "loss", "loss_and_grad"]


def _call(net, method, X, y):
    if method == "forward":
        return net.forward(X)
    if method == "loss":
        return net.loss(X, y)
    return net.loss_and_grad(X, y)


@pytest.fixture
def net32():
    return make_net([4, 5, 3], "relu", "softmax", np.float32, seed=0)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    "X",
    [
        pytest.param(np.ones((2, 4), np.float64), id="float64"),
        pytest.param(np.ones((2, 4), np.int64), id="int64"),
        pytest.param(np.ones((2, 4), np.float16), id="float16"),
        pytest.param([[1.0, 2.0, 3.0, 4.0], [4.0, 3.0, 2.0, 1.0]], id="list"),
    ],
)
def test_x_of_another_real_dtype_is_converted_once(net32, method, X):
    """Read-only inputs of another real dtype are converted, as NumPy-based libraries do."""
    expected = _call(net32, method, np.asarray(X, np.float32), np.array([0, 1]))
    got = _call(net32, method, X, np.array([0, 1]))
    got, expected = (got[0], expected[0]) if isinstance(got, tuple) else (got, expected)
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    "X",
    [
        pytest.param(np.ones((2, 4), np.complex64), id="complex"),
        pytest.param(np.full((2, 4), "a"), id="str"),
        pytest.param(np.full((2, 4), None, dtype=object), id="object"),
    ],
)
def test_x_not_real_is_type_error(net32, method, X):
    with pytest.raises(TypeError, match="X"):
        _call(net32, method, X, np.array([0, 1]))


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    "X",
    [
        pytest.param(np.ones((2, 5), np.float32), id="too_many_columns"),
        pytest.param(np.ones((2, 3), np.float32), id="too_few_columns"),
        pytest.param(np.ones(4, np.float32), id="1d"),
        pytest.param(np.ones((2, 4, 1), np.float32), id="3d"),
        pytest.param(np.ones((0, 4), np.float32), id="no_rows"),
    ],
)
def test_x_wrong_shape_is_value_error(net32, method, X):
    with pytest.raises(ValueError, match="X"):
        _call(net32, method, X, np.array([0, 1]))


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf], ids=["nan", "inf", "-inf"])
def test_x_nonfinite_is_value_error(net32, method, bad):
    X = np.ones((2, 4), np.float32)
    X[1, 2] = bad
    with pytest.raises(ValueError, match="finite"):
        _call(net32, method, X, np.array([0, 1]))


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("layout", ["fortran", "strided"])
def test_x_non_contiguous_is_converted_once(net32, method, layout):
    base = np.arange(24, dtype=np.float32).reshape(3, 8) / 24
    X = np.asfortranarray(base[:, :4]) if layout == "fortran" else base[:, ::2]
    assert X.shape == (3, 4) and not X.flags.c_contiguous
    got = _call(net32, method, X, np.array([0, 1, 2]))
    expected = _call(net32, method, np.ascontiguousarray(X), np.array([0, 1, 2]))
    got, expected = (got[0], expected[0]) if isinstance(got, tuple) else (got, expected)
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("method", ["loss", "loss_and_grad"])
@pytest.mark.parametrize("label", [3, -1, 100], ids=["K", "negative", "far"])
def test_label_out_of_range_is_value_error(net32, method, label):
    X = np.ones((3, 4), np.float32)
    with pytest.raises(ValueError, match="outside"):
        _call(net32, method, X, np.array([0, label, 1]))


@pytest.mark.parametrize("method", ["loss", "loss_and_grad"])
def test_bad_targets_are_value_errors(method):
    X = np.ones((3, 4), np.float64)
    lin = make_net([4, 5, 2], "relu", "linear", np.float64)
    sig = make_net([4, 5, 2], "relu", "sigmoid", np.float64)
    soft = make_net([4, 5, 2], "relu", "softmax", np.float64)
    with pytest.raises(ValueError, match="softmax"):
        _call(lin, method, X, np.array([0, 1, 0]))  # labels need softmax
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        _call(sig, method, X, np.full((3, 2), 1.5))  # BCE targets outside [0, 1]
    with pytest.raises(ValueError, match="finite"):
        _call(lin, method, X, np.array([[0.0, 1.0], [np.nan, 0.0], [0.0, 0.0]]))
    with pytest.raises(ValueError, match="shape"):
        _call(lin, method, X, np.zeros((3, 3)))
    with pytest.raises(ValueError, match="shape"):
        _call(soft, method, X, np.array([0, 1]))  # one label short
    with pytest.raises(TypeError, match="y"):
        _call(lin, method, X, np.zeros((3, 2), np.complex128))  # not real numbers
    # another real dtype is converted (the net is float64)
    y32, y64 = (_call(lin, method, X, np.zeros((3, 2), dt)) for dt in (np.float32, np.float64))
    assert (y32[0] if method == "loss_and_grad" else y32) == (
        y64[0] if method == "loss_and_grad" else y64
    )


@pytest.mark.parametrize(
    "sizes",
    [[4, 0, 3], [4, -2, 3], [0, 3], [4, 3, 0], [4]],
    ids=["hidden0", "hidden_negative", "input0", "output0", "one_entry"],
)
def test_bad_layer_sizes_are_value_errors(sizes):
    with pytest.raises(ValueError, match="layer_sizes"):
        fi.MLP(sizes)


@pytest.mark.parametrize(
    "activation",
    [
        pytest.param("swish", id="name"),
        pytest.param(["relu", "bogus"], id="in_list"),
        pytest.param(("bogus", {}), id="tuple"),
    ],
)
def test_unknown_activation_lists_valid_names(activation):
    with pytest.raises(ValueError, match="unknown activation") as info:
        fi.MLP([4, 5, 6, 3], activation)
    for name in ACTIVATIONS:
        assert name in str(info.value)


def test_unknown_output_lists_valid_names():
    with pytest.raises(ValueError, match="unknown output") as info:
        fi.MLP([4, 5, 3], "relu", output="tanh")
    for name in OUTPUTS:
        assert name in str(info.value)


@pytest.mark.parametrize("count", [1, 3])
def test_wrong_number_of_activations(count):
    with pytest.raises(ValueError, match="2"):
        fi.MLP([4, 5, 6, 3], ["relu"] * count)


def test_bad_activation_parameters():
    with pytest.raises(ValueError, match="beta"):
        fi.MLP([4, 5, 3], ("softplus", {"beta": 0.0}))
    with pytest.raises(ValueError, match="negative_slope"):
        fi.MLP([4, 5, 3], ("leaky_relu", {"slope": 0.1}))
    with pytest.raises(ValueError, match="takes no parameters"):
        fi.MLP([4, 5, 3], ("relu", {"negative_slope": 0.1}))  # never silently ignored
    with pytest.raises(ValueError, match="finite"):
        fi.MLP([4, 5, 3], ("elu", {"alpha": math.nan}))


@pytest.mark.parametrize(
    "dtype", [np.float16, np.int32, np.complex128], ids=["float16", "int32", "complex128"]
)
def test_unsupported_network_dtype_is_type_error(dtype):
    with pytest.raises(TypeError, match="float32 or float64"):
        fi.MLP([4, 3], dtype=dtype)
