"""LSUV: layer-sequential unit-variance initialization (Mishkin & Matas, ICLR 2016)."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _args
from ._loader import core as _core


def lsuv_(
    net: Any,
    X: np.ndarray,
    tol: float = 0.1,
    max_iter: int = 10,
    *,
    orthogonal_init: bool = True,
    generator: Any = None,
) -> list[dict[str, float]]:
    """Orthogonal pre-init, then per layer rescale W_l (and b_l) until Var(Z_l) is within
    ``tol`` of 1 on the batch ``X`` (at most ``max_iter`` times). Returns, per layer, the
    iterations, the variance before and after, and the total scale applied."""
    # The C++ network behind a fastinit.MLP (checked by its type, so that this module needs
    # no import of fastinit.mlp, which imports fastinit.init, which imports this module).
    core_net = getattr(net, "_core", None)
    if not isinstance(core_net, (_core.MlpFloat32, _core.MlpFloat64)):
        raise TypeError(f"lsuv_: argument 'net': expected a fastinit.MLP, got {type(net).__name__}")
    return list(
        _core.lsuv_(
            core_net,
            X,
            _args.real("tol", tol),
            _args.integer("max_iter", max_iter, 1, 2**31 - 1),
            _args.boolean("orthogonal_init", orthogonal_init),
            _args.generator(generator),
        )
    )
