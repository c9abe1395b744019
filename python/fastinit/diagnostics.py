"""Per-layer forward / backward statistics of one pass and a verdict on the initialization.

``diagnose(net, X, y)`` runs one forward and backward pass and reads the network's per-layer
caches (Z, A, dZ) and gradients. Without ``y`` the targets are drawn from ``generator``
(standard normal for a linear output, uniform labels for softmax, fair coins for sigmoid).

Verdict thresholds (documented, in order of precedence):
  nonfinite  any NaN / inf in activations or gradients
  symmetric  the rows of some hidden W_l are identical (mean |cosine| between rows > 0.999, or
             all rows zero): hidden units cannot become different
  dead       > 50 % of the units of some ReLU-family layer are zero for the whole batch
  saturated  > 50 % of the units of some tanh / sigmoid layer saturate (|tanh| > 0.99,
             sigmoid outside [0.01, 0.99])
  exploding  activation std or ||dL/dZ|| grows by more than 1e3 across the depth
  vanishing  activation std or ||dL/dZ|| shrinks by more than 1e3 across the depth
  healthy    otherwise
Activations and dL/dZ are both judged: ||dW_l|| can stay flat while both vanish.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._loader import core as _core
from .mlp import MLP

_SATURATING = {"tanh", "sigmoid"}
_RELU_FAMILY = {"relu"}


def _row_similarity(W: np.ndarray) -> float:
    rows = W[: min(len(W), 64)].astype(np.float64)
    norms = np.linalg.norm(rows, axis=1)
    if np.all(norms == 0):
        return 1.0
    if len(rows) < 2:
        return 0.0
    rows = rows / np.where(norms == 0, 1, norms)[:, None]
    c = np.abs(rows @ rows.T)
    n = len(rows)
    return float((c.sum() - np.trace(c)) / (n * (n - 1)))


def _slope(values: list[float]) -> float:
    v = np.asarray(values, dtype=np.float64)
    ok = np.isfinite(v) & (v > 0)
    if ok.sum() < 2:
        return float("nan")
    x = np.arange(len(v))[ok]
    return float(np.polyfit(x, np.log(v[ok]), 1)[0])


@dataclass
class Diagnosis:
    """The per-layer table, the fitted log-slopes per layer and the verdict."""

    layers: list[dict[str, float]]
    verdict: str
    reason: str
    slopes: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"layers": self.layers, "verdict": self.verdict, "reason": self.reason,
                "slopes": self.slopes}

    def to_pandas(self) -> Any:
        import pandas as pd

        return pd.DataFrame(self.layers)

    def explain(self) -> str:
        s = self.slopes
        return (
            f"Verdict: {self.verdict}. {self.reason} Across {len(self.layers)} layers the "
            f"pre-activation second moment q changes by a factor e^{s.get('log_q', float('nan')):.3f} "
            f"per layer and the back-propagated gradient ||dL/dZ|| by e^"
            f"{s.get('log_grad_z', float('nan')):.3f} per layer (from the output back to the input)."
        )


def diagnose(net: MLP, X: np.ndarray, y: np.ndarray | None = None, generator: Any = None) -> Diagnosis:
    """One forward and backward pass of ``net`` on ``X``; per-layer statistics and a verdict."""
    if y is None:
        g = generator if generator is not None else _core.default_generator()
        n, k = X.shape[0], net.layer_sizes[-1]
        if net.output == "softmax":
            u = np.empty(n, dtype=np.float64)
            _core.uniform_(u, 0.0, float(k), generator=g)
            y = np.minimum(u.astype(np.int64), k - 1)
        elif net.output == "sigmoid":
            y = np.empty((n, k), dtype=net.dtype)
            _core.uniform_(y, generator=g)
            y = (y > 0.5).astype(net.dtype)
        else:
            y = np.empty((n, k), dtype=net.dtype)
            _core.normal_(y, generator=g)
    loss, grads = net.loss_and_grad(X, y)
    with np.errstate(all="ignore"):  # non-finite statistics are reported, not warned about
        return _diagnosis(net, loss, grads)


def _diagnosis(net: MLP, loss: float, grads: Any) -> Diagnosis:
    rows: list[dict[str, float]] = []
    L = net.num_layers
    for l in range(L):
        Z = net.cache("Z", l).astype(np.float64)
        dZ = net.cache("dZ", l).astype(np.float64)
        hidden = l < L - 1
        A = net.cache("A", l).astype(np.float64) if hidden else Z
        act = net.activations[l] if hidden else net.output
        W = net.weights[l]
        dW = grads.weights[l]
        wn = float(np.linalg.norm(W))
        row = {
            "layer": l + 1,
            "activation": act,
            "z_mean": float(Z.mean()),
            "z_std": float(Z.std()),
            "q": float(np.mean(Z * Z)),
            "a_mean": float(A.mean()),
            "a_std": float(A.std()),
            "dead_frac": float(np.mean(np.all(A == 0, axis=0))) if act in _RELU_FAMILY else 0.0,
            "saturated_frac": _saturated(act, A),
            "grad_z_norm": float(np.linalg.norm(dZ)),
            "grad_a_norm": float(np.linalg.norm(net.cache("dA", l))) if hidden else float("nan"),
            "grad_w_norm": float(np.linalg.norm(dW)),
            "grad_b_norm": float(np.linalg.norm(grads.biases[l])),
            "grad_w_ratio": float(np.linalg.norm(dW) / wn) if wn > 0 else float("inf"),
            "w_row_similarity": _row_similarity(W),
            "grad_w_row_similarity": _row_similarity(dW),
        }
        rows.append(row)
    slopes = {
        "log_q": _slope([r["q"] for r in rows[:-1]] or [r["q"] for r in rows]),
        "log_grad_z": _slope([r["grad_z_norm"] for r in rows][::-1]),
    }
    verdict, reason = _verdict(rows, loss)
    return Diagnosis(rows, verdict, reason, slopes)


def _saturated(act: str, A: np.ndarray) -> float:
    if act == "tanh":
        return float(np.mean(np.abs(A) > 0.99))
    if act == "sigmoid":
        return float(np.mean((A < 0.01) | (A > 0.99)))
    return 0.0


def _verdict(rows: list[dict[str, Any]], loss: float) -> tuple[str, str]:
    hidden = rows[:-1]
    skip = {"grad_w_ratio", "grad_a_norm"}  # inf for zero weights; undefined at the output
    numeric = [v for r in rows for k, v in r.items() if isinstance(v, float) and k not in skip]
    numeric += [r["grad_a_norm"] for r in hidden]
    if not np.isfinite(loss) or not all(np.isfinite(v) for v in numeric):
        return "nonfinite", "Some activations or gradients are NaN or infinite."
    for r in hidden[1:]:
        if r["w_row_similarity"] > 0.999:
            return "symmetric", f"The rows of W_{r['layer']} are identical: its hidden units stay alike."
    for r in hidden:
        if r["dead_frac"] > 0.5:
            return "dead", f"{100 * r['dead_frac']:.0f}% of layer {r['layer']}'s units are zero for every input."
        if r["saturated_frac"] > 0.5:
            return "saturated", f"{100 * r['saturated_frac']:.0f}% of layer {r['layer']}'s activations saturate."
    if hidden:
        a0, a1 = hidden[0]["a_std"], hidden[-1]["a_std"]
    else:
        a0 = a1 = 1.0
    g0, g1 = rows[-1]["grad_z_norm"], rows[0]["grad_z_norm"]  # output side, input side
    ratios = {"activation std": a1 / a0 if a0 > 0 else 0.0, "||dL/dZ||": g1 / g0 if g0 > 0 else 0.0}
    for what, r in ratios.items():
        if r > 1e3:
            return "exploding", f"The {what} grows {r:.3g}x across the depth."
    for what, r in ratios.items():
        if r < 1e-3:
            return "vanishing", f"The {what} shrinks to {r:.3g}x across the depth."
    return "healthy", "Activations and gradients keep their scale across the depth."


__all__ = ["Diagnosis", "diagnose"]
