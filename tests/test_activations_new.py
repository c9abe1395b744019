"""The activations erf and hardtanh: the MLP against torch autograd, the parser, the theory.

Forward values and every gradient of a small MLP are compared with torch on the same weights
(float32 and float64), including pre-activations exactly at hardtanh's bounds, where torch's
gradient is 0. The theory's 1-D moments are compared with closed forms (erf) and SciPy quad split
at the kinks (hardtanh).
"""

from __future__ import annotations

import math
from typing import Any

import fastinit as fi
import numpy as np
import pytest
from scipy import integrate

torch = pytest.importorskip("torch")
nn = torch.nn


class _Erf(nn.Module):  # torch has torch.erf but no nn module
    def forward(self, x: Any) -> Any:
        return torch.erf(x)


_SPECS = [
    ("erf", {}, _Erf),
    ("hardtanh", {}, lambda: nn.Hardtanh()),
    ("hardtanh", {"min_val": -0.3, "max_val": 0.8}, lambda: nn.Hardtanh(-0.3, 0.8)),
]
_IDS = ["erf", "hardtanh", "hardtanh-custom"]


def _pair(dtype: Any, spec: Any, output: str) -> tuple[Any, Any]:
    name, params, module = spec
    net = fi.MLP(
        [5, 8, 7, 3],
        activation=(name, params),
        output=output,
        dtype=dtype,
        generator=fi.Generator(3),
    )
    for b in net.biases:
        fi.init.normal_(b, std=0.5, generator=fi.Generator(4))
    tdtype = torch.float32 if dtype == np.float32 else torch.float64
    layers: list[Any] = []
    for l, (w, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        lin = nn.Linear(w.shape[1], w.shape[0], dtype=tdtype)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(w.copy()))
            lin.bias.copy_(torch.from_numpy(b.copy()))
        layers.append(lin)
        if l < 2:
            layers.append(module())
    return net, nn.Sequential(*layers)


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("spec", _SPECS, ids=_IDS)
def test_forward_and_gradients_match_torch(spec: Any, dtype: Any) -> None:
    net, seq = _pair(dtype, spec, "linear")
    rng = np.random.default_rng(0)
    X = (rng.standard_normal((16, 5)) * 2).astype(dtype)
    y = rng.standard_normal((16, 3)).astype(dtype)
    Xt = torch.from_numpy(X)
    out = seq(Xt)
    loss_t = torch.nn.functional.mse_loss(out, torch.from_numpy(y))
    loss_t.backward()
    tol = 2e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(net.forward(X), out.detach().numpy(), rtol=tol, atol=tol)
    loss, grads = net.loss_and_grad(X, y)
    assert loss == pytest.approx(loss_t.item(), rel=tol)
    lins = [m for m in seq if isinstance(m, nn.Linear)]
    worst = 0.0
    for l, lin in enumerate(lins):
        for mine, theirs in ((grads.weights[l], lin.weight.grad), (grads.biases[l], lin.bias.grad)):
            t = theirs.numpy()
            worst = max(worst, float(np.max(np.abs(mine - t)) / (np.max(np.abs(t)) + 1e-30)))
    print(f"{spec[0]} {spec[1]} {np.dtype(dtype).name}: max rel grad diff {worst:.2g}")
    assert worst <= tol


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
def test_hardtanh_gradient_at_the_bounds_is_torchs(dtype: Any) -> None:
    # one hidden layer, W = I and b = 0: the pre-activations are the inputs, exactly at the bounds
    lo, hi = -0.5, 1.25  # exactly representable in float32
    net = fi.MLP([4, 4, 1], activation=("hardtanh", {"min_val": lo, "max_val": hi}), dtype=dtype)
    net.weights[0][...] = np.eye(4, dtype=dtype)
    net.biases[0][...] = 0
    net.weights[1][...] = 1
    net.biases[1][...] = 0
    X = np.array([[lo, hi, 0.3, -2.0], [hi, lo, 3.0, 0.0]], dtype=dtype)
    y = np.zeros((2, 1), dtype=dtype)
    _, grads = net.loss_and_grad(X, y)
    t = torch.tensor(X, requires_grad=True)
    h = nn.functional.hardtanh(t, lo, hi)
    tw = torch.ones((1, 4), dtype=t.dtype, requires_grad=True)
    loss = nn.functional.mse_loss(h @ tw.T, torch.from_numpy(y))
    loss.backward()
    np.testing.assert_allclose(grads.weights[1], tw.grad.numpy(), rtol=1e-6)
    # dL/dZ_1 = dL/dA_1 * f'(Z_1): with W_0 = I, dW_0 = dZ_1^T X; the bounds must give 0
    dz_torch = t.grad.numpy()
    assert dz_torch[0, 0] == 0 and dz_torch[0, 1] == 0 and dz_torch[1, 0] == 0
    np.testing.assert_allclose(grads.weights[0], dz_torch.T @ X, rtol=1e-6, atol=1e-7)


