"""Every argument of a ``fastinit`` command checked before any work: a bad value ends the command
at once with its usage line and a one-line message (exit status 2), never minutes later and never
with a traceback."""

from __future__ import annotations

import argparse
import math
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

import fastinit as fi
from fastinit.optional import available
from fastinit.sweep import SCHEMES

from .networks import build_network
from .params import study_parameters

MAX_THREADS = 1024  #: more threads than any machine here runs usefully; each costs a stack
MAX_SIZE = 2**24  #: the largest layer width, batch, class count or input size accepted
MAX_DEPTH = 100_000  #: the deepest network accepted
MAX_COUNT = 10**7  #: the largest number of seeds, steps, epochs, theory layers


class ArgumentError(ValueError):
    """A bad command-line value; the message names the flag."""


def _ints(flag: str, values: int | Sequence[int] | None, lo: int, hi: int) -> None:
    if values is None:
        return
    for v in [values] if isinstance(values, int) else values:
        if not lo <= v <= hi:
            raise ArgumentError(f"{flag} must be in {lo}..{hi}, got {v}")


def _floats(flag: str, values: float | Sequence[float] | None, lo: float = -math.inf) -> None:
    if values is None:
        return
    for v in [values] if isinstance(values, float) else values:
        if not math.isfinite(v) or v < lo:
            what = "a finite number" if lo == -math.inf else f"a finite number >= {lo:g}"
            raise ArgumentError(f"{flag} must be {what}, got {v}")


def _names(flag: str, names: Iterable[str] | None, valid: Sequence[str]) -> None:
    for n in names or ():
        if n not in valid:
            raise ArgumentError(f"{flag}: unknown name {n!r}; valid: {', '.join(valid)}")


def _physical_memory() -> int | None:
    try:
        return int(os.sysconf("SC_PHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, ValueError, OSError):
        return None


def _memory(flag: str, sizes: Sequence[int], batch: int, itemsize: int, trained: bool) -> None:
    """Refuse a network that cannot fit in this machine's memory: parameters and gradients
    (twice more with optimizer state) plus the cached Z, A, dZ and dA of the batch."""
    params = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:], strict=False))
    elements = (4 if trained else 2) * params + 4 * batch * sum(sizes)
    need, have = elements * itemsize, _physical_memory()
    if have is not None and need > have:
        raise ArgumentError(
            f"{flag}: a network of these sizes needs about {need / 2**30:.3g} GiB, more than "
            f"this machine's {have / 2**30:.3g} GiB of memory"
        )


def _writable(flag: str, target: str | None, folder: bool = False) -> None:
    """``target`` can be created (or overwritten) by this process."""
    if not target:
        return
    path = Path(target).absolute()
    if path.exists() and path.is_dir() != folder:
        kind = "a folder" if folder else "a file"
        raise ArgumentError(f"{flag} {target}: is not {kind}")
    parent = path if path.exists() else path.parent
    while not parent.exists():
        parent = parent.parent
    try:  # by trying: permission bits do not tell (root, read-only mounts, /proc)
        with tempfile.TemporaryFile(dir=parent):
            pass
    except OSError as e:
        raise ArgumentError(f"{flag} {target}: cannot write in {parent} ({e.strerror})") from None


def _check_run(a: argparse.Namespace) -> None:
    p = study_parameters(a.quick)
    _names("--inits", a.inits, SCHEMES)
    _names("--activations", a.activations, fi.available_activations())
    _ints("--depths", a.depths, 1, MAX_DEPTH)
    _ints("--width", a.width, 1, MAX_SIZE)
    _ints("--batch", a.batch, 1, MAX_SIZE)
    _ints("--seeds", a.seeds, 1, MAX_COUNT)
    _ints("--epochs", a.epochs, 0, MAX_COUNT)
    _floats("--sigma-b", a.sigma_b, 0.0)
    width = a.width or p["width"]
    depth = max(a.depths or p["depths"])
    _memory("--width/--depths", [width] * (depth + 2), a.batch or p["batch"], 4, False)
    if not a.no_report:
        _writable("--out", a.out, folder=True)


