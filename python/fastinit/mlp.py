"""``fastinit.MLP``: the L-layer fully connected network, backed by the C++ ``Mlp<T>``.

Shapes follow PyTorch: ``weights[l]`` is (out, in), a batch ``X`` is (N, in), and
``Z = X @ W.T + b``. Parameters live in one contiguous, 64-byte-aligned C++ buffer;
``net.weights[l]`` / ``net.biases[l]`` are writeable zero-copy views of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from . import _args
from . import init as _init
from ._loader import core as _core

ActivationSpec = str | tuple[str, Mapping[str, float]]

_DTYPES = {np.dtype(np.float32): "Float32", np.dtype(np.float64): "Float64"}


def _dtype_suffix(dtype: npt.DTypeLike) -> str:
    return _DTYPES[_args.float_dtype(dtype)]


class ParameterViews(Sequence[np.ndarray]):
    """The per-layer views of a C++ buffer (``net.weights``, ``grads.biases``, ...).

    Indexing gives a writeable zero-copy view; assigning ``views[l] = array`` copies the values
    into the buffer (same shape; any real dtype is cast), so the network sees them.
    """

    def __init__(self, views: list[np.ndarray], what: str, core: Any) -> None:
        self._views = views
        self._what = what
        self._core = core

    @overload
    def __getitem__(self, l: int) -> np.ndarray: ...
    @overload
    def __getitem__(self, l: slice) -> list[np.ndarray]: ...
    def __getitem__(self, l: int | slice) -> np.ndarray | list[np.ndarray]:
        return self._views[l]

    def __setitem__(self, l: int, value: Any) -> None:
        n = len(self._views)
        target = self._views[_args.integer("layer", l, -n, n - 1)]
        src = np.asarray(value)
        if src.shape != target.shape:
            raise ValueError(
                f"{self._what}[{l}] (layer {l}): expected an array of shape {target.shape}, "
                f"got {src.shape}"
            )
        if src.dtype.kind not in "fiub":
            raise TypeError(
                f"{self._what}[{l}] (layer {l}): expected real numbers, got {src.dtype}"
            )
        locked = getattr(self._core, "locked", None)  # a network's buffer: under its lock
        if locked is None:
            np.copyto(target, src, casting="unsafe")
        else:
            locked(lambda: np.copyto(target, src, casting="unsafe"))

    def __len__(self) -> int:
        return len(self._views)

    def __iter__(self) -> Iterator[np.ndarray]:
        return iter(self._views)

    def __repr__(self) -> str:
        return f"{self._what}({[v.shape for v in self._views]})"


def _views(core: Any, what: str) -> tuple[ParameterViews, ParameterViews]:
    n = core.num_layers
    return (
        ParameterViews([core.weight(i) for i in range(n)], f"{what}.weights", core),
        ParameterViews([core.bias(i) for i in range(n)], f"{what}.biases", core),
    )


class _Layered:
    """The per-layer views of a C++ buffer, shared by a network and its gradients."""

    _weights: ParameterViews
    _biases: ParameterViews

    @property
    def weights(self) -> ParameterViews:
        """W_l (out, in) per layer: writeable views (``x.weights[l] = W`` copies W in)."""
        return self._weights

    @property
    def biases(self) -> ParameterViews:
        """b_l (out,) per layer: writeable views (``x.biases[l] = b`` copies b in)."""
        return self._biases


class Grads(_Layered):
    """Gradients with the layout of the network's parameters (``weights[l]``, ``biases[l]``)."""

    def __init__(self, core_grads: Any) -> None:
        self._core = core_grads
        self._weights, self._biases = _views(core_grads, "grads")

    def __getstate__(self) -> dict[str, Any]:
        return {
            "sizes": list(self._core.sizes),
            "dtype": self.dtype.name,
            "flat": self._core.flat().copy(),
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        suffix = _dtype_suffix(state["dtype"])
        core = getattr(_core, f"Grads{suffix}")(state["sizes"])
        core.flat()[:] = state["flat"]
        self.__init__(core)  # type: ignore[misc]

    @property
    def dtype(self) -> np.dtype[Any]:
        return self._core.flat().dtype  # type: ignore[no-any-return]

    def tensors(self) -> list[np.ndarray]:
        """``[dW_1, db_1, dW_2, db_2, ...]`` (PyTorch's parameter order)."""
        return [t for pair in zip(self.weights, self.biases, strict=True) for t in pair]

    def __len__(self) -> int:
        return len(self.weights)

    def __repr__(self) -> str:
        return f"Grads({[w.shape for w in self.weights]})"


@dataclass(frozen=True)
class History:
    """What :meth:`MLP.fit` measured. Every per-epoch array has one entry per epoch run.

    ``accuracy`` is the running training accuracy: the correct predictions of each mini-batch's
    forward pass (before its update), summed over the epoch and divided by the rows seen — what
    a PyTorch loop that adds up ``(logits.argmax(1) == y).sum()`` per batch reports, and Keras'
    ``accuracy``; like ``epoch_loss`` it costs no extra pass. Softmax: the argmax of the logits
    against the label (or the argmax of a one-hot / dense target row); sigmoid (BCE): every
    output, logit >= 0 against target >= 0.5; linear (MSE): NaN. ``val_loss`` / ``val_accuracy``
    are measured on ``validation_data`` over the whole set with the parameters at the end of each
    epoch; NaN without validation data, for an epoch cut short (callback, Ctrl-C, a non-finite
    loss), and (``val_accuracy``) for MSE.
    """

    step_loss: np.ndarray  #: loss of each step, before its update
    step_grad_norm: np.ndarray  #: global L2 gradient norm of each step, before clipping
    epoch_loss: np.ndarray  #: mean step loss of each epoch
    layer_grad_norm: np.ndarray  #: (epochs, L) mean ||dW_l|| over each epoch's steps
    epochs: int  #: epochs run
    nonfinite: bool  #: training stopped on a NaN / inf loss or gradient
    stopped: bool  #: the callback stopped training
    accuracy: np.ndarray  #: running training accuracy of each epoch (NaN for MSE)
    val_loss: np.ndarray  #: validation loss after each epoch (NaN: no validation data)
    val_accuracy: np.ndarray  #: validation accuracy after each epoch (NaN: none, or MSE)


def _activation_list(
    activation: ActivationSpec | Sequence[ActivationSpec],
    hidden: int,
    activation_kwargs: Mapping[str, float] | None,
) -> list[Any]:
    """One (name, params) pair per hidden layer, checked by the core's activation parser (also
    without hidden layers, so a bad name never passes silently)."""
    if isinstance(activation, (str, tuple)):
        specs: list[Any] = [activation] * max(hidden, 1)
    elif isinstance(activation, Sequence):
        specs = list(activation)
        if len(specs) != hidden:
            raise ValueError(
                f"activation: expected one name or a list of {hidden} (one per hidden layer), "
                f"got {len(specs)}"
            )
    else:
        raise TypeError(
            "argument 'activation': expected a name, a (name, params) pair or a list of them, "
            f"got {type(activation).__name__}"
        )
    extra = dict(activation_kwargs or {})
    out: list[Any] = []
    for s in specs:
        if isinstance(s, str):
            s = (s, extra) if extra else s
        elif isinstance(s, tuple) and len(s) == 2 and isinstance(s[1], Mapping):
            s = (s[0], {**extra, **dict(s[1])})
        else:
            raise TypeError(
                f"argument 'activation': each entry must be a name or (name, params), got {s!r}"
            )
        out.append(_core.activation(s))
    return out[:hidden]


class MLP(_Layered):
    """A fully connected network ``layer_sizes = [D_0, ..., D_L]``.

    ``activation`` names the hidden activation (one for all, or a list per hidden layer; a
    ``(name, params)`` pair sets ``negative_slope`` / ``alpha`` / ``beta`` / ``threshold`` /
    ``min_val`` / ``max_val``).
    ``output`` is ``"linear"`` (MSE), ``"sigmoid"`` (binary cross-entropy) or ``"softmax"``
    (cross-entropy; integer labels or one-hot rows). ``init`` names any initializer of
    :mod:`fastinit.init` (or is a callable ``f(w, generator=g)``), applied to every weight
    with ``init_kwargs`` (one mapping, or a list of one per layer); ``bias_init`` likewise for
    the biases (default zeros).
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
        init_kwargs: LayerKwargs = None,
        bias_init_kwargs: LayerKwargs = None,
        activation_kwargs: Mapping[str, float] | None = None,
    ) -> None:
        sizes = _args.sizes("layer_sizes", layer_sizes)
        if len(sizes) < 2:
            raise ValueError(
                f"argument 'layer_sizes': expected at least [D_0, D_1], got {list(layer_sizes)}"
            )
        _args.generator(generator)
        self.dtype = _args.float_dtype(dtype)
        suffix = _dtype_suffix(self.dtype)
        acts = _activation_list(activation, len(sizes) - 2, activation_kwargs)
        try:
            core = getattr(_core, f"Mlp{suffix}")(sizes, acts, _args.name("output", output))
        except MemoryError as exc:
            raise MemoryError(f"argument 'layer_sizes' {sizes}: {exc}") from None
        self._bind(core)
        self.init_name = init if isinstance(init, str) else getattr(init, "__name__", "custom")
        self.reset_parameters(init, bias_init, generator, init_kwargs, bias_init_kwargs)

    def _bind(self, core: Any) -> None:
        self._core = core
        self._suffix = _dtype_suffix(core.flat().dtype)
        self.layer_sizes: tuple[int, ...] = tuple(core.sizes)
        self.activations: tuple[str, ...] = tuple(a[0] for a in core.activations)
        self.output: str = core.output
        self._weights, self._biases = _views(core, "net")

    def __getstate__(self) -> dict[str, Any]:
        return {
            "sizes": list(self.layer_sizes),
            "activations": list(self._core.activations),
            "output": self.output,
            "dtype": self.dtype.name,
            "init_name": self.init_name,
            "flat": self._core.flat().copy(),
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.dtype = np.dtype(state["dtype"])
        suffix = _dtype_suffix(self.dtype)
        core = getattr(_core, f"Mlp{suffix}")(
            state["sizes"], [tuple(a) for a in state["activations"]], state["output"]
        )
        core.flat()[:] = state["flat"]
        self._bind(core)
        self.init_name = state["init_name"]

    @property
    def num_layers(self) -> int:
        return int(self._core.num_layers)

    def reset_parameters(
        self,
        init: str | Callable[..., Any] = "kaiming_normal",
        bias_init: str | Callable[..., Any] = "zeros",
        generator: Any = None,
        init_kwargs: LayerKwargs = None,
        bias_init_kwargs: LayerKwargs = None,
    ) -> None:
        """(Re-)initialize every weight, then every bias, layer by layer, from ``generator``.

        ``init_kwargs`` / ``bias_init_kwargs``: one mapping for every layer, or a list of one
        mapping (or None) per layer, e.g. Glorot's "standard" U[-1/sqrt(n), 1/sqrt(n)] with each
        layer's own fan-in n: ``init="uniform", init_kwargs=[{"a": -n**-0.5, "b": n**-0.5} for n
        in net.layer_sizes[:-1]]``."""
        if init == "lsuv":
            raise ValueError(
                "init='lsuv' needs data: build the net, then call fastinit.init.lsuv_(net, X)"
            )
        _args.generator(generator)
        for arg, value in (("init", init), ("bias_init", bias_init)):
            if not isinstance(value, str) and not callable(value):
                raise TypeError(
                    f"argument '{arg}': expected an initializer name or a callable, got "
                    f"{type(value).__name__}"
                )
        wfill = _init.lookup("init", init) if isinstance(init, str) else init
        bfill = _init.lookup("bias_init", bias_init) if isinstance(bias_init, str) else bias_init
        wkw = _per_layer("init_kwargs", init_kwargs, self.num_layers)
        bkw = _per_layer("bias_init_kwargs", bias_init_kwargs, self.num_layers)

        def fill() -> None:
            for w, kw in zip(self.weights, wkw, strict=True):
                _call_init(wfill, w, generator, kw)
            for b, kw in zip(self.biases, bkw, strict=True):
                _call_init(bfill, b, generator, kw)

        # Under the network's lock: never while it trains (from its own fit callback: an error).
        self._core.locked(fill)

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
        g = self.check_grads(grads) if grads is not None else self.new_grads()
        return float(self._core.loss_and_grad(X, y, g._core)), g

    def check_grads(self, grads: Any) -> Grads:
        """``grads`` if it has this network's dtype and sizes, else TypeError / ValueError."""
        if not isinstance(grads, Grads):
            raise TypeError(
                f"argument 'grads': expected fastinit Grads, got {type(grads).__name__}"
            )
        if grads.dtype != self.dtype or tuple(grads._core.sizes) != self.layer_sizes:
            raise ValueError(
                f"argument 'grads': made for a {grads.dtype} network of other layer sizes or dtype "
                f"({list(grads._core.sizes)}), not this {self.dtype} one of "
                f"{list(self.layer_sizes)} (use net.new_grads())"
            )
        return grads

    def cache(self, kind: str, layer: int) -> np.ndarray:
        """A copy of ``Z``, ``A``, ``dZ`` or ``dA`` of 0-based ``layer`` from the last pass."""
        name = _args.name("kind", kind)
        if name not in ("Z", "A", "dZ", "dA"):
            raise ValueError(
                f"argument 'kind': unknown cache {name!r}; valid: 'Z', 'A', 'dZ', 'dA'"
            )
        index = _args.integer("layer", layer)
        if not 0 <= index < self.num_layers:
            raise ValueError(
                f"argument 'layer': layer index {index} out of range [0, {self.num_layers})"
            )
        return self._core.cache(name, index)  # type: ignore[no-any-return]

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
        validation_data: tuple[Any, Any] | None = None,
    ) -> History:
        """Train in C++ (GIL released, no allocation per step).

        ``validation_data=(X_val, y_val)`` (checked and converted as ``X``, ``y`` are) is
        evaluated after each epoch, in C++, in chunks of ``batch_size`` rows: ``History.val_loss``
        and ``val_accuracy``. It only reads the network: the training is the same without it.

        Clipping: ``clip_norm=`` clips the global norm (PyTorch's ``clip_grad_norm_``), or each
        tensor separately with ``clip_mode="per_tensor"`` (the classic ``g * t / ||g||``);
        ``clip_value=`` clamps elements. ``callback(step, loss, grad_norm)`` runs every
        ``callback_every`` steps; returning ``False`` stops training.
        """
        if callback is not None and not callable(callback):
            raise TypeError(f"argument 'callback': expected a callable, got {callback!r}")
        config = _core.FitConfig(
            epochs=_args.integer("epochs", epochs, 0),
            batch_size=_args.integer("batch_size", batch_size, 1),
            shuffle=_args.boolean("shuffle", shuffle),
            optim=_args.optim_config(
                optimizer,
                lr,
                momentum=momentum,
                dampening=dampening,
                nesterov=nesterov,
                weight_decay=weight_decay,
                betas=betas,
                eps=eps,
            ),
            clip=_args.clip_config(clip_norm, clip_value, clip_mode, norm_type),
            callback_every=_args.integer("callback_every", callback_every, 1),
        )
        X_val = y_val = None
        if validation_data is not None:
            if isinstance(validation_data, (str, bytes)) or not isinstance(
                validation_data, Sequence
            ):
                raise TypeError(
                    "argument 'validation_data': expected a pair (X_val, y_val), got "
                    f"{type(validation_data).__name__}"
                )
            if len(validation_data) != 2:
                raise ValueError(
                    "argument 'validation_data': expected a pair (X_val, y_val), got "
                    f"{len(validation_data)} items"
                )
            X_val, y_val = validation_data
            if X_val is None or y_val is None:
                raise TypeError("argument 'validation_data': X_val and y_val must be arrays")
        h = self._core.fit(X, y, config, _args.generator(generator), callback, X_val, y_val)
        return History(**h)

    @classmethod
    def from_torch(cls, seq: Any) -> MLP:
        """The MLP of a ``torch.nn.Sequential(Linear, activation, Linear, ...)``, its parameters
        copied exactly (float32 or float64, as the Linears are).

        Between two Linears: one of ReLU, LeakyReLU, Tanh, Sigmoid, ELU, SELU, GELU (exact erf
        form), Softplus, Softsign, SiLU, Hardtanh, Identity, or nothing (identity); their
        parameters (``negative_slope``, ``alpha``, ``beta``, ``threshold``, ``min_val``,
        ``max_val``) are kept. After the last Linear:
        nothing (``output="linear"``), Sigmoid (``"sigmoid"``) or Softmax over the last dim
        (``"softmax"``). Any other module, or a Linear without bias, is a ValueError naming it.
        """
        from .torch import _sequential_spec

        spec = _sequential_spec(seq)
        net = cls(
            spec["sizes"], spec["activations"], spec["output"], init="zeros", dtype=spec["dtype"]
        )
        for l, (w, b) in enumerate(zip(spec["weights"], spec["biases"], strict=True)):
            net.weights[l] = w
            net.biases[l] = b
        return net

    def to_torch(self) -> Any:
        """A ``torch.nn.Sequential`` computing the same function (Linear layers of this dtype
        holding copies of the parameters; the output activation as a final Sigmoid / Softmax);
        ``MLP.from_torch(net.to_torch())`` gives this network back exactly. ``erf`` has no
        torch.nn module (torch only has the function ``torch.erf``): a network using it raises
        ValueError rather than getting a module of fastinit's that ``from_torch`` of another
        program could not read back."""
        from .torch import _to_sequential

        return _to_sequential(
            list(self._core.activations),
            self.output,
            [np.array(w) for w in self.weights],
            [np.array(b) for b in self.biases],
        )

    def __repr__(self) -> str:
        return (
            f"MLP({list(self.layer_sizes)}, activation={list(self.activations)}, "
            f"output={self.output!r}, dtype={self.dtype.name})"
        )


