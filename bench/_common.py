"""What the benchmarks share: the optional contenders, thread control, time formatting, tables."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import fastinit as fi

try:
    import torch
except (ImportError, OSError):  # torch is optional: its columns become "n/a"
    torch = None  # type: ignore[assignment]

try:
    from threadpoolctl import threadpool_info, threadpool_limits
except ImportError:
    threadpool_info = None
    threadpool_limits = None


def blas_threads(n: int) -> contextlib.AbstractContextManager[Any]:
    """Limit NumPy's BLAS / LAPACK to ``n`` threads (a no-op without threadpoolctl)."""
    if threadpool_limits is None:
        return contextlib.nullcontext()
    limits: contextlib.AbstractContextManager[Any] = threadpool_limits(limits=n, user_api="blas")
    return limits


@contextlib.contextmanager
def num_threads(n: int, blas: bool = False) -> Iterator[None]:
    """fastinit and torch (and NumPy's BLAS when ``blas``) with ``n`` threads; restored after."""
    fi_before = fi.get_num_threads()
    torch_before = torch.get_num_threads() if torch is not None else None
    fi.set_num_threads(n)
    if torch is not None:
        torch.set_num_threads(n)
    try:
        with blas_threads(n) if blas else contextlib.nullcontext():
            yield
    finally:
        fi.set_num_threads(fi_before)
        if torch_before is not None:
            torch.set_num_threads(torch_before)


def format_time(seconds: float | None) -> str:
    if seconds is None:
        return "n/a"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} us"
    if seconds < 1.0:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.3f} s"


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)

    def render(self, markdown: bool) -> str:
        if markdown:
            lines = [f"#### {self.title}", ""]
            lines.append("| " + " | ".join(self.headers) + " |")
            lines.append("|" + "|".join("---:" for _ in self.headers) + "|")
            lines += ["| " + " | ".join(row) + " |" for row in self.rows]
            lines += [""] + [f"- {note}" for note in self.notes]
            return "\n".join(lines)
        widths = [max(len(c) for c in col) for col in zip(self.headers, *self.rows, strict=True)]
        lines = [self.title, "-" * len(self.title)]
        for row in [self.headers, *self.rows]:
            lines.append("  ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True)))
        lines += [f"  * {note}" for note in self.notes]
        return "\n".join(lines)
