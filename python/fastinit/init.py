"""Initializers: PyTorch's ``torch.nn.init`` names and semantics, Keras / JAX variance scaling,
ZerO, and LSUV.

In-place functions end in ``_``; they take a writeable C-contiguous float32 / float64 CPU array of
shape ``(out, in, *kernel)`` -- a NumPy array, or any object exporting DLPack or the buffer protocol
(``torch.Tensor`` and ``torch.nn.Parameter`` included) -- fill it without a copy and return the very
object they were given. A torch leaf that requires grad (a Parameter) is written through a detached
view of its storage, so autograd records nothing (as ``torch.nn.init`` does under ``no_grad``), and
its version counter is bumped as by any in-place op. 16-bit targets (``ml_dtypes.bfloat16``, torch
half / bfloat16; NumPy float16 not yet) are computed in float32 (the truncated normal in double,
exact after rounding) and rounded to nearest even. A wrong dtype, a non-contiguous, read-only or
non-CPU array raises (never a silent copy). Each allocating twin (same name without the ``_``) takes
a shape and a dtype and returns a new 64-byte-aligned array.

Every random initializer accepts ``generator=`` (a :class:`fastinit.Generator`); without it the
default generator (see :func:`fastinit.manual_seed`) is used. Initializers that use fans accept
``fan_in=`` / ``fan_out=`` to override the fans of the shape.
"""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from . import _args
from ._loader import core as _core
from .optional import require

Array = npt.NDArray[np.floating[Any]]
_T = TypeVar("_T")

calculate_gain = _args.checked(_core.calculate_gain, "calculate_gain")
compute_fans = _args.checked(_core.compute_fans, "compute_fans")

_KDLCPU = 1  # DLPack's device type of host memory


def _type_name(x: object) -> str:
    t = type(x)
    return f"{t.__module__}.{t.__qualname__}"


def _torch_target(x: Any) -> Any:
    """A torch tensor, checked and detached (shares its storage; autograd records nothing)."""
    if x.device.type != "cpu":
        raise ValueError(
            f"argument 'tensor': expected a CPU tensor, got one on device '{x.device}' "
            "(a meta tensor has no storage: materialize it with module.to_empty(device='cpu'))"
        )
    if x.requires_grad and not x.is_leaf:
        raise ValueError(
            "argument 'tensor': a non-leaf tensor that requires grad cannot be initialized in "
            "place (autograd's graph would silently go stale); initialize the leaf it comes from"
        )
    if not x.is_contiguous():
        raise ValueError(
            f"argument 'tensor': expected a C-contiguous tensor, got strides {tuple(x.stride())} "
            "(fastinit writes in place and never copies silently)"
        )
    return x.detach()


#: The dtypes an in-place initializer writes, as its TypeError names them.
_DTYPES = "a float32 or float64 (or float16 / bfloat16)"


def as_target(x: Any) -> np.ndarray[Any, Any]:
    """The zero-copy NumPy view that an in-place initializer writes: ``x`` itself for an
    ndarray; a DLPack import for an object with ``__dlpack__`` (torch tensors and Parameters,
    detached); a buffer-protocol view otherwise. TypeError for anything else; the dtype, layout
    and writeability are checked by the initializer (never a silent copy)."""
    if isinstance(x, np.ndarray):
        if x.dtype not in (np.float32, np.float64):
            raise TypeError(f"argument 'tensor': expected {_DTYPES} array, got {x.dtype}")
        return x
    if isinstance(x, np.generic):
        raise TypeError(
            f"argument 'tensor': expected a numpy.ndarray, got the immutable scalar {_type_name(x)}"
        )
    if hasattr(x, "__dlpack__"):
        if type(x).__module__.partition(".")[0] == "torch":
            x = _torch_target(x)
        else:
            try:
                dev = x.__dlpack_device__()
            except Exception as exc:
                raise ValueError(f"argument 'tensor': unsupported device ({exc})") from exc
            if int(dev[0]) != _KDLCPU:
                raise ValueError(
                    f"argument 'tensor': expected a CPU array, got DLPack device {dev}"
                )
        try:
            a = np.from_dlpack(x)
        except (BufferError, RuntimeError, TypeError) as exc:
            dt = getattr(x, "dtype", "?")
            raise TypeError(
                f"argument 'tensor': expected {_DTYPES} array, got {dt} ({exc})"
            ) from exc
    else:
        try:
            mv = memoryview(x)
        except TypeError:
            raise TypeError(
                "argument 'tensor': expected a numpy.ndarray or an array exporting DLPack or "
                f"the buffer protocol, got {_type_name(x)}"
            ) from None
        a = np.asarray(mv)
        if a.dtype not in (np.float32, np.float64):
            raise TypeError(
                f"argument 'tensor': expected {_DTYPES} array (a numpy.ndarray or an array "
                f"exporting DLPack or the buffer protocol), got a buffer of {a.dtype}"
            )
        if mv.readonly:
            raise ValueError("argument 'tensor': the array is read-only")
    if not a.flags.c_contiguous:
        raise ValueError(
            f"argument 'tensor': expected a C-contiguous array, got strides {a.strides} "
            "(fastinit writes in place and never copies silently)"
        )
    return a