#: keyword arguments of an initializer: one mapping for all layers or one per layer
LayerKwargs = Mapping[str, Any] | Sequence[Mapping[str, Any] | None] | None


def _per_layer(arg: str, kwargs: LayerKwargs, layers: int) -> list[Mapping[str, Any] | None]:
    """One mapping (or None) per layer from one mapping or a list of them, checked up front so a
    bad entry never leaves the network half initialized."""
    if kwargs is None or isinstance(kwargs, Mapping):
        return [kwargs] * layers
    if isinstance(kwargs, (str, bytes)) or not isinstance(kwargs, Sequence):
        raise TypeError(
            f"argument '{arg}': expected a mapping or a list of {layers} mappings (one per "
            f"layer), got {type(kwargs).__name__}"
        )
    if len(kwargs) != layers:
        raise ValueError(
            f"argument '{arg}': expected one mapping or a list of {layers} (one per layer: the "
            f"network has {layers} layers), got a list of {len(kwargs)}"
        )
    for i, kw in enumerate(kwargs):
        if kw is not None and not isinstance(kw, Mapping):
            raise TypeError(
                f"argument '{arg}': entry {i} (layer {i + 1}) must be a mapping or None, got "
                f"{type(kw).__name__}"
            )
    return list(kwargs)


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
