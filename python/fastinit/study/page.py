"""The report page (``index.html``): the classic write-up's lessons, then one section per figure,
each with a caption that says what to look for, and the tables."""

from __future__ import annotations

import html
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

import fastinit as fi
from fastinit.plot import display_name, unique

from .html import CSS, detail_html, observations, pivot_html, training_html, training_observations
from .params import SCHEME_TEXT, VERDICT_COLORS, VERDICT_TEXT
from .tables import verdict_lookup

e = html.escape


def _intro(
    p: Mapping[str, Any],
    rows: Sequence[Mapping[str, Any]],
    depths: Sequence[int],
    quick: bool,
    seed: int,
    timing: Mapping[str, float],
) -> list[str]:
    """The title, what was run, and the lessons the study checks."""
    info = fi.build_info()
    return [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>fastinit: weight initialization report</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>Weight initialization: what goes wrong and what fixes it</h1>",
        f'<p class="meta">fastinit {e(fi.__version__)} ({e(str(info.get("module")))}, '
        f"{e(str(info.get('simd')))}), {fi.get_num_threads()} threads · "
        f"{time.strftime('%Y-%m-%d %H:%M')} · {'quick run' if quick else 'full run'} · "
        f"schemes {e(', '.join(display_name(s) for s in unique(r['scheme'] for r in rows)))} × "
        f"activations {e(', '.join(p['activations']))} × depths {e(', '.join(map(str, depths)))}; "
        f"width {p['width']}, batch {p['batch']}, {p['seeds']} seed(s), base seed {seed} · "
        f"{e(', '.join(f'{k} {v:.1f} s' for k, v in timing.items()))}</p>",
        "<p>Every configuration is a fully connected network of <i>depth</i> hidden layers of "
        "equal width with a softmax output, fed a batch of Gaussian inputs with random labels. One "
        "forward and one backward pass measure, per layer, the spread of the activations and the "
        "size of the back-propagated gradient ‖dL/dZ‖; a verdict summarizes them. The lessons are "
        "those of the classic write-up of initialization practice:</p><ul>",
        "<li><b>Symmetry.</b> With all-zero (or all-equal) weights every hidden unit of a layer "
        "computes the same function and receives the same gradient, so gradient descent keeps "
        "them identical: the layer acts like a single unit. Random initialization breaks the "
        "symmetry.</li>",
        "<li><b>Vanishing and exploding.</b> Each layer multiplies the variance of the signal by "
        "about n·Var(W) (n = fan_in; ReLU keeps half of it). Drawn from N(0, 1), the weights make "
        "that factor n (hundreds): activations and gradients explode, or tanh / sigmoid units "
        "saturate and pass back almost nothing. Too small weights make it vanish.</li>",
        "<li><b>Xavier / Glorot</b> chooses Var(W) = 2 / (fan_in + fan_out) (≈ 1/n) so that, for "
        "activations that are linear around 0 such as tanh, the variance is kept both forward and "
        "backward.</li>",
        "<li><b>He / Kaiming</b> chooses Var(W) = 2 / fan_in for ReLU, compensating the half of "
        "the variance ReLU discards, so even very deep ReLU networks keep their scale.</li>",
        "<li><b>Gradient clipping</b> rescales the gradient g to c·g/‖g‖ when ‖g‖ &gt; c. It keeps "
        "single steps from blowing up training, but cannot repair a network whose forward pass is "
        "already out of scale.</li></ul>",
    ]


def _verdicts(
    rows: Sequence[Mapping[str, Any]], depths: Sequence[int], notes: Sequence[str]
) -> list[str]:
    """The notes of the run, the verdict pivot, its legend and the observations."""
    lookup = verdict_lookup(rows)
    parts: list[str] = []
    if notes:
        parts.append("<p><b>Notes:</b> " + "<br>".join(e(n) for n in notes) + "</p>")
    parts += [
        "<h2>Verdicts</h2>",
        "<p>The most common verdict over the seeds (the count in brackets when they "
        "disagree; hover a cell for the reason).</p>",
        pivot_html(rows),
        '<p class="legend">'
        + "".join(
            f'<span style="background:{c}"><b>{k}</b>: {e(VERDICT_TEXT[k])}</span>'
            for k, c in VERDICT_COLORS.items()
        )
        + "</p>",
    ]
    obs = observations(lookup, depths)
    if obs:
        parts.append("<ul>" + "".join(f"<li>{o}</li>" for o in obs) + "</ul>")
    parts.append(
        "<p>Schemes: "
        + "; ".join(
            f"<b>{e(display_name(s))}</b> — {e(SCHEME_TEXT.get(s, s))}"
            for s in unique(r["scheme"] for r in rows)
        )
        + ".</p>"
    )

    return parts


