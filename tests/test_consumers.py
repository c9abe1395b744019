"""fastinit's C++ package, used the ways a downstream project uses it (tests/consumers/):

1. ``add_subdirectory`` of the checkout (fastinit behaves as a guest: no tests, no install);
2. ``find_package(fastinit CONFIG REQUIRED)`` after ``cmake --install``;
3. ``find_package`` against a wheel installed in a fresh environment, located by
   ``python -m fastinit --cmakedir``, by ``fastinit_ROOT``, and by scikit-build-core through the
   ``cmake.root`` entry point (a scikit-build-core project that needs no flags).

Every consumer prints values computed through the C++ API (tests/consumers/bitcheck.hpp); they
must equal, bit for bit, the same computations through the Python API (bitcheck.py): the random
fills against any compiled module, the QR / GEMM results against the portable one. The C++
example (cpp/examples) is built and run too.

The wheel is built once per session, with ``--no-build-isolation`` (the build requirements of the
running interpreter), in the build folder ``build/test-wheel`` (override: ``FASTINIT_TEST_WHEEL_BUILD_DIR``):
the first run compiles both extension modules (minutes on two cores), later runs only relink
what changed.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
CONSUMERS = ROOT / "tests" / "consumers"

pytestmark = pytest.mark.slow


def _load_bitcheck() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fastinit_bitcheck", CONSUMERS / "bitcheck.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look the module up
    spec.loader.exec_module(mod)
    return mod


bitcheck = _load_bitcheck()


# ------------------------------------------------------------------------------------ helpers
def _cmake() -> str:
    exe = shutil.which("cmake")
    if exe is None:
        try:
            import cmake  # the PyPI package installed by the `test` extra

            exe = str(Path(cmake.CMAKE_BIN_DIR) / "cmake")
        except ImportError:
            pytest.fail("cmake is needed to build the C++ consumers: pip install '.[test]'")
    return exe


CMAKE = _cmake()
GENERATOR = ["-G", "Ninja"] if shutil.which("ninja") else []
# pip never asks PyPI anything here: every install is of a local wheel, without dependencies.
ENV = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"}
ENV.pop("FASTINIT_SIMD", None)


def _run(cmd: Sequence[str | Path], **kw: Any) -> str:
    """Run a command; on failure, fail the test with its output. Returns stdout + stderr."""
    cmd = [str(c) for c in cmd]
    p = subprocess.run(cmd, capture_output=True, text=True, env=kw.pop("env", ENV), **kw)
    out = p.stdout + p.stderr
    if p.returncode != 0:
        pytest.fail(f"command failed ({p.returncode}): {' '.join(cmd)}\n{out[-6000:]}")
    return out


def _configure(src: Path, build: Path, *defines: str) -> str:
    return _run([CMAKE, "-S", src, "-B", build, *GENERATOR, *defines])


def _build(build: Path, *args: str) -> str:
    return _run([CMAKE, "--build", build, "-j2", *args])


def _found_fastinit_dir(configure_output: str) -> Path:
    m = re.search(r"fastinit \S+ from (\S+)", configure_output)
    assert m, configure_output
    return Path(m.group(1)).resolve()


# ------------------------------------------------------------------ bit-for-bit comparisons
def _python_records(python: str | Path, portable: bool) -> dict[str, Any]:
    env = dict(ENV)
    if portable:
        env["FASTINIT_SIMD"] = "portable"
    return bitcheck.parse(_run([python, CONSUMERS / "bitcheck.py"], env=env))


class Reference:
    """The bit-check records of one Python environment: its default module and the portable one."""

    def __init__(self, python: str | Path) -> None:
        self.default = _python_records(python, portable=False)
        self.portable = _python_records(python, portable=True)
        self.default_is_portable = all(
            r.hash == self.portable[n].hash for n, r in self.default.items())

    def check(self, cpp_text: str) -> None:
        cpp = bitcheck.parse(cpp_text)
        assert cpp.keys() == self.portable.keys()
        for name, c in cpp.items():
            # The portable module runs the same code paths as a consumer built without -march.
            _assert_same_bits(name, c, self.portable[name], "the portable Python module")
            d = self.default[name]
            if c.kind == "fill" or self.default_is_portable:
                _assert_same_bits(name, c, d, "the default Python module")
            else:
                # Eigen's AVX2/FMA kernels round differently: close, not identical.
                rtol, atol = (1e-4, 1e-6) if name.endswith("_f32") else (1e-9, 1e-12)
                np.testing.assert_allclose(c.values, d.values, rtol=rtol, atol=atol, err_msg=name)


def _assert_same_bits(name: str, c: Any, p: Any, what: str) -> None:
    if (c.count, c.hash) == (p.count, p.hash):
        return
    n = min(len(c.values), len(p.values))
    diff = np.flatnonzero(c.values[:n] != p.values[:n])
    where = (f"first difference at [{diff[0]}]: C++ {c.values[diff[0]]!r} vs Python "
             f"{p.values[diff[0]]!r}" if diff.size else "the shown values agree; later ones differ")
    pytest.fail(f"{name}: C++ and {what} differ ({c.count} vs {p.count} values); {where}")


@pytest.fixture(scope="module")
def reference() -> Reference:
    """Records of the running interpreter's fastinit."""
    return Reference(sys.executable)


