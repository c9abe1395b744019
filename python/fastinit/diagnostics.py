"""``fastinit.diagnose``: per-layer statistics of one forward and backward pass, and a verdict.

The work is done in C++ (``diagnostics.hpp``, which documents every statistic and the verdict
thresholds): one forward and backward pass, then per layer the pre-activation mean, std and
second moment q; activation mean and std; dead and saturated fractions; ||dL/dZ||, ||dL/dA||,
||dW||, ||db||, ||dW||/||W||; and how alike the rows of W and of dW are. Without ``y`` the
backward pass starts from a standard-normal upstream gradient drawn from ``generator``.

Verdicts: healthy, vanishing, exploding, saturated, dead, symmetric, nonfinite.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _args
from ._loader import core as _core
from .mlp import MLP
from .optional import require

VERDICTS: tuple[str, ...] = tuple(_core.verdict_names())


def most_common_verdict(verdicts: Iterable[str]) -> str:
    """The most common of ``verdicts`` (e.g. over the seeds of one configuration); a tie goes to
    the verdict listed first in ``VERDICTS``."""
    v = list(verdicts)
    if not v:
        raise ValueError("most_common_verdict: no verdicts")
    return min(set(v), key=lambda x: (-v.count(x), VERDICTS.index(x)))


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
    #: mean-field predictions of the two slopes (NaN when they do not apply: mixed activations,
    #: zero weights), for weights of the measured sigma_w = sqrt(fan_in * mean(W**2)) and biases
    #: of sigma_b = sqrt(mean(b**2)) on inputs of mean square mean(X**2)
    predicted_log_q_slope: float = float("nan")
    predicted_log_grad_z_slope: float = float("nan")
    sigma_w: float = float("nan")
    sigma_b: float = float("nan")

    def to_dict(self) -> dict[str, Any]:
        return {
            "layers": self.layers,
            "verdict": self.verdict,
            "reason": self.reason,
            "loss": self.loss,
            "log_q_slope": self.log_q_slope,
            "log_grad_z_slope": self.log_grad_z_slope,
            "predicted_log_q_slope": self.predicted_log_q_slope,
            "predicted_log_grad_z_slope": self.predicted_log_grad_z_slope,
            "sigma_w": self.sigma_w,
            "sigma_b": self.sigma_b,
        }

    def to_pandas(self) -> Any:
        """The per-layer table as a pandas DataFrame (needs pandas)."""
        pd = require("pandas", purpose="Diagnosis.to_pandas")
        return pd.DataFrame(self.layers).set_index("layer")

    def explain(self) -> str:
        """One paragraph: the verdict, why, and the measured slopes."""
        first, last = self.layers[0], self.layers[-1]
        text = (
            f"Verdict: {self.verdict}. {self.reason} Over {len(self.layers)} layers the "
            f"pre-activation second moment q changes by a factor of "
            f"{np.exp(self.log_q_slope):.3g} per layer and the back-propagated gradient "
            f"||dL/dZ|| by {np.exp(self.log_grad_z_slope):.3g} per layer on its way from the "
            f"output ({last['grad_z_norm']:.3g}) to the first layer ({first['grad_z_norm']:.3g}); "
            f"the activation std goes from {first['a_std']:.3g} to "
            f"{self.layers[max(len(self.layers) - 2, 0)]['a_std']:.3g}."
        )
        if np.isfinite(self.predicted_log_q_slope):
            text += (
                f" Mean-field theory (sigma_w = {self.sigma_w:.3g}, sigma_b = {self.sigma_b:.3g}) "
                f"predicts factors of {np.exp(self.predicted_log_q_slope):.3g} for q and "
                f"{np.exp(self.predicted_log_grad_z_slope):.3g} for ||dL/dZ||."
            )
        return text

    def __repr__(self) -> str:
        return f"Diagnosis(verdict={self.verdict!r}, layers={len(self.layers)})"


def diagnose(
    net: Any, X: np.ndarray, y: np.ndarray | None = None, generator: Any = None
) -> Diagnosis:
    """One forward and backward pass of ``net`` on ``X`` (and ``y``); statistics and verdict.

    ``net`` is a :class:`fastinit.MLP` or a ``torch.nn.Sequential(Linear, activation, ...)``,
    diagnosed as ``MLP.from_torch(net)`` (its parameters copied; torch is imported only then).
    """
    if not isinstance(net, MLP) and type(net).__module__.partition(".")[0] == "torch":
        net = MLP.from_torch(net)
    if not isinstance(net, MLP):
        raise TypeError(
            f"diagnose: argument 'net': expected a fastinit.MLP or a torch.nn.Sequential, "
            f"got {type(net).__name__}"
        )
    d = _core.diagnose(net._core, X, y, _args.generator(generator))
    acts = (*net.activations, net.output)
    for row, act in zip(d["layers"], acts, strict=True):
        row["activation"] = act
    out = Diagnosis(
        d["layers"],
        d["verdict"],
        d["reason"],
        d["loss"],
        d["log_q_slope"],
        d["log_grad_z_slope"],
        acts,
    )
    _add_predictions(out, net, X)
    return out


def _fit(values: np.ndarray) -> float:
    ok = np.isfinite(values)
    if ok.sum() < 2:
        return float("nan")
    return float(np.polyfit(np.arange(len(values))[ok], values[ok], 1)[0])


def _add_predictions(d: Diagnosis, net: MLP, X: np.ndarray) -> None:
    """Mean-field predictions of the fitted slopes, fitted the same way as the measurements."""
    from . import theory

    hidden = net.activations
    if not hidden or len(set(hidden)) != 1:
        return
    with np.errstate(all="ignore"):
        sw2 = np.mean([w.shape[1] * np.mean(np.square(w, dtype=np.float64)) for w in net.weights])
        sb2 = np.mean([np.mean(np.square(b, dtype=np.float64)) for b in net.biases])
        q0 = float(np.mean(np.square(X, dtype=np.float64)))
    if not (np.isfinite(sw2) and sw2 > 0 and np.isfinite(q0)):
        return
    d.sigma_w, d.sigma_b = float(np.sqrt(sw2)), float(np.sqrt(sb2))
    try:
        p = theory.predicted_log_slopes(hidden[0], d.sigma_w, d.sigma_b, q0=q0, depth=len(hidden))
    except ValueError:
        return
    with np.errstate(all="ignore"):
        d.predicted_log_q_slope = _fit(np.log(p["q"]))
        # ||dZ_L|| -> ||dZ_l||: each step back through hidden layer l multiplies by sqrt(chi(q_l))
        logs = np.concatenate([[0.0], np.cumsum(p["log_grad_slope"][::-1])])
        d.predicted_log_grad_z_slope = _fit(logs)


__all__ = ["VERDICTS", "Diagnosis", "diagnose", "most_common_verdict"]
