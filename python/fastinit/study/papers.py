"""The papers' own figures: trainability over sigma_w^2 x depth on real data with the correlation
depth scale over it (Schoenholz et al. 2017, Fig. 5), and the singular-value spectra of the
input-output Jacobian for orthogonal and Gaussian weights (Pennington et al. 2017, Fig. 1).
matplotlib is imported inside the functions (``fastinit.optional.require``)."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

import fastinit as fi
from fastinit.optional import require
from fastinit.plot import new_figure, save_figure

from .networks import sigma_network

#: how many correlation depth scales a network can be deep and still train (Schoenholz et al.)
XI_C_MULTIPLE = 6.0


def trainability(
    activation: str = "tanh",
    sigma_w2: Sequence[float] = tuple(np.round(np.linspace(1.0, 4.0, 10), 3)),
    depths: Sequence[int] = (4, 8, 16, 32, 48, 64),
    sigma_b: float = math.sqrt(0.05),
    width: int = 64,
    epochs: int = 10,
    batch_size: int = 64,
    lr: float = 0.01,
    data: Any = "digits",
    seed: int = 0,
    threads: int | None = None,
    data_name: str | None = None,
) -> dict[str, Any]:
    """Test accuracy after training each ``sigma`` network (W ~ N(0, sigma_w^2 / fan_in),
    b ~ N(0, sigma_b^2)) of ``depths`` hidden layers of ``width`` on ``data`` (any ``data`` of
    :func:`fastinit.sweep`; ``data_name`` names it in the figure) with SGD.

    Returns ``{"sigma_w2", "depths", "accuracy" (len(depths), len(sigma_w2)), "diverged",
    "chance", "config"}``: one sweep (:func:`fastinit.sweep`), so the numbers are the same
    for any thread count."""
    sw2 = [float(s) for s in sigma_w2]
    if not sw2 or min(sw2) <= 0:
        raise ValueError(f"trainability: sigma_w2 must be positive values, got {sigma_w2}")
    r = fi.sweep(
        init=[],
        activation=[activation],
        depth=list(depths),
        width=[width],
        seeds=1,
        sigma_w=[math.sqrt(s) for s in sw2],
        sigma_b=[sigma_b],
        data=data,
        epochs=epochs,
        batch_size=batch_size,
        lr=lr,
        seed=seed,
        threads=threads,
        progress=False,
    )
    acc = np.full((len(depths), len(sw2)), np.nan)
    diverged = np.zeros_like(acc, dtype=bool)
    col = {round(math.sqrt(s), 12): j for j, s in enumerate(sw2)}
    row = {int(d): i for i, d in enumerate(depths)}
    classes = 0
    for rec in r.records:
        i, j = row[int(rec["depth"])], col[round(float(rec["sigma_w"]), 12)]
        acc[i, j] = rec["test_accuracy"]
        diverged[i, j] = bool(rec["diverged"])
        classes = int(rec["sizes"][-1])
    return {
        "sigma_w2": sw2,
        "depths": [int(d) for d in depths],
        "accuracy": acc,
        "diverged": diverged,
        "chance": 1.0 / classes if classes else float("nan"),
        "config": {
            "activation": activation,
            "sigma_b": sigma_b,
            "width": width,
            "epochs": epochs,
            "batch_size": batch_size,
            "lr": lr,
            "data": data_name or (data if isinstance(data, str) else "given arrays"),
        },
    }


def xi_c_curve(activation: str, sigma_b: float, sigma_w2: np.ndarray) -> np.ndarray:
    """xi_c = -1 / log chi_c of the mean-field theory at each sigma_w^2 (inf at criticality)."""
    return np.array(
        [
            fi.theory.depth_scales(activation, math.sqrt(float(s)), sigma_b)["xi_c"]
            for s in sigma_w2
        ],
        dtype=np.float64,
    )


def _edges(centers: Sequence[float]) -> np.ndarray:
    """Cell edges around sorted ``centers`` (midpoints; the outer cells as wide as their
    neighbours)."""
    c = np.asarray(centers, dtype=np.float64)
    if c.size == 1:
        return np.array([c[0] - 0.5, c[0] + 0.5])
    mid = (c[1:] + c[:-1]) / 2
    return np.concatenate([[c[0] - (mid[0] - c[0])], mid, [c[-1] + (c[-1] - mid[-1])]])


def plot_trainability(path: str | os.PathLike[str], result: Mapping[str, Any]) -> Path:
    """Schoenholz et al. (2017), Fig. 5: test accuracy over sigma_w^2 (x) and depth (y), with
    ``XI_C_MULTIPLE`` x xi_c of the theory drawn over it: networks deeper than a few
    correlation depth scales do not train, and the trainable depth peaks at the edge of chaos.
    ``result`` is :func:`trainability`'s."""
    cfg = result["config"]
    sw2, depths, acc = result["sigma_w2"], result["depths"], result["accuracy"]
    fig = new_figure(6.4, 4.6)
    ax = fig.subplots()
    mesh = ax.pcolormesh(
        _edges(sw2),
        np.maximum(_edges(depths), 0.0),
        acc,
        cmap="viridis",
        vmin=0.0,
        vmax=1.0,
        shading="flat",
    )
    fig.colorbar(mesh, ax=ax, label="test accuracy")
    div = np.argwhere(result["diverged"])
    if div.size:
        ax.plot(
            [sw2[j] for _, j in div],
            [depths[i] for i, _ in div],
            ls="none",
            marker="x",
            color="white",
            ms=6,
            label="diverged",
        )
    dense = np.linspace(min(sw2), max(sw2), 121)
    xi = xi_c_curve(cfg["activation"], cfg["sigma_b"], dense)
    top = _edges(depths)[-1]
    y = np.where(np.isfinite(xi), XI_C_MULTIPLE * xi, np.inf)
    ax.plot(dense, np.minimum(y, top), color="white", ls="--", lw=2, label=f"{XI_C_MULTIPLE:g} ξ_c")
    try:
        crit = fi.theory.critical_sigma_w(cfg["activation"], cfg["sigma_b"]) ** 2
        if min(sw2) <= crit <= max(sw2):
            ax.axvline(crit, color="white", lw=0.8, ls=":", label="σ_w*² (χ₁ = 1)")
    except ValueError:
        pass
    ax.set_ylim(max(0.0, _edges(depths)[0]), top)
    ax.set_xlabel("σ_w²")
    ax.set_ylabel("depth (hidden layers)")
    ax.legend(loc="upper right", fontsize=8, facecolor="0.3", labelcolor="white", framealpha=0.8)
    ax.set_title(
        f"Trainability of {cfg['activation']} networks on {cfg['data']}: width {cfg['width']}, "
        f"σ_b² = {cfg['sigma_b'] ** 2:.3g},\nSGD lr {cfg['lr']:g}, {cfg['epochs']} epochs of "
        f"batch {cfg['batch_size']} (chance: {result['chance']:.2f})",
        fontsize=9,
    )
    return save_figure(fig, path)


