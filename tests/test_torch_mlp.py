"""fastinit.MLP.from_torch / to_torch and fastinit.diagnose on a torch Sequential."""

from __future__ import annotations

from typing import Any

import fastinit as fi
import numpy as np
import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

ACTS: list[tuple[Any, Any]] = [
    (nn.ReLU(), "relu"),
    (nn.LeakyReLU(0.2), ("leaky_relu", {"negative_slope": 0.2})),
    (nn.Tanh(), "tanh"),
    (nn.Sigmoid(), "sigmoid"),
    (nn.ELU(alpha=0.7), ("elu", {"alpha": 0.7})),
    (nn.SELU(), "selu"),
    (nn.GELU(), "gelu"),
    (nn.Softplus(beta=2.0, threshold=5.0), ("softplus", {"beta": 2.0, "threshold": 5.0})),
    (nn.Softsign(), "softsign"),
    (nn.SiLU(), "silu"),
    (nn.Hardtanh(), ("hardtanh", {"min_val": -1.0, "max_val": 1.0})),
    (nn.Hardtanh(-0.5, 2.0), ("hardtanh", {"min_val": -0.5, "max_val": 2.0})),
    (nn.Identity(), "identity"),
]


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("i", range(len(ACTS)))
def test_from_torch_computes_what_torch_computes(i: int, dtype: Any) -> None:
    act, spec = ACTS[i]
    torch.manual_seed(i)
    seq = nn.Sequential(nn.Linear(6, 9), act, nn.Linear(9, 4)).to(dtype)
    net = fi.MLP.from_torch(seq)
    assert net.layer_sizes == (6, 9, 4) and net.output == "linear"
    assert net.dtype == (np.float32 if dtype == torch.float32 else np.float64)
    ref = fi.MLP([6, 9, 4], activation=spec, dtype=net.dtype)
    assert net._core.activations == ref._core.activations
    for l, lin in enumerate((seq[0], seq[2])):
        np.testing.assert_array_equal(net.weights[l], lin.weight.detach().numpy())
        np.testing.assert_array_equal(net.biases[l], lin.bias.detach().numpy())
    X = torch.randn(32, 6, dtype=dtype) * 3
    with torch.no_grad():
        expected = seq(X).numpy()
    tol = 1e-5 if dtype == torch.float32 else 1e-12
    np.testing.assert_allclose(net.forward(X.numpy()), expected, rtol=tol, atol=tol)


@pytest.mark.parametrize("output", ["linear", "sigmoid", "softmax"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_round_trip_is_exact(output: str, dtype: Any) -> None:
    acts = [("leaky_relu", {"negative_slope": 0.3}), ("elu", {"alpha": 2.0}), "gelu"]
    net = fi.MLP([5, 7, 8, 6, 3], acts, output, dtype=dtype, generator=fi.Generator(0))
    fi.init.normal_(net.biases[1], generator=fi.Generator(1))
    seq = net.to_torch()
    assert isinstance(seq, nn.Sequential)
    assert isinstance(
        seq[-1], {"linear": nn.Linear, "sigmoid": nn.Sigmoid, "softmax": nn.Softmax}[output]
    )
    back = fi.MLP.from_torch(seq)
    assert back.layer_sizes == net.layer_sizes and back.output == output
    assert back._core.activations == net._core.activations and back.dtype == net.dtype
    for a, b in zip(net.parameters(), back.parameters(), strict=True):
        np.testing.assert_array_equal(a, b)
    X = np.random.default_rng(0).standard_normal((10, 5)).astype(dtype)
    with torch.no_grad():
        np.testing.assert_allclose(seq(torch.from_numpy(X)).numpy(), net.forward(X), rtol=1e-5)
    seq2 = back.to_torch()
    for p, q in zip(seq.parameters(), seq2.parameters(), strict=True):
        assert torch.equal(p, q)


def test_missing_activation_is_identity() -> None:
    net = fi.MLP.from_torch(nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 2)))
    assert net.activations == ("identity",)


