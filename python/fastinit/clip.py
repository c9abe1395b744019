"""Gradient clipping with the semantics users know.

Each function takes a :class:`fastinit.mlp.Grads` or a list of writeable float arrays of one
dtype, and works in place. Norms accumulate in double.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from . import _args
from ._loader import core as _core
from .mlp import Grads


def _tensors(grads: Grads | Sequence[np.ndarray] | np.ndarray) -> list[np.ndarray]:
    if isinstance(grads, Grads):
        return grads.tensors()
    if isinstance(grads, np.ndarray):
        return [grads]
    if isinstance(grads, (str, bytes, Mapping)) or not isinstance(grads, Iterable):
        raise TypeError(
            f"argument 'grads': expected Grads or a list of arrays, got {type(grads).__name__}"
        )
    return list(grads)


def clip_grad_norm_(
    grads: Any, max_norm: float, norm_type: float = 2.0, error_if_nonfinite: bool = False
) -> float:
    """PyTorch's ``clip_grad_norm_``: scale all by ``min(max_norm / (total + 1e-6), 1)``.

    ``total`` is the ``norm_type``-norm of the per-tensor norms (``inf`` for the max); it is
    returned (before clipping). A non-finite total raises :class:`fastinit.NonFiniteError` when
    ``error_if_nonfinite``, else it propagates into the gradients as in PyTorch.
    """
    return float(
        _core.clip_grad_norm_(
            _tensors(grads),
            _args.real("max_norm", max_norm),
            _args.real("norm_type", norm_type),
            _args.boolean("error_if_nonfinite", error_if_nonfinite),
        )
    )


def clip_grad_value_(grads: Any, clip_value: float) -> None:
    """Clamp every element to ``[-clip_value, clip_value]`` (PyTorch's ``clip_grad_value_``)."""
    _core.clip_grad_value_(_tensors(grads), _args.real("clip_value", clip_value))


def clip_by_norm_(grads: Any, threshold: float) -> list[float]:
    """Per tensor, the classic rule: ``g = g * threshold / ||g||`` when ``||g|| > threshold``.

    Returns the per-tensor L2 norms before clipping.
    """
    return list(_core.clip_by_norm_(_tensors(grads), _args.real("threshold", threshold)))


def total_norm(grads: Any, norm_type: float = 2.0) -> float:
    """The ``norm_type``-norm of the per-tensor norms (what ``clip_grad_norm_`` compares)."""
    return float(_core.total_norm(_tensors(grads), _args.real("norm_type", norm_type)))


__all__ = ["clip_by_norm_", "clip_grad_norm_", "clip_grad_value_", "total_norm"]
