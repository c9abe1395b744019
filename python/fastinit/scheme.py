"""``fastinit.init_network_``: initialize a whole network with a named scheme.

The one recipe behind sweeps, the report and the CLI (``scheme.hpp``): every weight W_l and
bias b_l, layer by layer from one generator, with the gain of the activation that follows each
layer. Schemes: ``fastinit.schemes()``; ``normal`` uses ``std``; ``sigma`` draws W ~ N(0,
sigma_w^2 / fan_in) and b ~ N(0, sigma_b^2); ``critical`` is ``sigma`` at the critical sigma_w of
the network's first hidden activation for ``sigma_b``; ``lsuv`` needs a batch ``X``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import _args
from ._loader import core as _core
from .mlp import MLP


def schemes() -> list[str]:
    """The scheme names :func:`init_network_` accepts."""
    return list(_core.scheme_names())


def init_network_(
    net: MLP,
    scheme: str,
    *,
    generator: Any = None,
    X: np.ndarray | None = None,
    std: float = 1.0,
    sigma_w: float = 1.0,
    sigma_b: float = 0.0,
) -> dict[str, Any]:
    """Initialize every parameter of ``net`` with ``scheme``; returns ``{"sigma_w": ...,
    "lsuv": [...]}`` (the sigma_w used by sigma / critical, else NaN; LSUV's per-layer log)."""
    if not isinstance(net, MLP):
        raise TypeError(f"argument 'net': expected a fastinit.MLP, got {type(net).__name__}")
    config = _core.SchemeConfig(
        _args.name("scheme", scheme),
        std=_args.real("std", std),
        sigma_w=_args.real("sigma_w", sigma_w),
        sigma_b=_args.real("sigma_b", sigma_b),
    )
    net.init_name = scheme
    return dict(_core.init_network_(net._core, config, _args.generator(generator), X))


__all__ = ["init_network_", "schemes"]
