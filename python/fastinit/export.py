"""Writing results: strict JSON (NaN and +-inf become ``null``, so the file is valid JSON that any
parser reads) and CSV tables. The one owner of file formats for sweeps, diagnoses and the study."""

from __future__ import annotations

import csv
import json
import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np


def to_jsonable(x: Any) -> Any:
    """``x`` with non-finite floats as None and NumPy scalars / arrays as Python values."""
    if isinstance(x, Mapping):
        return {str(k): to_jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [to_jsonable(v) for v in x]
    if isinstance(x, np.ndarray):
        return [to_jsonable(v) for v in x.tolist()]
    if isinstance(x, (np.bool_, bool)):
        return bool(x)
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, (float, np.floating)):
        f = float(x)
        return f if math.isfinite(f) else None
    if isinstance(x, os.PathLike):
        return os.fspath(x)
    return x


def dumps_json(obj: Any) -> str:
    """Strict JSON text of ``obj`` (see :func:`to_jsonable`)."""
    return json.dumps(to_jsonable(obj), allow_nan=False)


def write_json(path: str | os.PathLike[str], obj: Any) -> Path:
    """Write ``obj`` to ``path`` as strict JSON; returns the path."""
    path = Path(path)
    path.write_text(dumps_json(obj), encoding="utf-8")
    return path


def write_csv(path: str | os.PathLike[str], rows: Sequence[Mapping[str, Any]]) -> Path:
    """Write ``rows`` (dicts with the keys of the first row) as CSV; an empty file without rows."""
    path = Path(path)
    with open(path, "w", newline="") as f:
        if rows:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
    return path


__all__ = ["dumps_json", "to_jsonable", "write_csv", "write_json"]
