"""fastinit's C++ package, used the ways a downstream project uses it (tests/consumers/):

1. ``add_subdirectory`` of the checkout (fastinit behaves as a guest: no tests, no install);
2. ``find_package(fastinit CONFIG REQUIRED)`` after ``cmake --install``;
3. ``find_package`` against the installed Python package, located by ``python -m fastinit
   --cmakedir``, by ``fastinit_ROOT``, and by scikit-build-core through the ``cmake.root`` entry
   point (a scikit-build-core project that needs no flags). Which package: see ``pyenv``.

Every consumer prints values computed through the C++ API (tests/consumers/bitcheck.hpp); they
must equal, bit for bit, the same computations through the Python API (bitcheck.py): the random
fills against any compiled module, the QR / GEMM results against the portable one. The C++
example (cpp/examples) is built and run too.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
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
    """Run a command; on failure, fail the test with its output. Returns its stdout."""
    args = [str(c) for c in cmd]
    p = subprocess.run(args, capture_output=True, text=True, env=kw.pop("env", ENV), **kw)
    if p.returncode != 0:
        out = (p.stdout + p.stderr)[-6000:]
        pytest.fail(f"command failed ({p.returncode}): {' '.join(args)}\n{out}")
    return str(p.stdout)


def _configure(src: Path, build: Path, *defines: str) -> str:
    return _run([CMAKE, "-S", src, "-B", build, *GENERATOR, *defines])


def _build(build: Path, *args: str) -> str:
    return _run([CMAKE, "--build", build, "-j2", *args])


def _found_fastinit_dir(configure_output: str) -> Path:
    m = re.search(r"fastinit \S+ from (\S+)", configure_output)
    assert m, configure_output
    return Path(m.group(1)).resolve()


# ------------------------------------------------------------------ bit-for-bit comparisons
def _python_records(python: str | Path, portable: bool) -> tuple[str, dict[str, Any]]:
    """(SIMD level of the module that computed them, records) from bitcheck.py."""
    env = dict(ENV)
    if portable:
        env["FASTINIT_SIMD"] = "portable"
    out = _run([python, CONSUMERS / "bitcheck.py"], env=env)
    level = out.split("\n", 1)[0].split()[2]  # "# simd_level <level> <path>"
    records: dict[str, Any] = bitcheck.parse(out)
    return level, records


class Reference:
    """The bit-check records of one Python environment, by the SIMD level of its modules."""

    def __init__(self, python: str | Path) -> None:
        self.by_simd = dict(_python_records(python, portable) for portable in (True, False))

    def check(self, cpp_text: str, simd: str = "portable") -> None:
        """Compare a consumer's records; ``simd``: what the consumer was compiled for.

        Every record equals, bit for bit, that of the Python module of the same SIMD level; the
        random fills equal those of every module; results through Eigen's QR / GEMM are only
        close to those of another SIMD level (its FMA kernels round differently).
        """
        cpp = bitcheck.parse(cpp_text)
        for level, ref in self.by_simd.items():
            assert cpp.keys() == ref.keys()
            for name, c in cpp.items():
                if level == simd or c.kind == "fill":
                    _assert_same_bits(name, c, ref[name], f"the {level} Python module")
                else:
                    rtol, atol = (1e-4, 1e-6) if name.endswith("_f32") else (1e-9, 1e-12)
                    np.testing.assert_allclose(
                        c.values,
                        ref[name].values,
                        rtol=rtol,
                        atol=atol,
                        err_msg=f"{name} against the {level} module",
                    )


def _assert_same_bits(name: str, c: Any, p: Any, what: str) -> None:
    if (c.count, c.hash) == (p.count, p.hash):
        return
    n = min(len(c.values), len(p.values))
    diff = np.flatnonzero(c.values[:n] != p.values[:n])
    where = (
        f"first difference at [{diff[0]}]: C++ {c.values[diff[0]]!r} vs Python "
        f"{p.values[diff[0]]!r}"
        if diff.size
        else "the shown values agree; later ones differ"
    )
    pytest.fail(f"{name}: C++ and {what} differ ({c.count} vs {p.count} values); {where}")


_references: dict[str, Reference] = {}


def _reference_of(python: str | Path) -> Reference:
    """The (cached) bit-check records of the fastinit that ``python`` imports."""
    if str(python) not in _references:
        _references[str(python)] = Reference(python)
    return _references[str(python)]


@pytest.fixture(scope="module")
def reference() -> Reference:
    """Records of the running interpreter's fastinit."""
    return _reference_of(sys.executable)


