"""``fastinit.sweep``: the cross product of init x activation x depth x width x seed, run in C++
on the thread pool (or spread over any ``concurrent.futures.Executor``), as a ``Results`` table.

Every configuration gets its own generator, spawned in configuration order from
``Generator(seed)``: a result depends only on its configuration, never on the thread count, the
order of execution or the executor (a Dask client's executor gives the local run's numbers).
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _args
from ._loader import core as _core
from .diagnostics import most_common_verdict
from .export import write_csv, write_json
from .optional import require
from .progress import progress_bar

#: the schemes of :func:`fastinit.init_network_` (``critical``: ``sigma`` at the critical
#: sigma_w of the activation for ``critical_sigma_b``)
SCHEMES: tuple[str, ...] = tuple(_core.scheme_names())
DEFAULT_INITS = ("zeros", "normal", "xavier_normal", "kaiming_normal", "orthogonal", "lsuv")
DEFAULT_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu")

#: larger networks (widths, batches, classes) could never be allocated: refused before any
#: work, naming the argument
_MAX_DEPTH, _MAX_WIDTH = 10**6, 2**24

_SUMMARY_KEYS = ("verdict", "reason", "loss", "log_q_slope", "log_grad_z_slope")


def _as_list(x: Any) -> list[Any]:
    if isinstance(x, (str, bytes)) or not isinstance(x, Iterable):
        return [x]
    return list(x)


@dataclass
class Results:
    """One row per configuration (``records``), one per configuration and layer (``layers``)."""

    records: list[dict[str, Any]]
    layers: list[dict[str, Any]]
    train_loss: list[np.ndarray] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.records)

    def to_pandas(self) -> Any:
        """The per-configuration table (needs pandas)."""
        pd = require("pandas", purpose="Results.to_pandas")
        return pd.DataFrame(self.records)

    def layers_frame(self) -> Any:
        """The per-layer table, keyed by ``config`` (the row of ``records``) and ``layer``."""
        pd = require("pandas", purpose="Results.layers_frame")
        return pd.DataFrame(self.layers)

    def to_csv(self, path: str | os.PathLike[str]) -> Path:
        """Write the per-configuration table to ``path`` and the per-layer one beside it
        (``<stem>_layers.csv``); returns ``path``."""
        path = Path(path)
        write_csv(path, self.records)
        write_csv(path.with_name(path.stem + "_layers.csv"), self.layers)
        return path

    def to_json(self, path: str | os.PathLike[str]) -> Path:
        """Records, layers and training losses as strict JSON (NaN / inf written as null)."""
        data = {"records": self.records, "layers": self.layers, "train_loss": self.train_loss}
        return write_json(path, data)

    def verdicts(self) -> dict[tuple[Any, ...], str]:
        """The most common verdict of each (init, activation, depth, width, sigma_w, sigma_b)
        over its seeds; a tie goes to the verdict listed first in ``diagnostics.VERDICTS``."""
        groups: dict[tuple[Any, ...], list[str]] = {}
        for r in self.records:
            key = (r["init"], r["activation"], r["depth"], r["width"], r["sigma_w"], r["sigma_b"])
            groups.setdefault(key, []).append(r["verdict"])
        return {k: most_common_verdict(v) for k, v in groups.items()}

    def plot(self, path: str | os.PathLike[str], depth: int | None = None) -> Path:
        """The classic figure: per-layer activation std and ||dL/dZ|| across depth, one line
        per scheme (median over seeds), one column per activation. Needs matplotlib."""
        from .plot import plot_depth_profiles

        return plot_depth_profiles(self, Path(path), depth=depth)


def _configs(
    init: Sequence[str],
    activation: Sequence[str],
    depth: Sequence[int],
    width: Sequence[int],
    seeds: int,
    sigma_w: Sequence[float] | None,
    sigma_b: Sequence[float] | None,
    common: dict[str, Any],
    normal_std: float,
    critical_sigma_b: float,
) -> tuple[list[dict[str, Any]], list[Any]]:
    """The rows of the cross product (what the table records) and, for each, the typed
    configuration the core runs."""
    inits = [_args.name("init", i) for i in init]
    grid: list[tuple[float, float]] = [(1.0, 0.0)]
    if sigma_w is not None or sigma_b is not None:
        grid = list(
            itertools.product(
                [
                    _args.real("sigma_w", v)
                    for v in _as_list(sigma_w if sigma_w is not None else 1.0)
                ],
                [
                    _args.real("sigma_b", v)
                    for v in _as_list(sigma_b if sigma_b is not None else 0.0)
                ],
            )
        )
        if "sigma" not in inits:
            inits.append("sigma")
    rows, cores = [], []
    for name, act, d, w in itertools.product(inits, activation, depth, width):
        if name == "sigma":
            points = grid
        elif name == "critical":
            points = [(float("nan"), critical_sigma_b)]
        else:
            points = [(float("nan"), float("nan"))]
        for sw, sb in points:
            scheme = _core.SchemeConfig(
                name,
                std=normal_std,
                sigma_w=1.0 if math.isnan(sw) else sw,
                sigma_b=0.0 if math.isnan(sb) else sb,
            )
            core = _core.ExperimentConfig(
                init=scheme,
                activation=_args.name("activation", act),
                depth=_args.size("depth", d, _MAX_DEPTH),
                width=_args.size("width", w, _MAX_WIDTH),
                **common,
            )
            for s in range(seeds):
                rows.append(
                    {
                        "init": name,
                        "activation": act,
                        "depth": core.depth,
                        "width": core.width,
                        "seed_index": s,
                        "sigma_w": None if math.isnan(sw) and name != "critical" else sw,
                        "sigma_b": None if math.isnan(sb) else sb,
                        "steps": core.steps,
                    }
                )
                cores.append(core)
    return rows, cores


def _run_chunk(
    configs: list[Any],
    states: list[tuple[int, int, int, int]],
    dtype: str,
    threads: int = 0,
) -> list[dict[str, Any]]:
    """Run configurations with generators rebuilt from their states (picklable: executors)."""
    from ._loader import core, rebuild_generator

    gens = [rebuild_generator(*s) for s in states]
    return list(core.run_experiments(configs, gens, np.dtype(dtype), threads))


def _progress_bar(total: int, progress: bool | None) -> Any:
    return progress_bar(total, "fastinit sweep", unit="cfg", progress=progress)


def sweep(
    init: Sequence[str] | str = DEFAULT_INITS,
    activation: Sequence[str] | str = DEFAULT_ACTIVATIONS,
    depth: Sequence[int] | int = (10, 50),
    width: Sequence[int] | int = (256,),
    seeds: int = 5,
    steps: int = 0,
    threads: int | None = None,
    executor: Executor | None = None,
    *,
    batch: int = 128,
    classes: int = 10,
    sigma_w: Sequence[float] | float | None = None,
    sigma_b: Sequence[float] | float | None = None,
    normal_std: float = 1.0,
    optimizer: str = "sgd",
    lr: float = 0.01,
    momentum: float = 0.0,
    clip_norm: float | None = None,
    clip_value: float | None = None,
    dtype: npt.DTypeLike = np.float32,
    seed: int = 0,
    progress: bool | None = None,
    chunk_size: int | None = None,
    critical_sigma_b: float = 0.05,
) -> Results:
    """Diagnose (and optionally train for ``steps`` full-batch steps) every configuration.

    Each configuration: a ``[width] * (depth + 1) + [classes]`` network with one hidden
    activation and a softmax output, Gaussian inputs (batch, width) and random labels. Schemes
    are those of ``fastinit.sweep.SCHEMES``; ``sigma_w`` / ``sigma_b`` grids add the ``sigma``
    scheme (weights N(0, sigma_w^2 / fan_in), biases N(0, sigma_b^2)); ``critical`` is that
    scheme at each activation's critical sigma_w for ``critical_sigma_b``. ``threads`` caps the
    threads of this call only (other callers keep the process-wide setting); ``executor``
    spreads chunks of configurations over any
    ``concurrent.futures.Executor`` (processes, a Dask client's executor) with identical results.
    """
    seeds = _args.integer("seeds", seeds, 1)
    dt = _args.float_dtype(dtype)
    progress = _args.optional_bool("progress", progress)
    if chunk_size is not None:
        chunk_size = _args.integer("chunk_size", chunk_size, 1)
    common = {
        "batch": _args.size("batch", batch, _MAX_WIDTH),
        "classes": _args.size("classes", classes, _MAX_WIDTH),
        "steps": _args.integer("steps", steps, 0),
        "optim": _args.optim_config(optimizer, lr, momentum=momentum),
        "clip": _args.clip_config(clip_norm, clip_value),
    }
    configs, cores = _configs(
        _as_list(init),
        _as_list(activation),
        _as_list(depth),
        _as_list(width),
        seeds,
        None if sigma_w is None else _as_list(sigma_w),
        None if sigma_b is None else _as_list(sigma_b),
        common,
        _args.real("normal_std", normal_std),
        _args.real("critical_sigma_b", critical_sigma_b),
    )
    root = _core.Generator(seed)
    kids = root.spawn(len(configs))
    states = [(g.seed, g.stream, g.offset, g.spawned) for g in kids]
    n = len(configs)
    size = chunk_size or max(1, min(64, n // 16 or 1))
    chunks = [(cores[i : i + size], states[i : i + size]) for i in range(0, n, size)]
    bar = _progress_bar(n, progress)
    results: list[dict[str, Any]] = []
    # 0: the process-wide setting
    nthreads = 0 if threads is None else _args.integer("threads", threads, 1, 2**31 - 1)
    try:
        if executor is None:
            for cfgs, sts in chunks:
                results.extend(_run_chunk(cfgs, sts, dt.name, nthreads))
                if bar is not None:
                    bar.update(len(cfgs))
        else:
            futures = [
                executor.submit(_run_chunk, cfgs, sts, dt.name, nthreads) for cfgs, sts in chunks
            ]
            for fut, (cfgs, _) in zip(futures, chunks, strict=True):  # noqa: B007
                results.extend(fut.result())
                if bar is not None:
                    bar.update(len(cfgs))
    finally:
        if bar is not None:
            bar.close()
    return _collect(configs, results)


def _collect(configs: list[dict[str, Any]], results: list[dict[str, Any]]) -> Results:
    records, layers, losses = [], [], []
    for i, (c, r) in enumerate(zip(configs, results, strict=True)):
        ls = r["layers"]
        hidden = ls[:-1] or ls
        tl = np.asarray(r["train_loss"], dtype=np.float64)
        rec = {
            "config": i,
            **{
                k: c.get(k)
                for k in (
                    "init",
                    "activation",
                    "depth",
                    "width",
                    "seed_index",
                    "sigma_w",
                    "sigma_b",
                    "steps",
                )
            },
        }
        if c["init"] == "critical":
            rec["sigma_w"] = float(r["sigma_w"])  # resolved by the core
        rec.update({k: r[k] for k in _SUMMARY_KEYS})
        rec.update(
            {
                "a_std_first": hidden[0]["a_std"],
                "a_std_last": hidden[-1]["a_std"],
                "grad_z_first": ls[0]["grad_z_norm"],
                "grad_z_last": ls[-1]["grad_z_norm"],
                "grad_w_first": ls[0]["grad_w_norm"],
                "grad_w_last": ls[-1]["grad_w_norm"],
                "final_loss": float(tl[-1]) if tl.size else float("nan"),
                "train_nonfinite": bool(r["train_nonfinite"]),
            }
        )
        records.append(rec)
        for row in ls:
            layers.append(
                {
                    "config": i,
                    "init": c["init"],
                    "activation": c["activation"],
                    "depth": c["depth"],
                    "width": c["width"],
                    "seed_index": c["seed_index"],
                    **row,
                }
            )
        losses.append(tl)
    return Results(records, layers, losses)


__all__ = ["DEFAULT_ACTIVATIONS", "DEFAULT_INITS", "SCHEMES", "Results", "sweep"]
