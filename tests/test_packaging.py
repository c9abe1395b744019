"""The distribution ``fastinit-nn`` as a user receives it: the sdist, the wheel, a clean install.

* the sdist holds what a source build needs and nothing else (its file list);
* a wheel built from that sdist (once per session: the ``wheel`` fixture) holds both compiled
  modules on x86-64, the headers, the CMake package, ``py.typed`` and the stubs, and the
  metadata of ``fastinit-nn`` (extras, the ``cmake.root`` entry point, the command);
* ``auditwheel show`` says which manylinux policy the wheel satisfies;
* the wheel installs into a fresh virtual environment with no compiler visible and passes the
  smoke test (tests/consumers/smoke.py), then the CMake consumer builds against the headers and
  CMake package of that environment (compiler visible again);
* the "Eigen not found" message of the CMake code reads as one sentence.

The wheel is built with ``--no-build-isolation`` from the running environment's build
requirements (the ``dev`` extra), in a private build folder: 1.5-3 minutes on 2 cores.
"""

from __future__ import annotations

import email.parser
import importlib.util
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
import venv
import zipfile
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONSUMERS = ROOT / "tests" / "consumers"
ENV = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"}
ENV.pop("FASTINIT_SIMD", None)
X86_64 = platform.machine().lower() in ("x86_64", "amd64")
EXTRAS = {"report", "cpp", "torch", "test", "dev"}


def _run(cmd: Sequence[str | Path], **kw: Any) -> str:
    """Run a command; on failure, fail the test with its output. Returns stdout + stderr."""
    args = [str(c) for c in cmd]
    p = subprocess.run(args, capture_output=True, text=True, env=kw.pop("env", ENV), **kw)
    out = p.stdout + p.stderr
    if p.returncode != 0:
        pytest.fail(f"command failed ({p.returncode}): {' '.join(args)}\n{out[-6000:]}")
    return out


def _words(text: str) -> str:
    """``text`` with every run of whitespace as one space (CMake wraps long messages)."""
    return " ".join(text.split())


# ------------------------------------------------------------------------------------ the sdist
def _source_files() -> set[str]:
    """What a source build reads: the build files, the C++ core and bindings, the package."""
    files = {"pyproject.toml", "CMakeLists.txt", "README.md", "LICENSE"}
    for folder in ("cmake", "cpp/include", "cpp/bindings", "python/fastinit"):
        for p in (ROOT / folder).rglob("*"):
            rel = p.relative_to(ROOT)
            if p.is_file() and "__pycache__" not in rel.parts and p.suffix not in (".pyc", ".so"):
                files.add(rel.as_posix())
    return files


@pytest.fixture(scope="session")
def sdist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist, built by scikit-build-core's build API from the checkout."""
    out = tmp_path_factory.mktemp("sdist")
    code = "import sys, scikit_build_core.build as b; print(b.build_sdist(sys.argv[1]))"
    name = _run([sys.executable, "-c", code, out], cwd=ROOT).strip().splitlines()[-1]
    path = out / name
    assert path.is_file(), name
    return path


def test_sdist_file_list(sdist: Path) -> None:
    assert sdist.name == "fastinit_nn-0.1.0.tar.gz"
    with tarfile.open(sdist) as tar:
        names = {m.name for m in tar.getmembers() if m.isfile()}
    top = "fastinit_nn-0.1.0/"
    assert all(n.startswith(top) for n in names), names
    files = {n[len(top) :] for n in names} - {"PKG-INFO"}
    expected = _source_files()
    assert files == expected, (
        f"missing: {sorted(expected - files)}; unexpected: {sorted(files - expected)}"
    )
    # Nothing of a build, a cache or the development tree, whatever lies in the checkout.
    for n in files:
        parts = n.split("/")
        assert parts[0] not in ("build", "tests", "bench", "fuzz", "scripts", "dist", ".ci"), n
        assert not {"__pycache__", ".pytest_cache", "CMakeFiles"} & set(parts), n
    with tarfile.open(sdist) as tar:
        pkg_info = tar.extractfile(top + "PKG-INFO")
        assert pkg_info is not None
        meta = email.parser.Parser().parsestr(pkg_info.read().decode())
    assert meta["Name"] == "fastinit-nn"
    assert set(meta.get_all("Provides-Extra") or []) >= EXTRAS


