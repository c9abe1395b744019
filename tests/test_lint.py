"""The repository's habits, checked on every run: ruff (lint and format), mypy (strict, on
python/), clang-format on every C++ file. The tools are pinned in the ``dev`` extra
(``pip install ".[test,dev]"``, which .ci/run does); locally, a missing tool skips its test, in CI
(``CI`` set) it fails. ``scripts/format.sh`` applies the formatting and the automatic fixes.

The stubs-vs-module check is tests/test_stubs.py.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PY_PATHS = ["python", "tests", "bench", "fuzz", "scripts"]


def _need(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        msg = f"{module} is not installed: pip install '.[dev]'"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)


def _run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)


def _cxx_files() -> list[str]:
    if shutil.which("git") and (ROOT / ".git").exists():
        out = _run(["git", "ls-files", "*.cpp", "*.hpp", "*.h", "*.cc"])
        if out.returncode == 0 and out.stdout.strip():
            return [f for f in out.stdout.split() if (ROOT / f).exists()]
    return sorted(
        str(p.relative_to(ROOT))
        for d in ("cpp", "tests", "fuzz")
        for ext in ("*.cpp", "*.hpp", "*.h")
        for p in (ROOT / d).rglob(ext)
    )


def test_ruff_lint():
    _need("ruff")
    r = _run([sys.executable, "-m", "ruff", "check", "--output-format", "concise", *PY_PATHS])
    assert r.returncode == 0, r.stdout + r.stderr


def test_ruff_format():
    _need("ruff")
    r = _run([sys.executable, "-m", "ruff", "format", "--check", *PY_PATHS])
    assert r.returncode == 0, "run scripts/format.sh:\n" + r.stdout + r.stderr


def test_mypy():
    _need("mypy")
    r = _run(
        [sys.executable, "-m", "mypy"]
    )  # [tool.mypy] in pyproject.toml: strict, python/fastinit
    assert r.returncode == 0, r.stdout + r.stderr


def test_clang_format():
    _need("clang_format")
    import clang_format

    exe = clang_format.get_executable("clang-format")
    files = _cxx_files()
    assert files
    r = _run([exe, "--dry-run", "--Werror", *files])
    bad = sorted({line.split(":")[0] for line in r.stderr.splitlines() if ": error:" in line})
    assert r.returncode == 0, f"not clang-formatted (run scripts/format.sh): {bad}"