def _check_sweep(a: argparse.Namespace) -> None:
    if a.inits == [] and a.sigma_w is None and a.sigma_b is None:
        raise ArgumentError("--inits is empty (give schemes, or a --sigma-w / --sigma-b grid)")
    _names("--inits", a.inits, SCHEMES)
    _names("--activations", a.activations, fi.available_activations())
    _ints("--depths", a.depths, 1, MAX_DEPTH)
    _ints("--widths", a.widths, 1, MAX_SIZE)
    _ints("--seeds", a.seeds, 1, MAX_COUNT)
    _ints("--steps", a.steps, 0, MAX_COUNT)
    _ints("--batch", a.batch, 1, MAX_SIZE)
    _ints("--classes", a.classes, 1, MAX_SIZE)
    _ints("--plot-depth", a.plot_depth, 1, MAX_DEPTH)
    _floats("--sigma-w", a.sigma_w, 0.0)
    _floats("--sigma-b", a.sigma_b, 0.0)
    for flag, v in (("--normal-std", a.normal_std), ("--lr", a.lr), ("--momentum", a.momentum)):
        _floats(flag, v, 0.0)
    _floats("--clip-norm", a.clip_norm, 0.0)
    _floats("--clip-value", a.clip_value, 0.0)
    sizes = [max(a.widths)] * (max(a.depths) + 1) + [a.classes]
    item = np.dtype(a.dtype).itemsize
    _memory("--widths/--depths", sizes, a.batch, item, a.steps > 0)
    for flag, target in (("--csv", a.csv), ("--json", a.json), ("--plot", a.plot)):
        _writable(flag, target)
    if a.plot and not available("matplotlib"):
        raise ArgumentError("--plot needs matplotlib: pip install 'fastinit-nn[report]'")


def _init_problem(init: str, activation: str, output: str) -> str | None:
    """Why ``init`` cannot build a network with the parameters this command passes, or None
    (tried on a 2-2-2 network: a failure costs nothing and its message holds no large array)."""
    X = np.ones((2, 2), dtype=np.float32)
    try:
        build_network(init, activation, [2, 2, 2], fi.Generator(0), output=output, X=X)
    except (TypeError, ValueError) as e:
        text = str(e)
        if "incompatible function arguments" in text:
            return f"{init}_ needs parameters that this command does not pass"
        return text.splitlines()[0] if text else type(e).__name__
    return None


def _check_init(init: str, activation: str, output: str, valid: Sequence[str]) -> None:
    problem = _init_problem(init, activation, output)
    if problem is not None:
        usable = [n for n in valid if n != init and _init_problem(n, activation, output) is None]
        raise ArgumentError(f"--init {init}: {problem}; usable here: {', '.join(usable)}")


def _check_diagnose(a: argparse.Namespace) -> None:
    if len(a.sizes) < 2:
        raise ArgumentError("--sizes needs an input and an output size")
    _ints("--sizes", a.sizes, 1, MAX_SIZE)
    _ints("--batch", a.batch, 1, MAX_SIZE)
    _names("--activation", [a.activation], fi.available_activations())
    valid = [*fi.init.available(), "lsuv", "sigma", "critical"]
    _names("--init", [a.init], valid)
    for flag, v in (("--std", a.std), ("--sigma-w", a.sigma_w), ("--sigma-b", a.sigma_b)):
        _floats(flag, v, 0.0)
    _memory("--sizes/--batch", a.sizes, a.batch, np.dtype(a.dtype).itemsize, False)
    _check_init(a.init, a.activation, a.output, valid)
    for flag, target in (("--csv", a.csv), ("--json", a.json)):
        _writable(flag, target)


def _check_theory(a: argparse.Namespace) -> None:
    _names("--activation", a.activation, fi.available_activations())
    _floats("--sigma-w", a.sigma_w, 0.0)
    _floats("--sigma-b", a.sigma_b, 0.0)
    _floats("--q0", a.q0, 0.0)
    _floats("--negative-slope", a.negative_slope)
    _ints("--depth", a.depth, 0, MAX_COUNT)


def check_arguments(args: argparse.Namespace) -> None:
    """Raise :class:`ArgumentError` for the first bad value of ``args``."""
    _ints("--threads", getattr(args, "threads", None), 1, MAX_THREADS)
    _ints("--seed", getattr(args, "seed", None), 0, 2**64 - 1)
    check = {
        "run": _check_run,
        "sweep": _check_sweep,
        "diagnose": _check_diagnose,
        "theory": _check_theory,
    }.get(args.command)
    if check is not None:
        check(args)


__all__ = ["MAX_DEPTH", "MAX_SIZE", "MAX_THREADS", "ArgumentError", "check_arguments"]