# --------------------------------------------------------------- 1. add_subdirectory
def test_add_subdirectory(tmp_path: Path, reference: Reference) -> None:
    build = tmp_path / "build"
    # No CMAKE_BUILD_TYPE: the consumer checks that fastinit, a guest, leaves it empty.
    out = _configure(CONSUMERS / "add-subdirectory", build, f"-DFASTINIT_SOURCE_DIR={ROOT}",
                     f"-DPython_EXECUTABLE={sys.executable}")
    cache = (build / "CMakeCache.txt").read_text()
    assert re.search(r"^CMAKE_BUILD_TYPE:STRING=$", cache, re.M), out
    _build(build)
    assert not list(build.rglob("fastinit_tests*")), "fastinit's unit tests were built"
    _run([CMAKE, "--install", build, "--prefix", tmp_path / "prefix"])
    assert not (tmp_path / "prefix").exists(), "fastinit installed itself with its host"
    reference.check(_run([build / "consumer"]))


# ------------------------------------------------------------ 2. cmake --install + find_package
@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """fastinit configured as the top-level project (examples on, unit tests off), built, installed."""
    build = tmp_path_factory.mktemp("top-level")
    prefix = tmp_path_factory.mktemp("prefix")
    _configure(ROOT, build, "-DCMAKE_BUILD_TYPE=Release", "-DFASTINIT_TESTS=OFF",
               "-DFASTINIT_EXAMPLES=ON", f"-DCMAKE_INSTALL_PREFIX={prefix}",
               f"-DPython_EXECUTABLE={sys.executable}")
    _build(build)
    _run([CMAKE, "--install", build])
    return build, prefix


def test_example_runs(installed: tuple[Path, Path]) -> None:
    build, _ = installed
    out = _run([build / "cpp" / "examples" / "deep_mlp"])
    print(out)
    sections = out.split("\ninit = ")[1:]
    assert [s.split("\n", 1)[0] for s in sections] == [
        "normal(0, 0.01)", "kaiming_normal (He, fan_in, relu)"]
    stats = []
    for s in sections:
        rows = [ln.split() for ln in s.splitlines() if re.match(r"\s+\d+\s", ln)]
        assert [int(r[0]) for r in rows] == list(range(1, 18))  # 16 hidden layers + the output
        last_hidden_std = float(rows[-2][2])
        accuracy = float(re.search(r"training accuracy (\S+)", s).group(1))  # type: ignore[union-attr]
        assert "loss by epoch" in s
        stats.append((last_hidden_std, accuracy))
    (small_std, small_acc), (he_std, he_acc) = stats
    assert small_std < 1e-12 and 0.3 < he_std < 3.0  # the signal dies / keeps its scale
    assert he_acc > 0.7 and small_acc < 0.45


def test_install_tree(installed: tuple[Path, Path]) -> None:
    _, prefix = installed
    cmake_dir = prefix / "share" / "cmake" / "fastinit"
    names = {p.name for p in cmake_dir.iterdir()}
    assert {"fastinitConfig.cmake", "fastinitConfigVersion.cmake", "fastinitTargets.cmake",
            "fastinitFindEigen.cmake"} <= names
    headers = {p.name for p in (prefix / "include" / "fastinit").iterdir()}
    assert {p.name for p in (ROOT / "cpp" / "include" / "fastinit").glob("*.hpp")} == headers
    targets = (cmake_dir / "fastinitTargets.cmake").read_text()
    assert 'INTERFACE_INCLUDE_DIRECTORIES "${_IMPORT_PREFIX}/include"' in targets
    for f in cmake_dir.iterdir():  # relocatable: no path of the source or build tree
        assert str(ROOT) not in f.read_text(), f