def jacobian_spectra(
    depths: Sequence[int] = (4, 16, 64),
    width: int = 200,
    points: int = 8,
    tanh_sigma_b: float = 0.01,
    seed: int = 0,
) -> dict[str, Any]:
    """Singular values of J = dA_L / dx (``fastinit.diagnose(..., jacobian="hidden")``) of
    networks of ``depths`` hidden layers of ``width``, at ``points`` inputs each: tanh at its
    critical sigma_w for ``tanh_sigma_b`` and ReLU at sigma_w = sqrt(2), sigma_b = 0 (He), each
    with orthogonal and Gaussian weights; inputs at the fixed point q* of the length map.

    Returns ``{"cases": [{"activation", "weights", "depth", "sigma_w", "sigma_b",
    "singular_values", "measured": {mean, variance}, "theory": {mean, variance}}, ...]}``
    (the moments are those of the squared singular values)."""
    g = fi.Generator(seed)
    sw_tanh = float(fi.theory.critical_sigma_w("tanh", tanh_sigma_b))
    settings = (("tanh", sw_tanh, tanh_sigma_b), ("relu", math.sqrt(2.0), 0.0))
    cases = []
    for act, sw, sb in settings:
        fp = fi.theory.depth_scales(act, sw, sb)
        q = float(fp["q_star"]) if fp["kind"] == "finite" else 1.0
        q = q if math.isfinite(q) and q > 0 else 1.0
        x_var = max((q - sb**2) / sw**2, 1e-12)  # Z_1 = W x + b then has second moment q
        for weights in ("orthogonal", "gaussian"):
            for depth in depths:
                gn, gx = g.spawn(2)
                net = sigma_network(weights, act, [width] * (int(depth) + 2), sw, sb, gn)
                X = fi.init.normal((points, width), std=math.sqrt(x_var), generator=gx)
                d = fi.diagnose(net, X, jacobian="hidden", jacobian_points=points)
                cases.append(
                    {
                        "activation": act,
                        "weights": weights,
                        "depth": int(depth),
                        "sigma_w": sw,
                        "sigma_b": sb,
                        "singular_values": np.asarray(d.jacobian_singular_values).ravel(),
                        "measured": d.jacobian_moments(),
                        "theory": fi.theory.jacobian_moments(act, sw, sb, int(depth), weights),
                    }
                )
    return {"cases": cases, "width": width, "points": points}