# ------------------------------------------------------------------------------------ the wheel
@pytest.fixture(scope="session")
def wheel(sdist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from the sdist (so the sdist is proven to build), once per session."""
    dist = tmp_path_factory.mktemp("wheel")
    build = tmp_path_factory.mktemp("wheel-build")
    t0 = time.perf_counter()
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            sdist,
            "--no-build-isolation",
            "--no-deps",
            "--no-index",
            "-w",
            dist,
            f"-Cbuild-dir={build}",
        ]
    )
    print(f"wheel built from the sdist in {time.perf_counter() - t0:.0f} s")
    (whl,) = dist.glob("fastinit_nn-*.whl")
    return whl


def _wheel_names(whl: Path) -> set[str]:
    with zipfile.ZipFile(whl) as z:
        return set(z.namelist())


def _wheel_text(whl: Path, name: str) -> str:
    with zipfile.ZipFile(whl) as z:
        return z.read(name).decode()


@pytest.mark.slow
def test_wheel_contents(wheel: Path) -> None:
    names = _wheel_names(wheel)
    tag = wheel.name.split("-", 2)[2]
    assert re.fullmatch(r"cp\d+-cp\d+t?-\w+\.whl", tag), wheel.name
    modules = {n.split(".")[0] for n in names if re.fullmatch(r"fastinit/_core\w*\.[^/]+\.so", n)}
    assert modules == ({"fastinit/_core", "fastinit/_core_avx2"} if X86_64 else {"fastinit/_core"})
    headers = {n for n in names if n.startswith("fastinit/include/fastinit/")}
    expected = {
        f"fastinit/include/fastinit/{p.name}" for p in (ROOT / "cpp/include/fastinit").glob("*")
    }
    assert headers == expected
    for f in ("fastinitConfig", "fastinitConfigVersion", "fastinitTargets", "fastinitFindEigen"):
        assert f"fastinit/share/cmake/fastinit/{f}.cmake" in names, f
    assert {"fastinit/py.typed", "fastinit/_core.pyi", "fastinit/__init__.py"} <= names
    for n in names:  # nothing from the build tree, the tests or caches
        assert not re.search(r"(^|/)(CMakeFiles|__pycache__|tests|build)/", n), n
        assert not n.endswith((".o", ".a", ".pyc")), n
    # The metadata of fastinit-nn: the command, the CMake entry point, the extras.
    (dist_info,) = {n.split("/")[0] for n in names if ".dist-info/" in n}
    assert dist_info == "fastinit_nn-0.1.0.dist-info"
    assert any(n.startswith(dist_info) and n.endswith("/LICENSE") for n in names), "no licence"
    meta = email.parser.Parser().parsestr(_wheel_text(wheel, f"{dist_info}/METADATA"))
    assert meta["Name"] == "fastinit-nn"
    assert set(meta.get_all("Provides-Extra") or []) >= EXTRAS
    requires = meta.get_all("Requires-Dist") or []
    assert any(r.startswith("cmeel-eigen") and 'extra == "cpp"' in r for r in requires), requires
    assert any(r.startswith("torch>=2.1") and 'extra == "torch"' in r for r in requires), requires
    assert any(r.startswith("dask[distributed]") and 'extra == "test"' in r for r in requires)
    eps = _wheel_text(wheel, f"{dist_info}/entry_points.txt")
    assert re.search(r"\[cmake\.root\]\s*\nfastinit = fastinit\b", eps), eps
    assert re.search(r"\[console_scripts\]\s*\nfastinit = fastinit\.__main__:main\b", eps), eps
    size = wheel.stat().st_size
    print(f"{wheel.name}: {size / 1e6:.2f} MB")
    assert size < 20e6, size


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="auditwheel reads Linux ELF wheels")
def test_auditwheel_policy(wheel: Path) -> None:
    """auditwheel (the ``test`` extra) names the manylinux policy that the wheel satisfies."""
    if importlib.util.find_spec("auditwheel") is None:
        pytest.fail("auditwheel is needed: pip install '.[test]'")
    out = _words(_run([sys.executable, "-m", "auditwheel", "show", wheel]))
    print(out)
    m = re.search(r'consistent with the following platform tag: "(manylinux_\d+_\d+_\w+)"', out)
    assert m, out
    # Built against the system's glibc, the policy is that glibc's (manylinux_2_28 in
    # cibuildwheel's image). Only the system libraries that every policy allows are needed:
    # `auditwheel repair` grafts nothing, it only retags the wheel.
    assert "following external shared libraries are required" not in out, out
    for lib in re.findall(r"(lib[\w+-]+\.so[.\d]*) with versions", out):
        assert lib in ("libc.so.6", "libm.so.6", "libgcc_s.so.1", "libstdc++.so.6"), lib


# ------------------------------------------------------------------- a clean install of the wheel
def _hidden_compiler_env(venv_dir: Path, empty_bin: Path) -> dict[str, str]:
    """An environment whose PATH holds the venv and an empty folder: no cc, c++, gcc or g++."""
    empty_bin.mkdir(exist_ok=True)
    env = {k: v for k, v in ENV.items() if k not in ("CC", "CXX", "CMAKE_PREFIX_PATH")}
    env.update(
        PATH=os.pathsep.join([str(venv_dir / "bin"), str(empty_bin)]),
        CC="/bin/false",
        CXX="/bin/false",
        VIRTUAL_ENV=str(venv_dir),
    )
    env.pop("PYTHONPATH", None)
    return env


@pytest.fixture(scope="session")
def clean_venv(
    wheel: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, str]]:
    """A fresh venv (no system site-packages) with ``fastinit-nn[cpp]`` from the wheel, installed
    while no compiler is visible; numpy and cmeel-eigen come as binary wheels from the index."""
    root = tmp_path_factory.mktemp("clean-venv")
    venv.EnvBuilder(with_pip=True, clear=True).create(root / "venv")
    env = _hidden_compiler_env(root / "venv", root / "empty-bin")
    python = root / "venv" / "bin" / "python"
    probe = "import shutil; print([shutil.which(c) for c in ('cc', 'c++', 'gcc', 'g++')])"
    assert _run([python, "-c", probe], env=env).strip() == "[None, None, None, None]"
    out = _run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--only-binary=:all:",
            "--find-links",
            wheel.parent,
            f"fastinit-nn[cpp] @ {wheel.as_uri()}",
        ],
        env=env,
        cwd=root,
    )
    assert "Building wheel" not in out, out  # nothing was compiled
    assert re.search(r"Successfully installed .*fastinit-nn-0\.1\.0", out), out
    return python, env


@pytest.mark.slow
def test_clean_install_smoke(clean_venv: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    python, env = clean_venv
    out = _run([python, CONSUMERS / "smoke.py", tmp_path / "report"], env=env, cwd=tmp_path)
    print(out)
    assert out.rstrip().endswith("smoke: ok"), out
    assert str(python.parents[1]) in out  # the venv's fastinit, not another one
    assert (tmp_path / "report" / "results.csv").is_file()


def _load_bitcheck() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "fastinit_bitcheck_pkg", CONSUMERS / "bitcheck.py"
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look the module up
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.slow
def test_clean_install_cmake_consumer(
    clean_venv: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    """find_package(fastinit) against the clean venv's headers and CMake package, Eigen from its
    cmeel-eigen (the ``cpp`` extra); the consumer's values equal the venv's portable module's."""
    python, _ = clean_venv
    cmake = shutil.which("cmake")
    assert cmake, "cmake is needed: pip install '.[test]'"
    cmakedir = Path(_run([python, "-m", "fastinit", "--cmakedir"], env=ENV).strip())
    venv_dir = python.parents[1]
    assert venv_dir in cmakedir.parents, cmakedir
    build = tmp_path / "build"
    generator = ["-G", "Ninja"] if shutil.which("ninja") else []
    out = _run(
        [
            cmake,
            "-S",
            CONSUMERS / "find-package",
            "-B",
            build,
            *generator,
            f"-Dfastinit_DIR={cmakedir}",
            f"-DPython_EXECUTABLE={python}",
        ]
    )
    assert f"fastinit 0.1.0 from {cmakedir}" in out, out
    eigen = re.search(r"Eigen \S+ from (\S+)", out)
    assert eigen and venv_dir in Path(eigen.group(1)).resolve().parents, out
    _run([cmake, "--build", build, "-j2"])
    bitcheck = _load_bitcheck()
    cpp = bitcheck.parse(_run([build / "consumer"]))
    py_out = _run([python, CONSUMERS / "bitcheck.py"], env={**ENV, "FASTINIT_SIMD": "portable"})
    ref = bitcheck.parse(py_out)
    assert cpp.keys() == ref.keys() and cpp
    for name, c in cpp.items():
        assert (c.count, c.hash) == (ref[name].count, ref[name].hash), name


# ------------------------------------------------------------------ CMake: "Eigen not found"
EIGEN_HELP = (
    'fastinit needs Eigen 3.4. Install it with `pip install "fastinit-nn[cpp]"` (or `pip install '
    "cmeel-eigen`), or the system package (Debian: libeigen3-dev), or set Eigen3_DIR to the "
    "folder of Eigen3Config.cmake."
)


@pytest.mark.slow
def test_missing_eigen_message_of_the_build(tmp_path: Path) -> None:
    """fastinit's own configure, with Eigen hidden, stops with the message, whole and clean."""
    cmake = shutil.which("cmake")
    assert cmake, "cmake is needed: pip install '.[test]'"
    p = subprocess.run(
        [
            cmake,
            "-S",
            ROOT,
            "-B",
            tmp_path / "build",
            "-DFASTINIT_TESTS=OFF",
            "-DFASTINIT_EXAMPLES=OFF",
            "-DCMAKE_DISABLE_FIND_PACKAGE_Eigen3=ON",
        ],
        capture_output=True,
        text=True,
        env=ENV,
    )
    out = _words(p.stdout + p.stderr)
    assert p.returncode != 0, out
    assert EIGEN_HELP in out, out
    assert ";" not in out[out.index("fastinit needs Eigen") :].split("Call Stack")[0], out