@pytest.mark.parametrize(
    "seq,match",
    [
        (lambda: nn.Sequential(nn.Linear(3, 4), nn.Hardswish(), nn.Linear(4, 2)), "'1'.*Hardswish"),
        # ReLU6 subclasses Hardtanh but is not converted as one (the round trip would change
        # its type)
        (lambda: nn.Sequential(nn.Linear(3, 4), nn.ReLU6(), nn.Linear(4, 2)), "'1'.*ReLU6"),
        (lambda: nn.Sequential(nn.Linear(3, 4), nn.GELU("tanh"), nn.Linear(4, 2)), "GELU"),
        (lambda: nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.ReLU(), nn.Linear(4, 2)), "at most"),
        (lambda: nn.Sequential(nn.Linear(3, 4), nn.Tanh()), "after the last Linear"),
        (lambda: nn.Sequential(nn.Linear(3, 4), nn.Softmax(dim=0)), "after the last Linear"),
        (lambda: nn.Sequential(nn.ReLU(), nn.Linear(3, 4)), "start with a Linear"),
        (lambda: nn.Sequential(nn.Linear(3, 4, bias=False)), "no bias"),
        (lambda: nn.Sequential(nn.Linear(3, 4), nn.Linear(5, 2)), "takes 5 features"),
        (lambda: nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 2).double()), "float64"),
        (lambda: nn.Sequential(nn.Linear(3, 4).half()), "float16"),
    ],
)
def test_unmappable_modules_are_value_errors(seq: Any, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        fi.MLP.from_torch(seq())


def test_from_torch_rejects_other_types() -> None:
    with pytest.raises(TypeError, match="Sequential"):
        fi.MLP.from_torch(nn.Linear(3, 4))


def test_diagnose_accepts_a_sequential() -> None:
    seq = nn.Sequential(nn.Linear(8, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 3))
    seq.append(nn.Softmax(dim=-1))
    rng = np.random.default_rng(0)
    X = rng.standard_normal((64, 8)).astype(np.float32)
    y = rng.integers(0, 3, 64)
    d = fi.diagnose(seq, X, y)
    ref = fi.diagnose(fi.MLP.from_torch(seq), X, y)
    assert d.activations == ("tanh", "tanh", "softmax") and d.verdict == ref.verdict
    assert d.loss == ref.loss
    with torch.no_grad():
        expected = nn.functional.nll_loss(torch.log(seq(torch.from_numpy(X))), torch.from_numpy(y))
    assert d.loss == pytest.approx(expected.item(), rel=1e-5)
    with pytest.raises(TypeError, match="fastinit.MLP or a torch.nn.Sequential"):
        fi.diagnose("net", X, y)


def test_overflowed_relu_network_has_nan_gradients_as_in_torch() -> None:
    """A network whose forward pass overflows reports NaN gradients (ReLU passes a NaN through,
    as torch's relu and threshold_backward do), never a reassuring 0."""
    net = fi.MLP(
        [256] * 41 + [10],
        activation="relu",
        output="softmax",
        init="normal",
        generator=fi.Generator(0),
    )
    X = fi.init.normal((16, 256), generator=fi.Generator(1))
    y = np.arange(16) % 10
    d = fi.diagnose(net, X, y)
    grads = np.array([row["grad_z_norm"] for row in d.layers])
    seq = net.to_torch()
    Xt = torch.from_numpy(X).requires_grad_(True)
    torch.nn.functional.cross_entropy(seq(Xt), torch.from_numpy(y)).backward()
    assert torch.isnan(Xt.grad).all()
    assert np.isnan(grads[:-1]).all(), grads
    _, g = net.loss_and_grad(X, y)
    first = seq[0].weight.grad.numpy()
    assert np.isnan(g.weights[0]).all() and np.isnan(first).all()