#: singular values below 10**LOG_FLOOR (the rank a ReLU network loses to dead units) are drawn
#: at the floor and counted in the panel
LOG_FLOOR = -6

_WEIGHT_STYLE = {"orthogonal": ("tab:blue", "-"), "gaussian": ("tab:red", "--")}


def plot_jacobian_spectra(path: str | os.PathLike[str], result: Mapping[str, Any]) -> Path:
    """Pennington, Schoenholz & Ganguli (2017), Fig. 1: the density of the Jacobian's singular
    values (log10 scale) for orthogonal and Gaussian weights, one panel per activation and
    depth. At the edge of chaos, orthogonal tanh networks stay near isometry (singular values
    concentrated around 1 at every depth) while Gaussian ones spread over decades; ReLU
    spreads with either. ``result`` is :func:`jacobian_spectra`'s."""
    cases = result["cases"]
    acts = list(dict.fromkeys(c["activation"] for c in cases))
    depths = list(dict.fromkeys(c["depth"] for c in cases))
    fig = new_figure(3.1 * len(depths) + 0.4, 2.7 * len(acts) + 0.9)
    axes = fig.subplots(len(acts), len(depths), squeeze=False, sharex=True)
    lines = require("matplotlib.lines", purpose="plotting")
    logs = {id(c): np.log10(np.maximum(c["singular_values"], 10.0**LOG_FLOOR)) for c in cases}
    for c in cases:
        i, j = acts.index(c["activation"]), depths.index(c["depth"])
        ax = axes[i][j]
        panel = [
            logs[id(o)]
            for o in cases
            if (o["activation"], o["depth"]) == (c["activation"], c["depth"])
        ]
        hi = max(float(v.max()) for v in panel) + 0.05
        lo = min(float(v.min()) for v in panel) - 0.05
        bins = np.linspace(lo, hi, 41)
        sv = logs[id(c)]
        color, ls = _WEIGHT_STYLE[c["weights"]]
        ax.hist(sv, bins=bins, density=True, histtype="step", color=color, ls=ls, lw=1.6)
        th, me = c["theory"], c["measured"]
        floor = float(np.mean(sv <= LOG_FLOOR))
        y0 = 0.95 if c["weights"] == "orthogonal" else 0.68
        ax.text(
            0.03,
            y0,
            f"{c['weights'][:5]}: E[σ²] {me['mean']:.3g} (theory {th['mean']:.3g})\n"
            f"Var[σ²] {me['variance']:.3g} (theory {th['variance']:.3g})"
            + (f"\n{floor:.0%} below 1e{LOG_FLOOR} (rank lost)" if floor else ""),
            transform=ax.transAxes,
            fontsize=6.5,
            va="top",
            color=color,
        )
        sw, sb = c["sigma_w"], c["sigma_b"]
        ax.set_title(f"{c['activation']} σ_w={sw:.3g} σ_b={sb:.3g}, depth {c['depth']}", fontsize=8)
        if i == len(acts) - 1:
            ax.set_xlabel("log10 singular value of J")
        if j == 0:
            ax.set_ylabel("density")
        ax.axvline(0.0, color="0.6", lw=0.6)
    handles = [
        lines.Line2D([], [], color=col, ls=ls, lw=1.6, label=f"{w} weights")
        for w, (col, ls) in _WEIGHT_STYLE.items()
    ]
    fig.legend(handles=handles, loc="outside lower center", ncol=2, fontsize=9)
    fig.suptitle(
        f"Singular values of the Jacobian dA_L/dx at q*\nwidth {result['width']}, "
        f"{result['points']} inputs per network",
        fontsize=10,
    )
    return save_figure(fig, path)


__all__ = [
    "XI_C_MULTIPLE",
    "jacobian_spectra",
    "plot_jacobian_spectra",
    "plot_trainability",
    "trainability",
    "xi_c_curve",
]
