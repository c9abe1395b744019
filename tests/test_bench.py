"""The benchmarks still run: each script in bench/ in its --quick mode (slow).

Only that they run to the end and print their tables is checked here; speed is never asserted in
a test (the figures are in the README, with the command that made them).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.mark.slow
@pytest.mark.parametrize(
    "script, expected",
    [
        ("bench_init.py", ["fastinit fill throughput", "write bandwidth", "targets"]),
        ("bench_mlp.py", ["tiny network", "large network", "% of peak", "(d) large network"]),
        (
            "bench_sweep.py",
            ["configurations", "fastinit cfg/s", "fastinit % peak", "of the fp32 FMA peak"],
        ),
        ("bench_peak.py", ["machine limits", "fastinit vs EigenRand"]),
        ("bench_diagnose.py", ["diagnose overhead", "load average"]),
    ],
)
def test_benchmark_runs(script, expected):
    r = subprocess.run(
        [sys.executable, str(BENCH / script), "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    print(r.stdout)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    missing = [e for e in expected if e not in r.stdout]
    assert not missing, f"{script} --quick printed no {missing}:\n{r.stdout[-3000:]}"
