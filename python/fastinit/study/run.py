"""The study end to end: ``run_study`` (the sweep) and ``write_report`` (figures, training runs,
tables and ``index.html`` in one folder)."""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import fastinit as fi
from fastinit import Results
from fastinit.export import write_json
from fastinit.optional import available
from fastinit.plot import plot_depth_profiles, scheme_label

from .data import load_dataset
from .figures import plot_histograms, plot_training
from .page import render_page
from .papers import jacobian_spectra, plot_jacobian_spectra, plot_trainability, trainability
from .params import CRITICAL, TRAIN_INITS, study_parameters
from .phase import plot_phase_diagram
from .tables import merge_results, verdict_table
from .training import train_digits


def have_matplotlib() -> bool:
    """Whether the figures can be drawn."""
    return available("matplotlib")


def _critical_sweeps(
    p: Mapping[str, Any], seed: int, common: Mapping[str, Any], say: Callable[[str], None]
) -> list[Results]:
    """The ``sigma`` scheme at each activation's critical sigma_w for the study's sigma_b."""
    th = fi.theory
    parts = []
    for i, act in enumerate(p["activations"]):
        try:
            sw = float(th.critical_sigma_w(act, p["sigma_b"]))
        except ValueError as e:
            say(f"note: no critical sigma_w for {act}: {e}")
            continue
        parts.append(
            fi.sweep(
                init=[],
                activation=[act],
                sigma_w=[sw],
                sigma_b=[p["sigma_b"]],
                seed=seed + 1 + i,
                **common,
            )
        )
    return parts


def run_study(
    quick: bool = False,
    *,
    threads: int | None = None,
    seed: int = 0,
    progress: bool | None = None,
    critical: bool = True,
    log: Callable[[str], None] | None = None,
    **overrides: Any,
) -> Results:
    """The sweep of the study: every scheme x activation x depth (``study_parameters``), plus,
    when ``fastinit.theory`` is available and ``critical``, the ``sigma`` scheme at the critical
    sigma_w of each activation for the study's sigma_b (scheme label ``"critical"``). Every
    record gets a ``scheme`` key."""
    p = study_parameters(quick, **overrides)
    say = log or (lambda s: None)
    common = {
        "depth": list(p["depths"]),
        "width": [p["width"]],
        "seeds": p["seeds"],
        "batch": p["batch"],
        "threads": threads,
        "progress": progress,
    }
    parts = []
    if p["inits"]:
        parts.append(
            fi.sweep(init=list(p["inits"]), activation=list(p["activations"]), seed=seed, **common)
        )
    if critical:
        parts += _critical_sweeps(p, seed, common, say)
    res = merge_results(parts)
    for r in res.records:
        r["scheme"] = CRITICAL if r["init"] == "sigma" and critical else scheme_label(r)
    return res


class _Report:
    """The state of one report being written: its folder, parameters, files, notes, timings."""

    def __init__(self, out: Path, p: dict[str, Any], say: Callable[[str], None]) -> None:
        self.out, self.p, self.say = out, p, say
        self.files: dict[str, Path] = {}
        self.figures: dict[str, Path] = {}
        self.notes: list[str] = []
        self.timing: dict[str, float] = {}

    def note(self, s: str) -> None:
        self.notes.append(s)
        self.say(s)

    def tables(self, results: Results, rows: list[dict[str, Any]]) -> None:
        out = self.out
        self.files["results.csv"] = results.to_csv(out / "results.csv")
        self.files["results_layers.csv"] = out / "results_layers.csv"
        self.files["results.json"] = write_json(
            out / "results.json",
            {
                "fastinit": fi.__version__,
                "parameters": self.p,
                "verdicts": rows,
                "records": results.records,
                "layers": results.layers,
            },
        )

    def sweep_figures(self, results: Results, depths: list[int], seed: int) -> None:
        p, t = self.p, time.perf_counter()
        for d in depths:
            self.say(f"figure: depth profiles, depth {d}")
            self.figures[f"depth_profiles_d{d}"] = plot_depth_profiles(
                results, self.out / f"depth_profiles_d{d}.png", depth=d
            )
        hist_depth = max(depths)
        self.say(f"figure: activation histograms, depth {hist_depth}")
        self.figures["histograms"] = plot_histograms(
            self.out / "histograms.png",
            inits=p["hist_inits"],
            activations=p["hist_activations"],
            depth=hist_depth,
            width=p["hist_width"],
            batch=p["hist_batch"],
            seed=seed,
        )
        self.timing["figures"] = time.perf_counter() - t

    def training(self, seed: int, progress: bool | None, plots: bool) -> dict[str, Any]:
        p = self.p
        self.say(
            f"training on digits: {len(TRAIN_INITS)} schemes x {len(p['train_activations'])} "
            f"activations x (no clipping, clipping) ..."
        )
        t = time.perf_counter()
        training = train_digits(
            TRAIN_INITS,
            p["train_activations"],
            depth=p["train_depth"],
            width=p["train_width"],
            epochs=p["epochs"],
            seed=seed,
            progress=progress,
        )
        self.timing["training"] = time.perf_counter() - t
        if plots:
            self.figures["training"] = plot_training(self.out / "training.png", training)
        self.files["training.json"] = write_json(self.out / "training.json", training)
        return training

    def papers(self, seed: int, threads: int | None, plots: bool) -> dict[str, Any]:
        """The papers' experiments: trainability on digits and the Jacobian spectra."""
        p = self.p
        ds = load_dataset("digits", seed=seed)  # a synthetic stand-in without scikit-learn
        self.say(f"trainability on {ds['name']}: sigma_w^2 x depth, tanh ...")
        t = time.perf_counter()
        train = trainability(
            "tanh",
            data=(ds["X_train"], ds["y_train"], ds["X_test"], ds["y_test"]),
            data_name=ds["name"],
            sigma_w2=p["trainability_sigma_w2"],
            depths=p["trainability_depths"],
            sigma_b=math.sqrt(0.05),
            width=p["trainability_width"],
            epochs=p["trainability_epochs"],
            seed=seed,
            threads=threads,
        )
        if plots:
            self.figures["trainability"] = plot_trainability(self.out / "trainability.png", train)
        self.timing["trainability"] = time.perf_counter() - t
        self.say("Jacobian spectra: orthogonal vs Gaussian weights ...")
        t = time.perf_counter()
        spectra = jacobian_spectra(
            depths=p["jacobian_depths"], width=p["jacobian_width"], seed=seed
        )
        if plots:
            self.figures["jacobian_spectra"] = plot_jacobian_spectra(
                self.out / "jacobian_spectra.png", spectra
            )
        self.timing["jacobian_spectra"] = time.perf_counter() - t
        out = {"trainability": train, "jacobian_spectra": spectra}
        self.files["papers.json"] = write_json(self.out / "papers.json", out)
        return out

    def phase_diagram(self) -> None:
        self.say("figure: mean-field phase diagram")
        t = time.perf_counter()
        self.figures["phase_diagram"] = plot_phase_diagram(
            list(self.p["activations"]),
            self.out / "phase_diagram.png",
            width=self.p["width"],
            points=self.p["phase_grid"],
        )
        self.timing["phase_diagram"] = time.perf_counter() - t


