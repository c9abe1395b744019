"""The study's figures beyond the library's depth profiles (``fastinit.plot``): activation
histograms across depth and training curves with and without gradient clipping. matplotlib is
imported inside the functions (``fastinit.optional.require``)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

import fastinit as fi
from fastinit.optional import require
from fastinit.plot import (
    SCHEME_STYLES,
    display_name,
    log_axis,
    log_line,
    new_figure,
    save_figure,
    scheme_colors,
    unique,
)

from .networks import build_network
from .training import train_digits

_BOUNDED = {
    "tanh": (-1.0, 1.0),
    "sigmoid": (0.0, 1.0),
    "softsign": (-1.0, 1.0),
    "erf": (-1.0, 1.0),
    "hardtanh": (-1.0, 1.0),  # the study uses PyTorch's default bounds
}


def layer_activations(
    init: str,
    activation: str,
    depth: int,
    width: int,
    batch: int,
    layers: Sequence[int],
    seed: int = 0,
    **sigma: float,
) -> dict[int, np.ndarray]:
    """Build a sweep-like network ``[width] * (depth + 1) + [10]``, run it on a Gaussian batch and
    return ``{layer: A_layer}`` for the 1-based hidden ``layers``."""
    g = fi.Generator(seed)
    gx, gw = g.spawn(2)
    X = fi.init.normal((batch, width), dtype=np.float32, generator=gx)
    unknown = set(sigma) - {"std", "sigma_w", "sigma_b"}
    if unknown:
        raise TypeError(f"layer_activations: unknown keyword(s) {', '.join(sorted(unknown))}")
    net = build_network(
        init,
        activation,
        [width] * (depth + 1) + [10],
        gw,
        X=X,
        std=sigma.get("std", 1.0),
        sigma_w=sigma.get("sigma_w", 1.0),
        sigma_b=sigma.get("sigma_b", 0.0),
    )
    net.forward(X)
    return {int(k): net.cache("A", int(k) - 1) for k in layers}


def _histogram_panel(ax: Any, A: Mapping[int, np.ndarray], act: str, shades: Any) -> None:
    """One panel: a step histogram per layer of ``A``; bounded activations on their range,
    unbounded ones as log10 |a| of the non-zero values (the share of zeros in the legend)."""
    bounded = act in _BOUNDED
    logs: dict[int, np.ndarray] = {}
    if bounded:
        lo, hi = _BOUNDED[act]
    else:
        for k, a in A.items():
            v = a[np.isfinite(a) & (a != 0)]
            logs[k] = np.log10(np.abs(v).astype(np.float64))
        allv = np.concatenate([v for v in logs.values() if v.size] or [np.zeros(1)])
        lo, hi = float(allv.min()) - 0.25, float(allv.max()) + 0.25
    bins = np.linspace(lo, hi, 61)
    for k, a in A.items():
        finite = np.isfinite(a)
        zero = float(np.mean(a == 0))
        label = f"layer {k}"
        if not bounded and zero > 0:
            label += f" ({zero:.0%} zero)"
        if not finite.all():
            label += f" ({1 - finite.mean():.0%} inf/NaN)"
        v = a[finite].astype(np.float64) if bounded else logs[k]
        if v.size == 0:
            ax.plot([], [], color=shades[k], label=label + " (nothing to draw)")
            continue
        ax.hist(v, bins=bins, density=True, histtype="step", lw=1.6, color=shades[k], label=label)
    ax.set_xlim(bins[0], bins[-1])
    ax.legend(fontsize=7, loc="upper right" if bounded else "upper left")
    ax.set_xlabel("activation value" if bounded else "log10 |activation|", fontsize=8)
    ax.tick_params(labelsize=8)


def plot_histograms(
    path: str | os.PathLike[str],
    inits: Sequence[str] = ("normal", "xavier_normal", "kaiming_normal"),
    activations: Sequence[str] = ("tanh", "relu"),
    depth: int = 50,
    width: int = 256,
    batch: int = 512,
    seed: int = 0,
    layers: Sequence[int] | None = None,
) -> Path:
    """Activation histograms, as in Glorot & Bengio (2010): one panel per activation (row) and
    scheme (column), one curve per hidden layer (default 1, L/4, L/2, L). Bounded activations
    (tanh, sigmoid) are shown on their range; unbounded ones as log10 |a| of the non-zero values,
    the share of exact zeros in the legend (so a growing or shrinking scale is a shift)."""
    if layers is None:
        layers = sorted({1, max(1, depth // 4), max(1, depth // 2), depth})
    bad = [k for k in layers if not 1 <= k <= depth]
    if bad:
        raise ValueError(f"layers must be in 1..{depth}, got {bad}")
    cmap = require("matplotlib", purpose="plot_histograms").colormaps["viridis"]
    shades = {k: cmap(0.85 - 0.75 * i / max(len(layers) - 1, 1)) for i, k in enumerate(layers)}
    fig = new_figure(3.5 * len(inits) + 0.4, 2.8 * len(activations) + 0.8)
    axes = fig.subplots(len(activations), len(inits), squeeze=False)
    for i, act in enumerate(activations):
        for j, init in enumerate(inits):
            ax = axes[i][j]
            A = layer_activations(init, act, depth, width, batch, layers, seed)
            _histogram_panel(ax, A, act, shades)
            if i == 0:
                ax.set_title(display_name(init))
            if j == 0:
                ax.set_ylabel(f"{act}\ndensity")
    fig.suptitle(
        f"Activation histograms across depth (depth {depth}, width {width}, "
        f"batch {batch}, Gaussian inputs)"
    )
    return save_figure(fig, path)


def _training_panel(
    ax: Any, runs: Sequence[Mapping[str, Any]], act: str, key: str, colors: Mapping[str, str]
) -> None:
    """One panel: ``key`` of every run of ``act``, solid without clipping, dashed with."""
    for r in runs:
        if r["activation"] != act:
            continue
        y = np.asarray(r[key], dtype=np.float64)
        log_line(
            ax,
            np.arange(1, len(y) + 1),
            y,
            color=colors[r["init"]],
            ls="--" if r["clip_norm"] else "-",
            lw=1.1,
            alpha=0.9 if r["clip_norm"] else 0.75,
            marker=SCHEME_STYLES.get(r["init"], ("-", None))[1],
            ms=4,
            markevery=max(1, len(y) // 8),
        )
    ax.set_yscale("log")
    if not ax.lines:
        ax.set_ylim(1e-3, 1e3)
    log_axis(ax)
    ax.grid(True, alpha=0.3)


def plot_training(
    path: str | os.PathLike[str], training: Mapping[str, Any] | None = None, **train_kwargs: Any
) -> Path:
    """Training curves: one column per activation; top, the loss of each SGD step; bottom, the
    global gradient norm of each step (before clipping); both log scale. Colour: the scheme;
    solid: no clipping, dashed: clipping. ``training`` is :func:`train_digits`'s result (run with
    ``train_kwargs`` when omitted). A run that diverges (NaN / inf) ends in an x."""
    if training is None:
        training = train_digits(**train_kwargs)
    runs = training["runs"]
    if not runs:
        raise ValueError("plot_training: no training runs")
    cfg = training["config"]
    acts = unique(r["activation"] for r in runs)
    inits = unique(r["init"] for r in runs)
    colors = scheme_colors(inits)
    fig = new_figure(max(7.5, 4.6 * len(acts) + 0.6), 7.0)
    axes = fig.subplots(2, len(acts), sharex="col", squeeze=False)
    Line2D = require("matplotlib.lines", purpose="plot_training").Line2D
    panels = (
        ("step_loss", "training loss (per step)"),
        ("step_grad_norm", "global ‖grad‖ (before clipping)"),
    )
    for j, act in enumerate(acts):
        for i, (key, ylabel) in enumerate(panels):
            ax = axes[i][j]
            _training_panel(ax, runs, act, key, colors)
            if i == 1 and cfg.get("clip_norm"):
                ax.axhline(cfg["clip_norm"], color="0.4", lw=0.8, ls=":")
            if i == 0:
                ax.set_title(f"{act}: {cfg['depth']} hidden layers of {cfg['width']}")
            else:
                ax.set_xlabel("SGD step")
            if j == 0:
                ax.set_ylabel(ylabel)
    handles = [
        Line2D(
            [],
            [],
            color=colors[s],
            lw=2,
            marker=SCHEME_STYLES.get(s, ("-", None))[1],
            label=display_name(s),
        )
        for s in inits
    ]
    handles += [
        Line2D([], [], color="0.2", ls="-", label="no clipping"),
        Line2D([], [], color="0.2", ls="--", label=f"clip_norm={cfg['clip_norm']:g}"),
        Line2D([], [], color="0.2", marker="x", ls="none", mew=2, label="diverged (NaN / inf)"),
    ]
    fig.legend(
        handles=handles, loc="outside lower center", ncol=4 if len(acts) > 1 else 3, fontsize=9
    )
    fig.suptitle(
        f"Training on {training['dataset']['name']}: SGD lr={cfg['lr']:g}, "
        f"momentum={cfg['momentum']:g}, batch {cfg['batch_size']}, {cfg['epochs']} epochs"
    )
    return save_figure(fig, path)


__all__ = ["layer_activations", "plot_histograms", "plot_training"]
