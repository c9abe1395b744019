"""``fastinit.torch``: initialize whole PyTorch models with fastinit's generator.

``reset_parameters_(model, generator=g)`` applies PyTorch's own default initialization of every
layer (the law of each layer's ``reset_parameters``) and ``init_(model, scheme, generator=g, ...)``
applies any fastinit scheme to every weight. Both write each parameter in place, without a copy
and without recording anything in autograd.

Name-keyed streams: the parameter called ``name`` in ``model.named_parameters()`` (for example
``"encoder.0.weight"``) is drawn from ``generator.derive(name)``, so its values depend only on the
seed, its name and its shape -- not on the order of the modules, on what else the model holds,
on the thread count or on the generator's offset (calling either function twice gives the same
bits). A model built on the meta device is materialized by ``model.to_empty(device="cpu")`` and
then gets the same bits as one built on the CPU.

Layers: Linear, Conv1d/2d/3d and ConvTranspose1d/2d/3d (PyTorch's fans: those of
``torch.nn.init._calculate_fan_in_and_fan_out``, i.e. of the weight's shape read as
(out, in, *kernel), also for the transposes), Embedding (``padding_idx`` row zeroed), RNN / LSTM /
GRU and their cells (input, recurrent and projection weights, biases), and LayerNorm, RMSNorm,
GroupNorm, BatchNorm / InstanceNorm (weight 1, bias 0, running statistics reset). A module of
another type that owns parameters is an error naming it (never silently left as it was).

torch is optional: ``import fastinit`` never imports it; this module needs it.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from . import init as _init
from ._loader import core as _core
from .optional import require

try:
    torch = require("torch", extra="torch", purpose="fastinit.torch")
except ImportError as _exc:  # the distribution is fastinit-nn (DESIGN.md §7)
    raise ImportError(
        'fastinit.torch needs PyTorch, which is not installed: pip install "fastinit-nn[torch]" '
        "(or pip install torch)"
    ) from _exc
nn = torch.nn

_LINEAR_LIKE = (nn.Linear, nn.modules.conv._ConvNd)
_RNN_LIKE = (nn.RNNBase, nn.RNNCellBase)
_NORM_LIKE = (nn.LayerNorm, nn.GroupNorm, nn.modules.batchnorm._NormBase, nn.RMSNorm)
_SUPPORTED = (
    "Linear, Conv1d/2d/3d, ConvTranspose1d/2d/3d, Embedding, RNN, LSTM, GRU (and cells), "
    "LayerNorm, RMSNorm, GroupNorm, BatchNorm1d/2d/3d, InstanceNorm1d/2d/3d"
)


def _generator(generator: Any) -> Any:
    if generator is None:
        return _core.default_generator()
    if not isinstance(generator, _core.Generator):
        raise TypeError(
            "argument 'generator': expected a fastinit.Generator or None, got "
            f"{type(generator).__name__}"
        )
    return generator


def _named_modules(model: Any) -> Iterator[tuple[str, Any, list[tuple[str, Any]]]]:
    """(module name, module, [(qualified parameter name, parameter)]) for each module that owns
    parameters; a parameter shared by several modules is listed once, under its first name (as
    in ``model.named_parameters()``)."""
    if not isinstance(model, nn.Module):
        raise TypeError(f"argument 'model': expected a torch.nn.Module, got {type(model).__name__}")
    seen: set[int] = set()
    for mname, mod in model.named_modules():
        own = []
        for pname, p in mod.named_parameters(recurse=False):
            if id(p) in seen:
                continue
            seen.add(id(p))
            own.append((f"{mname}.{pname}" if mname else pname, p))
        if own:
            yield mname, mod, own


def _unsupported(mname: str, mod: Any) -> ValueError:
    return ValueError(
        f"fastinit.torch: module '{mname or '<root>'}' of type {type(mod).__name__} owns "
        f"parameters but has no known initialization; supported: {_SUPPORTED}"
    )


def _fan_in(w: Any) -> float:
    return float(_core.compute_fans(tuple(w.shape))[0]) if w.dim() >= 2 else float(w.shape[0])


def _uniform_bound(t: Any, bound: float, g: Any) -> None:
    _init.uniform_(t, -bound, bound, generator=g)


def _reset_norm(mod: Any) -> None:
    """Weight 1, bias 0 and (batch norm) running statistics reset, as PyTorch does."""
    for name, p in mod.named_parameters(recurse=False):
        (_init.ones_ if name == "weight" else _init.zeros_)(p)
    if isinstance(mod, nn.modules.batchnorm._NormBase) and mod.track_running_stats:
        if mod.running_mean is not None:
            _init.zeros_(mod.running_mean)
            _init.ones_(mod.running_var)
        if mod.num_batches_tracked is not None:
            with torch.no_grad():
                mod.num_batches_tracked.zero_()


def _zero_padding_row(mod: Any) -> None:
    if mod.padding_idx is not None:
        _init.zeros_(mod.weight.detach()[mod.padding_idx])


def reset_parameters_(model: Any, generator: Any = None) -> Any:
    """PyTorch's default initialization of every parameter of ``model``, drawn from
    ``generator.derive(qualified_name)``; returns ``model``.

    The laws are PyTorch's: Linear and convolutions kaiming_uniform_(a=sqrt(5)) weights
    (U(-1/sqrt(fan_in), 1/sqrt(fan_in))) and U(-1/sqrt(fan_in), 1/sqrt(fan_in)) biases; Embedding
    N(0, 1); recurrent layers U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)) for every parameter;
    norm layers weight 1, bias 0.
    """
    gen = _generator(generator)
    for mname, mod, params in _named_modules(model):
        if isinstance(mod, _LINEAR_LIKE):
            for qname, p in params:
                if p.numel() == 0:
                    continue
                g = gen.derive(qname)
                if p is mod.weight:
                    _init.kaiming_uniform_(p, a=math.sqrt(5.0), generator=g)
                else:
                    fan = _fan_in(mod.weight)
                    _uniform_bound(p, 1.0 / math.sqrt(fan) if fan > 0 else 0.0, g)
        elif isinstance(mod, nn.Embedding):
            for qname, p in params:
                _init.normal_(p, 0.0, 1.0, generator=gen.derive(qname))
            _zero_padding_row(mod)
        elif isinstance(mod, _RNN_LIKE):
            stdv = 1.0 / math.sqrt(mod.hidden_size) if mod.hidden_size > 0 else 0.0
            for qname, p in params:
                _uniform_bound(p, stdv, gen.derive(qname))
        elif isinstance(mod, _NORM_LIKE):
            _reset_norm(mod)
        else:
            raise _unsupported(mname, mod)
    return model


def _takes_generator(fill: Callable[..., Any]) -> bool:
    """Whether ``fill`` accepts ``generator=`` (deterministic ones -- zeros, eye, dirac, zero --
    do not). Compiled initializers say so in their signature line, Python ones in theirs."""
    target = getattr(fill, "__wrapped__", fill)
    try:
        params = inspect.signature(target).parameters.values()
    except (TypeError, ValueError):
        return "generator" in (getattr(target, "__doc__", None) or "").partition("\n")[0]
    return any(p.name == "generator" or p.kind is p.VAR_KEYWORD for p in params)


def _fill(fill: Callable[..., Any], t: Any, g: Any, kw: Mapping[str, Any]) -> None:
    if _takes_generator(fill):
        fill(t, generator=g, **kw)
    else:
        fill(t, **kw)


def _scheme(scheme: str | Callable[..., Any], arg: str) -> Callable[..., Any]:
    if isinstance(scheme, str):
        return _init.get(scheme)
    if callable(scheme):
        return scheme
    raise TypeError(f"argument '{arg}': expected an initializer name or a callable, got {scheme!r}")


def _bias_fill(bias: str | float | Callable[..., Any] | None) -> Callable[..., Any] | None:
    if bias is None:
        return None
    if isinstance(bias, bool):
        raise TypeError(
            f"argument 'bias': expected a name, a number, a callable or None, got {bias}"
        )
    if isinstance(bias, (int, float)):
        val = float(bias)
        return lambda t: _init.constant_(t, val)
    return _scheme(bias, "bias")


def init_(
    model: Any,
    scheme: str | Callable[..., Any],
    generator: Any = None,
    bias: str | float | Callable[..., Any] | None = "zeros",
    *,
    recurrent: str | Callable[..., Any] | None = None,
    forget_bias: float | None = None,
    **scheme_kwargs: Any,
) -> Any:
    """Initialize every weight of ``model`` with ``scheme`` (a name of :mod:`fastinit.init` or a
    callable ``f(tensor, generator=g, **scheme_kwargs)``) and every bias with ``bias`` (a name, a
    constant, a callable, or None to leave biases as they are); returns ``model``.

    Each parameter draws from ``generator.derive(qualified_name)``. Weights are those of Linear,
    the convolutions (PyTorch's fans), Embedding (then its ``padding_idx`` row is zeroed) and the
    input / projection weights of recurrent layers. Their recurrent weights ``weight_hh*`` get
    ``recurrent`` if given, applied to each gate's (hidden, hidden) block separately (so
    ``recurrent="orthogonal"`` makes every gate orthogonal; with a projection the blocks are
    (hidden, proj_size)), else ``scheme`` on the whole matrix.
    ``forget_bias`` sets the forget gate of each LSTM ``bias_ih*`` (gate order i, f, g, o) after
    ``bias``, so with ``bias="zeros"`` the forget gate's total bias is ``forget_bias``. Norm
    layers get weight 1 and bias 0.
    """
    gen = _generator(generator)
    wfill = _scheme(scheme, "scheme")
    rfill = None if recurrent is None else _scheme(recurrent, "recurrent")
    bfill = _bias_fill(bias)
    for mname, mod, params in _named_modules(model):
        if isinstance(mod, _NORM_LIKE):
            _reset_norm(mod)
            continue
        if not isinstance(mod, (*_LINEAR_LIKE, nn.Embedding, *_RNN_LIKE)):
            raise _unsupported(mname, mod)
        for qname, p in params:
            pname = qname.rpartition(".")[2]
            g = gen.derive(qname)
            if pname.startswith("bias"):
                if bfill is not None:
                    _fill(bfill, p, g, {})
                if forget_bias is not None and pname.startswith("bias_ih") and _is_lstm(mod):
                    h = mod.hidden_size
                    _init.constant_(p.detach()[h : 2 * h], float(forget_bias))
            elif pname.startswith("weight_hh") and rfill is not None:
                h = mod.hidden_size  # gate blocks are (hidden, hidden or proj_size)
                for k in range(p.shape[0] // h):
                    _fill(rfill, p.detach()[k * h : (k + 1) * h], g, scheme_kwargs)
            else:
                _fill(wfill, p, g, scheme_kwargs)
        if isinstance(mod, nn.Embedding):
            _zero_padding_row(mod)
    return model


def _is_lstm(mod: Any) -> bool:
    return isinstance(mod, (nn.LSTM, nn.LSTMCell))


__all__ = ["init_", "reset_parameters_"]


# --- fastinit.MLP <-> torch.nn.Sequential (used by MLP.from_torch / MLP.to_torch) -------------

#: torch activation type -> (fastinit name, {fastinit parameter: torch attribute})
_ACTIVATIONS: dict[type, tuple[str, dict[str, str]]] = {
    nn.ReLU: ("relu", {}),
    nn.LeakyReLU: ("leaky_relu", {"negative_slope": "negative_slope"}),
    nn.Tanh: ("tanh", {}),
    nn.Sigmoid: ("sigmoid", {}),
    nn.ELU: ("elu", {"alpha": "alpha"}),
    nn.SELU: ("selu", {}),
    nn.GELU: ("gelu", {}),
    nn.Softplus: ("softplus", {"beta": "beta", "threshold": "threshold"}),
    nn.Softsign: ("softsign", {}),
    nn.SiLU: ("silu", {}),
    nn.Hardtanh: ("hardtanh", {"min_val": "min_val", "max_val": "max_val"}),
    nn.Identity: ("identity", {}),
}
_DTYPES = {torch.float32: "float32", torch.float64: "float64"}


def _activation_of(name: str, mod: Any) -> tuple[str, dict[str, float]]:
    entry = _ACTIVATIONS.get(type(mod))
    if entry is None:
        valid = ", ".join(t.__name__ for t in _ACTIVATIONS)
        raise ValueError(
            f"MLP.from_torch: module '{name}' ({type(mod).__name__}) has no fastinit activation; "
            f"expected Linear or one of {valid}"
        )
    if isinstance(mod, nn.GELU) and mod.approximate != "none":
        raise ValueError(
            f"MLP.from_torch: module '{name}' is GELU(approximate={mod.approximate!r}); fastinit's "
            "gelu is the exact erf form (approximate='none')"
        )
    return entry[0], {k: float(getattr(mod, a)) for k, a in entry[1].items()}


def _sequential_spec(seq: Any) -> dict[str, Any]:
    """Sizes, hidden activations, output, dtype and parameter copies of a Sequential MLP."""
    if not isinstance(seq, nn.Sequential):
        raise TypeError(f"MLP.from_torch: expected a torch.nn.Sequential, got {type(seq).__name__}")
    mods = list(seq.named_children())
    linears = [i for i, (_, m) in enumerate(mods) if isinstance(m, nn.Linear)]
    if not linears or linears[0] != 0:
        raise ValueError("MLP.from_torch: the Sequential must start with a Linear")
    sizes = [mods[0][1].in_features]
    acts: list[tuple[str, dict[str, float]]] = []
    weights, biases = [], []
    dtype = mods[0][1].weight.dtype
    output = "linear"
    for k, i in enumerate(linears):
        name, lin = mods[i]
        if lin.bias is None:
            raise ValueError(f"MLP.from_torch: Linear '{name}' has no bias (fastinit layers do)")
        if lin.in_features != sizes[-1]:
            raise ValueError(
                f"MLP.from_torch: Linear '{name}' takes {lin.in_features} features, "
                f"the layer before gives {sizes[-1]}"
            )
        if lin.weight.dtype != dtype or lin.weight.dtype not in _DTYPES:
            raise ValueError(
                f"MLP.from_torch: Linear '{name}' is {lin.weight.dtype}; expected every Linear "
                "in float32 or every Linear in float64"
            )
        sizes.append(lin.out_features)
        weights.append(lin.weight.detach().cpu().numpy().copy())
        biases.append(lin.bias.detach().cpu().numpy().copy())
        between = mods[i + 1 : linears[k + 1]] if k + 1 < len(linears) else mods[i + 1 :]
        if len(between) > 1:
            raise ValueError(
                f"MLP.from_torch: modules {[n for n, _ in between]} follow Linear '{name}'; "
                "expected at most one activation between Linears"
            )
        if k + 1 < len(linears):
            acts.append(_activation_of(*between[0]) if between else ("identity", {}))
        elif between:
            bname, bmod = between[0]
            if isinstance(bmod, nn.Sigmoid):
                output = "sigmoid"
            elif isinstance(bmod, nn.Softmax) and bmod.dim in (-1, 1):
                output = "softmax"
            else:
                raise ValueError(
                    f"MLP.from_torch: module '{bname}' ({bmod!r}) after the last Linear; expected "
                    "nothing (linear output), Sigmoid or Softmax(dim=-1)"
                )
    return {
        "sizes": sizes,
        "activations": acts,
        "output": output,
        "dtype": _DTYPES[dtype],
        "weights": weights,
        "biases": biases,
    }


def _to_sequential(
    activations: list[Any], output: str, weights: list[Any], biases: list[Any]
) -> Any:
    """The Sequential of an MLP's parts (``activations`` as the core's (name, params) pairs)."""
    by_name = {v[0]: (t, v[1]) for t, v in _ACTIVATIONS.items()}
    layers: list[Any] = []
    for l, (w, b) in enumerate(zip(weights, biases, strict=True)):
        lin = nn.Linear(w.shape[1], w.shape[0], dtype=torch.from_numpy(w).dtype)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(w))
            lin.bias.copy_(torch.from_numpy(b))
        layers.append(lin)
        if l < len(activations):
            name, params = activations[l]
            if name not in by_name:
                hint = (
                    " (torch has the function torch.erf but no nn module)" if name == "erf" else ""
                )
                raise ValueError(
                    f"MLP.to_torch: activation {name!r} has no torch.nn module{hint}; "
                    f"convertible: {', '.join(sorted(by_name))}"
                )
            cls, attrs = by_name[name]
            layers.append(cls(**{attrs[k]: v for k, v in dict(params).items() if k in attrs}))
    if output == "sigmoid":
        layers.append(nn.Sigmoid())
    elif output == "softmax":
        layers.append(nn.Softmax(dim=-1))
    return nn.Sequential(*layers)
