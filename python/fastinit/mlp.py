"""``fastinit.MLP``: the L-layer fully connected network, backed by the C++ ``Mlp<T>``.

Shapes follow PyTorch: ``weights[l]`` is (out, in), a batch ``X`` is (N, in), and
``Z = X @ W.T + b``. Parameters live in one contiguous, 64-byte-aligned C++ buffer;
``net.weights[l]`` / ``net.biases[l]`` are writeable zero-copy views of it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from . import init as _init
from ._loader import core as _core

ActivationSpec = str | tuple[str, Mapping[str, float]]

_DTYPES = {np.dtype(np.float32): "Float32", np.dtype(np.float64): "Float64"}


def _dtype_suffix(dtype: npt.DTypeLike) -> str:
    dt = np.dtype(dtype)
    if dt not in _DTYPES:
        raise TypeError(f"dtype must be float32 or float64, got {dt}")
    return _DTYPES[dt]


class Grads:
    """Gradients with the layout of the network's parameters (``weights[l]``, ``biases[l]``)."""

    def __init__(self, core_grads: Any) -> None:
        self._core = core_grads
        n = core_grads.num_layers
        self.weights: list[np.ndarray] = [core_grads.weight(i) for i in range(n)]
        self.biases: list[np.ndarray] = [core_grads.bias(i) for i in range(n)]

    def tensors(self) -> list[np.ndarray]:
        """``[dW_1, db_1, dW_2, db_2, ...]`` (PyTorch's parameter order)."""
        return [t for pair in zip(self.weights, self.biases, strict=True) for t in pair]

    def __len__(self) -> int:
        return len(self.weights)

    def __repr__(self) -> str:
        return f"Grads({[w.shape for w in self.weights]})"


@dataclass(frozen=True)
class History:
    """What :meth:`MLP.fit` measured."""

    step_loss: np.ndarray  #: loss of each step, before its update
    step_grad_norm: np.ndarray  #: global L2 gradient norm of each step, before clipping
    epoch_loss: np.ndarray  #: mean step loss of each epoch
    layer_grad_norm: np.ndarray  #: (epochs, L) mean ||dW_l|| over each epoch's steps
    epochs: int  #: epochs run
    nonfinite: bool  #: training stopped on a NaN / inf loss or gradient
    stopped: bool  #: the callback stopped training


def _activation_list(
    activation: ActivationSpec | Sequence[ActivationSpec],
    hidden: int,
    activation_kwargs: Mapping[str, float] | None,
) -> list[Any]:
    if isinstance(activation, (str, tuple)):
        specs: list[Any] = [activation] * max(hidden, 1)  # validated even without hidden layers
    else:
        specs = list(activation)
        if len(specs) != hidden:
            raise ValueError(
                f"activation: expected one name or a list of {hidden} (one per hidden layer), "
                f"got {len(specs)}"
            )
    out: list[Any] = []
    for s in specs:
        if isinstance(s, str):
            if s not in _core.activation_names() and s != "linear":
                raise ValueError(
                    f"unknown activation {s!r}; valid: {', '.join(_core.activation_names())}"
                )
            out.append((s, dict(activation_kwargs or {})))
        elif isinstance(s, tuple) and len(s) == 2:
            out.append((s[0], {**(activation_kwargs or {}), **dict(s[1])}))
        else:
            raise TypeError(f"activation spec must be a name or (name, params), got {s!r}")
    return out[:hidden]