def _depth_figures(figures: Mapping[str, Path], depths: Sequence[int]) -> list[str]:
    d = max(depths)
    parts: list[str] = []
    parts.append("<h2>Signal and gradient across depth</h2>")
    for dd in depths:
        key = f"depth_profiles_d{dd}"
        if key in figures:
            parts.append(
                f'<figure><img src="{e(figures[key].name)}" alt="depth profiles, depth {dd}">'
                f"<figcaption>The Glorot &amp; Bengio / He et al. figure at depth {dd}: top, the "
                "std of each hidden layer's activations; bottom, the norm of the back-propagated "
                "gradient ‖dL/dZ‖ at each layer (log scales, median over seeds). A flat line is "
                "a well-scaled network; a straight rising or falling line is a constant factor per "
                "layer, exploding or vanishing exponentially with depth. N(0, 1) rises by orders "
                "of magnitude per layer with ReLU (an x marks the layer after which it overflows), "
                "Xavier with ReLU falls steadily, He with ReLU and Xavier with tanh stay flat. "
                "All-zero weights give zero activations (or the constant 0.5 for sigmoid) and zero "
                "gradients below the output, drawn as triangles on the bottom edge (a log axis has "
                "no 0): nothing to learn. Each scheme has its own colour, line style and marker, "
                "so lines that coincide (He, orthogonal and LSUV often do) stay apart."
                "</figcaption></figure>"
            )
    if "histograms" in figures:
        parts.append("<h2>Activation distributions</h2>")
        parts.append(
            f'<figure><img src="{e(figures["histograms"].name)}" alt="activation histograms">'
            f"<figcaption>Histograms of the activations at layers 1, L/4, L/2 and L (depth {d}), "
            "as in Glorot &amp; Bengio (2010). With tanh, N(0, 1) weights pile the activations "
            "up at ±1 (saturated units, whose derivative is ~0); Xavier keeps them spread inside "
            "(-1, 1) with a slowly narrowing peak. For ReLU the x axis is log10 |a| of the "
            "non-zero activations: a curve that moves right from layer to layer is exploding "
            "(N(0, 1): a factor √(n/2) per layer, about a decade at width 256), one that moves "
            "left is vanishing (Xavier), and He keeps every layer in place.</figcaption></figure>"
        )
    return parts


def _training(training: Mapping[str, Any], figures: Mapping[str, Path]) -> list[str]:
    parts: list[str] = []
    cfg = training["config"]
    parts.append("<h2>Training, with and without gradient clipping</h2>")
    parts.append(
        (
            f'<figure><img src="{e(figures["training"].name)}" alt="training curves">'
            if "training" in figures
            else "<figure>"
        )
        + f"<figcaption>{e(training['dataset']['description'])}; {cfg['n_train']} training and "
        f"{cfg['n_test']} test samples. Networks of {cfg['depth']} hidden layers of "
        f"{cfg['width']} units trained with SGD (lr {cfg['lr']:g}, momentum "
        f"{cfg['momentum']:g}, batch {cfg['batch_size']}, {cfg['epochs']} epochs), each "
        "scheme once without clipping (solid) and once with the global gradient norm clipped "
        f"at {cfg['clip_norm']:g} (dashed; the same initial weights and batches). Top: the "
        "loss of every step; bottom: the gradient norm before clipping (the dotted line is the "
        "clipping threshold). What to look for: all-zero weights stay at the loss of a "
        "uniform guess (ln 10 ≈ 2.30), as symmetric units cannot learn; N(0, 1) with ReLU "
        "starts with an enormous loss and gradient and, unclipped, diverges to NaN within "
        "a few steps, while clipping keeps it finite but cannot make its loss small; Xavier "
        "and He train. What happened in this run:</figcaption></figure>"
    )
    parts.append(
        "<ul>" + "".join(f"<li>{o}</li>" for o in training_observations(training)) + "</ul>"
    )
    parts.append(training_html(training))
    return parts


