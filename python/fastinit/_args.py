"""Public keyword arguments → the typed configurations of the compiled core, in one place.

The C++ configuration classes (``OptimConfig``, ``ClipConfig``, ``SchemeConfig``, ...) check
values and names themselves; what only Python can check is the *type* of an argument, so that
``lr="0.1"`` or ``epochs=2.9`` is an error naming the argument rather than a silent truncation
or pybind11's "incompatible function arguments". Every public entry point converts its
arguments here.
"""

from __future__ import annotations

import functools
import math
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from ._loader import core as _core

#: int64: what a count or size may be
_INT64_MAX = 2**63 - 1


def _shown(value: Any) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text[:60]}{'...' if len(text) > 60 else ''}"


def integer(name: str, value: Any, minimum: int | None = None, maximum: int = _INT64_MAX) -> int:
    """An int (or anything with ``__index__``; not a bool, not a float) in [minimum, maximum]."""
    if isinstance(value, bool) or not hasattr(type(value), "__index__"):
        raise TypeError(f"argument '{name}': expected an integer, got {_shown(value)}")
    try:
        v = operator.index(value)
    except TypeError:  # e.g. an array of several numbers
        raise TypeError(f"argument '{name}': expected an integer, got {_shown(value)}") from None
    if minimum is not None and v < minimum:
        raise ValueError(f"argument '{name}': {name} must be >= {minimum}, got {v}")
    if v > maximum:
        raise ValueError(f"argument '{name}': {name} must be <= {maximum}, got {v}")
    return v


def size(name: str, value: Any, maximum: int) -> int:
    """A size >= 1; above ``maximum`` it could never be allocated: MemoryError, before any work."""
    v = integer(name, value, 1)
    if v > maximum:
        raise MemoryError(f"argument '{name}': {v} is too large to allocate (at most {maximum})")
    return v


def real(name: str, value: Any, *, finite: bool = False) -> float:
    """A real number (int, float or a NumPy scalar; not a bool, not a string) as a float."""
    if isinstance(value, (bool, str, bytes)) or not hasattr(type(value), "__float__"):
        raise TypeError(f"argument '{name}': expected a real number, got {_shown(value)}")
    try:
        v = float(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise TypeError(f"argument '{name}': expected a real number, got {_shown(value)}") from exc
    if finite and not math.isfinite(v):
        raise ValueError(f"argument '{name}': must be finite, got {v}")
    return v


def boolean(name: str, value: Any) -> bool:
    """A bool (or a NumPy bool)."""
    if not isinstance(value, bool) and type(value).__name__ != "bool_":
        raise TypeError(f"argument '{name}': expected True or False, got {_shown(value)}")
    return bool(value)


def name(arg: str, value: Any) -> str:
    """A name (str); whether it is a valid one is checked by the owner of the names."""
    if not isinstance(value, str):
        raise TypeError(f"argument '{arg}': expected a name (str), got {_shown(value)}")
    return value


def sizes(arg: str, value: Any, minimum: int = 1) -> list[int]:
    """A sequence of integer sizes, each >= minimum."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        try:
            value = list(value)
        except TypeError:
            raise TypeError(  # noqa: B904 (the sequence's own error says less)
                f"argument '{arg}': expected a sequence of integers, got {_shown(value)}"
            )
    return [integer(f"{arg}[{i}]", v, minimum) for i, v in enumerate(value)]


def float_dtype(value: Any) -> Any:
    """float32 or float64 as a NumPy dtype (equal dtypes compare equal, whatever their origin)."""
    import numpy as np

    if value is None:
        raise TypeError("argument 'dtype': expected float32 or float64, got None")
    try:
        dt = np.dtype(value)
    except TypeError as exc:
        raise TypeError(f"argument 'dtype': expected float32 or float64 ({exc})") from None
    if dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise TypeError(f"argument 'dtype': expected float32 or float64, got {dt}")
    return dt


def optional_bool(arg: str, value: Any) -> bool | None:
    """None or a bool."""
    return None if value is None else boolean(arg, value)


def generator(value: Any) -> Any:
    """None (the global generator) or a fastinit.Generator; anything else is a TypeError."""
    if value is None or isinstance(value, _core.Generator):
        return value
    raise TypeError(
        f"argument 'generator': expected a fastinit.Generator or None, got {_shown(value)} "
        "(make one with fastinit.Generator(seed))"
    )


def optim_config(
    optimizer: Any = "sgd",
    lr: Any = 0.01,
    *,
    momentum: Any = 0.0,
    dampening: Any = 0.0,
    nesterov: Any = False,
    weight_decay: Any = None,
    betas: Any = (0.9, 0.999),
    eps: Any = 1e-8,
) -> Any:
    """The optimizer of ``fit`` and ``sweep``: PyTorch's names and defaults (weight decay 0 for
    SGD and Adam, 1e-2 for AdamW)."""
    kind = name("optimizer", optimizer)
    if weight_decay is None:
        weight_decay = 0.01 if kind == "adamw" else 0.0
    if isinstance(betas, (str, bytes)) or not isinstance(betas, Sequence) or len(betas) != 2:
        raise TypeError(f"argument 'betas': expected a pair of numbers, got {_shown(betas)}")
    return _core.OptimConfig(
        kind=kind,
        lr=real("lr", lr),
        momentum=real("momentum", momentum),
        dampening=real("dampening", dampening),
        weight_decay=real("weight_decay", weight_decay),
        nesterov=boolean("nesterov", nesterov),
        beta1=real("betas[0]", betas[0]),
        beta2=real("betas[1]", betas[1]),
        eps=real("eps", eps),
    )


def clip_config(
    clip_norm: Any = None, clip_value: Any = None, clip_mode: Any = None, norm_type: Any = 2.0
) -> Any:
    """The clipping of ``fit`` and ``sweep``: ``clip_norm`` clips the global norm (PyTorch's
    ``clip_grad_norm_``) or, with ``clip_mode="per_tensor"``, each tensor's L2 norm (the classic
    ``g * t / ||g||``); ``clip_value`` clamps elements; neither: no clipping."""
    if clip_norm is not None and clip_value is not None:
        raise ValueError("give clip_norm or clip_value, not both")
    if clip_mode is not None:
        name("clip_mode", clip_mode)
    nt = real("norm_type", norm_type)
    if clip_norm is not None:
        mode = clip_mode or "norm"
        if mode not in ("norm", "per_tensor"):
            raise ValueError(
                f"clip_mode with clip_norm must be 'norm' or 'per_tensor', got {mode!r}"
            )
        threshold = real("clip_norm", clip_norm)
        if not threshold >= 0:
            raise ValueError(
                f"argument 'clip_norm': the clipping threshold must be >= 0, got {threshold}"
            )
        return _core.ClipConfig(mode=mode, threshold=threshold, norm_type=nt)
    if clip_value is not None:
        if clip_mode not in (None, "value"):
            raise ValueError(f"clip_mode with clip_value must be 'value', got {clip_mode!r}")
        return _core.ClipConfig(mode="value", threshold=real("clip_value", clip_value))
    if clip_mode not in (None, "none"):
        raise ValueError("clip_mode needs clip_norm or clip_value")
    return _core.ClipConfig()


# ---- compiled functions: pybind11's "incompatible function arguments" made precise

_F = TypeVar("_F", bound=Callable[..., Any])
_PARAM = re.compile(r"(\w+): ([^=]+?)(?: = [^,]+)?$")


def _signature(fn: Callable[..., Any]) -> list[tuple[str, str, bool]]:
    """(name, annotation, keyword-only) of each parameter, from pybind11's signature line."""
    lines = (fn.__doc__ or "").splitlines()
    line = next((ln for ln in lines if "(" in ln and ") ->" in ln), "")
    inner = line[line.index("(") + 1 : line.rindex(") ->")] if line else ""
    out: list[tuple[str, str, bool]] = []
    kw_only = False
    for part in re.split(r",\s*(?![^\[]*\])", inner):
        part = part.strip()
        if part == "*":
            kw_only = True
        m = _PARAM.match(part)
        if m and m.group(1) != "self":
            out.append((m.group(1), m.group(2).strip(), kw_only))
    return out