class MLP:
    """A fully connected network ``layer_sizes = [D_0, ..., D_L]``.

    ``activation`` names the hidden activation (one for all, or a list per hidden layer; a
    ``(name, params)`` pair sets ``negative_slope`` / ``alpha`` / ``beta`` / ``threshold``).
    ``output`` is ``"linear"`` (MSE), ``"sigmoid"`` (binary cross-entropy) or ``"softmax"``
    (cross-entropy; integer labels or one-hot rows). ``init`` names any initializer of
    :mod:`fastinit.init` (or is a callable ``f(w, generator=g)``), applied to every weight
    with ``init_kwargs``; ``bias_init`` likewise for the biases (default zeros).
    """

    def __init__(
        self,
        layer_sizes: Sequence[int],
        activation: ActivationSpec | Sequence[ActivationSpec] = "relu",
        output: str = "linear",
        init: str | Callable[..., Any] = "kaiming_normal",
        bias_init: str | Callable[..., Any] = "zeros",
        dtype: npt.DTypeLike = np.float32,
        generator: Any = None,
        *,
        init_kwargs: Mapping[str, Any] | None = None,
        bias_init_kwargs: Mapping[str, Any] | None = None,
        activation_kwargs: Mapping[str, float] | None = None,
    ) -> None:
        sizes = [int(s) for s in layer_sizes]
        if any(isinstance(s, bool) for s in layer_sizes):
            raise TypeError("layer_sizes must be integers")
        self.dtype = np.dtype(dtype)
        suffix = _dtype_suffix(self.dtype)
        if output not in _core.output_names():
            raise ValueError(f"unknown output {output!r}; valid: {', '.join(_core.output_names())}")
        acts = _activation_list(activation, max(len(sizes) - 2, 0), activation_kwargs)
        self._core = getattr(_core, f"Mlp{suffix}")(sizes, acts, output)
        self._suffix = suffix
        self.layer_sizes: tuple[int, ...] = tuple(sizes)
        self.activations: tuple[str, ...] = tuple(a[0] for a in acts)
        self.output = output
        self.weights: list[np.ndarray] = [self._core.weight(i) for i in range(self.num_layers)]
        self.biases: list[np.ndarray] = [self._core.bias(i) for i in range(self.num_layers)]
        self.init_name = init if isinstance(init, str) else getattr(init, "__name__", "custom")
        self.reset_parameters(init, bias_init, generator, init_kwargs, bias_init_kwargs)

    @property
    def num_layers(self) -> int:
        return int(self._core.num_layers)

    def reset_parameters(
        self,
        init: str | Callable[..., Any] = "kaiming_normal",
        bias_init: str | Callable[..., Any] = "zeros",
        generator: Any = None,
        init_kwargs: Mapping[str, Any] | None = None,
        bias_init_kwargs: Mapping[str, Any] | None = None,
    ) -> None:
        """(Re-)initialize every weight, then every bias, layer by layer, from ``generator``."""
        if init == "lsuv":
            raise ValueError(
                "init='lsuv' needs data: build the net, then call fastinit.init.lsuv_(net, X)"
            )
        wfill = _init.get(init) if isinstance(init, str) else init
        bfill = _init.get(bias_init) if isinstance(bias_init, str) else bias_init
        for w in self.weights:
            _call_init(wfill, w, generator, init_kwargs)
        for b in self.biases:
            _call_init(bfill, b, generator, bias_init_kwargs)

    def parameters(self) -> list[np.ndarray]:
        """``[W_1, b_1, W_2, b_2, ...]`` as writeable views (PyTorch's order)."""
        return [t for pair in zip(self.weights, self.biases, strict=True) for t in pair]

    def forward(self, X: np.ndarray) -> np.ndarray:
        """The prediction (N, D_L) after the output activation."""
        return self._core.forward(X)  # type: ignore[no-any-return]

    __call__ = forward

    def loss(self, X: np.ndarray, y: np.ndarray) -> float:
        return float(self._core.loss(X, y))

    def new_grads(self) -> Grads:
        return Grads(self._core.new_grads())

    def loss_and_grad(
        self, X: np.ndarray, y: np.ndarray, grads: Grads | None = None
    ) -> tuple[float, Grads]:
        """Forward and backward: ``(loss, grads)``; pass ``grads`` to reuse its buffer."""
        g = grads if grads is not None else self.new_grads()
        return float(self._core.loss_and_grad(X, y, g._core)), g

    def cache(self, kind: str, layer: int) -> np.ndarray:
        """A copy of ``Z``, ``A``, ``dZ`` or ``dA`` of 0-based ``layer`` from the last pass."""
        return self._core.cache(kind, layer)  # type: ignore[no-any-return]

    def fit(
        self,
        X: np.ndarray,
        y: np.ndarray,
        epochs: int = 1,
        batch_size: int = 32,
        optimizer: str = "sgd",
        lr: float = 0.01,
        *,
        momentum: float = 0.0,
        dampening: float = 0.0,
        nesterov: bool = False,
        weight_decay: float | None = None,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        clip_norm: float | None = None,
        clip_value: float | None = None,
        clip_mode: str | None = None,
        norm_type: float = 2.0,
        shuffle: bool = True,
        generator: Any = None,
        callback: Callable[[int, float, float], bool | None] | None = None,
        callback_every: int = 100,
    ) -> History:
        """Train in C++ (GIL released, no allocation per step).

        Clipping: ``clip_norm=`` clips the global norm (PyTorch's ``clip_grad_norm_``), or each
        tensor separately with ``clip_mode="per_tensor"`` (the classic ``g * t / ||g||``);
        ``clip_value=`` clamps elements. ``callback(step, loss, grad_norm)`` runs every
        ``callback_every`` steps; returning ``False`` stops training.
        """
        if clip_norm is not None and clip_value is not None:
            raise ValueError("give clip_norm or clip_value, not both")
        if clip_norm is not None:
            mode, thr = (clip_mode or "norm"), float(clip_norm)
            if mode not in ("norm", "per_tensor"):
                raise ValueError(
                    f"clip_mode with clip_norm must be 'norm' or 'per_tensor', got {mode!r}"
                )
        elif clip_value is not None:
            mode, thr = "value", float(clip_value)
            if clip_mode not in (None, "value"):
                raise ValueError(f"clip_mode with clip_value must be 'value', got {clip_mode!r}")
        else:
            if clip_mode not in (None, "none"):
                raise ValueError("clip_mode needs clip_norm or clip_value")
            mode, thr = "none", 0.0
        opt = {
            "kind": optimizer,
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "nesterov": nesterov,
            "beta1": betas[0],
            "beta2": betas[1],
            "eps": eps,
        }
        # PyTorch's defaults: 0 for SGD and Adam, 1e-2 for AdamW.
        opt["weight_decay"] = (
            (0.01 if optimizer == "adamw" else 0.0) if weight_decay is None else weight_decay
        )
        h = self._core.fit(
            X,
            y,
            int(epochs),
            int(batch_size),
            bool(shuffle),
            opt,
            mode,
            thr,
            float(norm_type),
            generator,
            callback,
            int(callback_every),
        )
        return History(**h)

    def __repr__(self) -> str:
        return (
            f"MLP({list(self.layer_sizes)}, activation={list(self.activations)}, "
            f"output={self.output!r}, dtype={self.dtype.name})"
        )


def _call_init(
    fill: Callable[..., Any], w: np.ndarray, generator: Any, kwargs: Mapping[str, Any] | None
) -> None:
    kw = dict(kwargs or {})
    if generator is not None:
        kw["generator"] = generator
    try:
        fill(w, **kw)
    except TypeError as exc:
        if "generator" in kw and "generator" in str(exc):  # deterministic initializers
            kw.pop("generator")
            fill(w, **kw)
        else:
            raise
