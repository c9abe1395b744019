"""``fastinit.diagnose``: per-layer statistics of one forward and backward pass, and a verdict.

The work is done in C++ (``diagnostics.hpp``, which documents every statistic and the verdict
thresholds): one forward and backward pass, then per layer the pre-activation mean, std and
second moment q; activation mean and std; dead and saturated fractions; ||dL/dZ||, ||dL/dA||,
||dW||, ||db||, ||dW||/||W||; how alike the rows of W and of dW are; and the two-input
correlation c_l of Schoenholz et al. 2017 (rows paired (0, 1), (2, 3), ...; the mean over pairs of
<z_a, z_b> / (|z_a| |z_b|)). Without ``y`` the backward pass starts from a standard-normal
upstream gradient drawn from ``generator``.

Beside each measurement the table holds its mean-field prediction, layer by layer, from that
layer's own fan and weights: sigma_w,l = sqrt(fan_in_l * mean(W_l**2)), sigma_b,l =
sqrt(mean(b_l**2)); q_1 = sigma_w,1**2 mean(X**2) + sigma_b,1**2, q_{l+1} = F_l(q_l) (the length
map of layer l's activation with layer l+1's sigma_w and sigma_b); ||dZ_l|| = ||dZ_{l+1}||
sqrt(chi_l(q_l)) from the measured ||dZ_L|| back. The predicted slopes are fitted to that profile
exactly as the measured ones are fitted to the measurements.

Verdicts: healthy, vanishing, exploding, saturated, dead, symmetric, nonfinite. Vanishing /
exploding: the activation std (first to last hidden layer) or ||dL/dZ|| (output back to the first
layer) changes by more than a factor of e^3 = 20.1 over the network, which is depth > 6 depth
scales (Schoenholz et al. 2017's trainability bound; the reasoning is in ``diagnostics.hpp``).

``jacobian="output"`` (or ``True``) adds the singular values of J(x) = dZ_L/dx (the output before
the loss) for the first ``jacobian_points`` rows of ``X``; ``jacobian="hidden"`` those of
dA_{L-1}/dx, Pennington et al. 2017's product of D_l W_l with a nonlinearity after every layer,
the form ``fastinit.theory.jacobian_moments`` predicts.
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
    #: mean-field predictions of the two slopes (NaN when they do not apply), fitted to the
    #: per-layer predicted columns of ``layers`` (each layer's own sigma_w and sigma_b, inputs of
    #: mean square mean(X**2))
    predicted_log_q_slope: float = float("nan")
    predicted_log_grad_z_slope: float = float("nan")
    sigma_w: float = float("nan")  #: root mean square over layers of sigma_w,l (the table has each)
    sigma_b: float = float("nan")  #: root mean square over layers of sigma_b,l
    #: c of the input rows (the same pairs as each layer's ``correlation``)
    input_correlation: float = float("nan")
    #: which Jacobian was measured: "output" (dZ_L/dx), "hidden" (dA_{L-1}/dx) or None
    jacobian: str | None = None
    #: (points, min(D_0, D_out)) float64, each row one point's singular values, descending;
    #: None unless ``diagnose(..., jacobian=...)`` asked for them
    jacobian_singular_values: np.ndarray | None = None

    @property
    def jacobian_spectrum(self) -> np.ndarray:
        """Every point's singular values pooled into one 1-D array, descending (the empirical
        spectrum to histogram); raises ValueError when no Jacobian was measured."""
        sv = self._jacobian()
        return np.sort(sv.ravel())[::-1]

    def jacobian_moments(self) -> dict[str, float]:
        """``{"mean", "variance"}`` of the pooled squared singular values: the quantities
        ``fastinit.theory.jacobian_moments`` predicts."""
        s2 = np.square(self._jacobian().ravel())
        return {"mean": float(np.mean(s2)), "variance": float(np.var(s2))}

    def _jacobian(self) -> np.ndarray:
        if self.jacobian_singular_values is None:
            raise ValueError(
                "no Jacobian was measured: call fastinit.diagnose(net, X, jacobian=True)"
            )
        return self.jacobian_singular_values

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
            "input_correlation": self.input_correlation,
            "jacobian": self.jacobian,
            "jacobian_singular_values": (
                None
                if self.jacobian_singular_values is None
                else self.jacobian_singular_values.tolist()
            ),
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
                f" Mean-field theory, layer by layer with each layer's own sigma_w and sigma_b "
                f"(root mean square {self.sigma_w:.3g} and {self.sigma_b:.3g}), predicts factors "
                f"of {np.exp(self.predicted_log_q_slope):.3g} for q and "
                f"{np.exp(self.predicted_log_grad_z_slope):.3g} for ||dL/dZ||."
            )
        return text

    def __repr__(self) -> str:
        return f"Diagnosis(verdict={self.verdict!r}, layers={len(self.layers)})"


def _jacobian_kind(jacobian: Any) -> str | None:
    if jacobian is None or jacobian is False:
        return None
    if jacobian is True:
        return "output"
    if isinstance(jacobian, str):
        return jacobian  # checked by the core (jacobian.hpp owns the names)
    raise TypeError(
        f"argument 'jacobian': expected True, False, 'output' or 'hidden', got "
        f"{type(jacobian).__name__}"
    )


def diagnose(
    net: Any,
    X: np.ndarray,
    y: np.ndarray | None = None,
    generator: Any = None,
    *,
    jacobian: bool | str = False,
    jacobian_points: int = 32,
) -> Diagnosis:
    """One forward and backward pass of ``net`` on ``X`` (and ``y``); statistics and verdict.

    ``net`` is a :class:`fastinit.MLP` or a ``torch.nn.Sequential(Linear, activation, ...)``,
    diagnosed as ``MLP.from_torch(net)`` (its parameters copied; torch is imported only then).

    ``jacobian``: ``False`` (default), ``True`` or ``"output"`` for J = dZ_L/dx, ``"hidden"``
    for dA_{L-1}/dx. Its singular values are measured on the first ``jacobian_points`` rows of
    ``X`` (all rows when there are fewer; the rest are not used for it): each point costs about
    min(D_0, D_out) * sum_l D_l D_{l-1} multiply-adds, run in parallel over points.
    """
    if not isinstance(net, MLP) and type(net).__module__.partition(".")[0] == "torch":
        net = MLP.from_torch(net)
    if not isinstance(net, MLP):
        raise TypeError(
            f"diagnose: argument 'net': expected a fastinit.MLP or a torch.nn.Sequential, "
            f"got {type(net).__name__}"
        )
    kind = _jacobian_kind(jacobian)
    points = _args.integer("jacobian_points", jacobian_points, 1)
    d = _core.diagnose(net._core, X, y, _args.generator(generator), kind, points)
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
        input_correlation=d["input_correlation"],
        jacobian=kind,
        jacobian_singular_values=d.get("jacobian_singular_values"),
    )
    _add_predictions(out, net, X)
    return out


def _fit(values: np.ndarray) -> float:
    ok = np.isfinite(values)
    if ok.sum() < 2:
        return float("nan")
    return float(np.polyfit(np.arange(len(values))[ok], values[ok], 1)[0])


def _layer_sigmas(net: MLP, d: Diagnosis) -> tuple[np.ndarray, np.ndarray]:
    """Per layer: sigma_w,l = sqrt(fan_in_l * mean(W_l**2)) = ||W_l|| / sqrt(fan_out_l) (the
    norm the compiled pass measured), sigma_b,l = sqrt(mean(b_l**2))."""
    fan_out = np.asarray(net.layer_sizes[1:], dtype=np.float64)
    with np.errstate(all="ignore"):
        sw = np.array([row["w_norm"] for row in d.layers], dtype=np.float64) / np.sqrt(fan_out)
        sb = [np.sqrt(np.mean(np.square(b, dtype=np.float64))) for b in net.biases]
    return sw, np.asarray(sb, dtype=np.float64)


def _add_predictions(d: Diagnosis, net: MLP, X: np.ndarray) -> None:
    """Per-layer mean-field predictions (each layer's own sigma_w, sigma_b) into the table, and
    the slopes fitted to them the same way as the measurements."""
    acts = [tuple(a) for a in net._core.activations]
    sw, sb = _layer_sigmas(net, d)
    with np.errstate(all="ignore"):
        q0 = float(np.mean(np.square(np.asarray(X, dtype=np.float64))))
        d.sigma_w = float(np.sqrt(np.mean(sw**2)))
        d.sigma_b = float(np.sqrt(np.mean(sb**2)))
    # q_l, log(||dZ_l|| / ||dZ_L||) and the two-input correlation c_l (from the measured input
    # correlation), layer by layer in one compiled call: fastinit.theory's q-map, chi and c-map
    # with each layer's own sigma_w, sigma_b and activation (theory.hpp, predict_layers)
    q, log_g, c = _core.theory_predict_layers(acts, sw, sb, q0, d.input_correlation)
    g_out = d.layers[-1]["grad_z_norm"]
    for l, row in enumerate(d.layers):
        row["sigma_w"] = float(sw[l])
        row["sigma_b"] = float(sb[l])
        row["predicted_q"] = float(q[l])
        row["predicted_grad_z_norm"] = float(g_out * np.exp(log_g[l]))
        row["predicted_correlation"] = float(c[l])
    hidden = max(len(sw) - 1, 1)  # as the measured slope: q over the hidden layers
    with np.errstate(all="ignore"):
        d.predicted_log_q_slope = _fit(np.log(q[:hidden]))
        d.predicted_log_grad_z_slope = _fit(log_g[::-1])


__all__ = ["VERDICTS", "Diagnosis", "diagnose", "most_common_verdict"]