# --------------------------------------------------------------- 1. add_subdirectory
def test_add_subdirectory(tmp_path: Path, reference: Reference) -> None:
    build = tmp_path / "build"
    # No CMAKE_BUILD_TYPE: the consumer checks that fastinit, a guest, leaves it empty.
    out = _configure(
        CONSUMERS / "add-subdirectory",
        build,
        f"-DFASTINIT_SOURCE_DIR={ROOT}",
        f"-DPython_EXECUTABLE={sys.executable}",
    )
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
    """fastinit as the top-level project (examples on, unit tests off): built and installed."""
    build = tmp_path_factory.mktemp("top-level")
    prefix = tmp_path_factory.mktemp("prefix")
    _configure(
        ROOT,
        build,
        "-DCMAKE_BUILD_TYPE=Release",
        "-DFASTINIT_TESTS=OFF",
        "-DFASTINIT_EXAMPLES=ON",
        f"-DCMAKE_INSTALL_PREFIX={prefix}",
        f"-DPython_EXECUTABLE={sys.executable}",
    )
    _build(build)
    _run([CMAKE, "--install", build])
    return build, prefix


def test_example_runs(installed: tuple[Path, Path]) -> None:
    build, _ = installed
    out = _run([build / "cpp" / "examples" / "deep_mlp"])
    print(out)
    sections = out.split("\ninit = ")[1:]
    assert [s.split("\n", 1)[0] for s in sections] == [
        "normal(0, 0.01)",
        "kaiming_normal (He, fan_in, relu)",
    ]
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
    assert {
        "fastinitConfig.cmake",
        "fastinitConfigVersion.cmake",
        "fastinitTargets.cmake",
        "fastinitFindEigen.cmake",
    } <= names
    headers = {p.name for p in (prefix / "include" / "fastinit").iterdir()}
    assert {p.name for p in (ROOT / "cpp" / "include" / "fastinit").glob("*.hpp")} == headers
    targets = (cmake_dir / "fastinitTargets.cmake").read_text()
    assert 'INTERFACE_INCLUDE_DIRECTORIES "${_IMPORT_PREFIX}/include"' in targets
    for f in cmake_dir.iterdir():  # relocatable: no path of the source or build tree
        assert str(ROOT) not in f.read_text(), f


def test_find_package_after_install(
    installed: tuple[Path, Path], tmp_path: Path, reference: Reference
) -> None:
    """Built -O3 -march=x86-64-v3 where the CPU runs it: the same bits as the AVX2 module."""
    _, prefix = installed
    build = tmp_path / "build"
    v3 = "x86-64-v3" in reference.by_simd and os.name != "nt"
    out = _configure(
        CONSUMERS / "find-package",
        build,
        "-DCMAKE_BUILD_TYPE=Release",
        f"-DCMAKE_PREFIX_PATH={prefix}",
        *(["-DCMAKE_CXX_FLAGS=-march=x86-64-v3"] if v3 else []),
    )
    assert _found_fastinit_dir(out) == (prefix / "share" / "cmake" / "fastinit").resolve()
    _build(build)
    reference.check(_run([build / "consumer"]), simd="x86-64-v3" if v3 else "portable")


def test_examples_configure_against_install(installed: tuple[Path, Path], tmp_path: Path) -> None:
    """cpp/examples is also a standalone project that finds an installed fastinit (configure
    only: test_example_runs compiled the same source)."""
    _, prefix = installed
    build = tmp_path / "build"
    _configure(ROOT / "cpp" / "examples", build, f"-DCMAKE_PREFIX_PATH={prefix}")
    assert "deep_mlp" in (build / "build.ninja" if GENERATOR else build / "Makefile").read_text()


def test_missing_eigen_is_explained(installed: tuple[Path, Path], tmp_path: Path) -> None:
    """Without Eigen, the Config file reports fastinit as not found and says how to get Eigen."""
    _, prefix = installed
    p = subprocess.run(
        [
            CMAKE,
            "-S",
            CONSUMERS / "find-package",
            "-B",
            tmp_path / "build",
            *GENERATOR,
            f"-DCMAKE_PREFIX_PATH={prefix}",
            "-DCMAKE_DISABLE_FIND_PACKAGE_Eigen3=ON",
        ],
        capture_output=True,
        text=True,
        env=ENV,
    )
    out = p.stdout + p.stderr
    assert p.returncode != 0, out
    # CMake wraps long messages: compare word by word. The whole sentence, with no list
    # separators of CMake's (";") in it.
    words = " ".join(out.split())
    assert (
        'fastinit needs Eigen 3.4. Install it with `pip install "fastinit-nn[cpp]"` (or `pip '
        "install cmeel-eigen`), or the system package (Debian: libeigen3-dev), or set Eigen3_DIR "
        "to the folder of Eigen3Config.cmake." in words
    ), out


