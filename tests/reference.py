"""Independent NumPy reference implementation ("oracle") of a fully connected network.

Purpose
-------
This module is a deliberately simple, slow and *independent* re-implementation of
everything fastinit computes for fully connected networks: forward pass, losses,
back-propagation, gradient clipping and the SGD / Adam / AdamW update rules.  It is
written purely from the mathematical definitions (PyTorch conventions) and never
imports the C++ core or the ``fastinit`` Python package, so that tests can compare
the library against it.  Every computation is done in float64, even when the
inputs are float32, so the oracle is the "exact" side of any comparison.

Conventions (PyTorch)
---------------------
Shape legend: ``N`` = batch size, ``D_l`` = width of layer ``l`` (``D_0`` = input
dimension, ``D_L`` = output dimension), ``L`` = number of linear layers.

* ``sizes = [D_0, D_1, ..., D_L]``.
* ``params = [(W_1, b_1), ..., (W_L, b_L)]`` with ``W_l`` of shape ``(D_l, D_{l-1})``
  (out, in) and ``b_l`` of shape ``(D_l,)``.
* ``X`` has shape ``(N, D_0)``.
* Forward: ``A_0 = X``; ``Z_l = A_{l-1} @ W_l.T + b_l`` (shape ``(N, D_l)``);
  ``A_l = act_l(Z_l)`` for the hidden layers ``l < L``; ``Z_L`` are the logits and
  the output activation (identity / sigmoid / softmax) gives the prediction ``P``.
* ``activations`` is a list with one entry per hidden layer (``L - 1`` entries);
  each entry is ``(name, kwargs)`` (a bare ``name`` string is accepted too).

Outputs and losses (PyTorch reductions)
---------------------------------------
* ``"linear"``:  ``P = Z_L``;            loss = ``mean((P - Y)**2)`` over all elements
  (``torch.nn.MSELoss``), ``Y`` of shape ``(N, D_L)``.
* ``"sigmoid"``: ``P = sigmoid(Z_L)``;   loss = binary cross-entropy from logits, mean
  over all elements (``torch.nn.BCEWithLogitsLoss``), ``Y`` of shape ``(N, D_L)``.
* ``"softmax"``: ``P = softmax(Z_L)``;   loss = ``-(1/N) sum_n sum_k Y_nk log P_nk``
  (``torch.nn.CrossEntropyLoss``); ``Y`` is either integer class indices of shape
  ``(N,)`` or one-hot / probability rows of shape ``(N, D_L)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from scipy.special import erf

__all__ = [
    "ACTIVATIONS",
    "OUTPUTS",
    "SELU_ALPHA",
    "SELU_SCALE",
    "Adam",
    "AdamW",
    "SGD",
    "activation_derivative",
    "activation_forward",
    "backward",
    "clip_by_norm",
    "clip_grad_norm",
    "clip_grad_value",
    "finite_difference_grads",
    "forward",
    "log_softmax",
    "loss",
    "sigmoid",
    "softmax",
]

Array = np.ndarray
Params = Sequence[tuple[Any, Any]]

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946

OUTPUTS = ("linear", "sigmoid", "softmax")

_SQRT2 = math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def _f64(x: Any) -> Array:
    """Return ``x`` as a float64 ndarray (copy only if needed)."""
    return np.asarray(x, dtype=np.float64)


# ----------------------------------------------------------------------------
# Numerically stable elementwise helpers
# ----------------------------------------------------------------------------


def sigmoid(z: Any) -> Array:
    """Logistic function ``1 / (1 + exp(-z))``, stable for any finite ``z``.

    Uses ``e = exp(-|z|)`` (never overflows): ``1/(1+e)`` for ``z >= 0`` and
    ``e/(1+e)`` for ``z < 0``.
    """
    z = _f64(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def log_softmax(z: Any) -> Array:
    """Row-wise ``log softmax`` of a ``(N, K)`` array (max-shifted, stable)."""
    z = _f64(z)
    shifted = z - np.max(z, axis=1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))


def softmax(z: Any) -> Array:
    """Row-wise softmax of a ``(N, K)`` array (max-shifted, stable)."""
    z = _f64(z)
    shifted = z - np.max(z, axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=1, keepdims=True)


# ----------------------------------------------------------------------------
# Hidden activations: forward f(z, **params) and derivative f'(z, **params)
# ----------------------------------------------------------------------------


def _identity(z: Array) -> Array:
    return _f64(z).copy()


def _identity_d(z: Array) -> Array:
    return np.ones_like(_f64(z))


def _sigmoid_d(z: Array) -> Array:
    s = sigmoid(z)
    return s * (1.0 - s)


def _tanh(z: Array) -> Array:
    return np.tanh(_f64(z))


def _tanh_d(z: Array) -> Array:
    t = np.tanh(_f64(z))
    return 1.0 - t * t


def _relu(z: Array) -> Array:
    z = _f64(z)
    return np.where(z > 0, z, 0.0)


def _relu_d(z: Array) -> Array:
    # PyTorch: derivative at exactly 0 is 0.
    return np.where(_f64(z) > 0, 1.0, 0.0)


def _leaky_relu(z: Array, negative_slope: float = 0.01) -> Array:
    z = _f64(z)
    return np.where(z > 0, z, negative_slope * z)


def _leaky_relu_d(z: Array, negative_slope: float = 0.01) -> Array:
    # PyTorch: x > 0 ? 1 : negative_slope (so the slope is used at exactly 0).
    return np.where(_f64(z) > 0, 1.0, float(negative_slope))


def _elu(z: Array, alpha: float = 1.0) -> Array:
    z = _f64(z)
    # expm1 of min(z, 0) so that the unused branch never overflows.
    return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0)))


def _elu_d(z: Array, alpha: float = 1.0) -> Array:
    z = _f64(z)
    # PyTorch elu_backward: x <= 0 ? alpha * exp(x) : 1.
    return np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0)))


def _selu(z: Array, alpha: float = SELU_ALPHA, scale: float = SELU_SCALE) -> Array:
    z = _f64(z)
    neg = alpha * np.expm1(np.minimum(z, 0.0))  # = min(0, alpha*(exp(z)-1))
    return scale * (np.maximum(z, 0.0) + np.minimum(neg, 0.0))


def _selu_d(z: Array, alpha: float = SELU_ALPHA, scale: float = SELU_SCALE) -> Array:
    z = _f64(z)
    return np.where(z > 0, scale, scale * alpha * np.exp(np.minimum(z, 0.0)))


def _gelu(z: Array) -> Array:
    z = _f64(z)
    return z * 0.5 * (1.0 + erf(z / _SQRT2))


def _gelu_d(z: Array) -> Array:
    z = _f64(z)
    cdf = 0.5 * (1.0 + erf(z / _SQRT2))
    pdf = _INV_SQRT_2PI * np.exp(-0.5 * z * z)
    return cdf + z * pdf


def _softplus(z: Array, beta: float = 1.0, threshold: float = 20.0) -> Array:
    z = _f64(z)
    bz = beta * z
    # log(1 + exp(bz)) = logaddexp(0, bz): stable for any bz.
    return np.where(bz > threshold, z, np.logaddexp(0.0, bz) / beta)


def _softplus_d(z: Array, beta: float = 1.0, threshold: float = 20.0) -> Array:
    z = _f64(z)
    bz = beta * z
    return np.where(bz > threshold, 1.0, sigmoid(bz))


def _softsign(z: Array) -> Array:
    z = _f64(z)
    return z / (1.0 + np.abs(z))


def _softsign_d(z: Array) -> Array:
    z = _f64(z)
    d = 1.0 + np.abs(z)
    return 1.0 / (d * d)


def _silu(z: Array) -> Array:
    z = _f64(z)
    return z * sigmoid(z)


def _silu_d(z: Array) -> Array:
    z = _f64(z)
    s = sigmoid(z)
    return s * (1.0 + z * (1.0 - s))


def _erf(z: Array) -> Array:
    return erf(_f64(z))


def _erf_d(z: Array) -> Array:
    z = _f64(z)
    return (2.0 / math.sqrt(math.pi)) * np.exp(-z * z)


def _hardtanh(z: Array, min_val: float = -1.0, max_val: float = 1.0) -> Array:
    return np.clip(_f64(z), min_val, max_val)


def _hardtanh_d(z: Array, min_val: float = -1.0, max_val: float = 1.0) -> Array:
    z = _f64(z)  # 0 at both bounds (PyTorch's autograd)
    return np.where((z > min_val) & (z < max_val), 1.0, 0.0)


#: name -> (forward(z, **params), derivative(z, **params)); PyTorch definitions/defaults.
ACTIVATIONS: dict[str, tuple[Callable[..., Array], Callable[..., Array]]] = {
    "identity": (_identity, _identity_d),
    "sigmoid": (sigmoid, _sigmoid_d),
    "tanh": (_tanh, _tanh_d),
    "relu": (_relu, _relu_d),
    "leaky_relu": (_leaky_relu, _leaky_relu_d),
    "elu": (_elu, _elu_d),
    "selu": (_selu, _selu_d),
    "gelu": (_gelu, _gelu_d),
    "softplus": (_softplus, _softplus_d),
    "softsign": (_softsign, _softsign_d),
    "silu": (_silu, _silu_d),
    "erf": (_erf, _erf_d),
    "hardtanh": (_hardtanh, _hardtanh_d),
}


def _normalize_activation(spec: Any) -> tuple[str, dict[str, Any]]:
    """Accept ``"name"``, ``("name",)`` or ``("name", kwargs)``; return ``(name, kwargs)``."""
    if isinstance(spec, str):
        name, kwargs = spec, {}
    else:
        spec = tuple(spec)
        if len(spec) == 1:
            name, kwargs = spec[0], {}
        elif len(spec) == 2:
            name, kwargs = spec[0], dict(spec[1] or {})
        else:
            raise ValueError(f"activation spec must be name or (name, kwargs), got {spec!r}")
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; known: {sorted(ACTIVATIONS)}")
    return name, kwargs


def activation_forward(spec: Any, z: Any) -> Array:
    """Apply the hidden activation described by ``spec`` to ``z`` (float64)."""
    name, kwargs = _normalize_activation(spec)
    return ACTIVATIONS[name][0](_f64(z), **kwargs)


def activation_derivative(spec: Any, z: Any) -> Array:
    """Elementwise derivative of the hidden activation ``spec`` at ``z`` (float64)."""
    name, kwargs = _normalize_activation(spec)
    return ACTIVATIONS[name][1](_f64(z), **kwargs)


# ----------------------------------------------------------------------------
# Forward pass, loss and back-propagation
# ----------------------------------------------------------------------------


def _prepare(
    params: Params, X: Any, activations: Sequence[Any], output: str
) -> tuple[list[tuple[Array, Array]], Array, list[tuple[str, dict[str, Any]]]]:
    """Validate and cast the network description to float64."""
    if output not in OUTPUTS:
        raise ValueError(f"unknown output {output!r}; expected one of {OUTPUTS}")
    ps = [(_f64(W), _f64(b)) for W, b in params]
    if not ps:
        raise ValueError("params must contain at least one (W, b) layer")
    X = _f64(X)
    if X.ndim != 2:
        raise ValueError(f"X must have shape (N, D0), got {X.shape}")
    acts = [_normalize_activation(a) for a in activations]
    if len(acts) != len(ps) - 1:
        raise ValueError(
            f"need one activation per hidden layer: {len(ps) - 1} expected, got {len(acts)}"
        )
    d_in = X.shape[1]
    for i, (W, b) in enumerate(ps, start=1):
        if W.ndim != 2 or W.shape[1] != d_in:
            raise ValueError(f"W_{i} must have shape (D_{i}, {d_in}), got {W.shape}")
        if b.shape != (W.shape[0],):
            raise ValueError(f"b_{i} must have shape ({W.shape[0]},), got {b.shape}")
        d_in = W.shape[0]
    return ps, X, acts


def _targets(Y: Any, output: str, N: int, K: int) -> Array:
    """Return float64 targets of shape ``(N, K)`` (int labels become one-hot for softmax)."""
    Y_raw = np.asarray(Y)
    if output == "softmax" and Y_raw.ndim == 1:
        if Y_raw.shape != (N,):
            raise ValueError(f"class-index labels must have shape ({N},), got {Y_raw.shape}")
        labels = Y_raw.astype(np.int64)
        if (
            not np.array_equal(labels, Y_raw)
            or labels.min(initial=0) < 0
            or (labels.max(initial=0) >= K)
        ):
            raise ValueError(f"class-index labels must be integers in [0, {K})")
        onehot = np.zeros((N, K), dtype=np.float64)
        onehot[np.arange(N), labels] = 1.0
        return onehot
    Yf = _f64(Y_raw)
    if Yf.shape != (N, K):
        raise ValueError(f"Y must have shape ({N}, {K}), got {Yf.shape}")
    return Yf


def forward(params: Params, X: Any, activations: Sequence[Any], output: str) -> dict[str, Any]:
    """Forward pass.

    Returns a dict with
      * ``'Z'``: ``[Z_1, ..., Z_L]``, ``Z_l`` of shape ``(N, D_l)`` (``Z_L`` = logits),
      * ``'A'``: ``[A_0, ..., A_{L-1}]`` with ``A_0 = X`` (float64), ``A_l`` of shape ``(N, D_l)``,
      * ``'P'``: prediction ``output_activation(Z_L)``, shape ``(N, D_L)``.
    """
    ps, X, acts = _prepare(params, X, activations, output)
    A = [X]
    Z: list[Array] = []
    for i, (W, b) in enumerate(ps):
        z = A[-1] @ W.T + b
        Z.append(z)
        if i < len(ps) - 1:
            name, kwargs = acts[i]
            A.append(ACTIVATIONS[name][0](z, **kwargs))
    logits = Z[-1]
    if output == "linear":
        P = logits.copy()
    elif output == "sigmoid":
        P = sigmoid(logits)
    else:
        P = softmax(logits)
    return {"Z": Z, "A": A, "P": P}


def _loss_from_logits(logits: Array, T: Array, output: str) -> float:
    """Loss given float64 logits ``(N, D_L)`` and float64 targets ``(N, D_L)``."""
    N = logits.shape[0]
    if output == "linear":
        return float(np.mean((logits - T) ** 2))
    if output == "sigmoid":
        z = logits
        return float(np.mean(np.maximum(z, 0.0) - z * T + np.log1p(np.exp(-np.abs(z)))))
    return float(-np.sum(T * log_softmax(logits)) / N)


def loss(params: Params, X: Any, Y: Any, activations: Sequence[Any], output: str) -> float:
    """Scalar loss (PyTorch ``reduction='mean'`` conventions, see module docstring)."""
    out = forward(params, X, activations, output)
    logits = out["Z"][-1]
    T = _targets(Y, output, logits.shape[0], logits.shape[1])
    return _loss_from_logits(logits, T, output)


def backward(
    params: Params, X: Any, Y: Any, activations: Sequence[Any], output: str
) -> dict[str, Any]:
    """Back-propagation.

    Returns a dict with
      * ``'loss'``: float,
      * ``'dW'``: ``[dL/dW_1, ..., dL/dW_L]`` (shapes of ``W_l``),
      * ``'db'``: ``[dL/db_1, ..., dL/db_L]`` (shapes of ``b_l``),
      * ``'dZ'``: ``[dL/dZ_1, ..., dL/dZ_L]`` (each ``(N, D_l)``),
      * ``'dA'``: ``[dL/dA_0, ..., dL/dA_{L-1}]`` (each ``(N, D_l)``; ``dA_0 = dL/dX``).

    Output-layer gradients (``N`` = batch, ``K = D_L``):
      * linear:  ``dZ_L = 2 (Z_L - Y) / (N K)``
      * sigmoid: ``dZ_L = (sigmoid(Z_L) - Y) / (N K)``
      * softmax: ``dZ_L = (softmax(Z_L) * sum_k Y_nk - Y) / N`` (``= (P - Y)/N`` for
        rows summing to one).
    """
    ps, X, acts = _prepare(params, X, activations, output)
    fw = forward(ps, X, acts, output)
    Z, A = fw["Z"], fw["A"]
    logits = Z[-1]
    N, K = logits.shape
    T = _targets(Y, output, N, K)
    value = _loss_from_logits(logits, T, output)

    if output == "linear":
        dz = 2.0 * (logits - T) / (N * K)
    elif output == "sigmoid":
        dz = (sigmoid(logits) - T) / (N * K)
    else:
        dz = (softmax(logits) * np.sum(T, axis=1, keepdims=True) - T) / N

    L = len(ps)
    dW: list[Array] = [np.empty(0)] * L
    db: list[Array] = [np.empty(0)] * L
    dZ: list[Array] = [np.empty(0)] * L
    dA: list[Array] = [np.empty(0)] * L
    for i in range(L - 1, -1, -1):
        W, _ = ps[i]
        dZ[i] = dz
        dW[i] = dz.T @ A[i]  # (D_l, N) @ (N, D_{l-1})
        db[i] = dz.sum(axis=0)
        da = dz @ W  # (N, D_l) @ (D_l, D_{l-1}) -> dL/dA_{l-1}
        dA[i] = da
        if i > 0:
            name, kwargs = acts[i - 1]
            dz = da * ACTIVATIONS[name][1](Z[i - 1], **kwargs)
    return {"loss": value, "dW": dW, "db": db, "dZ": dZ, "dA": dA}


def finite_difference_grads(
    params: Params,
    X: Any,
    Y: Any,
    activations: Sequence[Any],
    output: str,
    eps: float = 1e-6,
) -> tuple[list[Array], list[Array]]:
    """Central finite differences ``(L(p + eps) - L(p - eps)) / (2 eps)`` on every entry.

    Works on float64 copies of the parameters (the inputs are never modified).
    Cost: two forward passes per parameter entry, so only use on small networks.
    Returns ``(dW_list, db_list)`` with the shapes of the parameters.
    """
    ps = [(_f64(W).copy(), _f64(b).copy()) for W, b in params]

    def f() -> float:
        return loss(ps, X, Y, activations, output)

    def fd(arr: Array) -> Array:
        g = np.zeros_like(arr)
        flat, gflat = arr.reshape(-1), g.reshape(-1)  # views (arrays are contiguous copies)
        for j in range(flat.size):
            old = flat[j]
            flat[j] = old + eps
            fp = f()
            flat[j] = old - eps
            fm = f()
            flat[j] = old
            gflat[j] = (fp - fm) / (2.0 * eps)
        return g

    dWs = [fd(W) for W, _ in ps]
    dbs = [fd(b) for _, b in ps]
    return dWs, dbs


# ----------------------------------------------------------------------------
# Gradient clipping
# ----------------------------------------------------------------------------


def _tensor_norm(g: Array, norm_type: float) -> float:
    a = np.abs(_f64(g)).reshape(-1)
    if a.size == 0:
        return 0.0
    if math.isinf(norm_type):
        return float(np.max(a))
    if norm_type == 2.0:
        return float(np.sqrt(np.sum(a * a)))
    if norm_type == 1.0:
        return float(np.sum(a))
    return float(np.sum(a**norm_type) ** (1.0 / norm_type))


def clip_grad_norm(
    grads: Sequence[Any],
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
) -> tuple[list[Array], float]:
    """``torch.nn.utils.clip_grad_norm_`` semantics (returns new arrays, inputs untouched).

    ``total = || (||g_1||_p, ..., ||g_k||_p) ||_p`` (for ``p = inf``: max ``|g|``);
    ``clip_coef = max_norm / (total + 1e-6)``; every gradient is multiplied by
    ``min(clip_coef, 1)`` (PyTorch multiplies by ``clamp(clip_coef, max=1.0)``
    unconditionally, so a NaN total propagates NaN into the gradients).
    Raises ``RuntimeError`` if ``error_if_nonfinite`` and ``total`` is nan/inf.
    Returns ``(clipped_grads, total_norm)``.
    """
    gs = [_f64(g) for g in grads]
    norm_type = float(norm_type)
    if not gs:
        return [], 0.0
    norms = np.array([_tensor_norm(g, norm_type) for g in gs])
    if math.isinf(norm_type):
        total = float(np.max(norms))
    else:
        total = _tensor_norm(norms, norm_type)
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients is non-finite, "
            "so it cannot be clipped."
        )
    clip_coef = float(max_norm) / (total + 1e-6)
    # np.minimum propagates NaN like torch.clamp does.
    coef = float(np.minimum(clip_coef, 1.0))
    return [g * coef for g in gs], total


def clip_by_norm(grads: Sequence[Any], threshold: float) -> list[Array]:
    """Per-tensor L2 clipping: ``g <- g * threshold / ||g||_2`` whenever ``||g||_2 > threshold``."""
    out = []
    for g in grads:
        g = _f64(g)
        n = _tensor_norm(g, 2.0)
        out.append(g * (threshold / n) if n > threshold else g.copy())
    return out


def clip_grad_value(grads: Sequence[Any], clip_value: float) -> list[Array]:
    """Elementwise clamp of every gradient to ``[-clip_value, clip_value]``."""
    v = float(clip_value)
    return [np.clip(_f64(g), -v, v) for g in grads]


# ----------------------------------------------------------------------------
# Optimizers (PyTorch update rules, float64 state)
# ----------------------------------------------------------------------------


class _Optimizer:
    """Common bookkeeping: ``params`` is a flat list of arrays updated in place.

    The update is computed in float64 and written back with ``p[...] = new``, so
    pass float64 arrays to keep full precision.
    """

    def __init__(self, params: Sequence[Array]) -> None:
        self.params = list(params)
        for p in self.params:
            if not isinstance(p, np.ndarray):
                raise TypeError("optimizer params must be numpy arrays (updated in place)")

    def _check(self, grads: Sequence[Any]) -> list[Array]:
        gs = [_f64(g) for g in grads]
        if len(gs) != len(self.params):
            raise ValueError(f"expected {len(self.params)} gradients, got {len(gs)}")
        for p, g in zip(self.params, gs, strict=True):
            if p.shape != g.shape:
                raise ValueError(f"gradient shape {g.shape} does not match param {p.shape}")
        return gs


class SGD(_Optimizer):
    """``torch.optim.SGD`` (maximize=False).

    For each parameter ``p`` with gradient ``g``::

        d = g + weight_decay * p
        if momentum != 0:
            buf = d                                        (first step)
            buf = momentum * buf + (1 - dampening) * d     (later steps)
            d = d + momentum * buf  if nesterov  else  buf
        p = p - lr * d
    """

    def __init__(
        self,
        params: Sequence[Array],
        lr: float,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
    ) -> None:
        super().__init__(params)
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        self.lr = float(lr)
        self.momentum = float(momentum)
        self.dampening = float(dampening)
        self.weight_decay = float(weight_decay)
        self.nesterov = bool(nesterov)
        self.momentum_buffer: list[Array | None] = [None] * len(self.params)

    def step(self, grads: Sequence[Any]) -> None:
        gs = self._check(grads)
        for i, (p, g) in enumerate(zip(self.params, gs, strict=True)):
            pf = _f64(p)
            d = g + self.weight_decay * pf if self.weight_decay != 0 else g
            if self.momentum != 0:
                buf = self.momentum_buffer[i]
                if buf is None:
                    buf = d.copy()
                else:
                    buf = self.momentum * buf + (1.0 - self.dampening) * d
                self.momentum_buffer[i] = buf
                d = d + self.momentum * buf if self.nesterov else buf
            p[...] = pf - self.lr * d


class Adam(_Optimizer):
    """``torch.optim.Adam`` (maximize=False, non-capturable, L2 weight decay).

    For each parameter, with step counter ``t`` (starting at 1)::

        g = g + weight_decay * p                      (only if weight_decay != 0)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        v_hat = max(v_hat, v)                         (amsgrad only; used instead of v)
        step_size = lr / (1 - beta1**t)
        denom = sqrt(v) / sqrt(1 - beta2**t) + eps
        p = p - step_size * m / denom
    """

    _decoupled = False

    def __init__(
        self,
        params: Sequence[Array],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(params)
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if eps < 0.0:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0 or not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameters: {betas}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        self.lr = float(lr)
        self.beta1, self.beta2 = float(betas[0]), float(betas[1])
        self.eps = float(eps)
        self.weight_decay = float(weight_decay)
        self.amsgrad = bool(amsgrad)
        self.t = 0
        self.exp_avg = [np.zeros(p.shape) for p in self.params]
        self.exp_avg_sq = [np.zeros(p.shape) for p in self.params]
        self.max_exp_avg_sq = [np.zeros(p.shape) for p in self.params]

    def step(self, grads: Sequence[Any]) -> None:
        gs = self._check(grads)
        self.t += 1
        t = self.t
        bias_correction1 = 1.0 - self.beta1**t
        bias_correction2 = 1.0 - self.beta2**t
        step_size = self.lr / bias_correction1
        bias_correction2_sqrt = math.sqrt(bias_correction2)
        for i, (p, g) in enumerate(zip(self.params, gs, strict=True)):
            pf = _f64(p)
            if self._decoupled:
                pf = pf * (1.0 - self.lr * self.weight_decay)
            elif self.weight_decay != 0:
                g = g + self.weight_decay * pf
            m = self.beta1 * self.exp_avg[i] + (1.0 - self.beta1) * g
            v = self.beta2 * self.exp_avg_sq[i] + (1.0 - self.beta2) * g * g
            self.exp_avg[i], self.exp_avg_sq[i] = m, v
            if self.amsgrad:
                self.max_exp_avg_sq[i] = np.maximum(self.max_exp_avg_sq[i], v)
                v_used = self.max_exp_avg_sq[i]
            else:
                v_used = v
            denom = np.sqrt(v_used) / bias_correction2_sqrt + self.eps
            p[...] = pf - step_size * m / denom


class AdamW(Adam):
    """``torch.optim.AdamW``: decoupled weight decay, then the plain Adam update.

    Each step first applies ``p = p * (1 - lr * weight_decay)`` and then the Adam
    update of :class:`Adam` with the gradient left untouched (no L2 term).
    Default ``weight_decay=1e-2``.
    """

    _decoupled = True

    def __init__(
        self,
        params: Sequence[Array],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad)
