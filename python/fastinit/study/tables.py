"""The study's tables: the verdicts aggregated over seeds, and their terminal form."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from fastinit import Results
from fastinit.diagnostics import most_common_verdict
from fastinit.plot import median, scheme_label

from .params import CRITICAL, ascii_name


def ratio(a: float, b: float) -> float:
    """``a / b``, inf for a positive ``a`` over zero, NaN when nothing can be said."""
    if b == 0 or not (math.isfinite(b) or math.isfinite(a)):
        return float("inf") if a > 0 else float("nan")
    return a / b


def fmt(x: Any, spec: str = ".3g") -> str:
    """A number for a table (``-`` for None, as is for what is not a number)."""
    if x is None:
        return "-"
    try:
        return format(float(x), spec)
    except (TypeError, ValueError):
        return str(x)


def merge_results(parts: Sequence[Results]) -> Results:
    """One ``Results`` from several, with the ``config`` numbers made unique."""
    records: list[dict[str, Any]] = []
    layers: list[dict[str, Any]] = []
    losses: list[np.ndarray] = []
    for part in parts:
        off = len(records)
        records += [{**r, "config": r["config"] + off} for r in part.records]
        layers += [{**r, "config": r["config"] + off} for r in part.layers]
        losses += list(part.train_loss)
    return Results(records, layers, losses)


def verdict_table(results: Results) -> list[dict[str, Any]]:
    """One row per (scheme, activation, depth, width): the most common verdict over the seeds
    (``fastinit.diagnostics.most_common_verdict``), how many seeds agree, and the medians over
    seeds of the first and last hidden activation std and of ||dL/dZ|| at layer 1 / at the output
    layer."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for r in results.records:
        groups.setdefault((scheme_label(r), r["activation"], r["depth"], r["width"]), []).append(r)
    rows = []
    for (scheme, act, depth, width), rs in groups.items():
        verdict = most_common_verdict(r["verdict"] for r in rs)
        ratios = [ratio(r["grad_z_first"], r["grad_z_last"]) for r in rs]
        rows.append(
            {
                "scheme": scheme,
                "init": rs[0]["init"],
                "activation": act,
                "depth": depth,
                "width": width,
                "verdict": verdict,
                "agree": sum(r["verdict"] == verdict for r in rs),
                "seeds": len(rs),
                "a_std_first": median([r["a_std_first"] for r in rs]),
                "a_std_last": median([r["a_std_last"] for r in rs]),
                "grad_z_first": median([r["grad_z_first"] for r in rs]),
                "grad_z_last": median([r["grad_z_last"] for r in rs]),
                "grad_ratio": median(ratios),
                "final_loss": median([r.get("final_loss", float("nan")) for r in rs]),
                "sigma_w": rs[0].get("sigma_w"),
                "sigma_b": rs[0].get("sigma_b"),
                "reason": next(r["reason"] for r in rs if r["verdict"] == verdict),
            }
        )
    return rows


def verdict_lookup(rows: Sequence[Mapping[str, Any]]) -> dict[tuple[str, str, int], str]:
    """``{(scheme, activation, depth): verdict}`` from :func:`verdict_table` rows."""
    return {(r["scheme"], r["activation"], int(r["depth"])): str(r["verdict"]) for r in rows}


def format_verdict_table(rows: Sequence[Mapping[str, Any]]) -> str:
    """The terminal table (ASCII): scheme, activation, depth (and width when several), activation
    std first -> last hidden layer, ||dL/dZ|| layer 1 / output layer, the final training loss
    (when trained), verdict (with the seeds that agree when not unanimous)."""
    widths_differ = len({r["width"] for r in rows}) > 1
    names = [ascii_name(str(r["scheme"])) for r in rows]
    nw = max([len("init"), *map(len, names)]) + 2
    head = f"{'init':<{nw}}{'activation':<12}{'depth':>5}"
    if widths_differ:
        head += f"{'width':>7}"
    head += f"  {'act std first -> last':>23}  {'grad ratio in/out':>17}"
    trained = any(math.isfinite(r.get("final_loss", float("nan"))) for r in rows)
    if trained:
        head += f"  {'final loss':>10}"
    head += "  verdict"
    lines = [head, "-" * (len(head) + 10)]
    prev = None
    for name, r in zip(names, rows, strict=True):
        if prev is not None and name != prev:
            lines.append("")
        prev = name
        line = f"{name:<{nw}}{r['activation']:<12}{r['depth']:>5}"
        if widths_differ:
            line += f"{r['width']:>7}"
        stds = f"{fmt(r['a_std_first']):>9} -> {fmt(r['a_std_last']):<10}"
        verdict = str(r["verdict"])
        if r["agree"] != r["seeds"]:
            verdict += f" ({r['agree']}/{r['seeds']} seeds)"
        if r["scheme"] == CRITICAL and r.get("sigma_w") is not None:
            verdict += f"   [sigma_w={r['sigma_w']:.3g}, sigma_b={r['sigma_b']:.3g}]"
        line += f"  {stds:>23}  {fmt(r['grad_ratio']):>17}"
        if trained:
            line += f"  {fmt(r.get('final_loss')):>10}"
        line += f"  {verdict}"
        lines.append(line)
    return "\n".join(lines)


__all__ = [
    "fmt",
    "format_verdict_table",
    "merge_results",
    "ratio",
    "verdict_lookup",
    "verdict_table",
]
