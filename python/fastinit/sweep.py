"""``fastinit.sweep``: the cross product of init x activation x depth x width x seed, run in C++
on the thread pool (or spread over any ``concurrent.futures.Executor``), as a ``Results`` table.

Every configuration gets its own generator, spawned in configuration order from
``Generator(seed)``: a result depends only on its configuration, never on the thread count, the
order of execution or the executor (a Dask client's executor gives the local run's numbers).

With ``data=`` the sweep trains on a classification data set (``"digits"``, ``(X, y)`` or
``(X, y, X_test, y_test)``) and reports held-out results; see :func:`sweep`.
"""

from __future__ import annotations

import importlib.util
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

#: the named data sets of ``sweep(data=...)``
DATASETS: tuple[str, ...] = ("digits",)

#: the seed of the held-out split of ``data="digits"`` and ``data=(X, y)``: the same split for
#: every sweep (pass ``(X, y, X_test, y_test)`` for another)
SPLIT_SEED = 0

#: defaults of the synthetic sweep's shape arguments (None stands for them)
_DEPTHS, _WIDTHS, _CLASSES = (10, 50), (256,), 10
#: defaults of a data sweep's training
_EPOCHS, _BATCH_SIZE = 10, 64


def _as_list(x: Any) -> list[Any]:
    if isinstance(x, (str, bytes)) or not isinstance(x, Iterable):
        return [x]
    return list(x)


@dataclass
class Results:
    """One row per configuration (``records``), one per configuration and layer (``layers``);
    per configuration, the loss of each training step (``train_loss``) and, for data sweeps,
    the test accuracy after each epoch (``epoch_test_accuracy``)."""

    records: list[dict[str, Any]]
    layers: list[dict[str, Any]]
    train_loss: list[np.ndarray] = field(default_factory=list)
    epoch_test_accuracy: list[np.ndarray] = field(default_factory=list)

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
        data = {
            "records": self.records,
            "layers": self.layers,
            "train_loss": self.train_loss,
            "epoch_test_accuracy": self.epoch_test_accuracy,
        }
        return write_json(path, data)

    def verdicts(self) -> dict[tuple[Any, ...], str]:
        """The most common verdict of each (init, activation, depth, width, sigma_w, sigma_b)
        (and sizes, when given) over its seeds; a tie goes to the verdict listed first in
        ``diagnostics.VERDICTS``."""
        groups: dict[tuple[Any, ...], list[str]] = {}
        for r in self.records:
            key: tuple[Any, ...] = (
                r["init"],
                r["activation"],
                r["depth"],
                r["width"],
                r["sigma_w"],
                r["sigma_b"],
            )
            if r.get("sizes") is not None:
                key += (r["sizes"],)
            groups.setdefault(key, []).append(r["verdict"])
        return {k: most_common_verdict(v) for k, v in groups.items()}

    def plot(self, path: str | os.PathLike[str], depth: int | None = None) -> Path:
        """The classic figure: per-layer activation std and ||dL/dZ|| across depth, one line
        per scheme (median over seeds), one column per activation. Needs matplotlib."""
        from .plot import plot_depth_profiles

        return plot_depth_profiles(self, Path(path), depth=depth)


@dataclass(frozen=True)
class _Data:
    """A data sweep's splits, in the sweep's dtype (``arrays``: X_train, y_train, X_test,
    y_test), shipped once per chunk to the executor's workers."""

    name: str
    arrays: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
    features: int
    classes: int