_TORCH_HALF = {"torch.float16": False, "torch.bfloat16": True}


def _is_half_dtype(dt: np.dtype[Any]) -> bool | None:
    """False for float16, True for bfloat16 (``ml_dtypes.bfloat16``, by name: ml_dtypes is not
    imported), None for any other dtype."""
    if dt == np.float16:
        return False
    if dt.name == "bfloat16" and dt.itemsize == 2:
        return True
    return None


def as_half_target(x: Any) -> tuple[np.ndarray[Any, Any], bool] | None:
    """For a 16-bit array (``ml_dtypes.bfloat16``, torch half / bfloat16): the uint16 view of
    its storage (no copy) and whether it is bfloat16; None for any other object. Layout, device
    and writeability are checked as in :func:`as_target`."""
    if isinstance(x, np.ndarray):
        bf = _is_half_dtype(x.dtype)
        if bf is None:
            return None
        a = x
    elif type(x).__module__.partition(".")[0] == "torch" and str(x.dtype) in _TORCH_HALF:
        bf = _TORCH_HALF[str(x.dtype)]
        torch = require("torch", extra="torch", purpose="a torch half / bfloat16 target")
        a = np.from_dlpack(_torch_target(x).view(torch.int16))
    else:
        return None
    if not a.flags.c_contiguous:
        raise ValueError(
            f"argument 'tensor': expected a C-contiguous array, got strides {a.strides} "
            "(fastinit writes in place and never copies silently)"
        )
    if not a.flags.writeable:
        raise ValueError("argument 'tensor': the array is read-only")
    if not a.flags.aligned:
        raise ValueError("argument 'tensor': the array's data is not aligned")
    return a.view(np.uint16), bf


def _mark_written(x: Any) -> None:
    """Bump a torch tensor's version counter, as an in-place torch op does (writes through
    DLPack do not): a graph that saved the old values then refuses to backpropagate, as with
    torch.nn.init, instead of silently using the new ones. An empty in-place op on a view that
    shares the counter costs no pass over the data."""
    if type(x).__module__.partition(".")[0] == "torch":
        torch = require("torch", extra="torch", purpose="a torch target")
        with torch.no_grad():
            x.detach().view(-1)[:0].zero_()


#: float32 scratch of 16-bit fills up to this many elements is kept per thread (at most 64 MB):
#: a fresh buffer per call spent more time in page faults than in the fill itself.
_SCRATCH_KEEP = 1 << 24
_scratch_local = threading.local()


def _scratch(shape: tuple[int, ...]) -> np.ndarray[Any, Any]:
    """A float32 C-contiguous array of ``shape`` for this thread's 16-bit fill."""
    n = math.prod(shape)
    if n > _SCRATCH_KEEP:
        return _core.empty(shape, np.float32)  # type: ignore[no-any-return]
    buf = getattr(_scratch_local, "buf", None)
    if buf is None or buf.size < n:
        buf = _core.empty(max(n, 1 << 16), np.float32)
        _scratch_local.buf = buf
    return buf[:n].reshape(shape)  # type: ignore[no-any-return]


def _inplace(
    fill: Callable[..., Any], half_fill: Callable[..., Any] | None = None
) -> Callable[..., Any]:
    """The in-place initializer ``fill`` made to take any array of :func:`as_target` and
    return the object it was given. A float16 / bfloat16 target is computed in float32 and
    rounded to nearest even into its storage: by ``half_fill(view, bfloat16, ...)`` batch by
    batch in cache when the initializer has one (the uniform and normal families), else
    through a float32 scratch array."""

    @functools.wraps(fill)
    def wrapper(tensor: _T, *args: Any, **kw: Any) -> _T:
        half = as_half_target(tensor)
        if half is None:
            fill(as_target(tensor), *args, **kw)
        elif half_fill is not None:
            half_fill(half[0], half[1], *args, **kw)
        else:
            scratch = _scratch(half[0].shape)
            fill(scratch, *args, **kw)
            _core._round_half_(scratch, half[0], half[1])
        _mark_written(tensor)
        return tensor

    return wrapper


