"""The progress bar of long runs (sweeps, training runs): tqdm's when it is installed and stderr
is a terminal (or when asked for), else none."""

from __future__ import annotations

import sys
from typing import Any

from .optional import optional


def progress_bar(total: int, desc: str, *, unit: str = "it", progress: bool | None = None) -> Any:
    """A tqdm bar over ``total`` items, or None: when ``progress`` is False, when it is None and
    stderr is not a terminal, or without tqdm. Callers ``update`` and ``close`` it if not None."""
    if progress is False or (progress is None and not sys.stderr.isatty()):
        return None
    tqdm = optional("tqdm.auto")
    if tqdm is None:
        return None
    return tqdm.tqdm(total=total, desc=desc, unit=unit)


__all__ = ["progress_bar"]