def _load_digits() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's digits (1797 x 64, labels 0..9), read straight from the file scikit-learn
    ships (importing scikit-learn takes seconds), through ``load_digits`` if the file moved."""
    try:
        spec = importlib.util.find_spec("sklearn")  # locates the package without importing it
    except (ImportError, ValueError):
        spec = None
    for loc in (spec.submodule_search_locations or []) if spec is not None else []:
        f = Path(loc) / "datasets" / "data" / "digits.csv.gz"
        if f.is_file():
            d = np.loadtxt(f, delimiter=",")
            if d.ndim == 2 and d.shape == (1797, 65):
                return d[:, :-1], d[:, -1].astype(np.int64)
    datasets = require("sklearn.datasets", purpose="fastinit.sweep(data='digits')")
    X, y = datasets.load_digits(return_X_y=True)
    return np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.int64)


def _split(n: int, test_fraction: float) -> tuple[np.ndarray, np.ndarray]:
    """(train, test) row indices: a permutation drawn from ``Generator(SPLIT_SEED)`` (fastinit's
    own Philox stream and a stable sort, so the same on every platform and NumPy version); the
    first ``round(test_fraction * n)`` rows (at least 1, at most n - 1) are the test split."""
    if n < 2:
        raise ValueError(f"argument 'data': a held-out split needs at least 2 rows, got {n}")
    u = _core.uniform_(np.empty(n, np.float64), 0.0, 1.0, generator=_core.Generator(SPLIT_SEED))
    perm = np.argsort(u, kind="stable")
    n_test = min(max(int(round(test_fraction * n)), 1), n - 1)
    return perm[n_test:], perm[:n_test]


def _prepare_data(data: Any, dtype: Any, test_fraction: Any, standardize: Any) -> _Data:
    """Check, split, standardize and convert ``data`` (see :func:`sweep`)."""
    tf = _args.real("test_fraction", test_fraction)
    if not 0.0 < tf < 1.0:
        raise ValueError(f"argument 'test_fraction': must be in (0, 1), got {tf}")
    if isinstance(data, str):
        if data not in DATASETS:
            raise ValueError(
                f"argument 'data': unknown data set {data!r}; valid: "
                f"{', '.join(repr(d) for d in DATASETS)}, or arrays (X, y) / "
                "(X, y, X_test, y_test)"
            )
        name, parts = data, _load_digits()
    elif isinstance(data, (tuple, list)):
        if len(data) not in (2, 4):
            raise ValueError(
                f"argument 'data': expected (X, y) or (X, y, X_test, y_test), got {len(data)} items"
            )
        name, parts = "arrays", tuple(data)
    else:
        raise TypeError(
            f"argument 'data': expected a data set name ({', '.join(DATASETS)}), (X, y) or "
            f"(X, y, X_test, y_test), got {type(data).__name__}"
        )
    arg = "data" if isinstance(data, str) else "data[{}]"
    # checked as fit checks X and y: 2-D finite reals, integer labels >= 0, matching rows
    _, features, classes = _core.check_classification_data(
        parts[0], parts[1], -1, arg.format(0), arg.format(1)
    )
    X, y = np.asarray(parts[0], dtype=np.float64), np.asarray(parts[1]).astype(np.int64)
    if len(parts) == 4:
        _, _, k = _core.check_classification_data(
            parts[2], parts[3], features, arg.format(2), arg.format(3)
        )
        classes = max(classes, k)
        Xtr, ytr = X, y
        Xte = np.asarray(parts[2], dtype=np.float64)
        yte = np.asarray(parts[3]).astype(np.int64)
    else:
        train, test = _split(len(y), tf)
        Xtr, ytr, Xte, yte = X[train], y[train], X[test], y[test]
    if standardize is None:
        standardize = len(parts) == 2
    if _args.boolean("standardize", standardize):
        mu = Xtr.mean(axis=0)
        sd = Xtr.std(axis=0)
        sd[sd == 0] = 1.0  # constant features (digits' blank corner pixels) stay constant
        Xtr, Xte = (Xtr - mu) / sd, (Xte - mu) / sd
    arrays = (
        np.ascontiguousarray(Xtr, dtype=dtype),
        np.ascontiguousarray(ytr),
        np.ascontiguousarray(Xte, dtype=dtype),
        np.ascontiguousarray(yte),
    )
    return _Data(name, arrays, int(features), int(classes))


def load_data(
    data: str | Sequence[Any] = "digits",
    *,
    test_fraction: float = 0.2,
    standardize: bool | None = None,
    dtype: npt.DTypeLike = np.float32,
) -> dict[str, Any]:
    """The training and held-out splits a data sweep trains and tests on (see :func:`sweep`:
    the same split, standardization and checks): ``{"name", "X_train", "y_train", "X_test",
    "y_test", "features", "classes"}``."""
    d = _prepare_data(
        data,
        _args.float_dtype(dtype),
        test_fraction,
        _args.optional_bool("standardize", standardize),
    )
    Xtr, ytr, Xte, yte = d.arrays
    return {
        "name": d.name,
        "X_train": Xtr,
        "y_train": ytr,
        "X_test": Xte,
        "y_test": yte,
        "features": d.features,
        "classes": d.classes,
    }


def _shapes(
    depth: Any, width: Any, sizes: Any, data: _Data | None
) -> list[tuple[int, int | None, list[int] | None]]:
    """(depth, width, layer sizes) of each network shape of the sweep: width x depth (sizes None
    in the synthetic sweep: the core builds [width] * (depth + 1) + [classes]), or explicit."""
    out: list[tuple[int, int | None, list[int] | None]] = []
    if sizes is not None:
        lists = _as_list(sizes)
        if lists and not isinstance(lists[0], (str, bytes)) and not isinstance(lists[0], Iterable):
            lists = [lists]  # one list of ints
        for i, s in enumerate(lists):
            sz = _args.sizes(f"sizes[{i}]", s)
            for j, v in enumerate(sz):
                _args.size(f"sizes[{i}][{j}]", v, _MAX_WIDTH)
            if len(sz) < 3:
                raise ValueError(
                    f"argument 'sizes[{i}]': needs [inputs, hidden..., outputs] with at least "
                    f"one hidden layer, got {sz}"
                )
            if data is not None and (sz[0] != data.features or sz[-1] != data.classes):
                raise ValueError(
                    f"argument 'sizes[{i}]': the data has {data.features} features and "
                    f"{data.classes} classes: sizes must start with {data.features} and end "
                    f"with {data.classes}, got {sz}"
                )
            out.append((len(sz) - 2, None, sz))
        return out
    for d, w in itertools.product(
        _as_list(_DEPTHS if depth is None else depth), _as_list(_WIDTHS if width is None else width)
    ):
        dd, ww = _args.size("depth", d, _MAX_DEPTH), _args.size("width", w, _MAX_WIDTH)
        full = None if data is None else [data.features] + [ww] * dd + [data.classes]
        out.append((dd, ww, full))
    return out


def _configs(
    init: Sequence[str],
    activation: Sequence[str],
    shapes: list[tuple[int, int | None, list[int] | None]],
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
    for name, act, (d, w, sz) in itertools.product(inits, activation, shapes):
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
            shape: dict[str, Any] = {"depth": d, "width": 256 if w is None else w}
            if sz is not None:
                shape["sizes"] = sz
            core = _core.ExperimentConfig(
                init=scheme, activation=_args.name("activation", act), **shape, **common
            )
            for s in range(seeds):
                row = {
                    "init": name,
                    "activation": act,
                    "depth": d,
                    "width": w,
                    "seed_index": s,
                    "sigma_w": None if math.isnan(sw) and name != "critical" else sw,
                    "sigma_b": None if math.isnan(sb) else sb,
                    "steps": core.steps,
                }
                if sz is not None:
                    row["sizes"] = tuple(sz)
                rows.append(row)
                cores.append(core)
    return rows, cores


def _run_chunk(
    configs: list[Any],
    states: list[tuple[int, int, int, int]],
    dtype: str,
    threads: int = 0,
    data: tuple[np.ndarray, ...] | None = None,
) -> list[dict[str, Any]]:
    """Run configurations with generators rebuilt from their states (picklable: executors);
    ``data``: a data sweep's (X_train, y_train, X_test, y_test)."""
    from ._loader import core, rebuild_generator

    gens = [rebuild_generator(*s) for s in states]
    return list(core.run_experiments(configs, gens, np.dtype(dtype), threads, data))