def test_find_package_after_install(installed: tuple[Path, Path], tmp_path: Path,
                                    reference: Reference) -> None:
    _, prefix = installed
    build = tmp_path / "build"
    out = _configure(CONSUMERS / "find-package", build, "-DCMAKE_BUILD_TYPE=Release",
                     f"-DCMAKE_PREFIX_PATH={prefix}")
    assert _found_fastinit_dir(out) == (prefix / "share" / "cmake" / "fastinit").resolve()
    _build(build)
    reference.check(_run([build / "consumer"]))


def test_example_builds_against_install(installed: tuple[Path, Path], tmp_path: Path) -> None:
    """cpp/examples is also a standalone project that finds an installed fastinit."""
    _, prefix = installed
    build = tmp_path / "build"
    _configure(ROOT / "cpp" / "examples", build, "-DCMAKE_BUILD_TYPE=Release",
               f"-DCMAKE_PREFIX_PATH={prefix}")
    _build(build)
    assert "training accuracy" in _run([build / "deep_mlp", "1"])


def test_missing_eigen_is_explained(installed: tuple[Path, Path], tmp_path: Path) -> None:
    """Without Eigen, the Config file reports fastinit as not found and says how to get Eigen."""
    _, prefix = installed
    p = subprocess.run(
        [CMAKE, "-S", CONSUMERS / "find-package", "-B", tmp_path / "build", *GENERATOR,
         f"-DCMAKE_PREFIX_PATH={prefix}", "-DCMAKE_DISABLE_FIND_PACKAGE_Eigen3=ON"],
        capture_output=True, text=True, env=ENV)
    out = p.stdout + p.stderr
    assert p.returncode != 0, out
    assert "fastinit needs Eigen 3.4" in out and "fastinit[cpp]" in out, out


# ------------------------------------------------------------ 3. the wheel, in a fresh environment
def _wheel_build_dir() -> Path:
    return Path(os.environ.get("FASTINIT_TEST_WHEEL_BUILD_DIR", ROOT / "build" / "test-wheel"))


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on a build folder (two test sessions never share one at a time)."""
    path.mkdir(parents=True, exist_ok=True)
    with open(path / ".lock", "w") as f:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            yield
            return
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


class WheelEnv:
    """A fresh virtual environment with the wheel installed.

    Not ``--system-site-packages``: that would also run the running interpreter's ``.pth`` files,
    and the import hook of an editable fastinit install would shadow the wheel. The base
    site-packages are listed in a plain ``.pth`` line instead (their own ``.pth`` files are not run):
    numpy, scikit-build-core, pip and cmeel-eigen come from there, fastinit from the wheel.
    """

    def __init__(self, root: Path, wheel: Path) -> None:
        self.wheel = wheel
        venv.EnvBuilder(with_pip=False).create(root)
        bindir = "Scripts" if os.name == "nt" else "bin"
        self.python = root / bindir / ("python.exe" if os.name == "nt" else "python")
        self.site = Path(_run([self.python, "-c",
                               "import sysconfig; print(sysconfig.get_path('purelib'))"]).strip())
        base = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
        (self.site / "_fastinit_test_base.pth").write_text("\n".join(sorted(base)) + "\n")
        # --force-reinstall: pip sees the running interpreter's fastinit (same version) through
        # the .pth line; it installs into the venv and leaves that one alone.
        _run([self.python, "-m", "pip", "install", "--force-reinstall", "--no-deps", "--no-index",
              wheel])
        self.package = self.site / "fastinit"
        self._reference: Reference | None = None

    @property
    def reference(self) -> Reference:
        """Bit-check records of the wheel's Python modules."""
        if self._reference is None:
            self._reference = Reference(self.python)
        return self._reference


@pytest.fixture(scope="session")
def wheel_env(tmp_path_factory: pytest.TempPathFactory) -> WheelEnv:
    dist = tmp_path_factory.mktemp("dist")
    build_dir = _wheel_build_dir()
    with _locked(build_dir):
        _run([sys.executable, "-m", "pip", "wheel", ROOT, "--no-build-isolation", "--no-deps",
              "--no-index", "-w", dist, f"-Cbuild-dir={build_dir / '{wheel_tag}'}"])
    (wheel,) = dist.glob("fastinit-*.whl")
    return WheelEnv(tmp_path_factory.mktemp("venv"), wheel)


