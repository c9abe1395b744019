"""The ``fastinit`` command and the report (``fastinit.study``).

* ``fastinit run --quick --out DIR`` end to end in a subprocess (``python -W error -m fastinit``:
  matplotlib, NumPy or anything else warning fails it): exit 0, every report file written, the
  HTML shows every figure, the CSV / JSON tables parse, and the verdicts are the textbook ones
  (zeros -> symmetric; N(0, 1) with ReLU -> exploding or nonfinite; He with ReLU -> healthy).
  Xavier with ReLU vanishing needs depth 50, which --quick does not run: a small sweep checks it.
* ``--help`` of every command lists its options; ``--cmakedir`` / ``--includes`` / ``--version``.
* ``sweep --csv/--json/--plot``, ``diagnose``, ``theory`` (when ``fastinit.theory`` exists), the
  default command and clean errors, run in-process through ``fastinit.study.cli.main``.
* The figure functions on edge cases (zeros, overflow to inf / NaN) under pytest's
  ``filterwarnings = error``.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import fastinit as fi
import numpy as np
import pytest
from fastinit.study.cli import main

mpl = pytest.importorskip("matplotlib")

try:
    from fastinit import theory as _theory_module  # noqa: F401

    HAVE_THEORY = hasattr(fi._core, "theory_phase_diagram")
except ImportError:
    HAVE_THEORY = False

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _run_cli(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("MPLBACKEND", None)
    return subprocess.run(
        [sys.executable, "-W", "error", "-m", "fastinit", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


# ------------------------------------------------------------------ end to end (subprocess)


@pytest.fixture(scope="module")
def quick_report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("cli")
    out = tmp / "report"
    t0 = time.perf_counter()
    proc = _run_cli("run", "--quick", "--out", str(out), cwd=tmp)
    seconds = time.perf_counter() - t0
    assert proc.returncode == 0, (
        f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    )
    return {"out": out, "stdout": proc.stdout, "stderr": proc.stderr, "seconds": seconds}


@pytest.mark.slow
def test_run_quick_writes_the_report(quick_report: dict) -> None:
    out: Path = quick_report["out"]
    for name in (
        "index.html",
        "results.csv",
        "results_layers.csv",
        "results.json",
        "training.json",
        "depth_profiles_d10.png",
        "histograms.png",
        "training.png",
    ):
        assert (out / name).is_file(), f"{name} missing: {sorted(p.name for p in out.iterdir())}"
        assert (out / name).stat().st_size > 0, name
    if HAVE_THEORY:
        assert (out / "phase_diagram.png").is_file()
    for png in out.glob("*.png"):
        assert png.read_bytes()[:8] == PNG_MAGIC, png.name
    assert "Traceback" not in quick_report["stderr"]


@pytest.mark.slow
def test_run_quick_html_shows_every_figure(quick_report: dict) -> None:
    out: Path = quick_report["out"]
    html = (out / "index.html").read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html>") and html.rstrip().endswith("</html>")
    srcs = set(re.findall(r'<img src="([^"]+)"', html))
    pngs = {p.name for p in out.glob("*.png")}
    assert pngs and srcs == pngs, f"figures {sorted(pngs)} vs <img> {sorted(srcs)}"
    links = set(re.findall(r'<a href="([^"]+)"', html))
    assert {"results.csv", "results_layers.csv", "results.json", "training.json"} <= links
    for link in links:
        assert (out / link).is_file(), link
    for word in ("symmetric", "Xavier", "He / Kaiming", "clipping", "<table"):
        assert word in html, word


@pytest.mark.slow
def test_run_quick_tables_parse(quick_report: dict) -> None:
    out: Path = quick_report["out"]
    with open(out / "results.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    with open(out / "results_layers.csv", newline="") as f:
        layers = list(csv.DictReader(f))
    # 6 schemes x 4 activations x 1 depth x 1 seed (+ 4 at the critical sigma_w with theory)
    assert len(rows) == 24 + (4 if HAVE_THEORY else 0)
    assert {"init", "activation", "depth", "verdict", "a_std_first", "a_std_last"} <= set(rows[0])
    assert len(layers) == len(rows) * 11  # 10 hidden layers + the output layer
    data = json.loads((out / "results.json").read_text())  # strict JSON: no NaN / Infinity
    assert len(data["records"]) == len(rows) and len(data["layers"]) == len(layers)
    assert data["parameters"]["depths"] == [10]
    training = json.loads((out / "training.json").read_text())
    runs = training["runs"]
    inits = ("zeros", "normal", "xavier_normal", "kaiming_normal")
    assert {(r["init"], r["clip_norm"] is None) for r in runs} == {
        (i, c) for i in inits for c in (True, False)
    }
    for r in runs:
        assert len(r["step_loss"]) == len(r["step_grad_norm"]) > 0
        assert 0.0 <= r["test_accuracy"] <= 1.0


@pytest.mark.slow
def test_run_quick_verdicts_are_the_textbook_ones(quick_report: dict) -> None:
    out: Path = quick_report["out"]
    table = {
        (v["scheme"], v["activation"], v["depth"]): v["verdict"]
        for v in json.loads((out / "results.json").read_text())["verdicts"]
    }
    for act in ("sigmoid", "tanh", "relu", "leaky_relu"):
        assert table[("zeros", act, 10)] == "symmetric", act
    assert table[("normal", "relu", 10)] in ("exploding", "nonfinite")
    assert table[("kaiming_normal", "relu", 10)] == "healthy"
    # The terminal table says the same.
    lines = quick_report["stdout"].splitlines()

    def terminal(init: str, act: str) -> str:
        hits = [ln for ln in lines if re.match(rf"{re.escape(init)}\s+{act}\s+10\s", ln)]
        assert len(hits) == 1, (init, act, hits)
        return hits[0]

    assert terminal("zeros", "relu").rstrip().endswith("symmetric")
    assert re.search(r"(exploding|nonfinite)", terminal(r"normal(0,1)", "relu"))
    assert terminal("kaiming_normal", "relu").rstrip().endswith("healthy")
    # Training: zeros never leaves the uniform guess; He learns.
    runs = json.loads((out / "training.json").read_text())["runs"]
    zeros = [r for r in runs if r["init"] == "zeros"]
    assert all(abs(r["epoch_loss"][-1] - math.log(10)) < 0.05 for r in zeros)
    he = [r for r in runs if r["init"] == "kaiming_normal"]
    assert all(not r["nonfinite"] and r["epoch_loss"][-1] < 2.0 for r in he)


def test_xavier_vanishes_and_he_holds_with_relu_at_depth_50() -> None:
    r = fi.sweep(
        init=["xavier_normal", "kaiming_normal"],
        activation=["relu"],
        depth=[50],
        width=[128],
        seeds=1,
        batch=64,
        progress=False,
    )
    v = r.verdicts()
    assert v[("xavier_normal", "relu", 50, 128, None, None)] == "vanishing"
    assert v[("kaiming_normal", "relu", 50, 128, None, None)] == "healthy"


# -------------------------------------------------------------------------------- help, flags


@pytest.mark.parametrize(
    "command, options",
    [
        ([], ["run", "sweep", "diagnose", "theory", "--cmakedir", "--includes", "--version"]),
        (
            ["run"],
            [
                "--out",
                "--quick",
                "--no-report",
                "--no-train",
                "--depths",
                "--activations",
                "--inits",
                "--width",
                "--seeds",
                "--batch",
                "--epochs",
                "--threads",
                "--seed",
            ],
        ),
        (
            ["sweep"],
            [
                "--inits",
                "--activations",
                "--depths",
                "--widths",
                "--seeds",
                "--steps",
                "--batch",
                "--sigma-w",
                "--sigma-b",
                "--threads",
                "--csv",
                "--json",
                "--plot",
                "--clip-norm",
                "--lr",
            ],
        ),
        (
            ["diagnose"],
            [
                "--sizes",
                "--activation",
                "--init",
                "--output",
                "--batch",
                "--labels",
                "--seed",
                "--csv",
            ],
        ),
        (["theory"], ["--activation", "--sigma-w", "--sigma-b", "--q0", "--depth"]),
    ],
)
def test_help(command: list[str], options: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main([*command, "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith("usage: fastinit")
    for opt in options:
        assert opt in text, f"{opt} missing from `fastinit {' '.join(command)} --help`"


def test_help_subprocess(tmp_path: Path) -> None:
    proc = _run_cli("--help", cwd=tmp_path, timeout=60)
    assert proc.returncode == 0 and "fastinit run" in proc.stdout, proc.stderr


def test_cmakedir_includes_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--cmakedir"]) == 0
    assert capsys.readouterr().out.strip() == fi.get_cmake_dir()
    assert main(["--includes"]) == 0
    assert capsys.readouterr().out.strip() == f"-I{fi.get_include()}"
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith(f"fastinit {fi.__version__} (")


# ----------------------------------------------------------------------- commands in-process


def test_default_command_is_run_table_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert (
        main(
            [
                "--quick",
                "--no-report",
                "--no-critical",
                "--activations",
                "relu",
                "--inits",
                "zeros,kaiming_normal",
                "--no-progress",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert re.search(r"^zeros\s+relu\s+10\s.*symmetric$", out, re.M), out
    assert re.search(r"^kaiming_normal\s+relu\s+10\s.*healthy$", out, re.M), out
    assert not (tmp_path / "fastinit-report").exists()


def test_sweep_csv_json_plot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv_path = tmp_path / "sub" / "r.csv"
    rc = main(
        [
            "sweep",
            "--inits",
            "zeros,normal,kaiming_normal",
            "--activations",
            "relu,tanh",
            "--depths",
            "4,8",
            "--widths",
            "32",
            "--seeds",
            "2",
            "--batch",
            "32",
            "--csv",
            str(csv_path),
            "--json",
            str(tmp_path / "r.json"),
            "--plot",
            str(tmp_path / "r.png"),
            "--no-progress",
        ]
    )
    assert rc == 0
    out = capsys.readouterr().out
    assert "verdict" in out and "24 configurations" in out
    with open(csv_path, newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 3 * 2 * 2 * 2
    assert {r["init"] for r in rows} == {"zeros", "normal", "kaiming_normal"}
    assert all(r["verdict"] == "symmetric" for r in rows if r["init"] == "zeros")
    with open(tmp_path / "sub" / "r_layers.csv", newline="") as f:
        assert len(list(csv.DictReader(f))) == 2 * 3 * 2 * (5 + 9)
    assert len(json.loads((tmp_path / "r.json").read_text())["records"]) == 24
    assert (tmp_path / "r.png").read_bytes()[:8] == PNG_MAGIC


def test_sweep_sigma_grid_with_training(capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(
        [
            "sweep",
            "--sigma-w",
            "0.5,2",
            "--sigma-b",
            "0",
            "--activations",
            "tanh",
            "--depths",
            "20",
            "--widths",
            "32",
            "--seeds",
            "1",
            "--steps",
            "3",
            "--clip-norm",
            "1",
            "--no-progress",
        ]
    )
    assert rc == 0
    out = capsys.readouterr().out
    assert re.search(r"^sigma\(w=0\.5,b=0\)\s+tanh\s+20\s.*vanishing", out, re.M), out
    assert "final loss" in out and "2 configurations" in out


def test_sweep_bad_name_is_a_clean_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sweep", "--inits", "bogus", "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "bogus" in err and "Traceback" not in err


def test_diagnose(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(
        [
            "diagnose",
            "--sizes",
            "64,128,128,128,128,128,128,10",
            "--activation",
            "relu",
            "--init",
            "normal",
            "--output",
            "softmax",
            "--batch",
            "64",
            "--csv",
            str(tmp_path / "d.csv"),
            "--json",
            str(tmp_path / "d.json"),
        ]
    )
    assert rc == 0
    out = capsys.readouterr().out
    assert "Verdict: exploding" in out or "Verdict: nonfinite" in out, out
    table = [ln for ln in out.splitlines() if re.match(r"\s+\d+\s+(relu|softmax)\s", ln)]
    assert len(table) == 7, out
    with open(tmp_path / "d.csv", newline="") as f:
        assert [int(r["layer"]) for r in csv.DictReader(f)] == [1, 2, 3, 4, 5, 6, 7]
    assert json.loads((tmp_path / "d.json").read_text())["verdict"] in ("exploding", "nonfinite")


@pytest.mark.parametrize(
    "init, extra, verdict",
    [
        ("kaiming_normal", [], "healthy"),
        ("zeros", [], "symmetric"),
        ("lsuv", [], "healthy"),
        ("sigma", ["--sigma-w", "1.4142135623730951"], "healthy"),
    ],
)
def test_diagnose_inits(
    init: str, extra: list[str], verdict: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rc = main(
        [
            "diagnose",
            "--sizes",
            "64,128,128,128,128,10",
            "--activation",
            "relu",
            "--init",
            init,
            "--batch",
            "128",
            "--labels",
            *extra,
        ]
    )
    assert rc == 0
    assert f"Verdict: {verdict}." in capsys.readouterr().out


@pytest.mark.skipif(not HAVE_THEORY, reason="fastinit.theory is not available")
def test_theory(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["theory", "--activation", "relu,tanh", "--sigma-b", "0", "--depth", "3"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"relu, sigma_b = 0.*\n\s+critical sigma_w .*: 1\.41421", out), out
    assert re.search(r"tanh, sigma_b = 0.*\n\s+critical sigma_w .*: 1\b", out), out
    assert "chaotic" in out and "ordered" in out and "layer   3" in out
    assert main(["theory", "--activation", "tanh", "--sigma-w", "1.5", "--sigma-b", "0.05"]) == 0
    row = [ln for ln in capsys.readouterr().out.splitlines() if ln.strip().startswith("1.5 ")]
    assert row and float(row[0].split()[2]) == pytest.approx(
        fi.theory.chi1("tanh", sigma_w=1.5, sigma_b=0.05), rel=1e-3
    )


# ---------------------------------------------------------------------------- figures, edges


def test_plot_depth_profiles_handles_zeros_and_overflow(tmp_path: Path) -> None:
    r = fi.sweep(
        init=["zeros", "normal", "kaiming_normal"],
        activation=["relu", "sigmoid"],
        depth=[60],
        width=[64],
        seeds=2,
        batch=32,
        progress=False,
    )
    prof = fi.plot.depth_profiles(r)
    assert not np.isfinite(prof[("relu", "normal")]["a_std"]).all()  # overflows in float32
    assert np.all(prof[("relu", "zeros")]["a_std"] == 0)
    path = r.plot(tmp_path / "p.png")
    assert path.read_bytes()[:8] == PNG_MAGIC


def test_log_panels_draw_zeros_and_label_short_ranges() -> None:
    """Exact zeros are drawn (on the bottom edge), a short range carries >= 3 readable labels,
    and every default scheme has its own colour, line style and marker."""
    pytest.importorskip("matplotlib")
    fig = fi.plot.new_figure(4, 3)
    ax = fig.subplots()
    assert fi.plot.log_line(ax, np.arange(4), np.zeros(4), color="k")
    (zeros,) = ax.lines
    assert len(zeros.get_xdata()) == 4 and zeros.get_marker() == "v"
    for lo, hi in ((0.11, 0.45), (0.3, 0.95), (0.02, 3.0)):
        ax = fig.add_subplot()
        fi.plot.log_line(ax, np.arange(3), np.array([lo, (lo * hi) ** 0.5, hi]), color="k")
        fi.plot.log_axis(ax)
        fig.canvas.draw()
        labels = [t.get_text() for t in ax.get_yticklabels() if t.get_visible() and t.get_text()]
        ticks = [v for v in ax.get_yticks() if ax.get_ylim()[0] <= v <= ax.get_ylim()[1]]
        assert len(ticks) >= 3, (lo, hi, ticks)
        assert all(re.fullmatch(r"[0-9.e+-]+", lab) for lab in labels), labels
    styles = fi.plot.scheme_styles(list(fi.plot.SCHEME_COLORS) + ["spare1", "spare2"])
    looks = {(st["color"], str(st["ls"]), st["marker"]) for st in styles.values()}
    assert len(looks) == len(styles) and len({st["marker"] for st in styles.values()}) == len(
        styles
    )


def test_report_total_counts_a_sweep_made_before(tmp_path: Path) -> None:
    from fastinit import study

    r = fi.sweep(init=["kaiming_normal"], activation=["relu"], depth=[3], width=[8], seeds=1)
    out = study.write_report(tmp_path / "rep", True, results=r, sweep_seconds=1000.0, train=False)
    html = out["index"].read_text(encoding="utf-8")
    total = float(re.search(r"total ([0-9.]+) s", html).group(1))
    assert 1000.0 <= total < 1000.0 + out["seconds"] + 1


def test_plot_histograms_and_training(tmp_path: Path) -> None:
    from fastinit import study

    p = study.plot_histograms(
        tmp_path / "h.png",
        inits=("normal", "zeros", "lsuv"),
        activations=("tanh", "relu"),
        depth=40,
        width=32,
        batch=64,
    )
    assert p.read_bytes()[:8] == PNG_MAGIC
    training = study.train_digits(("zeros", "normal"), ("relu",), depth=8, width=32, epochs=1)
    assert len(training["runs"]) == 4
    normal = [r for r in training["runs"] if r["init"] == "normal"]
    assert any(r["nonfinite"] for r in normal if r["clip_norm"] is None)
    assert all(not r["nonfinite"] for r in normal if r["clip_norm"] is not None)
    p = study.plot_training(tmp_path / "t.png", training)
    assert p.read_bytes()[:8] == PNG_MAGIC
    data = study.load_dataset("synthetic")
    assert data["X_train"].shape[1] == 64 and data["X_train"].dtype == np.float32


@pytest.mark.skipif(not HAVE_THEORY, reason="fastinit.theory is not available")
def test_plot_phase_diagram(tmp_path: Path) -> None:
    from fastinit import study

    p = study.plot_phase_diagram(["tanh", "relu", "sigmoid"], tmp_path / "ph.png", points=(21, 11))
    assert p.read_bytes()[:8] == PNG_MAGIC


def test_verdict_table_and_format() -> None:
    from fastinit import study

    r = fi.sweep(
        init=["zeros", "kaiming_normal"],
        activation=["relu"],
        depth=[5],
        width=[32],
        seeds=3,
        batch=32,
        progress=False,
    )
    rows = study.verdict_table(r)
    assert [(x["scheme"], x["verdict"], x["seeds"]) for x in rows] == [
        ("zeros", "symmetric", 3),
        ("kaiming_normal", "healthy", 3),
    ]
    text = study.format_verdict_table(rows)
    assert text.isascii() and "symmetric" in text and "healthy" in text


def test_report_without_matplotlib_still_writes_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastinit import study
    from fastinit.study import run

    monkeypatch.setattr(run, "have_matplotlib", lambda: False)
    notes: list[str] = []
    out = study.write_report(
        tmp_path / "r",
        quick=True,
        inits=["zeros", "normal"],
        activations=["relu"],
        epochs=1,
        train_width=16,
        log=notes.append,
        progress=False,
    )
    assert out["figures"] == {} and not list((tmp_path / "r").glob("*.png"))
    assert any("matplotlib" in n for n in notes), notes
    for name in ("results.csv", "results_layers.csv", "results.json", "training.json"):
        assert (tmp_path / "r" / name).is_file(), name
    html = out["index"].read_text(encoding="utf-8")
    assert "<img" not in html and "Training, with and without gradient clipping" in html


# ------------------------------------------------------- bad arguments: checked before any work


@pytest.mark.parametrize(
    "argv, message",
    [
        (["sweep", "--widths", "100000000000"], "--widths must be in 1.."),
        (["sweep", "--depths", "100000000000", "--widths", "8"], "--depths must be in 1.."),
        (["sweep", "--widths", "100000", "--depths", "10"], "GiB"),
        (["sweep", "--threads", "100000"], "--threads must be in 1..1024"),
        (["sweep", "--seeds", "0"], "--seeds must be in 1.."),
        (["sweep", "--lr", "nan"], "--lr must be a finite number"),
        (["sweep", "--inits", ","], "--inits is empty"),
        (["sweep", "--inits", "bogus"], "unknown name 'bogus'"),
        (["sweep", "--json", "/proc/fastinit-nope/r.json"], "--json"),
        (["diagnose", "--sizes", "10,100000000000,10"], "--sizes must be in 1.."),
        (["diagnose", "--sizes", "10"], "--sizes needs an input and an output size"),
        (["diagnose", "--threads", "2147483648"], "--threads must be in 1..1024"),
        (["diagnose", "--batch", "0"], "--batch must be in 1.."),
        (["diagnose", "--init", "sparse", "--sizes", "8,8,8"], "sparse_ needs parameters"),
        (["diagnose", "--init", "bogus"], "unknown name 'bogus'"),
        (["diagnose", "--activation", "bogus"], "unknown name 'bogus'"),
        (["run", "--epochs", "-1"], "--epochs must be in 0.."),
        (["run", "--width", "0", "--no-report"], "--width must be in 1.."),
        (["run", "--seed", "-1"], "--seed must be in 0.."),
        (["run", "--quick", "--out", "/proc/fastinit-nope"], "--out /proc/fastinit-nope"),
        (["theory", "--depth", "100000000000"], "--depth must be in 0.."),
        (["theory", "--activation", "bogus"], "unknown name 'bogus'"),
        (["theory", "--q0", "-1"], "--q0 must be a finite number >= 0"),
    ],
    ids=lambda x: " ".join(x) if isinstance(x, list) else None,
)
def test_bad_arguments_exit_2_with_usage_before_any_work(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    t0 = time.perf_counter()
    assert main([*argv, "--no-progress"] if argv[0] in ("run", "sweep") else argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # nothing was run
    err = captured.err.rstrip().splitlines()
    assert err[0].startswith(f"usage: fastinit {argv[0]}"), captured.err
    assert err[-1].startswith(f"fastinit {argv[0]}: error: ") and message in err[-1], err[-1]
    assert "Traceback" not in captured.err and "array(" not in captured.err
    assert time.perf_counter() - t0 < 10


def test_an_existing_file_is_not_a_report_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "f").write_text("")
    assert main(["run", "--quick", "--out", str(tmp_path / "f")]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_sweep_json_is_strict(tmp_path: Path) -> None:
    # N(0, 1) weights overflow float32 at depth 60: NaN / inf values are written as null
    rc = main(
        [
            "sweep",
            "--inits",
            "normal",
            "--activations",
            "relu",
            "--depths",
            "60",
            "--widths",
            "64",
            "--seeds",
            "1",
            "--batch",
            "16",
            "--json",
            str(tmp_path / "r.json"),
            "--no-progress",
        ]
    )
    assert rc == 0
    text = (tmp_path / "r.json").read_text()

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in the JSON")

    data = json.loads(text, parse_constant=refuse)
    assert any(v is None for row in data["layers"] for v in row.values())


def test_most_common_verdict_ties_go_to_the_first_of_verdicts() -> None:
    from fastinit.diagnostics import VERDICTS, most_common_verdict

    a, b = VERDICTS[1], VERDICTS[3]
    assert most_common_verdict([b, a]) == a == most_common_verdict([a, b])
    assert most_common_verdict([a, b, b]) == b
