"""Initializers: PyTorch's ``torch.nn.init`` names and semantics, Keras / JAX variance scaling,
ZerO, and LSUV.

In-place functions end in ``_``; they take a writeable C-contiguous float32 / float64 NumPy
array of shape ``(out, in, *kernel)``, fill it and return it. A wrong dtype, a non-contiguous or
a read-only array raises (never a silent copy). Each allocating twin (same name without the
``_``) takes a shape and a dtype and returns a new 64-byte-aligned array.

Every random initializer accepts ``generator=`` (a :class:`fastinit.Generator`); without it the
default generator (see :func:`fastinit.manual_seed`) is used. Initializers that use fans accept
``fan_in=`` / ``fan_out=`` to override the fans of the shape.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _args
from ._loader import core as _core

Array = npt.NDArray[np.floating[Any]]

calculate_gain = _args.checked(_core.calculate_gain, "calculate_gain")
compute_fans = _args.checked(_core.compute_fans, "compute_fans")

uniform_ = _args.checked(_core.uniform_, "uniform_")
normal_ = _args.checked(_core.normal_, "normal_")
trunc_normal_ = _args.checked(_core.trunc_normal_, "trunc_normal_")
constant_ = _args.checked(_core.constant_, "constant_")
ones_ = _args.checked(_core.ones_, "ones_")
zeros_ = _args.checked(_core.zeros_, "zeros_")
eye_ = _args.checked(_core.eye_, "eye_")
dirac_ = _args.checked(_core.dirac_, "dirac_")
xavier_uniform_ = _args.checked(_core.xavier_uniform_, "xavier_uniform_")
xavier_normal_ = _args.checked(_core.xavier_normal_, "xavier_normal_")
kaiming_uniform_ = _args.checked(_core.kaiming_uniform_, "kaiming_uniform_")
kaiming_normal_ = _args.checked(_core.kaiming_normal_, "kaiming_normal_")
orthogonal_ = _args.checked(_core.orthogonal_, "orthogonal_")
sparse_ = _args.checked(_core.sparse_, "sparse_")
variance_scaling_ = _args.checked(_core.variance_scaling_, "variance_scaling_")
zero_ = _args.checked(_core.zero_, "zero_")


def glorot_uniform_(tensor: Array, **kw: Any) -> Array:
    """Keras GlorotUniform: variance scaling (1, fan_avg, uniform)."""
    out: Array = variance_scaling_(tensor, 1.0, "fan_avg", "uniform", **kw)
    return out


def glorot_normal_(tensor: Array, **kw: Any) -> Array:
    """Keras GlorotNormal: variance scaling (1, fan_avg, truncated_normal)."""
    out: Array = variance_scaling_(tensor, 1.0, "fan_avg", "truncated_normal", **kw)
    return out


def he_uniform_(tensor: Array, **kw: Any) -> Array:
    """Keras HeUniform: variance scaling (2, fan_in, uniform)."""
    out: Array = variance_scaling_(tensor, 2.0, "fan_in", "uniform", **kw)
    return out


def he_normal_(tensor: Array, **kw: Any) -> Array:
    """Keras HeNormal: variance scaling (2, fan_in, truncated_normal)."""
    out: Array = variance_scaling_(tensor, 2.0, "fan_in", "truncated_normal", **kw)
    return out


def lecun_uniform_(tensor: Array, **kw: Any) -> Array:
    """Keras LecunUniform: variance scaling (1, fan_in, uniform)."""
    out: Array = variance_scaling_(tensor, 1.0, "fan_in", "uniform", **kw)
    return out


def lecun_normal_(tensor: Array, **kw: Any) -> Array:
    """Keras LecunNormal: variance scaling (1, fan_in, truncated_normal)."""
    out: Array = variance_scaling_(tensor, 1.0, "fan_in", "truncated_normal", **kw)
    return out


_INPLACE: dict[str, Callable[..., Array]] = {
    "uniform": uniform_,
    "normal": normal_,
    "trunc_normal": trunc_normal_,
    "constant": constant_,
    "ones": ones_,
    "zeros": zeros_,
    "eye": eye_,
    "dirac": dirac_,
    "xavier_uniform": xavier_uniform_,
    "xavier_normal": xavier_normal_,
    "kaiming_uniform": kaiming_uniform_,
    "kaiming_normal": kaiming_normal_,
    "orthogonal": orthogonal_,
    "sparse": sparse_,
    "variance_scaling": variance_scaling_,
    "glorot_uniform": glorot_uniform_,
    "glorot_normal": glorot_normal_,
    "he_uniform": he_uniform_,
    "he_normal": he_normal_,
    "lecun_uniform": lecun_uniform_,
    "lecun_normal": lecun_normal_,
    "zero": zero_,
}


def _make_twin(name: str, fill: Callable[..., Array]) -> Callable[..., Array]:
    def twin(
        shape: int | Sequence[int], *args: Any, dtype: npt.DTypeLike = np.float32, **kw: Any
    ) -> Array:
        if dtype is None:
            raise TypeError(f"{name}: argument 'dtype': expected float32 or float64, got None")
        try:
            dt = np.dtype(dtype)
        except TypeError as exc:
            raise TypeError(f"{name}: argument 'dtype': {exc}") from None
        return fill(_core.empty(shape, dt), *args, **kw)

    twin.__name__ = twin.__qualname__ = name
    twin.__doc__ = (
        f"Allocating twin of :func:`{name}_`: a new array of ``shape`` and ``dtype`` "
        f"(float32 by default) filled by it.\n\n{fill.__doc__ or ''}"
    )
    return twin


uniform = _make_twin("uniform", uniform_)
normal = _make_twin("normal", normal_)
trunc_normal = _make_twin("trunc_normal", trunc_normal_)
constant = _make_twin("constant", constant_)
ones = _make_twin("ones", ones_)
zeros = _make_twin("zeros", zeros_)
eye = _make_twin("eye", eye_)
dirac = _make_twin("dirac", dirac_)
xavier_uniform = _make_twin("xavier_uniform", xavier_uniform_)
xavier_normal = _make_twin("xavier_normal", xavier_normal_)
kaiming_uniform = _make_twin("kaiming_uniform", kaiming_uniform_)
kaiming_normal = _make_twin("kaiming_normal", kaiming_normal_)
orthogonal = _make_twin("orthogonal", orthogonal_)
sparse = _make_twin("sparse", sparse_)
variance_scaling = _make_twin("variance_scaling", variance_scaling_)
glorot_uniform = _make_twin("glorot_uniform", glorot_uniform_)
glorot_normal = _make_twin("glorot_normal", glorot_normal_)
he_uniform = _make_twin("he_uniform", he_uniform_)
he_normal = _make_twin("he_normal", he_normal_)
lecun_uniform = _make_twin("lecun_uniform", lecun_uniform_)
lecun_normal = _make_twin("lecun_normal", lecun_normal_)
zero = _make_twin("zero", zero_)


def available() -> list[str]:
    """Names accepted by :func:`get` (and by ``fastinit.MLP(init=...)``)."""
    return sorted(_INPLACE)


from .lsuv import lsuv_ as lsuv_  # noqa: E402  (needs the names above)


def get(name: str) -> Callable[..., Array]:
    """The in-place initializer called ``name`` (with or without the trailing ``_``)."""
    return lookup("name", name)


def lookup(arg: str, name: str) -> Callable[..., Array]:
    """:func:`get` for an argument called ``arg`` (its errors name that argument)."""
    if not isinstance(name, str):
        raise TypeError(f"argument '{arg}': expected an initializer name (str), got {name!r}")
    key = name[:-1] if name.endswith("_") else name
    try:
        return _INPLACE[key]
    except KeyError:
        raise ValueError(
            f"argument '{arg}': unknown initializer {name!r}; valid: {', '.join(available())}"
        ) from None


__all__ = sorted(
    [
        "available",
        "calculate_gain",
        "compute_fans",
        "get",
        "lsuv_",
        *_INPLACE,
        *(f"{n}_" for n in _INPLACE),
    ]
)
