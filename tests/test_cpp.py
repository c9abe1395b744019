"""Build the C++ unit tests (tests/cpp) with CMake and run them with ctest.

The core is header-only: this configures the repository as a plain CMake project (no pip),
which is also how a C++ user builds it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _cmake() -> str:
    exe = shutil.which("cmake")
    if exe is None:
        try:
            import cmake  # the PyPI package installed by the `test` extra

            exe = str(Path(cmake.CMAKE_BIN_DIR) / "cmake")
        except ImportError:
            pytest.fail("cmake is needed to build the C++ tests: pip install '.[test]'")
    return exe


@pytest.mark.slow
def test_cpp_unit_tests(tmp_path_factory: pytest.TempPathFactory) -> None:
    build = tmp_path_factory.mktemp("cpp-build")
    cmake = _cmake()
    gen = ["-G", "Ninja"] if shutil.which("ninja") else []
    env = dict(os.environ)
    subprocess.run(
        [
            cmake,
            "-S",
            str(ROOT),
            "-B",
            str(build),
            *gen,
            "-DCMAKE_BUILD_TYPE=Release",
            "-DFASTINIT_TESTS=ON",
            "-DFASTINIT_EXAMPLES=OFF",
            f"-DPython_EXECUTABLE={sys.executable}",
        ],
        check=True,
        env=env,
    )
    subprocess.run([cmake, "--build", str(build), "--target", "fastinit_tests", "-j2"], check=True)
    ctest = str(Path(cmake).with_name("ctest"))
    out = subprocess.run(
        [ctest, "--test-dir", str(build), "--output-on-failure"], capture_output=True, text=True
    )
    print(out.stdout, out.stderr)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "100% tests passed" in out.stdout
