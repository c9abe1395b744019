"""``fastinit.study``: the classic weight-initialization study (``fastinit run``), built on the
library's public API only.

The study follows the classic write-up of weight-initialization practice:

* all-zero weights make every hidden unit of a layer compute the same function and receive the same
  gradient: the symmetry is never broken (verdict ``symmetric``);
* N(0, 1) weights multiply the variance of the signal by about ``fan_in`` (ReLU: ``fan_in / 2``)
  per layer: activations and gradients explode, or tanh / sigmoid units saturate;
* Xavier / Glorot (Var W = 2 / (fan_in + fan_out)) keeps the scale of a linear / tanh network;
  with ReLU it halves the variance per layer, so a deep ReLU net vanishes;
* He / Kaiming (Var W = 2 / fan_in) compensates ReLU's halving at any depth;
* gradient clipping rescales a too-large gradient and keeps training finite, but does not repair
  a bad initialization's forward pass.

Modules:

``params``    the study's parameters (``FULL``, ``QUICK``), scheme and verdict words and colours
``networks``  ``build_network``: the one place a scheme name becomes an initialized network
``data``      ``load_dataset``: scikit-learn's digits, offline (or a synthetic stand-in)
``training``  ``train_digits``: training runs with and without gradient clipping
``tables``    ``verdict_table`` / ``format_verdict_table``: the verdicts, aggregated over seeds
``figures``   ``plot_histograms``, ``plot_training`` (depth profiles: ``fastinit.plot``)
``phase``     ``plot_phase_diagram``: chi1 over (sigma_w, sigma_b), the critical line
``html`` / ``page``  the report's tables, observations and ``index.html``
``run``       ``run_study`` / ``write_report``: the whole study and its report folder
``cli``       the ``fastinit`` command (``fastinit.__main__`` calls ``cli.main``)
"""

from __future__ import annotations

from .data import load_dataset
from .figures import layer_activations, plot_histograms, plot_training
from .networks import build_network
from .params import CRITICAL, FULL, QUICK, TRAIN_INITS, study_parameters
from .phase import plot_phase_diagram
from .run import run_study, write_report
from .tables import format_verdict_table, merge_results, verdict_table
from .training import train_digits

__all__ = [
    "CRITICAL",
    "FULL",
    "QUICK",
    "TRAIN_INITS",
    "build_network",
    "format_verdict_table",
    "layer_activations",
    "load_dataset",
    "merge_results",
    "plot_histograms",
    "plot_phase_diagram",
    "plot_training",
    "run_study",
    "study_parameters",
    "train_digits",
    "verdict_table",
    "write_report",
]