def test_parser_and_names() -> None:
    names = fi.available_activations()
    assert "erf" in names and "hardtanh" in names
    net = fi.MLP([3, 4, 2], activation=("hardtanh", {"min_val": -2, "max_val": 0.5}))
    assert net.activations == ("hardtanh",)
    with pytest.raises(ValueError, match="min_val must be < max_val"):
        fi.MLP([3, 4, 2], activation=("hardtanh", {"min_val": 1.0, "max_val": 1.0}))
    with pytest.raises(ValueError, match="min_val must be < max_val"):
        fi.MLP([3, 4, 2], activation=("hardtanh", {"max_val": -2.0}))
    with pytest.raises(ValueError, match="valid: 'min_val', 'max_val'"):
        fi.MLP([3, 4, 2], activation=("hardtanh", {"alpha": 1.0}))
    with pytest.raises(ValueError, match="takes no parameters"):
        fi.MLP([3, 4, 2], activation=("erf", {"min_val": 1.0}))
    with pytest.raises(ValueError, match="finite"):
        fi.MLP([3, 4, 2], activation=("hardtanh", {"min_val": float("-inf")}))


def test_torch_bridge() -> None:
    seq = nn.Sequential(nn.Linear(3, 4), nn.Hardtanh(-0.25, 2.0), nn.Linear(4, 2))
    net = fi.MLP.from_torch(seq)
    back = net.to_torch()
    assert isinstance(back[1], nn.Hardtanh)
    assert (back[1].min_val, back[1].max_val) == (-0.25, 2.0)
    erf_net = fi.MLP([3, 4, 2], activation="erf")
    with pytest.raises(ValueError, match=r"'erf' has no torch.nn module.*torch\.erf"):
        erf_net.to_torch()


def _N(z: float) -> float:
    return math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)


def _hardtanh_moments(q: float, lo: float, hi: float) -> tuple[float, float]:
    """E[hardtanh(sqrt(q) z)^2] and E[hardtanh'(sqrt(q) z)^2] by quad, split at the kinks."""
    sq = math.sqrt(q)
    edges = sorted({-12.0, 12.0, *[x for x in (lo / sq, hi / sq) if abs(x) < 12]})
    V = D = 0.0
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        V += integrate.quad(lambda z: min(max(sq * z, lo), hi) ** 2 * _N(z), a, b, epsabs=1e-16)[0]
        D += integrate.quad(lambda z: (lo < sq * z < hi) * _N(z), a, b, epsabs=1e-16)[0]
    return V, D


def test_theory_moments() -> None:
    T = fi.theory
    for q in (1e-3, 0.5, 4.0, 300.0):
        # erf: E[erf(sqrt(q) z)^2] = (2/pi) asin(2q / (1 + 2q)); E[erf'^2] = (4/pi) / sqrt(1 + 4q)
        assert T.q_map("erf", q, 1.0, 0.0) == pytest.approx(
            2 / math.pi * math.asin(2 * q / (1 + 2 * q)), rel=1e-13
        )
        assert T.chi("erf", q, 1.0) == pytest.approx(4 / math.pi / math.sqrt(1 + 4 * q), rel=1e-13)
        for lo, hi in ((-1.0, 1.0), (-0.4, 2.5), (0.3, 0.9)):
            V, D = _hardtanh_moments(q, lo, hi)
            p = {"min_val": lo, "max_val": hi}
            assert T.q_map("hardtanh", q, 1.0, 0.0, **p) == pytest.approx(V, rel=1e-12, abs=1e-16)
            assert T.chi("hardtanh", q, 1.0, **p) == pytest.approx(D, rel=1e-12, abs=1e-16)
    # critical sigma_w of hardtanh without bias: q* = 0 with slope 1 at 0, so sigma_w = 1
    assert T.critical_sigma_w("hardtanh", 0.0) == pytest.approx(1.0, rel=1e-12)
    # erf: chi1 = sigma_w^2 erf'(0)^2 = sigma_w^2 4/pi at q* = 0. chi1 - 1 only touches 0 on the
    # chaotic side (q* grows like sigma_w - critical and pulls chi1 back to 1 + O(.)^2), so the
    # root is found to ~4e-10, not to machine precision
    assert T.critical_sigma_w("erf", 0.0) == pytest.approx(math.sqrt(math.pi) / 2, rel=1e-8)
