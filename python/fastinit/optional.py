"""Optional dependencies (matplotlib, pandas, tqdm, scikit-learn): imported only where used,
through :func:`require` (raises an ImportError naming the extra to install) or :func:`optional`
(None when absent), so that ``import fastinit`` stays light."""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

#: the pip name of a module whose import name differs
_PIP_NAMES = {"sklearn": "scikit-learn"}


def available(name: str) -> bool:
    """Whether the top-level package of ``name`` is installed (without importing it)."""
    try:
        return importlib.util.find_spec(name.partition(".")[0]) is not None
    except (ImportError, ValueError):
        return False


def require(name: str, *, extra: str = "report", purpose: str | None = None) -> ModuleType:
    """Import ``name`` (a module such as ``"matplotlib.lines"``), or raise an ImportError that
    says which package is missing, what needs it and which ``fastinit-nn[extra]`` installs it."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        top = name.partition(".")[0]
        pkg = _PIP_NAMES.get(top, top)
        what = f"{purpose} needs" if purpose else "this needs"
        raise ImportError(
            f"{what} {pkg}, which is not installed: pip install 'fastinit-nn[{extra}]' "
            f"(or pip install {pkg})"
        ) from exc


def optional(name: str) -> ModuleType | None:
    """Import ``name`` if it is installed, else None (for conveniences such as progress bars)."""
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


__all__ = ["available", "optional", "require"]