def test_presets() -> None:
    """CMakePresets.json parses (CMake >= 3.21) and offers release, debug and sanitize."""
    version = re.search(r"(\d+)\.(\d+)", _run([CMAKE, "--version"]))
    assert version
    if (int(version[1]), int(version[2])) < (3, 21):
        pytest.skip("presets need CMake >= 3.21")
    out = _run([CMAKE, "--list-presets=all"], cwd=ROOT)
    for kind in ("configure", "build", "test"):
        section = out.split(f"Available {kind} presets:")[1].split("Available")[0]
        assert re.findall(r'"(\w+)"', section) == ["release", "debug", "sanitize"], out


# ----------------------------------------------------- 3. the installed Python package (the wheel)
class PythonEnv:
    """A Python environment with fastinit installed, whose CMake package the consumers use."""

    def __init__(self, python: str | Path, wheel: Path | None = None) -> None:
        self.python = Path(python)
        self.wheel = wheel
        self.cmakedir = Path(_run([python, "-m", "fastinit", "--cmakedir"]).strip())
        self.package = self.cmakedir.parents[2]  # <site-packages>/fastinit

    @property
    def reference(self) -> Reference:
        """Bit-check records of this environment's Python modules."""
        return _reference_of(self.python)


def _venv_with_wheel(root: Path, wheel: Path) -> PythonEnv:
    """A fresh virtual environment with the wheel installed.

    Not ``--system-site-packages``: that would also run the running interpreter's ``.pth`` files,
    and the import hook of an editable fastinit would shadow the wheel. The running interpreter's
    site-packages are listed in a plain ``.pth`` line instead (their own ``.pth`` files are not
    run): numpy, pip, scikit-build-core and cmeel-eigen come from there, fastinit from the wheel.
    """
    venv.EnvBuilder(with_pip=False).create(root)
    python = root / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = Path(
        _run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).strip()
    )
    base = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (site / "_fastinit_test_base.pth").write_text("\n".join(sorted(base)) + "\n")
    # --force-reinstall: pip sees the running interpreter's fastinit (same version) through the
    # .pth line; it installs into the venv and leaves that one alone.
    _run([python, "-m", "pip", "install", "--force-reinstall", "--no-deps", "--no-index", wheel])
    env = PythonEnv(python, wheel)
    assert env.package == site / "fastinit", env.package
    return env


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on a build folder (two test sessions never use one at the same time)."""
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


@pytest.fixture(scope="session")
def pyenv(tmp_path_factory: pytest.TempPathFactory) -> PythonEnv:
    """The fastinit package under test, chosen by FASTINIT_TEST_WHEEL:

    * unset: the running interpreter's fastinit. After ``pip install ".[test]"`` (README, .ci/run)
      that is the wheel built from this checkout; an editable install carries the same CMake
      package and headers in site-packages (reinstall it after changing them, as after any C++
      change).
    * a path to a ``.whl``: that wheel, installed in a fresh virtual environment.
    * ``build``: a wheel built now from this checkout (``pip wheel . --no-build-isolation``, in
      ``build/test-wheel``: both extension modules, 1-2 minutes on two cores the first time),
      installed in a fresh virtual environment.
    """
    choice = os.environ.get("FASTINIT_TEST_WHEEL", "")
    if not choice:
        return PythonEnv(sys.executable)
    if choice == "build":
        dist = tmp_path_factory.mktemp("dist")
        build_dir = ROOT / "build" / "test-wheel"
        with _locked(build_dir):
            _run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "wheel",
                    ROOT,
                    "--no-build-isolation",
                    "--no-deps",
                    "--no-index",
                    "-w",
                    dist,
                    f"-Cbuild-dir={build_dir / '{wheel_tag}'}",
                ]
            )
        (wheel,) = dist.glob("fastinit_nn-*.whl")
    else:
        wheel = Path(choice).resolve()
        assert wheel.is_file(), f"FASTINIT_TEST_WHEEL={choice}: no such wheel"
    return _venv_with_wheel(tmp_path_factory.mktemp("venv"), wheel)


def test_package_contents(pyenv: PythonEnv) -> None:
    """Headers and CMake package where the locators say; the metadata scikit-build-core reads."""
    py = pyenv.python
    api = _run([py, "-c", "import fastinit as f; print(f.get_cmake_dir()); print(f.get_include())"])
    include = pyenv.package / "include"
    assert [Path(p) for p in api.split()] == [pyenv.cmakedir, include]
    assert str(include) in _run([py, "-m", "fastinit", "--includes"])
    assert {p.name for p in (include / "fastinit").glob("*.hpp")} == {
        p.name for p in (ROOT / "cpp" / "include" / "fastinit").glob("*.hpp")
    }
    for f in ("fastinitConfig", "fastinitConfigVersion", "fastinitTargets", "fastinitFindEigen"):
        assert (pyenv.cmakedir / f"{f}.cmake").is_file(), f
    # The Config file is 4 folders below site-packages, so _IMPORT_PREFIX is site-packages.
    targets = (pyenv.cmakedir / "fastinitTargets.cmake").read_text()
    assert 'INTERFACE_INCLUDE_DIRECTORIES "${_IMPORT_PREFIX}/fastinit/include"' in targets
    # What scikit-build-core reads: fastinit_ROOT = the folder of the `fastinit` package.
    meta = json.loads(
        _run(
            [
                py,
                "-c",
                (
                    "import json, importlib.metadata as m; d = m.distribution('fastinit-nn'); "
                    "print(json.dumps({'eps': "
                    "[[e.group, e.name, e.value] for e in d.entry_points], "
                    "'requires': d.requires, 'extras': d.metadata.get_all('Provides-Extra')}))"
                ),
            ]
        )
    )
    assert ["cmake.root", "fastinit", "fastinit"] in meta["eps"]
    assert "cpp" in meta["extras"]
    assert any(r.startswith("cmeel-eigen") and 'extra == "cpp"' in r for r in meta["requires"])
    if pyenv.wheel is not None:
        with zipfile.ZipFile(pyenv.wheel) as z:
            names = set(z.namelist())
        assert "fastinit/share/cmake/fastinit/fastinitConfig.cmake" in names
        assert "fastinit/include/fastinit/init.hpp" in names


def test_find_package_from_python_package(pyenv: PythonEnv, tmp_path: Path) -> None:
    py = pyenv.python
    # fastinit_ROOT = the package folder (what the cmake.root entry point sets) finds it.
    out = _configure(
        CONSUMERS / "find-package",
        tmp_path / "by-root",
        f"-Dfastinit_ROOT={pyenv.package}",
        f"-DPython_EXECUTABLE={py}",
    )
    assert _found_fastinit_dir(out) == pyenv.cmakedir.resolve()
    # fastinit_DIR=$(python -m fastinit --cmakedir); the Python on PATH need not be this one.
    # No build type (-O0): the same bits as the optimized Python modules.
    build = tmp_path / "build"
    out = _configure(CONSUMERS / "find-package", build, f"-Dfastinit_DIR={pyenv.cmakedir}")
    assert _found_fastinit_dir(out) == pyenv.cmakedir.resolve()
    _build(build)
    pyenv.reference.check(_run([build / "consumer"]))


def test_scikit_build_consumer(pyenv: PythonEnv, tmp_path: Path) -> None:
    """A scikit-build-core project with fastinit-nn[cpp] in its build requirements, built with no
    flags.

    ``search.site-packages=false`` turns off scikit-build-core's other way of finding packages
    (site-packages on CMAKE_PREFIX_PATH), so the cmake.root entry point alone must find fastinit.
    """
    py = pyenv.python
    dist, target = tmp_path / "dist", tmp_path / "site"
    _run(
        [
            py,
            "-m",
            "pip",
            "wheel",
            CONSUMERS / "scikit-build",
            "--no-build-isolation",
            "--no-deps",
            "--no-index",
            "-w",
            dist,
            f"-Cbuild-dir={tmp_path / 'build'}",
            "-Csearch.site-packages=false",
            # The build requirements (scikit-build-core, fastinit-nn[cpp]) must be installed by
            # those names: a distribution of another name would fail here.
            "--check-build-dependencies",
        ]
    )
    (wheel,) = dist.glob("fastinit_consumer-*.whl")
    _run([py, "-m", "pip", "install", "--no-deps", "--no-index", "--target", target, wheel])
    env = {**ENV, "PYTHONPATH": str(target)}
    found = _run([py, "-c", "import fastinit_consumer as c; print(c.fastinit_dir())"], env=env)
    assert Path(found.strip()).resolve() == pyenv.cmakedir.resolve()
    records = _run(
        [py, "-c", "import fastinit_consumer as c, sys; sys.stdout.write(c.records())"], env=env
    )
    pyenv.reference.check(records)