def _phase(figures: Mapping[str, Path], p: Mapping[str, Any], critical: bool) -> list[str]:
    parts: list[str] = []
    if "phase_diagram" in figures:
        parts.append("<h2>The edge of chaos</h2>")
        parts.append(
            f'<figure><img src="{e(figures["phase_diagram"].name)}" alt="phase diagram">'
            "<figcaption>Mean-field theory (Poole et al. 2016; Schoenholz et al. 2017) makes the "
            "rules exact for wide networks with weights N(0, σ_w²/fan_in) and biases N(0, σ_b²): "
            "the pre-activation second moment converges to a fixed point q*, and each layer "
            "multiplies the squared gradient norm by χ₁ = σ_w² E[φ'(√q* z)²]. Blue (χ₁ &lt; 1) is "
            "the ordered phase where gradients vanish, red (χ₁ &gt; 1) the chaotic phase where "
            "they explode; the black line is the edge of chaos χ₁ = 1. He initialization is "
            "exactly critical for ReLU (σ_w = √2, for any σ_b), Xavier for tanh at σ_b = 0 "
            "(σ_w = 1). Triangles mark the schemes' σ_w at σ_b = 0."
            + (
                " The verdict table's <i>critical σ_w*</i> row initializes each activation on this "
                f"line at σ_b = {p['sigma_b']:g}; note sigmoid, whose critical σ_w ≈ 10 keeps the "
                "gradient but saturates the units."
                if critical
                else ""
            )
            + "</figcaption></figure>"
        )
    return parts


def _trainability_observations(t: Mapping[str, Any]) -> list[str]:
    """What the trainability run shows: the best sigma_w^2 at each depth, and where the
    deepest networks still learn."""
    acc = np.asarray(t["accuracy"], dtype=np.float64)
    sw2, depths = t["sigma_w2"], t["depths"]
    out = []
    for i, d in enumerate(depths):
        row = acc[i]
        if np.isfinite(row).any():
            j = int(np.nanargmax(row))
            out.append(
                f"depth {d}: best σ_w² = {sw2[j]:g} ({row[j]:.2f}), worst {np.nanmin(row):.2f}"
            )
    return out


def _papers(papers: Mapping[str, Any], figures: Mapping[str, Path]) -> list[str]:
    parts: list[str] = []
    t = papers["trainability"]
    cfg = t["config"]
    parts.append("<h2>Trainability: how deep can a network be and still learn?</h2>")
    parts.append(
        (
            f'<figure><img src="{e(figures["trainability"].name)}" alt="trainability">'
            if "trainability" in figures
            else "<figure>"
        )
        + f"<figcaption>Schoenholz et al. (2017), Fig. 5, on {e(cfg['data'])}: the test "
        f"accuracy (held-out 20%) of {cfg['activation']} networks of width {cfg['width']} with "
        f"weights N(0, σ_w²/fan_in) and biases N(0, σ_b² = {cfg['sigma_b'] ** 2:.3g}), trained "
        f"with SGD (lr {cfg['lr']:g}, batch {cfg['batch_size']}, {cfg['epochs']} epochs), over "
        "σ_w² (x) and depth (y). The dashed line is 6 ξ_c, six correlation depth scales of the "
        "mean-field theory (ξ_c = −1/ln χ_c at the correlation fixed point c*, positive on both "
        "sides of the edge of chaos and infinite on it; the dotted line). What to look for: "
        "shallow networks train at every σ_w²; as depth grows the trainable band narrows onto "
        "the edge of chaos, and networks deeper than about 6 ξ_c stay near chance (two inputs' "
        "correlations have converged to c* by then, so the output no longer tells the inputs "
        "apart). On this small data set and short training the boundary is softer than in the "
        "paper (MNIST, many more steps), but its shape is the same. This run: "
        + "; ".join(e(o) for o in _trainability_observations(t))
        + ".</figcaption></figure>"
    )
    sp = papers["jacobian_spectra"]
    parts.append("<h2>Dynamical isometry: the Jacobian's singular values</h2>")
    rows = "".join(
        f"<tr><td>{e(c['activation'])}</td><td>{e(c['weights'])}</td><td>{c['depth']}</td>"
        f"<td>{c['measured']['mean']:.3g}</td><td>{c['theory']['mean']:.3g}</td>"
        f"<td>{c['measured']['variance']:.3g}</td><td>{c['theory']['variance']:.3g}</td></tr>"
        for c in sp["cases"]
    )
    parts.append(
        (
            f'<figure><img src="{e(figures["jacobian_spectra"].name)}" alt="Jacobian spectra">'
            if "jacobian_spectra" in figures
            else "<figure>"
        )
        + "<figcaption>Pennington, Schoenholz &amp; Ganguli (2017), Fig. 1: the density of the "
        "singular values of the input-output Jacobian J = ∂A_L/∂x (log10 scale), measured by "
        f'<code>fastinit.diagnose(net, X, jacobian="hidden")</code> on networks of width '
        f"{sp['width']} at {sp['points']} inputs each, the inputs at the length map's fixed "
        "point q*. Top: tanh at its critical σ_w (χ₁ = 1); bottom: ReLU with He's σ_w = √2. "
        "Solid: orthogonal weights; dashed: Gaussian. What to look for: every network is "
        "critical, so the mean squared singular value stays about 1 at every depth, but only "
        "orthogonal tanh keeps the whole spectrum near 1 (dynamical isometry); Gaussian "
        "weights spread it over decades as depth grows, and ReLU spreads it with either "
        "weights. The table compares the measured moments of σ² with the free-probability "
        "predictions of <code>fastinit.theory.jacobian_moments</code> (finite width and few "
        "inputs make the measured variance noisy at large depth).</figcaption></figure>"
    )
    parts.append(
        '<table class="detail"><tr><th>activation</th><th>weights</th><th>depth</th>'
        "<th>E[σ²] measured</th><th>theory</th><th>Var[σ²] measured</th><th>theory</th></tr>"
        + rows
        + "</table>"
    )
    return parts