def _trunc_normal_inplace(fill: Callable[..., Any]) -> Callable[..., Any]:
    """trunc_normal_ on any target; on a float16 / bfloat16 one it is exact after rounding (no
    sample outside [a, b], no mass piled up at a bound: see fill.hpp)."""

    @functools.wraps(fill)
    def trunc_normal_(
        tensor: _T,
        mean: float = 0.0,
        std: float = 1.0,
        a: float = -2.0,
        b: float = 2.0,
        *,
        generator: Any = None,
    ) -> _T:
        half = as_half_target(tensor)
        if half is None:
            fill(as_target(tensor), mean, std, a, b, generator=generator)
        else:
            _core._trunc_normal_half_(half[0], half[1], mean, std, a, b, generator=generator)
        _mark_written(tensor)
        return tensor

    return trunc_normal_


def _bound(name: str, half: bool = False) -> Callable[..., Any]:
    """The core's in-place ``name`` made an initializer (:func:`_inplace`); with ``half``, 16-bit
    targets go to the core's own ``_<name>half_`` fill (no float32 scratch copy)."""
    fill = _args.checked(getattr(_core, name), name)
    half_fill = _args.checked(getattr(_core, f"_{name}half_"), name) if half else None
    return _inplace(fill, half_fill)


uniform_ = _bound("uniform_", half=True)
normal_ = _bound("normal_", half=True)
trunc_normal_ = _trunc_normal_inplace(_args.checked(_core.trunc_normal_, "trunc_normal_"))
constant_ = _bound("constant_")
ones_ = _bound("ones_")
zeros_ = _bound("zeros_")
eye_ = _bound("eye_")
dirac_ = _bound("dirac_")
xavier_uniform_ = _bound("xavier_uniform_", half=True)
xavier_normal_ = _bound("xavier_normal_", half=True)
kaiming_uniform_ = _bound("kaiming_uniform_", half=True)
kaiming_normal_ = _bound("kaiming_normal_", half=True)
orthogonal_ = _bound("orthogonal_")
sparse_ = _bound("sparse_")
variance_scaling_ = _bound("variance_scaling_")
zero_ = _bound("zero_")


def glorot_uniform_(tensor: _T, **kw: Any) -> _T:
    """Keras GlorotUniform: variance scaling (1, fan_avg, uniform)."""
    out: _T = variance_scaling_(tensor, 1.0, "fan_avg", "uniform", **kw)
    return out


def glorot_normal_(tensor: _T, **kw: Any) -> _T:
    """Keras GlorotNormal: variance scaling (1, fan_avg, truncated_normal)."""
    out: _T = variance_scaling_(tensor, 1.0, "fan_avg", "truncated_normal", **kw)
    return out


def he_uniform_(tensor: _T, **kw: Any) -> _T:
    """Keras HeUniform: variance scaling (2, fan_in, uniform)."""
    out: _T = variance_scaling_(tensor, 2.0, "fan_in", "uniform", **kw)
    return out


def he_normal_(tensor: _T, **kw: Any) -> _T:
    """Keras HeNormal: variance scaling (2, fan_in, truncated_normal)."""
    out: _T = variance_scaling_(tensor, 2.0, "fan_in", "truncated_normal", **kw)
    return out


def lecun_uniform_(tensor: _T, **kw: Any) -> _T:
    """Keras LecunUniform: variance scaling (1, fan_in, uniform)."""
    out: _T = variance_scaling_(tensor, 1.0, "fan_in", "uniform", **kw)
    return out


def lecun_normal_(tensor: _T, **kw: Any) -> _T:
    """Keras LecunNormal: variance scaling (1, fan_in, truncated_normal)."""
    out: _T = variance_scaling_(tensor, 1.0, "fan_in", "truncated_normal", **kw)
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
        "as_half_target",
        "as_target",
        "available",
        "calculate_gain",
        "compute_fans",
        "get",
        "lsuv_",
        *_INPLACE,
        *(f"{n}_" for n in _INPLACE),
    ]
)