def test_wheel_contents(wheel_env: WheelEnv) -> None:
    with zipfile.ZipFile(wheel_env.wheel) as z:
        names = set(z.namelist())
        (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        eps = z.read(entry_points).decode()
        (metadata,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        meta = z.read(metadata).decode()
        targets = z.read("fastinit/share/cmake/fastinit/fastinitTargets.cmake").decode()
    for h in (ROOT / "cpp" / "include" / "fastinit").glob("*.hpp"):
        assert f"fastinit/include/fastinit/{h.name}" in names
    for f in ("fastinitConfig", "fastinitConfigVersion", "fastinitTargets", "fastinitFindEigen"):
        assert f"fastinit/share/cmake/fastinit/{f}.cmake" in names
    # What scikit-build-core reads: fastinit_ROOT = the folder of the `fastinit` package.
    assert re.search(r"^\[cmake\.root\]\s*\nfastinit = fastinit\s*$", eps, re.M), eps
    assert re.search(r"^Provides-Extra: cpp$", meta, re.M), meta
    assert re.search(r"^Requires-Dist: cmeel-eigen.*extra == .cpp.", meta, re.M), meta
    # The headers are in <site-packages>/fastinit/include (the Config file is 4 folders below
    # <site-packages>, so _IMPORT_PREFIX is site-packages itself).
    assert 'INTERFACE_INCLUDE_DIRECTORIES "${_IMPORT_PREFIX}/fastinit/include"' in targets


def test_wheel_locators(wheel_env: WheelEnv) -> None:
    py = wheel_env.python
    cmakedir = Path(_run([py, "-m", "fastinit", "--cmakedir"]).strip())
    assert cmakedir == wheel_env.package / "share" / "cmake" / "fastinit"
    assert (cmakedir / "fastinitConfig.cmake").is_file()
    api = _run([py, "-c", "import fastinit as f; print(f.get_cmake_dir()); print(f.get_include())"])
    assert api.split() == [str(cmakedir), str(wheel_env.package / "include")]
    includes = _run([py, "-m", "fastinit", "--includes"])
    assert str(wheel_env.package / "include") in includes


def test_find_package_against_wheel(wheel_env: WheelEnv, tmp_path: Path) -> None:
    py = wheel_env.python
    cmakedir = Path(_run([py, "-m", "fastinit", "--cmakedir"]).strip())
    # fastinit_ROOT = the package folder (what the cmake.root entry point gives) finds it too.
    out = _configure(CONSUMERS / "find-package", tmp_path / "by-root",
                     f"-Dfastinit_ROOT={wheel_env.package}", f"-DPython_EXECUTABLE={py}")
    assert _found_fastinit_dir(out) == cmakedir.resolve()
    build = tmp_path / "build"
    out = _configure(CONSUMERS / "find-package", build, "-DCMAKE_BUILD_TYPE=Release",
                     f"-Dfastinit_DIR={cmakedir}", f"-DPython_EXECUTABLE={py}")
    assert _found_fastinit_dir(out) == cmakedir.resolve()
    _build(build)
    wheel_env.reference.check(_run([build / "consumer"]))


def test_scikit_build_consumer(wheel_env: WheelEnv, tmp_path: Path) -> None:
    """A scikit-build-core project with fastinit in its build requirements, built with no flags.

    ``search.site-packages=false`` turns off scikit-build-core's other way of finding packages
    (site-packages on CMAKE_PREFIX_PATH), so the cmake.root entry point alone must find fastinit.
    """
    py = wheel_env.python
    dist = tmp_path / "dist"
    _run([py, "-m", "pip", "wheel", CONSUMERS / "scikit-build", "--no-build-isolation", "--no-deps",
          "--no-index", "-w", dist, f"-Cbuild-dir={tmp_path / 'build'}",
          "-Csearch.site-packages=false"])
    (wheel,) = dist.glob("fastinit_consumer-*.whl")
    _run([py, "-m", "pip", "install", "--no-deps", "--no-index", wheel])
    found = _run([py, "-c", "import fastinit_consumer as c; print(c.fastinit_dir())"]).strip()
    assert Path(found).resolve() == (wheel_env.package / "share" / "cmake" / "fastinit").resolve()
    records = _run([py, "-c", "import fastinit_consumer as c, sys; sys.stdout.write(c.records())"])
    wheel_env.reference.check(records)
