"""Pick the compiled module: ``_core_avx2`` (x86-64-v3) when the CPU runs it, else ``_core``.

Set ``FASTINIT_SIMD=portable`` to force the portable build.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType


def load() -> ModuleType:
    try:
        portable = importlib.import_module("fastinit._core")
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ImportError(
            "fastinit's compiled module could not be imported: was the extension built? "
            "Install with `pip install .` (an editable install needs `pip install -e . "
            "--no-build-isolation` after the build requirements are installed)."
        ) from exc
    if os.environ.get("FASTINIT_SIMD", "").lower() == "portable":
        return portable
    if portable.cpu_supports_x86_64_v3():
        try:
            return importlib.import_module("fastinit._core_avx2")
        except ImportError:  # built without it (not x86-64)
            return portable
    return portable


core = load()


def rebuild_generator(seed: int, stream: int, offset: int, spawned: int) -> object:
    """Unpickle a Generator (the inverse of its ``__reduce__``)."""
    g = core.Generator(seed, stream, offset)
    g._restore_spawned(spawned)
    return g


def rebuild(name: str, kwargs: dict[str, object]) -> object:
    """Unpickle a configuration object of the compiled module (inverse of its ``__reduce__``)."""
    return getattr(core, name)(**kwargs)