def write_report(
    out_dir: str | os.PathLike[str] = "fastinit-report",
    quick: bool = False,
    *,
    results: Results | None = None,
    sweep_seconds: float | None = None,
    threads: int | None = None,
    seed: int = 0,
    progress: bool | None = None,
    train: bool = True,
    log: Callable[[str], None] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """Run the study (unless ``results`` of :func:`run_study` are given) and write the report
    folder: ``depth_profiles_d<depth>.png`` (one per depth), ``histograms.png``, ``training.png``,
    ``phase_diagram.png``, ``trainability.png`` and ``jacobian_spectra.png`` (their numbers in
    ``papers.json``; these and the training runs only with ``train``), ``results.csv`` +
    ``results_layers.csv``, ``results.json`` (strict JSON: inf / NaN written as null),
    ``training.json`` and ``index.html``. ``overrides`` are :func:`study_parameters`;
    ``sweep_seconds`` is the time the given ``results`` took (shown in the report).

    Returns ``{"out_dir", "index", "figures": {name: path}, "files": {name: path},
    "verdicts": verdict_table rows, "training": [per-run summaries], "notes", "seconds"}``.
    """
    t_start = time.perf_counter()
    say = log or (lambda s: None)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rep = _Report(out, study_parameters(quick, **overrides), say)
    if sweep_seconds is not None:
        rep.timing["sweep"] = float(sweep_seconds)
    if results is None:
        say("sweep: schemes x activations x depths ...")
        t = time.perf_counter()
        results = run_study(
            quick, threads=threads, seed=seed, progress=progress, log=rep.note, **overrides
        )
        rep.timing["sweep"] = time.perf_counter() - t
    rows = verdict_table(results)
    depths = sorted({r["depth"] for r in results.records})
    rep.tables(results, rows)
    plots = have_matplotlib()
    if not plots:
        rep.note(
            "note: matplotlib is not installed: no figures (pip install 'fastinit-nn[report]')"
        )
    else:
        rep.sweep_figures(results, depths, seed)
    training = rep.training(seed, progress, plots) if train else None
    if plots:
        rep.phase_diagram()
    papers = rep.papers(seed, threads, plots) if train else None
    # the whole run: a sweep made before this call (sweep_seconds) counts, as it does when run here
    rep.timing["total"] = time.perf_counter() - t_start + (sweep_seconds or 0.0)
    critical = any(r["scheme"] == CRITICAL for r in rows)
    page = render_page(
        rep.p,
        rows,
        rep.figures,
        training,
        rep.notes,
        depths,
        quick,
        seed,
        rep.timing,
        critical,
        papers,
    )
    index = out / "index.html"
    index.write_text(page, encoding="utf-8")
    rep.files["index.html"] = index
    say(f"report: {index}")
    summary = [
        {k: v for k, v in r.items() if k not in ("step_loss", "step_grad_norm", "epoch_loss")}
        for r in (training["runs"] if training is not None else [])
    ]
    return {
        "out_dir": out,
        "index": index,
        "figures": rep.figures,
        "files": rep.files,
        "verdicts": rows,
        "training": summary,
        "notes": rep.notes,
        "seconds": time.perf_counter() - t_start,
    }


__all__ = ["run_study", "write_report"]
