"""``fastinit.diagnose``: per-layer statistics of one forward and backward pass, and a verdict.

The work is done in C++ (``diagnostics.hpp``, which documents every statistic and the verdict
thresholds): one forward and backward pass, then per layer the pre-activation mean, std and
second moment q; activation mean and std; dead and saturated fractions; ||dL/dZ||, ||dL/dA||,
||dW||, ||db||, ||dW||/||W||; and how alike the rows of W and of dW are. Without ``y`` the
backward pass starts from a standard-normal upstream gradient drawn from ``generator``.

Verdicts: healthy, vanishing, exploding, saturated, dead, symmetric, nonfinite.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._loader import core as _core
from .mlp import MLP

VERDICTS: tuple[str, ...] = tuple(_core.verdict_names())


@dataclass
class Diagnosis:
    """The per-layer table (``layers``), the fitted per-layer log-slopes and the verdict."""

    layers: list[dict[str, Any]]
    verdict: str
    reason: str
    loss: float
    log_q_slope: float  #: slope of log q_l over the hidden layers (per layer)
    log_grad_z_slope: float  #: slope of log ||dL/dZ_l|| from the output back to the input
    activations: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "layers": self.layers, "verdict": self.verdict, "reason": self.reason,
            "loss": self.loss, "log_q_slope": self.log_q_slope,
            "log_grad_z_slope": self.log_grad_z_slope,
        }

    def to_pandas(self) -> Any:
        """The per-layer table as a pandas DataFrame (needs pandas)."""
        import pandas as pd

        return pd.DataFrame(self.layers).set_index("layer")

    def explain(self) -> str:
        """One paragraph: the verdict, why, and the measured slopes."""
        first, last = self.layers[0], self.layers[-1]
        return (
            f"Verdict: {self.verdict}. {self.reason} Over {len(self.layers)} layers the "
            f"pre-activation second moment q changes by a factor of "
            f"{np.exp(self.log_q_slope):.3g} per layer and the back-propagated gradient "
            f"||dL/dZ|| by {np.exp(self.log_grad_z_slope):.3g} per layer on its way from the "
            f"output ({last['grad_z_norm']:.3g}) to the first layer ({first['grad_z_norm']:.3g}); "
            f"the activation std goes from {first['a_std']:.3g} to "
            f"{self.layers[max(len(self.layers) - 2, 0)]['a_std']:.3g}."
        )

    def __repr__(self) -> str:
        return f"Diagnosis(verdict={self.verdict!r}, layers={len(self.layers)})"


def diagnose(net: MLP, X: np.ndarray, y: np.ndarray | None = None,
             generator: Any = None) -> Diagnosis:
    """One forward and backward pass of ``net`` on ``X`` (and ``y``); statistics and verdict."""
    if not isinstance(net, MLP):
        raise TypeError(f"expected a fastinit.MLP, got {type(net).__name__}")
    d = _core.diagnose(net._core, X, y, generator)
    acts = (*net.activations, net.output)
    for row, act in zip(d["layers"], acts):
        row["activation"] = act
    return Diagnosis(d["layers"], d["verdict"], d["reason"], d["loss"], d["log_q_slope"],
                     d["log_grad_z_slope"], acts)


__all__ = ["VERDICTS", "Diagnosis", "diagnose"]
