"""Mean-field signal propagation (Poole et al. 2016; Schoenholz et al. 2017) for every activation.

A wide fully connected network with weights ~ N(0, sigma_w**2 / fan_in) and biases
~ N(0, sigma_b**2) (``sigma_w`` and ``sigma_b`` are standard deviations) carries the second
moment q of its pre-activations through the *length map*

    F(q) = sigma_w**2 * E[phi(sqrt(q) z)**2] + sigma_b**2,      z ~ N(0, 1)

to a fixed point q*, and multiplies the squared norm of the back-propagated gradient by
chi(q) = sigma_w**2 * E[phi'(sqrt(q) z)**2] per layer; chi1 = chi(q*). chi1 < 1 is the ordered
phase (gradients vanish, inputs become alike), chi1 > 1 the chaotic phase (gradients explode),
chi1 = 1 the edge of chaos.

Two inputs whose pre-activations have second moment q and correlation c come out of a layer with
the correlation given by the *correlation map* (:func:`c_map`)

    C(c) = (sigma_w**2 * E[phi(u1) phi(u2)] + sigma_b**2) / F(q),   corr(u1, u2) = c.

At q* it has a stable fixed point c* (1 in the ordered phase, < 1 in the chaotic phase) with slope
chi_c = sigma_w**2 * E[phi'(u1) phi'(u2)] at (q*, c*) (= chi1 when c* = 1). Depth scales
(Schoenholz et al. 2017): xi_q = -1 / log F'(q*) (how fast q reaches q*) and xi_c = -1 / log chi_c
(how fast correlations reach c*): positive in both phases, infinite at the edge of chaos; a
network of depth beyond about 6 xi_c does not train.

:func:`jacobian_moments` gives the mean and variance of the squared singular values of the
input-output Jacobian (Pennington, Schoenholz & Ganguli 2017, 2018) for orthogonal or Gaussian
weights: orthogonal weights remove the depth-proportional variance that Gaussian ones add.

Everything is computed in C++ (``fastinit/theory.hpp``) by composite Gauss-Legendre quadrature
split at the activation's kink, accurate to ~1e-13 relative (see the header). Activation
parameters are keyword arguments (``negative_slope=`` for leaky_relu, ``alpha=`` for elu,
``beta=`` / ``threshold=`` for softplus, ``min_val=`` / ``max_val=`` for hardtanh) with PyTorch's
defaults; ``activation`` may also be a
``(name, params)`` pair as in :class:`fastinit.MLP`.

>>> import fastinit as fi
>>> round(fi.theory.chi1("relu", sigma_w=2 ** 0.5, sigma_b=0.0), 12)
1.0
>>> round(fi.theory.critical_sigma_w("tanh", sigma_b=0.0), 6)
1.0
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _args
from ._loader import core as _core

# The compiled theory functions, with argument errors that name the argument.
_THEORY = {
    "c_map": _args.checked(_core.theory_c_map, "fastinit.theory.c_map"),
    "chi": _args.checked(_core.theory_chi, "fastinit.theory.chi"),
    "critical_sigma_w": _args.checked(
        _core.theory_critical_sigma_w, "fastinit.theory.critical_sigma_w"
    ),
    "depth_scales": _args.checked(_core.theory_depth_scales, "fastinit.theory.depth_scales"),
    "jacobian_moments": _args.checked(
        _core.theory_jacobian_moments, "fastinit.theory.jacobian_moments"
    ),
    "phase_diagram": _args.checked(_core.theory_phase_diagram, "fastinit.theory.phase_diagram"),
    "predict": _args.checked(_core.theory_predict, "fastinit.theory.predict"),
    "q_map": _args.checked(_core.theory_q_map, "fastinit.theory.q_map"),
    "q_map_slope": _args.checked(_core.theory_q_map_slope, "fastinit.theory.q_map_slope"),
    "q_star": _args.checked(_core.theory_q_star, "fastinit.theory.q_star"),
}


def _grid(arg: str, values: Any) -> np.ndarray:
    """A grid of real numbers as float64, or a TypeError naming the argument."""
    if values is None or isinstance(values, (str, bytes)):
        raise TypeError(f"argument '{arg}': expected a sequence of numbers, got {values!r}")
    try:
        return np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"argument '{arg}': expected a sequence of numbers ({exc})") from None


ActivationSpec = str | tuple[str, Mapping[str, float]]


def _spec(activation: ActivationSpec, act_params: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    if isinstance(activation, str):
        return activation, dict(act_params)
    if isinstance(activation, tuple) and len(activation) == 2 and isinstance(activation[0], str):
        return activation[0], {**dict(activation[1]), **act_params}
    raise TypeError(f"activation must be a name or a (name, params) pair, got {activation!r}")


def q_map(
    activation: ActivationSpec, q: float, sigma_w: float, sigma_b: float, **act_params: float
) -> float:
    """The length map F(q) = sigma_w**2 E[phi(sqrt(q) z)**2] + sigma_b**2."""
    name, p = _spec(activation, act_params)
    return float(_THEORY["q_map"](name, q, sigma_w, sigma_b, p))


def c_map(
    activation: ActivationSpec,
    c: float,
    q: float,
    sigma_w: float,
    sigma_b: float,
    **act_params: float,
) -> float:
    """The correlation map C(c) = (sigma_w**2 E[phi(u1) phi(u2)] + sigma_b**2) / F(q).

    u1 = sqrt(q) z1 and u2 = sqrt(q) (c z1 + sqrt(1 - c**2) z2) with z1, z2 independent N(0, 1):
    the pre-activations of two inputs, both of second moment ``q``, with correlation ``c`` in
    [-1, 1]. Returns their correlation at the next layer; C(1) = 1. Computed by an iterated
    Gauss-Legendre quadrature whose panels end at the activation's kinks (see ``theory.hpp``).
    """
    name, p = _spec(activation, act_params)
    return float(_THEORY["c_map"](name, c, q, sigma_w, sigma_b, p))


def q_map_slope(activation: ActivationSpec, q: float, sigma_w: float, **act_params: float) -> float:
    """dF/dq at q (exact, differentiated under the integral; at q = 0 the limit q -> 0+)."""
    name, p = _spec(activation, act_params)
    return float(_THEORY["q_map_slope"](name, q, sigma_w, p))


def chi(activation: ActivationSpec, q: float, sigma_w: float, **act_params: float) -> float:
    """chi(q) = sigma_w**2 E[phi'(sqrt(q) z)**2]: per-layer factor of the squared gradient norm."""
    name, p = _spec(activation, act_params)
    return float(_THEORY["chi"](name, q, sigma_w, p))


def fixed_point(
    activation: ActivationSpec, sigma_w: float, sigma_b: float, q0: float = 1.0, **act_params: float
) -> dict[str, Any]:
    """The fixed point reached by iterating the length map from ``q0``.

    Returns ``{"q_star", "kind", "evaluations", "converged"}`` with ``kind`` one of ``"finite"``,
    ``"zero"`` (q shrinks to 0) or ``"infinite"`` (q grows without bound; ``q_star`` is inf).
    """
    name, p = _spec(activation, act_params)
    return dict(_THEORY["q_star"](name, sigma_w, sigma_b, q0, p))


def q_star(
    activation: ActivationSpec, sigma_w: float, sigma_b: float, q0: float = 1.0, **act_params: float
) -> float:
    """The fixed point q* of the length map reached from ``q0``: a float, possibly 0.0 or inf."""
    return float(fixed_point(activation, sigma_w, sigma_b, q0, **act_params)["q_star"])


def depth_scales(
    activation: ActivationSpec, sigma_w: float, sigma_b: float, q0: float = 1.0, **act_params: float
) -> dict[str, Any]:
    """q*, chi1, F'(q*), the correlation fixed point, the depth scales and the phase, as a dict.

    Keys: ``q_star``, ``kind``, ``evaluations``, ``converged`` (see :func:`fixed_point`),
    ``chi1`` (the gradient factor), ``q_map_slope`` (F'(q*)), ``xi_q`` (-1 / log F'(q*); inf
    when q never converges), ``c_star`` (the stable fixed point of :func:`c_map` at q*: 1 unless
    chaotic), ``chi_c`` (the map's slope there, sigma_w**2 E[phi'(u1) phi'(u2)]; chi1 when
    c* = 1), ``xi_c`` (-1 / log chi_c: > 0 in both phases, inf at the edge of chaos) and
    ``phase`` (``"ordered"``, ``"critical"`` or ``"chaotic"``, from chi1).

    When q* is infinite (or 0 and unstable) the correlation map's slope at c = 1 tends to 1:
    ``c_star = chi_c = 1`` and ``xi_c`` is inf (correlations converge slower than any
    exponential). With q* = 0 and chi1 <= 1 (no bias, phi(0) = 0), ``chi_c`` is chi1, the limit
    of a vanishing bias.

    >>> s = depth_scales("tanh", sigma_w=2 ** 0.5, sigma_b=0.05 ** 0.5)
    >>> s["phase"], round(s["c_star"], 6), round(s["xi_c"], 2)
    ('chaotic', 0.744082, 25.21)
    """
    name, p = _spec(activation, act_params)
    return dict(_THEORY["depth_scales"](name, sigma_w, sigma_b, q0, p))


def jacobian_moments(
    activation: ActivationSpec,
    sigma_w: float,
    sigma_b: float,
    depth: int,
    weights: str = "orthogonal",
    q0: float | None = None,
    **act_params: float,
) -> dict[str, float]:
    """Mean and variance of the squared singular values of the input-output Jacobian.

    J = D_L W_L ... D_1 W_1 (D_l = diag phi'(h^l)) of a ``depth``-layer network of equal, very
    large widths with ``weights="orthogonal"`` (W = sigma_w Q, Q Haar-orthogonal) or
    ``"gaussian"`` (W_ij ~ N(0, sigma_w**2 / N)) and biases ~ N(0, sigma_b**2). With
    mu_k = E[phi'(h)**(2k)], free probability gives (Pennington, Schoenholz & Ganguli 2017)

        mean     = prod_l sigma_w**2 mu_1,l                    (= chi1**depth at q*)
        variance = mean**2 * sum_l (mu_2,l / mu_1,l**2 - 1 - s1)

    with s1 = 0 for orthogonal and s1 = -1 for Gaussian weights (the derivation is in
    ``theory.hpp``). Without ``q0`` every layer is at the fixed point q* (the papers' setting:
    the input already at q*); with ``q0`` the first layer's pre-activations have second moment
    ``q0`` and the following ones q_{l+1} = F(q_l).

    Returns ``{"mean": ..., "variance": ...}``.
    """
    name, p = _spec(activation, act_params)
    depth = _args.integer("depth", depth, 0, 10**9)
    return dict(_THEORY["jacobian_moments"](name, sigma_w, sigma_b, depth, weights, q0, p))


def chi1(
    activation: ActivationSpec, sigma_w: float, sigma_b: float, q0: float = 1.0, **act_params: float
) -> float:
    """chi1 = sigma_w**2 E[phi'(sqrt(q*) z)**2] at the fixed point q* (reached from ``q0``)."""
    return float(depth_scales(activation, sigma_w, sigma_b, q0, **act_params)["chi1"])


def critical_sigma_w(
    activation: ActivationSpec, sigma_b: float = 0.0, q0: float = 1.0, **act_params: float
) -> float:
    """The sigma_w at which chi1 = 1 (the edge of chaos) for this ``sigma_b``.

    Raises ValueError when chi1 does not cross 1 for sigma_w in [1e-3, 1e3], or jumps across it
    (gelu / silu with small sigma_b: q* switches between two attracting fixed points).
    """
    name, p = _spec(activation, act_params)
    return float(_THEORY["critical_sigma_w"](name, sigma_b, q0, p))


def critical_line(
    activation: ActivationSpec,
    sigma_b_grid: Sequence[float] | npt.ArrayLike,
    q0: float = 1.0,
    **act_params: float,
) -> np.ndarray:
    """:func:`critical_sigma_w` for each sigma_b of the grid; NaN where there is none."""
    out = []
    for sb in _grid("sigma_b_grid", sigma_b_grid).ravel():
        try:
            out.append(critical_sigma_w(activation, float(sb), q0, **act_params))
        except ValueError as e:
            if "chi1" not in str(e):  # a bad argument, not a missing root
                raise
            out.append(float("nan"))
    return np.asarray(out, dtype=np.float64)


def predicted_log_slopes(
    activation: ActivationSpec,
    sigma_w: float,
    sigma_b: float,
    q0: float = 1.0,
    depth: int = 10,
    **act_params: float,
) -> dict[str, Any]:
    """Per-layer mean-field predictions to print beside measurements (:func:`fastinit.diagnose`).

    ``q0`` is the mean square of the network's input, so layer 1 has q_1 = sigma_w**2 q0 +
    sigma_b**2 and q_{l+1} = F(q_l). Going backwards, ||dL/dz_l||**2 = chi(q_l) ||dL/dz_{l+1}||**2.
    Returns arrays over layers l = 1..depth:

    ``q``               q_l (what ``diagnose`` reports as ``q``, the mean of Z**2)
    ``chi``             chi(q_l)
    ``log_chi``         log chi(q_l): the per-layer log-slope of ||dL/dz||**2 (backwards)
    ``log_grad_slope``  0.5 log chi(q_l): the per-layer log-slope of ||dL/dz|| itself, the quantity
                        ``diagnose`` fits as ``slopes["log_grad_z"]`` (from the output back)
    ``log_q_slope``     log(q_{l+1} / q_l), length depth - 1 (``diagnose``: ``slopes["log_q"]``)
    """
    name, p = _spec(activation, act_params)
    depth = _args.integer("depth", depth, 0, 10**7)
    q, c = _THEORY["predict"](name, sigma_w, sigma_b, q0, depth, p)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_chi = np.log(c)
        log_q_slope = np.log(q[1:] / q[:-1])
    return {
        "q": q,
        "chi": c,
        "log_chi": log_chi,
        "log_grad_slope": 0.5 * log_chi,
        "log_q_slope": log_q_slope,
    }


def phase_diagram(
    activation: ActivationSpec,
    sigma_w_grid: Sequence[float] | npt.ArrayLike,
    sigma_b_grid: Sequence[float] | npt.ArrayLike,
    q0: float = 1.0,
    **act_params: float,
) -> np.ndarray:
    """chi1 on a grid, computed in C++ in one call (parallel, the GIL released).

    ``out[i, j] = chi1(sigma_w_grid[i], sigma_b_grid[j])``. For matplotlib, sigma_w on the x axis:
    ``plt.contourf(sigma_w_grid, sigma_b_grid, out.T)`` and the critical line
    ``plt.contour(sigma_w_grid, sigma_b_grid, out.T, levels=[1.0])`` (or :func:`critical_line`).
    """
    name, p = _spec(activation, act_params)
    sw = _grid("sigma_w_grid", sigma_w_grid)
    sb = _grid("sigma_b_grid", sigma_b_grid)
    return np.asarray(_THEORY["phase_diagram"](name, sw, sb, q0, p))


__all__ = [
    "c_map",
    "chi",
    "chi1",
    "critical_line",
    "critical_sigma_w",
    "depth_scales",
    "fixed_point",
    "jacobian_moments",
    "phase_diagram",
    "predicted_log_slopes",
    "q_map",
    "q_map_slope",
    "q_star",
]