def _progress_bar(total: int, progress: bool | None) -> Any:
    return progress_bar(total, "fastinit sweep", unit="cfg", progress=progress)


def sweep(
    init: Sequence[str] | str = DEFAULT_INITS,
    activation: Sequence[str] | str = DEFAULT_ACTIVATIONS,
    depth: Sequence[int] | int | None = None,
    width: Sequence[int] | int | None = None,
    seeds: int = 5,
    steps: int = 0,
    threads: int | None = None,
    executor: Executor | None = None,
    *,
    batch: int = 128,
    classes: int | None = None,
    sizes: Sequence[Sequence[int]] | Sequence[int] | None = None,
    data: str | Sequence[Any] | None = None,
    epochs: int | None = None,
    batch_size: int | None = None,
    target: float = 0.9,
    diverge_factor: float = 4.0,
    test_fraction: float = 0.2,
    standardize: bool | None = None,
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
    activation and a softmax output, Gaussian inputs (batch, width) and random labels
    (``depth`` counts the hidden layers; defaults: depth (10, 50), width 256, classes 10).
    ``sizes=[[D_0, ..., D_L], ...]`` gives explicit layer sizes instead of width x depth (at
    least one hidden layer; not with ``width``, ``depth`` or ``classes``). Schemes
    are those of ``fastinit.sweep.SCHEMES``; ``sigma_w`` / ``sigma_b`` grids add the ``sigma``
    scheme (weights N(0, sigma_w^2 / fan_in), biases N(0, sigma_b^2)); ``critical`` is that
    scheme at each activation's critical sigma_w for ``critical_sigma_b``. ``threads`` caps the
    threads of this call only (other callers keep the process-wide setting); ``executor``
    spreads chunks of configurations over any
    ``concurrent.futures.Executor`` (processes, a Dask client's executor) with identical results.
    ``chunk_size`` configurations go to one compiled call (default: a quarter of the sweep in
    this process, a sixteenth to an executor, at most 64); the sweep goes out longest
    configurations first (``ExperimentConfig.cost``). The results never depend on it.

    **Training on data.** ``data="digits"`` (scikit-learn's ``load_digits``: 1797 8x8 images,
    10 classes; needs scikit-learn), ``(X, y)`` (X (N, D) real, y (N,) integer labels
    0..K-1) or ``(X, y, X_test, y_test)``. A name or ``(X, y)`` is split into a held-out
    ``test_fraction`` (default 20%) and a training part by a fixed permutation
    (``SPLIT_SEED``; the same split in every sweep) and standardized with the training part's
    mean and std; a 4-tuple is used as given (``standardize=True`` standardizes it too). Each
    network is ``[D] + [width] * depth + [K]`` (or ``sizes``, which must start with D and end
    with K), initialized by its scheme (LSUV on ``batch`` training rows, which are also the
    diagnosis batch), then trained for ``epochs`` (default 10) epochs of shuffled mini-batches
    of ``batch_size`` (default 64) rows with the optimizer, shuffled from the configuration's
    generator. Extra columns: ``initial_loss`` (training split, at init), ``train_loss``,
    ``train_accuracy``, ``test_loss``, ``test_accuracy`` (whole splits, after training),
    ``steps_to_target`` (optimizer steps done at the end of the first epoch whose test
    accuracy is >= ``target``, default 0.9; -1 if never), ``diverged`` (a non-finite loss or
    gradient, or a final training loss above ``diverge_factor`` (default 4) times the initial
    one), ``data``, ``epochs``, ``batch_size``, ``sizes``; ``steps`` is the number of optimizer
    steps planned. ``steps=`` (the synthetic full-batch training) does not apply.
    """
    seeds = _args.integer("seeds", seeds, 1)
    dt = _args.float_dtype(dtype)
    progress = _args.optional_bool("progress", progress)
    if chunk_size is not None:
        chunk_size = _args.integer("chunk_size", chunk_size, 1)
    if sizes is not None and (depth is not None or width is not None):
        raise ValueError("give sizes or width/depth, not both")
    if sizes is not None and classes is not None:
        raise ValueError(
            "argument 'classes': with sizes, the last entry of each list is the output width"
        )
    common: dict[str, Any] = {
        "batch": _args.size("batch", batch, _MAX_WIDTH),
        "steps": _args.integer("steps", steps, 0),
        "optim": _args.optim_config(optimizer, lr, momentum=momentum),
        "clip": _args.clip_config(clip_norm, clip_value),
    }
    ds: _Data | None = None
    if data is None:
        for arg, value in (("epochs", epochs), ("batch_size", batch_size)):
            if value is not None:
                raise ValueError(
                    f"argument '{arg}': {arg} trains on data: give data= (or use steps= for the "
                    "synthetic sweep's full-batch training)"
                )
        common["classes"] = _args.size(
            "classes", _CLASSES if classes is None else classes, _MAX_WIDTH
        )
    else:
        if classes is not None:
            raise ValueError("argument 'classes': a data sweep takes the classes from the labels")
        if common["steps"] != 0:
            raise ValueError(
                "argument 'steps': steps is the synthetic sweep's full-batch training; with "
                "data=, use epochs="
            )
        common.update(
            epochs=_args.integer("epochs", _EPOCHS if epochs is None else epochs, 1),
            batch_size=_args.size(
                "batch_size", _BATCH_SIZE if batch_size is None else batch_size, _MAX_WIDTH
            ),
            target=_args.real("target", target, finite=True),
            diverge_factor=_args.real("diverge_factor", diverge_factor),
        )
        if not common["diverge_factor"] >= 1.0:
            raise ValueError(
                f"argument 'diverge_factor': must be >= 1, got {common['diverge_factor']}"
            )
        ds = _prepare_data(data, dt, test_fraction, _args.optional_bool("standardize", standardize))
    configs, cores = _configs(
        _as_list(init),
        _as_list(activation),
        _shapes(depth, width, sizes, ds),
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
    # The whole sweep goes out longest configuration first, so each chunk holds configurations
    # of about one cost and no thread waits long at a chunk's end; the results come back in
    # the configurations' order (no value depends on the order). In this process a chunk is
    # one parallel region: a quarter of the sweep keeps the threads busy to the end and still
    # reports progress; an executor gets smaller chunks to spread over its workers.
    order = sorted(range(n), key=lambda i: -cores[i].cost(ds is not None))
    default = -(-n // 4) if executor is None else n // 16
    size = chunk_size or max(1, min(64, default or 1))
    chunks = [
        ([cores[i] for i in part], [states[i] for i in part])
        for part in (order[s : s + size] for s in range(0, n, size))
    ]
    bar = _progress_bar(n, progress)
    results: list[dict[str, Any]] = []
    # 0: the process-wide setting
    nthreads = 0 if threads is None else _args.integer("threads", threads, 1, 2**31 - 1)
    arrays = None if ds is None else ds.arrays
    if ds is not None:
        n_train = len(ds.arrays[1])
        per_epoch = -(-n_train // min(common["batch_size"], n_train))
        for row in configs:
            row.update(
                data=ds.name,
                epochs=common["epochs"],
                batch_size=common["batch_size"],
                steps=common["epochs"] * per_epoch,
            )
    try:
        if executor is None:
            for cfgs, sts in chunks:
                results.extend(_run_chunk(cfgs, sts, dt.name, nthreads, arrays))
                if bar is not None:
                    bar.update(len(cfgs))
        else:
            # the data travels once per chunk (pickled with the chunk's configurations)
            futures = [
                executor.submit(_run_chunk, cfgs, sts, dt.name, nthreads, arrays)
                for cfgs, sts in chunks
            ]
            for fut, (cfgs, _) in zip(futures, chunks, strict=True):  # noqa: B007
                results.extend(fut.result())
                if bar is not None:
                    bar.update(len(cfgs))
    finally:
        if bar is not None:
            bar.close()
    in_order: list[dict[str, Any]] = [{}] * n
    for i, r in zip(order, results, strict=True):
        in_order[i] = r
    return _collect(configs, in_order)


_DATA_COLUMNS = (
    ("initial_loss", "initial_loss"),
    ("train_loss", "final_train_loss"),
    ("train_accuracy", "final_train_accuracy"),
    ("test_loss", "test_loss"),
    ("test_accuracy", "test_accuracy"),
    ("steps_to_target", "steps_to_target"),
    ("diverged", "diverged"),
)


def _collect(configs: list[dict[str, Any]], results: list[dict[str, Any]]) -> Results:
    records, layers, losses, curves = [], [], [], []
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
        for k in ("sizes", "data", "epochs", "batch_size"):
            if k in c:
                rec[k] = c[k]
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
        if "data" in c:
            for col, key in _DATA_COLUMNS:
                v = r[key]
                rec[col] = (
                    bool(v)
                    if col == "diverged"
                    else (int(v) if col == "steps_to_target" else float(v))
                )
            curves.append(np.asarray(r["epoch_test_accuracy"], dtype=np.float64))
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
                    **({"sizes": c["sizes"]} if "sizes" in c else {}),
                    **row,
                }
            )
        losses.append(tl)
    return Results(records, layers, losses, curves)


__all__ = [
    "DATASETS",
    "DEFAULT_ACTIVATIONS",
    "DEFAULT_INITS",
    "SCHEMES",
    "SPLIT_SEED",
    "Results",
    "load_data",
    "sweep",
]
