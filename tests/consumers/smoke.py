"""Smoke test of an installed fastinit (a wheel in a fresh environment, cibuildwheel's test step).

    python tests/consumers/smoke.py [OUT_DIR]

Imports the package, checks which compiled module is loaded (and that the portable one loads
too), makes a fill, trains a small network, and runs ``fastinit run --quick --out OUT_DIR``
(default: a temporary folder). Uses only the installed package and NumPy; prints one line per
check and ``smoke: ok`` at the end; exits non-zero on the first failure.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def _check(what: str, ok: bool, detail: object = "") -> None:
    print(f"smoke: {what}: {'ok' if ok else 'FAILED'} {detail}".rstrip(), flush=True)
    if not ok:
        sys.exit(1)


def _modules(env_simd: str | None) -> str:
    """The module that a fresh interpreter loads with FASTINIT_SIMD set to ``env_simd``."""
    env = dict(os.environ)
    env.pop("FASTINIT_SIMD", None)
    if env_simd is not None:
        env["FASTINIT_SIMD"] = env_simd
    code = "import fastinit as fi; print(fi.build_info()['module'])"
    return subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
    ).stdout.strip()


def main(out: Path) -> None:
    import fastinit as fi
    import numpy as np

    info = fi.build_info()
    _check("import", fi.__file__ is not None and "site-packages" in fi.__file__, fi.__file__)
    _check("version", bool(fi.__version__), fi.__version__)
    _check("portable module loads", _modules("portable") == "_core")
    if platform.machine().lower() in ("x86_64", "amd64"):
        # The AVX2 module ships in every x86-64 wheel; it is loaded when the CPU runs it.
        import importlib.util

        _check("AVX2 module shipped", importlib.util.find_spec("fastinit._core_avx2") is not None)
    _check("loaded module", info["module"] in ("_core", "_core_avx2"), info)

    # A fill: reproducible from the seed, with the scale the scheme promises.
    w = fi.init.kaiming_normal((512, 256), dtype=np.float32, generator=fi.Generator(seed=7))
    w2 = np.empty((512, 256), np.float32)
    fi.init.kaiming_normal_(w2, generator=fi.Generator(seed=7))
    std = float(w.std())
    expected = float(np.sqrt(2.0 / 256))  # He: gain sqrt(2) over sqrt(fan_in)
    _check("fill", np.array_equal(w, w2) and abs(std / expected - 1) < 0.02, f"std {std:.4f}")

    # A fit: a small softmax network learns a separable problem.
    rng = np.random.default_rng(0)
    X = rng.standard_normal((256, 8)).astype(np.float32)
    y = (X[:, 0] + X[:, 1] > 0).astype(np.int64)
    net = fi.MLP([8, 16, 2], activation="relu", output="softmax", generator=fi.Generator(1))
    hist = net.fit(X, y, epochs=20, batch_size=32, optimizer="sgd", lr=0.1)
    acc = float((net.forward(X).argmax(axis=1) == y).mean())
    _check("fit", hist.epoch_loss[-1] < hist.epoch_loss[0] and acc > 0.9, f"accuracy {acc:.2f}")

    # The command, as a user runs it: the console script beside this interpreter (a venv that
    # was not activated), else the one on PATH.
    beside = Path(sys.executable).parent / ("fastinit.exe" if os.name == "nt" else "fastinit")
    command = str(beside) if beside.exists() else shutil.which("fastinit")
    _check("console script", command is not None, command)
    assert command is not None
    p = subprocess.run(
        [command, "run", "--quick", "--out", str(out)], capture_output=True, text=True
    )
    written = sorted(f.name for f in out.iterdir()) if out.is_dir() else []
    _check("fastinit run --quick", p.returncode == 0 and bool(written), written or p.stderr[-2000:])
    print("smoke: ok")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as d:
            main(Path(d) / "report")
