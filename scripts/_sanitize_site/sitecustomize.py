"""Loaded at start-up by scripts/sanitize.sh (it is first on PYTHONPATH): an editable install of
fastinit puts an import hook at the front of ``sys.meta_path`` that would load the regular build
whatever PYTHONPATH says. Take that hook out so that ``import fastinit`` finds the sanitized build
in ``$FASTINIT_SANITIZED_SITE`` (PYTHONPATH). Nothing else is changed."""

from __future__ import annotations

import os
import sys

if os.environ.get("FASTINIT_SANITIZED_SITE"):
    sys.meta_path[:] = [
        f
        for f in sys.meta_path
        if not (
            type(f).__name__.startswith("ScikitBuild")
            and (
                "fastinit" in (getattr(f, "known_packages", None) or ())
                or "fastinit" in (getattr(f, "known_source_files", None) or {})
            )
        )
    ]
