"""``fastinit.plot``: figures of sweep results, and the drawing helpers they share.

Figures are drawn on matplotlib's Agg canvas (``FigureCanvasAgg``) without pyplot, so no global
backend is changed and nothing opens a window. matplotlib is imported inside the functions that
draw (``fastinit.optional.require``): ``import fastinit`` never needs it.

``plot_depth_profiles(results, path)``  per-layer activation std and ||dL/dZ|| across depth
``depth_profiles(results)``             the medians over seeds that figure draws
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from .optional import require


class Results(Protocol):
    """What the figures read of a :class:`fastinit.sweep.Results` (no import of it: the sweep
    module imports this one for ``Results.plot``)."""

    records: list[dict[str, Any]]
    layers: list[dict[str, Any]]


#: the colour of each scheme in every figure (``critical``: the sigma scheme at the edge of chaos)
SCHEME_COLORS: dict[str, str] = {
    "zeros": "tab:gray",
    "normal": "tab:red",
    "xavier_normal": "tab:blue",
    "kaiming_normal": "tab:green",
    "orthogonal": "tab:purple",
    "lsuv": "tab:orange",
    "critical": "black",
}
SPARE_COLORS: tuple[str, ...] = (
    "tab:brown",
    "tab:pink",
    "tab:olive",
    "tab:cyan",
    "gold",
    "navy",
    "teal",
)
#: the line style and marker of each scheme, so that curves that coincide stay distinguishable
SCHEME_STYLES: dict[str, tuple[Any, str]] = {
    "zeros": ("-", "v"),
    "normal": ("-", "o"),
    "xavier_normal": ("--", "s"),
    "kaiming_normal": ("-", "^"),
    "orthogonal": ("-.", "D"),
    "lsuv": (":", "P"),
    "critical": ("-", "*"),
}
SPARE_STYLES: tuple[tuple[Any, str], ...] = (
    ("--", "X"),
    ("-.", "h"),
    (":", "p"),
    ((0, (5, 1, 1, 1)), "<"),
    ("-", ">"),
)
_DISPLAY_NAMES = {"normal": "normal(0,1)", "critical": "critical σ_w*"}


def scheme_label(record: Mapping[str, Any]) -> str:
    """The scheme label of a sweep record: its ``scheme`` if set, else its ``init`` (with the
    sigma_w / sigma_b of the ``sigma`` scheme)."""
    s = record.get("scheme")
    if s:
        return str(s)
    if record.get("init") == "sigma":
        return f"sigma(w={record.get('sigma_w'):.3g},b={record.get('sigma_b'):.3g})"
    return str(record.get("init"))


def display_name(scheme: str) -> str:
    """How a scheme is named in figures and tables."""
    return _DISPLAY_NAMES.get(scheme, scheme)


def scheme_colors(schemes: Iterable[str]) -> dict[str, str]:
    """A colour per scheme: ``SCHEME_COLORS``, then ``SPARE_COLORS`` in turn for the others."""
    out: dict[str, str] = {}
    spare = 0
    for s in schemes:
        if s in out:
            continue
        if s in SCHEME_COLORS:
            out[s] = SCHEME_COLORS[s]
        else:
            out[s] = SPARE_COLORS[spare % len(SPARE_COLORS)]
            spare += 1
    return out


def scheme_styles(schemes: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Matplotlib keywords per scheme (``color``, ``ls``, ``marker``): ``scheme_colors`` with
    ``SCHEME_STYLES``, then ``SPARE_STYLES`` in turn, for the lines and their legend alike."""
    schemes = unique(schemes)
    colors = scheme_colors(schemes)
    out: dict[str, dict[str, Any]] = {}
    spare = 0
    for s in schemes:
        if s in SCHEME_STYLES:
            ls, marker = SCHEME_STYLES[s]
        else:
            ls, marker = SPARE_STYLES[spare % len(SPARE_STYLES)]
            spare += 1
        out[s] = {"color": colors[s], "ls": ls, "marker": marker}
    return out


def unique(xs: Iterable[Any]) -> list[Any]:
    """The distinct items of ``xs`` in order of first appearance."""
    seen: dict[Any, None] = {}
    for x in xs:
        seen.setdefault(x, None)
    return list(seen)


def median(values: Sequence[float]) -> float:
    """The median of the non-NaN values (inf counts); NaN when there are none. Never warns."""
    a = np.asarray(values, dtype=np.float64)
    a = a[~np.isnan(a)]
    if a.size == 0:
        return float("nan")
    a = np.sort(a)
    m = a.size // 2
    if a.size % 2:
        return float(a[m])
    lo, hi = a[m - 1], a[m]
    return float(hi) if lo == hi or math.isinf(hi) else float(0.5 * (lo + hi))


# ------------------------------------------------------------------------------ drawing helpers


