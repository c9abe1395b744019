"""The study's mean-field figure: chi1 over (sigma_w, sigma_b), with the edge of chaos."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

import fastinit as fi
from fastinit.optional import require
from fastinit.plot import SCHEME_COLORS, display_name, new_figure, save_figure


def _scheme_sigma_w(act: str, width: int) -> dict[str, float]:
    """The sigma_w (weight std x sqrt(fan_in)) of the classic schemes on a square layer."""
    nl = act if act in ("sigmoid", "tanh", "relu", "leaky_relu") else "relu"
    return {
        "xavier_normal": 1.0,
        "kaiming_normal": float(fi.init.calculate_gain(nl)),
        "normal": math.sqrt(width),
    }


def _mark_schemes(ax: Any, act: str, sw: np.ndarray, sb: np.ndarray, width: int) -> None:
    """Triangles at the schemes' sigma_w (sigma_b = 0); N(0, 1) off the chart is annotated."""
    for name, s in _scheme_sigma_w(act, width).items():
        if sw[0] <= s <= sw[-1]:
            ax.plot(
                [s],
                [sb[0]],
                marker="^",
                ms=10,
                ls="none",
                clip_on=False,
                color=SCHEME_COLORS[name],
                mec="white",
                label=display_name(name),
            )
        elif name == "normal":
            c1 = fi.theory.chi1(act, s, 0.0)
            ax.annotate(
                f"N(0,1) at width {width}: σ_w = {s:.3g} →\n(off the chart, χ₁ = {c1:.3g})",
                xy=(0.98, 0.97),
                xycoords="axes fraction",
                ha="right",
                va="top",
                fontsize=7,
                bbox={"boxstyle": "round", "fc": "white", "ec": "0.7", "alpha": 0.85},
            )


def _phase_labels(ax: Any) -> None:
    box = {"boxstyle": "round", "fc": "white", "ec": "none", "alpha": 0.75}
    for x, text, color, ha in (
        (0.03, "ordered\n(vanishing)", "navy", "left"),
        (0.97, "chaotic\n(exploding)", "darkred", "right"),
    ):
        ax.text(
            x,
            0.5,
            text,
            transform=ax.transAxes,
            fontsize=8,
            color=color,
            va="center",
            ha=ha,
            bbox=box,
        )


def _phase_panel(
    ax: Any,
    act: str,
    sigma_w_grid: Sequence[float] | np.ndarray | None,
    sigma_b_grid: Sequence[float] | np.ndarray | None,
    points: tuple[int, int],
    width: int,
    norm: Any,
) -> Any:
    """One activation's panel; returns its colour mesh (None when chi1 is nowhere finite)."""
    nw, nb = points
    sb = (
        np.linspace(0.0, 1.0, nb)
        if sigma_b_grid is None
        else np.asarray(sigma_b_grid, dtype=np.float64)
    )
    crit = fi.theory.critical_line(act, sb)
    if sigma_w_grid is None:
        top = float(np.nanmax(crit)) if np.isfinite(crit).any() else 2.0
        sw = np.linspace(0.02, max(3.0, 1.6 * top), nw)
    else:
        sw = np.asarray(sigma_w_grid, dtype=np.float64)
    chi = np.asarray(fi.theory.phase_diagram(act, sw, sb), dtype=np.float64)  # (len sw, len sb)
    good = np.isfinite(chi) & (chi > 0)
    mesh = None
    if good.any():
        c = np.ma.masked_where(~good, chi)
        mesh = ax.pcolormesh(sw, sb, c.T, shading="auto", cmap="RdBu_r", norm=norm)
    ok = np.isfinite(crit)
    if ok.any():
        ax.plot(crit[ok], sb[ok], color="black", lw=2.2, label="critical σ_w*(σ_b): χ₁ = 1")
    _mark_schemes(ax, act, sw, sb, width)
    _phase_labels(ax)
    ax.set_xlim(sw[0], sw[-1])
    ax.set_ylim(sb[0], sb[-1])
    ax.set_title(act)
    ax.set_xlabel("σ_w  (weights ~ N(0, σ_w² / fan_in))")
    ax.legend(fontsize=7, loc="lower right")
    if ax.get_subplotspec().is_first_col():
        ax.set_ylabel("σ_b  (biases ~ N(0, σ_b²))")
    return mesh


def plot_phase_diagram(
    activation: str | Sequence[str],
    path: str | os.PathLike[str],
    sigma_w_grid: Sequence[float] | np.ndarray | None = None,
    sigma_b_grid: Sequence[float] | np.ndarray | None = None,
    width: int = 256,
    points: tuple[int, int] = (161, 81),
) -> Path:
    """chi1 (the per-layer factor of the squared gradient norm at the fixed point q*) over a
    sigma_w x sigma_b grid, log colour scale centred on chi1 = 1, with the critical line
    sigma_w*(sigma_b) overlaid (``fastinit.theory.critical_line``) and the sigma_w of the Xavier
    and He schemes marked (N(0, 1) at ``width`` has sigma_w = sqrt(width)). One panel per
    activation. Default grids: sigma_b in [0, 1], sigma_w up to 1.6x the largest critical value."""
    LogNorm = require("matplotlib.colors", purpose="plot_phase_diagram").LogNorm
    acts = [activation] if isinstance(activation, str) else list(activation)
    if not acts:
        raise ValueError("plot_phase_diagram: no activation")
    ncols = len(acts) if len(acts) <= 2 else 2
    nrows = -(-len(acts) // ncols)
    fig = new_figure(4.6 * ncols + 1.2, 4.0 * nrows + 0.5)
    grid = fig.subplots(nrows, ncols, squeeze=False)
    axes = [ax for row in grid for ax in row]
    for ax in axes[len(acts) :]:
        ax.remove()
    axes = axes[: len(acts)]
    # One colour scale for every panel, centred on chi1 = 1 (log): blue ordered, red chaotic.
    norm = LogNorm(vmin=0.1, vmax=10.0)
    mesh = None
    for ax, act in zip(axes, acts, strict=True):
        m = _phase_panel(ax, act, sigma_w_grid, sigma_b_grid, points, width, norm)
        mesh = m if m is not None else mesh
    if mesh is not None:
        cb = fig.colorbar(mesh, ax=axes, shrink=0.9, extend="both")
        cb.set_label("χ₁ (log scale; per-layer factor of ‖dL/dZ‖²)")
    fig.suptitle("Mean-field phase diagram: χ₁ = σ_w² E[φ'(√q* z)²]")
    return save_figure(fig, path)


__all__ = ["plot_phase_diagram"]