def _check_one(fn_name: Any, arg: str, annotation: str, value: Any) -> None:
    if value is None and "None" in annotation:
        return
    try:
        if "SupportsFloat" in annotation:
            real(arg, value)
        elif "SupportsInt" in annotation:
            integer(arg, value)
        elif annotation.startswith("bool"):
            boolean(arg, value)
        elif annotation.startswith("str"):
            name(arg, value)
        elif annotation.startswith("dict") and not isinstance(value, Mapping):
            raise TypeError(f"argument '{arg}': expected a dict, got {_shown(value)}")
    except TypeError as exc:
        raise TypeError(f"{fn_name}: {exc}") from None


def checked(fn: _F, public_name: str | None = None) -> _F:
    """``fn`` (a compiled function) whose wrong-type errors name the argument, what it expected
    and what it got, instead of pybind11's list of signatures. The check runs only when the call
    has already failed: a successful call costs one Python frame."""
    shown_name = public_name or getattr(fn, "__name__", "function")

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except TypeError as exc:
            if "incompatible function arguments" not in str(exc):
                raise
            params = _signature(fn)  # (name, annotation, keyword-only)
            positional = [p for p in params if not p[2]]
            bound = dict(zip((p[0] for p in positional), args, strict=False))
            bound.update(kwargs)
            annotations = {p[0]: p[1] for p in params}
            for arg, value in bound.items():
                arg = str(arg)
                if arg not in annotations:
                    raise TypeError(
                        f"{shown_name}: unexpected argument '{arg}'; valid: "
                        f"{', '.join(annotations)}"
                    ) from None
                _check_one(shown_name, arg, annotations[arg], value)
            if len(args) > len(positional):
                raise TypeError(
                    f"{shown_name}: takes at most {len(positional)} positional arguments, "
                    f"got {len(args)}"
                ) from None
            raise

    return call  # type: ignore[return-value]