def new_figure(width: float, height: float) -> Any:
    """A matplotlib Figure on the Agg canvas (no pyplot, no global backend change)."""
    agg = require("matplotlib.backends.backend_agg", purpose="plotting")
    figure = require("matplotlib.figure", purpose="plotting")
    fig = figure.Figure(figsize=(width, height), layout="constrained", dpi=100)
    agg.FigureCanvasAgg(fig)
    return fig


def save_figure(fig: Any, path: str | os.PathLike[str]) -> Path:
    """Save ``fig`` as ``path`` (PNG by its suffix), creating the folder; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    return path


def _tick_label(v: float, _pos: Any = None) -> str:
    """A tick value as a reader writes it: 0.2, 50, 3e-05."""
    return f"{v:.3g}"


def log_axis(ax: Any, axis: str = "y") -> None:
    """A log scale whose labels can be read at any range. Over many decades a handful of them
    are labelled (tick layout over tens of decades dominates the drawing time otherwise); over a
    few, 2 and 5 of each decade too; within about one decade, every 1..9 multiple, so that a
    panel always carries at least three labelled values."""
    ticker = require("matplotlib.ticker", purpose="plotting")
    getattr(ax, f"set_{axis}scale")("log")
    a = getattr(ax, f"{axis}axis")
    lo, hi = getattr(ax, f"get_{axis}lim")()
    decades = math.log10(hi / lo) if lo > 0 and hi > lo else math.inf
    if decades <= 1.2:
        a.set_major_locator(ticker.LogLocator(base=10, subs=tuple(range(1, 10)), numticks=12))
        a.set_major_formatter(ticker.FuncFormatter(_tick_label))
        a.set_minor_locator(ticker.NullLocator())
    elif decades <= 2.5:
        a.set_major_locator(ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0), numticks=12))
        a.set_major_formatter(ticker.FuncFormatter(_tick_label))
        a.set_minor_locator(ticker.LogLocator(base=10, subs=(3.0, 4.0, 6.0, 7.0, 8.0, 9.0)))
        a.set_minor_formatter(ticker.NullFormatter())
    else:
        a.set_major_locator(ticker.LogLocator(base=10, numticks=7))
        if decades < 4:
            a.set_minor_locator(ticker.LogLocator(base=10, subs=(2.0, 5.0), numticks=7))
        else:
            a.set_minor_locator(ticker.NullLocator())
        a.set_minor_formatter(ticker.NullFormatter())


def _positive(y: np.ndarray) -> np.ndarray:
    """``y`` with non-positive and non-finite entries replaced by NaN (for log axes)."""
    y = np.asarray(y, dtype=np.float64).copy()
    y[~(np.isfinite(y) & (y > 0))] = np.nan
    return y


def log_line(ax: Any, x: np.ndarray, y: np.ndarray, **kw: Any) -> bool:
    """Plot ``y`` on a log axis, masking non-positive / non-finite points; mark with an x the last
    finite point of a series that overflows (inf / NaN) afterwards; draw exact zeros as markers
    on the panel's bottom edge (a log axis has no 0), in the series' colour. Returns True when
    anything was drawn."""
    yy = _positive(y)
    ok = ~np.isnan(yy)
    raw = np.asarray(y, dtype=np.float64)
    x = np.asarray(x)
    zero = raw == 0
    if zero.any():
        edge = require("matplotlib.transforms", purpose="plotting").blended_transform_factory(
            ax.transData, ax.transAxes
        )
        ax.plot(
            x[zero],
            np.zeros(int(zero.sum())),
            transform=edge,
            clip_on=False,
            ls="none",
            marker="v",
            ms=6,
            color=kw.get("color"),
            zorder=3,
        )
    if not ok.any():
        return bool(zero.any())
    ax.plot(x, yy, **kw)
    last = int(np.flatnonzero(ok)[-1])
    if last + 1 < len(raw) and not np.isfinite(raw[last + 1 :]).all():
        ax.plot([x[last]], [yy[last]], marker="x", ms=9, mew=2, ls="none", color=kw.get("color"))
    return True


# ------------------------------------------------------------------------------ depth profiles


def depth_profiles(
    results: Results, depth: int | None = None, width: int | None = None
) -> dict[tuple[str, str], dict[str, np.ndarray]]:
    """``{(activation, scheme): {"layer", "a_std", "grad_z_norm"}}``: per hidden layer, the
    median over seeds, for one depth (default: the deepest) and width (default: the widest)."""
    recs = {r["config"]: r for r in results.records}
    if not recs:
        return {}
    depth = max(r["depth"] for r in recs.values()) if depth is None else int(depth)
    width = max(r["width"] for r in recs.values()) if width is None else int(width)
    cells: dict[tuple[str, str], dict[int, tuple[list[float], list[float]]]] = {}
    for row in results.layers:
        r = recs.get(row["config"])
        if r is None or r["depth"] != depth or r["width"] != width or row["layer"] > depth:
            continue  # layer depth + 1 is the softmax output layer
        a, g = cells.setdefault((r["activation"], scheme_label(r)), {}).setdefault(
            int(row["layer"]), ([], [])
        )
        a.append(row["a_std"])
        g.append(row["grad_z_norm"])
    out = {}
    for key, per_layer in cells.items():
        layers = sorted(per_layer)
        out[key] = {
            "layer": np.asarray(layers),
            "a_std": np.asarray([median(per_layer[k][0]) for k in layers]),
            "grad_z_norm": np.asarray([median(per_layer[k][1]) for k in layers]),
        }
    return out


def _not_drawn(raw: np.ndarray) -> str:
    """Why a series has nothing to draw on a log axis (zeros are drawn on the bottom edge)."""
    fin = raw[np.isfinite(raw)]
    if fin.size == 0:
        return "inf/NaN"
    return "negative" if (fin < 0).any() else "inf/NaN"


def _profile_panel(
    ax: Any,
    prof: Mapping[tuple[str, str], Mapping[str, np.ndarray]],
    act: str,
    key: str,
    schemes: Sequence[str],
    styles: Mapping[str, Mapping[str, Any]],
    depth: int,
) -> None:
    """One panel: ``key`` of every scheme across the hidden layers, log scale."""
    missing = []
    every = max(1, depth // 10)
    for s in schemes:
        p = prof.get((act, s))
        if p is None:
            continue
        style = styles[s]
        if not log_line(ax, p["layer"], p[key], lw=1.6, ms=4, markevery=every, **style):
            missing.append(f"{display_name(s)}: {_not_drawn(p[key])}")
    ax.set_yscale("log")
    if not ax.lines:
        ax.set_ylim(1e-3, 1e3)
    log_axis(ax)
    ax.grid(True, which="major", alpha=0.3)
    if missing:
        ax.text(
            0.02,
            0.02,
            "not drawn: " + "; ".join(missing),
            transform=ax.transAxes,
            fontsize=7,
            va="bottom",
            ha="left",
            color="0.3",
            bbox={"boxstyle": "round", "fc": "white", "ec": "0.8", "alpha": 0.85},
        )


def plot_depth_profiles(
    results: Results,
    path: str | os.PathLike[str],
    depth: int | None = None,
    width: int | None = None,
) -> Path:
    """The classic Glorot / He figure: one column per activation; top, the std of each hidden
    layer's activations; bottom, ||dL/dZ|| of each hidden layer (both log scale); one line per
    scheme, the median over seeds; for ``depth`` (default: the deepest) and ``width`` (default:
    the widest). A log axis has no 0, NaN or inf: exact zeros are drawn as triangles on the
    bottom edge, a series that overflows ends in an x, and schemes with nothing to draw are named
    in the panel. Each scheme has its own colour, line style and marker. Needs matplotlib."""
    if not results.records:
        raise ValueError("plot_depth_profiles: the results are empty")
    depth = max(r["depth"] for r in results.records) if depth is None else int(depth)
    width = max(r["width"] for r in results.records) if width is None else int(width)
    prof = depth_profiles(results, depth, width)
    if not prof:
        raise ValueError(
            f"plot_depth_profiles: no configuration with depth {depth} and width {width}"
        )
    acts = unique(a for a, _ in prof)
    schemes = unique(s for _, s in prof)
    styles = scheme_styles(schemes)
    seeds = len({r["seed_index"] for r in results.records})
    fig = new_figure(3.6 * len(acts) + 0.6, 7.2)
    axes = fig.subplots(2, len(acts), sharex=True, squeeze=False)
    lines = require("matplotlib.lines", purpose="plotting")
    panels = (("a_std", "activation std"), ("grad_z_norm", "‖dL/dZ‖"))
    for j, act in enumerate(acts):
        for i, (key, ylabel) in enumerate(panels):
            ax = axes[i][j]
            _profile_panel(ax, prof, act, key, schemes, styles, depth)
            if i == 0:
                ax.set_title(act)
            else:
                ax.set_xlabel("hidden layer")
            if j == 0:
                ax.set_ylabel(ylabel + " (log)")
    handles = [
        lines.Line2D([], [], lw=1.6, ms=5, label=display_name(s), **styles[s]) for s in schemes
    ]
    handles += [
        lines.Line2D(
            [], [], color="0.3", marker="x", ls="none", mew=2, label="overflows to inf / NaN after"
        ),
        lines.Line2D([], [], color="0.3", marker="v", ls="none", label="exactly 0 (bottom edge)"),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 4), fontsize=9)
    fig.suptitle(
        f"Per-layer activation std and back-propagated gradient: depth {depth}, "
        f"width {width}, median over {seeds} seed{'s' * (seeds > 1)}"
    )
    return save_figure(fig, path)


__all__ = [
    "SCHEME_COLORS",
    "SCHEME_STYLES",
    "SPARE_COLORS",
    "SPARE_STYLES",
    "depth_profiles",
    "display_name",
    "log_axis",
    "log_line",
    "median",
    "new_figure",
    "plot_depth_profiles",
    "save_figure",
    "scheme_colors",
    "scheme_label",
    "scheme_styles",
    "unique",
]