def _files(
    rows: Sequence[Mapping[str, Any]],
    training: Mapping[str, Any] | None,
    quick: bool,
    seed: int,
    papers: bool = False,
) -> list[str]:
    parts: list[str] = []
    parts += [
        "<h2>All configurations</h2>",
        detail_html(rows),
        "<h2>Files</h2><ul>",
        '<li><a href="results.csv">results.csv</a>: one row per configuration and seed '
        "(verdict, reason, first / last activation std and gradient, log-slopes)</li>",
        '<li><a href="results_layers.csv">results_layers.csv</a>: one row per configuration '
        "and layer (every statistic of <code>fastinit.diagnose</code>)</li>",
        '<li><a href="results.json">results.json</a>: parameters, verdict table, records and '
        "layers (strict JSON: inf / NaN as null)</li>",
    ]
    if training is not None:
        parts.append(
            '<li><a href="training.json">training.json</a>: per-step loss and gradient '
            "norm of every training run</li>"
        )
    if papers:
        parts.append(
            '<li><a href="papers.json">papers.json</a>: the trainability grid and the Jacobian '
            "singular values with their measured and predicted moments</li>"
        )
    parts += [
        "</ul>",
        '<p class="meta">Reproduce: <code>fastinit run'
        + (" --quick" if quick else "")
        + f" --seed {seed}</code></p>",
        "</body></html>",
    ]
    return parts


def render_page(
    p: Mapping[str, Any],
    rows: Sequence[Mapping[str, Any]],
    figures: Mapping[str, Path],
    training: Mapping[str, Any] | None,
    notes: Sequence[str],
    depths: Sequence[int],
    quick: bool,
    seed: int,
    timing: Mapping[str, float],
    critical: bool,
    papers: Mapping[str, Any] | None = None,
) -> str:
    """The whole ``index.html``: every figure in ``figures`` (by name), the tables of ``rows``
    (``verdict_table``) and of ``training`` (``train_digits``), the ``notes`` of the run."""
    parts = _intro(p, rows, depths, quick, seed, timing)
    parts += _verdicts(rows, depths, notes)
    parts += _depth_figures(figures, depths)
    if training is not None:
        parts += _training(training, figures)
    parts += _phase(figures, p, critical)
    if papers is not None:
        parts += _papers(papers, figures)
    parts += _files(rows, training, quick, seed, papers is not None)
    return "\n".join(parts)


__all__ = ["render_page"]
