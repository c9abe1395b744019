"""The one place where the study turns a scheme name into an initialized network: a
``fastinit.MLP`` initialized by the library's ``fastinit.init_network_`` (the recipe sweeps use),
or, for a name that is an initializer rather than a scheme, that initializer on every weight.

``build_network`` is used by the histograms, the training runs and ``fastinit diagnose``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

import fastinit as fi

from .params import CRITICAL


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
    """A ``fastinit.MLP`` of ``sizes`` initialized with scheme ``init`` for ``activation``, drawn
    from ``generator`` (``lsuv`` needs the batch ``X``). A name of ``fastinit.init`` that is not a
    scheme (``trunc_normal``, ``sparse``, ...) fills every weight with its defaults."""
    if init in fi.schemes():
        net = fi.MLP(list(sizes), activation=activation, output=output, dtype=dtype, init="zeros")
        fi.init_network_(
            net, init, generator=generator, X=X, std=std, sigma_w=sigma_w, sigma_b=sigma_b
        )
        return net
    return fi.MLP(
        list(sizes),
        activation=activation,
        output=output,
        dtype=dtype,
        init=init,
        generator=generator,
    )


def sigma_network(
    weights: str,
    activation: str,
    sizes: Sequence[int],
    sigma_w: float,
    sigma_b: float,
    generator: fi.Generator,
    *,
    output: str = "linear",
) -> fi.MLP:
    """The ``sigma`` scheme's network with Gaussian weights (W ~ N(0, sigma_w^2 / fan_in)) or
    with orthogonal ones of the same scale (W = sigma_w Q, Q Haar-orthogonal: the dynamical
    isometry networks); biases ~ N(0, sigma_b^2) either way."""
    if weights == "gaussian":
        return build_network(
            "sigma", activation, sizes, generator, output=output, sigma_w=sigma_w, sigma_b=sigma_b
        )
    if weights != "orthogonal":
        raise ValueError(f"unknown weights {weights!r}; valid: orthogonal, gaussian")
    net = fi.MLP(list(sizes), activation=activation, output=output, init="zeros")
    for k in range(len(sizes) - 1):
        shape = (sizes[k + 1], sizes[k])
        net.weights[k] = fi.init.orthogonal(shape, gain=sigma_w, generator=generator)
        net.biases[k] = fi.init.normal(sizes[k + 1], std=sigma_b, generator=generator)
    return net


def init_description(
    init: str, activation: str, *, std: float = 1.0, sigma_w: float = 1.0, sigma_b: float = 0.0
) -> str:
    """One line saying how :func:`build_network` initializes the weights for ``init``."""
    if init == "sigma":
        return f"sigma: W ~ N(0, {sigma_w:g}^2 / fan_in), b ~ N(0, {sigma_b:g}^2)"
    if init == CRITICAL:
        return f"critical: sigma at the critical sigma_w of {activation} for sigma_b = {sigma_b:g}"
    if init == "normal":
        return f"normal: W ~ N(0, {std:g}^2)"
    if init in ("kaiming_normal", "kaiming_uniform", "orthogonal"):
        return f"{init} with the gain of {activation} (ReLU's where PyTorch has none)"
    if init == "lsuv":
        return "lsuv: orthogonal, then unit variance per layer on the batch"
    return init


__all__ = ["build_network", "init_description", "sigma_network"]
