"""The study's parameters (``FULL``, ``QUICK``), its scheme labels and the words and colours of
the verdicts. Scheme colours and display names are the library's (``fastinit.plot``)."""

from __future__ import annotations

from typing import Any

from fastinit.plot import display_name
from fastinit.sweep import DEFAULT_ACTIVATIONS, DEFAULT_INITS

TRAIN_INITS: tuple[str, ...] = ("zeros", "normal", "xavier_normal", "kaiming_normal")
CRITICAL = "critical"  #: the scheme label of the sigma sweep at the critical sigma_w

FULL: dict[str, Any] = {
    "inits": DEFAULT_INITS,
    "activations": DEFAULT_ACTIVATIONS,
    "depths": (10, 50),
    "width": 256,
    "seeds": 3,
    "batch": 128,
    "sigma_b": 0.05,
    "train_activations": ("relu", "tanh"),
    "train_depth": 10,
    "train_width": 128,
    "epochs": 10,
    "hist_inits": ("normal", "xavier_normal", "kaiming_normal"),
    "hist_activations": ("tanh", "relu"),
    "hist_width": 256,
    "hist_batch": 512,
    "phase_grid": (161, 81),
    # the papers' figures: trainability on digits (Schoenholz et al. 2017, Fig. 5) and the
    # Jacobian's singular values (Pennington et al. 2017, Fig. 1)
    "trainability_sigma_w2": tuple(1.0 + 0.25 * i for i in range(13)),  # 1.0, 1.25, ..., 4.0
    "trainability_depths": (4, 8, 16, 24, 32, 48, 64, 96),
    "trainability_width": 64,
    "trainability_epochs": 10,
    "jacobian_depths": (4, 16, 64),
    "jacobian_width": 200,
}
QUICK: dict[str, Any] = {
    **FULL,
    "depths": (10,),
    "width": 64,
    "seeds": 1,
    "batch": 64,
    "train_activations": ("relu",),
    "train_width": 64,
    "epochs": 3,
    "hist_width": 64,
    "hist_batch": 256,
    "phase_grid": (61, 31),
    "trainability_sigma_w2": (1.0, 1.75, 2.5, 4.0),
    "trainability_depths": (4, 16, 32),
    "trainability_width": 32,
    "trainability_epochs": 4,
    "jacobian_depths": (4, 16),
    "jacobian_width": 64,
}


def study_parameters(quick: bool = False, **overrides: Any) -> dict[str, Any]:
    """The parameters of the study (``QUICK`` or ``FULL``), with ``overrides`` that are not None."""
    p = dict(QUICK if quick else FULL)
    for k, v in overrides.items():
        if k not in p:
            raise TypeError(f"unknown study parameter {k!r}; valid: {', '.join(p)}")
        if v is not None:
            p[k] = tuple(v) if isinstance(v, list) else v
    return p


SCHEME_TEXT = {
    "zeros": "all-zero weights",
    "normal": "N(0, 1) weights",
    "xavier_normal": "Xavier / Glorot normal: Var W = 2 / (fan_in + fan_out)",
    "kaiming_normal": "He / Kaiming normal: Var W = gain² / fan_in",
    "orthogonal": "orthogonal (Saxe et al.), scaled by the activation's gain",
    "lsuv": "LSUV: orthogonal, then each layer rescaled to unit output variance on the batch",
    CRITICAL: "W ~ N(0, σ_w*² / fan_in), b ~ N(0, σ_b²) at the edge of chaos χ₁ = 1",
}

VERDICT_COLORS = {
    "healthy": "#c8e6c9",
    "vanishing": "#bbdefb",
    "exploding": "#ffcdd2",
    "nonfinite": "#ef9a9a",
    "saturated": "#ffe0b2",
    "dead": "#d7ccc8",
    "symmetric": "#e1bee7",
}
VERDICT_TEXT = {
    "healthy": "activations and gradients keep their scale across the depth",
    "vanishing": (
        "activation std or ||dL/dZ|| shrinks by more than e^3 = 20x across the depth "
        "(beyond 6 depth scales)"
    ),
    "exploding": (
        "activation std or ||dL/dZ|| grows by more than e^3 = 20x across the depth "
        "(beyond 6 depth scales)"
    ),
    "nonfinite": "the forward or backward pass overflowed to inf / NaN",
    "saturated": "more than half of a tanh / sigmoid layer's units are saturated",
    "dead": "more than half of a ReLU layer's units are zero for every input",
    "symmetric": "the rows of a hidden weight matrix are alike: units are copies of each other",
}


def ascii_name(scheme: str) -> str:
    """How a scheme is named in the terminal (ASCII only)."""
    return {"normal": "normal(0,1)", CRITICAL: "critical sigma_w"}.get(scheme, scheme)


__all__ = [
    "CRITICAL",
    "FULL",
    "QUICK",
    "SCHEME_TEXT",
    "TRAIN_INITS",
    "VERDICT_COLORS",
    "VERDICT_TEXT",
    "ascii_name",
    "display_name",
    "study_parameters",
]
