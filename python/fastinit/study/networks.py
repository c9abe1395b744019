"""The one place where the study turns a scheme name into an initialized network.

``build_network`` is used by the histograms, the training runs and ``fastinit diagnose``; it is
meant to become a call of the library's ``fastinit.init_network_`` (one function to change).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

import fastinit as fi

from .params import CRITICAL

#: the nonlinearities ``calculate_gain`` knows; any other activation takes ReLU's gain
_GAIN_NAMES = ("sigmoid", "tanh", "relu", "leaky_relu", "selu", "linear", "identity")


def _mlp_init(
    init: str, activation: str, *, sigma_w: float = 1.0, sigma_b: float = 0.0, std: float = 1.0
) -> dict[str, Any]:
    """``fastinit.MLP`` keyword arguments (``init``, ``init_kwargs``, ``bias_init``,
    ``bias_init_kwargs``) that reproduce a sweep scheme for ``activation``: ``normal`` is N(0,
    ``std``²); He / Kaiming and orthogonal use the activation's gain, as in a sweep; ``sigma`` (or
    ``critical``) draws W ~ N(0, sigma_w² / fan_in) and b ~ N(0, sigma_b²); ``lsuv`` returns the
    orthogonal pre-init (``build_network`` applies ``fastinit.init.lsuv_``). Other names pass."""
    nl = activation if activation in _GAIN_NAMES else "relu"
    nl = "linear" if nl == "identity" else nl
    kw: dict[str, Any] = {"init": init, "init_kwargs": {}}
    if init == "normal":
        kw["init_kwargs"] = {"std": float(std)}
    elif init in ("kaiming_normal", "kaiming_uniform"):
        kw["init_kwargs"] = {"nonlinearity": nl, "a": 0.01 if nl == "leaky_relu" else 0.0}
    elif init == "orthogonal":
        kw["init_kwargs"] = {"gain": float(fi.init.calculate_gain(nl))}
    elif init == "lsuv":
        kw["init"], kw["init_kwargs"] = "orthogonal", {"gain": 1.0}
    elif init in ("sigma", CRITICAL):
        sw = float(sigma_w)

        def sigma_normal_(w: np.ndarray, generator: Any = None) -> np.ndarray:
            out: np.ndarray = fi.init.normal_(
                w, 0.0, sw / math.sqrt(w.shape[1]), generator=generator
            )
            return out

        kw["init"], kw["init_kwargs"] = sigma_normal_, {}
        if sigma_b > 0:
            kw["bias_init"], kw["bias_init_kwargs"] = "normal", {"std": float(sigma_b)}
    return kw


def build_network(
    init: str,
    activation: str,
    sizes: Sequence[int],
    generator: fi.Generator,
    *,
    output: str = "softmax",
    dtype: npt.DTypeLike = np.float32,
    X: np.ndarray | None = None,
    std: float = 1.0,
    sigma_w: float = 1.0,
    sigma_b: float = 0.0,
) -> fi.MLP:
    """A ``fastinit.MLP`` of ``sizes`` initialized with the sweep scheme ``init`` for
    ``activation`` (see :func:`init_description`), drawn from ``generator``. ``lsuv`` needs the
    batch ``X``: orthogonal pre-init, then ``fastinit.init.lsuv_`` on ``X``."""
    if init == "lsuv" and X is None:
        raise ValueError("build_network: init='lsuv' needs the batch X")
    kw = _mlp_init(init, activation, sigma_w=sigma_w, sigma_b=sigma_b, std=std)
    net = fi.MLP(
        list(sizes), activation=activation, output=output, dtype=dtype, generator=generator, **kw
    )
    if init == "lsuv":
        assert X is not None
        fi.init.lsuv_(net, X, orthogonal_init=False, generator=generator)
    return net


def init_description(
    init: str, activation: str, *, std: float = 1.0, sigma_w: float = 1.0, sigma_b: float = 0.0
) -> str:
    """One line saying how :func:`build_network` initializes the weights for ``init``."""
    if init in ("sigma", CRITICAL):
        return f"sigma: W ~ N(0, {sigma_w:g}^2 / fan_in), b ~ N(0, {sigma_b:g}^2)"
    kw = _mlp_init(init, activation, std=std)
    if not kw["init_kwargs"]:
        return init
    return init + " " + ", ".join(f"{k}={v}" for k, v in kw["init_kwargs"].items())


__all__ = ["build_network", "init_description"]
