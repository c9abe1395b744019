"""The report's figures of the papers: trainability on digits over sigma_w^2 x depth with 6 xi_c
(Schoenholz et al. 2017) and the Jacobian's singular values for orthogonal vs Gaussian weights
(Pennington et al. 2017)."""

from __future__ import annotations

import math
from pathlib import Path

import fastinit as fi
import numpy as np
import pytest

pytest.importorskip("sklearn")
from fastinit.study import papers  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_trainability_peaks_at_the_edge_of_chaos() -> None:
    """At depth 64 tanh networks near the critical sigma_w^2 (about 1.76 at sigma_b^2 = 0.05)
    learn digits; in the ordered phase (sigma_w^2 = 1) they stay near chance, as 6 xi_c says."""
    t = papers.trainability(sigma_w2=(1.0, 1.75), depths=(4, 64), width=64, epochs=10)
    acc = t["accuracy"]
    assert acc.shape == (2, 2) and np.all((acc >= 0) & (acc <= 1))
    assert t["chance"] == pytest.approx(0.1)
    assert acc[0, 0] > 0.6 and acc[0, 1] > 0.6  # shallow: both train
    assert acc[1, 1] > acc[1, 0] + 0.25, acc  # deep: only near criticality
    assert acc[1, 0] < 0.3, acc
    xi = papers.xi_c_curve("tanh", math.sqrt(0.05), np.array([1.0, 1.75]))
    assert 6 * xi[0] < 64 < 6 * xi[1]  # the theory draws the boundary between them


def test_trainability_is_the_same_for_any_thread_count() -> None:
    kw = {"sigma_w2": (1.5, 2.5), "depths": (3, 6), "width": 16, "epochs": 2}
    a = papers.trainability(threads=1, **kw)
    b = papers.trainability(threads=2, **kw)
    np.testing.assert_array_equal(a["accuracy"], b["accuracy"])


def test_trainability_rejects_bad_grids() -> None:
    with pytest.raises(ValueError, match="sigma_w2"):
        papers.trainability(sigma_w2=(0.0, 1.0), depths=(2,))
    with pytest.raises(ValueError, match="sigma_w2"):
        papers.trainability(sigma_w2=(), depths=(2,))


def test_xi_c_is_positive_on_both_sides_of_criticality() -> None:
    s = np.linspace(1.0, 4.0, 31)
    xi = papers.xi_c_curve("tanh", math.sqrt(0.05), s)
    assert np.all(xi > 0)
    j = int(np.argmax(xi))
    assert 1.5 < s[j] < 2.0  # the peak sits at the edge of chaos


def test_jacobian_spectra_show_isometry_for_orthogonal_tanh_only() -> None:
    r = papers.jacobian_spectra(depths=(16,), width=96, points=4)
    by = {(c["activation"], c["weights"]): c for c in r["cases"]}
    assert set(by) == {(a, w) for a in ("tanh", "relu") for w in ("orthogonal", "gaussian")}
    for c in r["cases"]:
        assert c["singular_values"].shape == (4 * 96,)
        assert np.all(np.diff(c["singular_values"].reshape(4, 96), axis=1) <= 0)
        # critical networks: the mean squared singular value stays O(1), as predicted
        assert 0.3 < c["measured"]["mean"] < 3.0, c["measured"]
        assert c["theory"]["mean"] == pytest.approx(1.0, rel=0.05)
    ortho, gauss = by["tanh", "orthogonal"], by["tanh", "gaussian"]
    assert ortho["measured"]["variance"] < 0.5 * gauss["measured"]["variance"]
    assert ortho["theory"]["variance"] < gauss["theory"]["variance"]

    # orthogonal tanh at criticality (small q*): the spectrum stays near 1, Gaussian spreads
    def near_one(c: dict) -> float:
        sv = c["singular_values"]
        return float(np.mean((sv > 1 / 3) & (sv < 3)))

    assert near_one(ortho) > 0.9 and near_one(gauss) < 0.6, (near_one(ortho), near_one(gauss))


def test_paper_figures_are_drawn(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    t = papers.trainability(sigma_w2=(1.0, 2.0, 3.0), depths=(2, 4), width=16, epochs=1)
    p = papers.plot_trainability(tmp_path / "t.png", t)
    assert p.read_bytes()[:8] == PNG_MAGIC
    j = papers.jacobian_spectra(depths=(2, 4), width=32, points=2)
    p = papers.plot_jacobian_spectra(tmp_path / "j.png", j)
    assert p.read_bytes()[:8] == PNG_MAGIC


def test_sigma_network_orthogonal_rows_have_the_scale() -> None:
    from fastinit.study.networks import sigma_network

    net = sigma_network("orthogonal", "tanh", [32, 32, 32], 1.3, 0.1, fi.Generator(0))
    for W in net.weights:
        np.testing.assert_allclose(W @ W.T, 1.3**2 * np.eye(32), atol=1e-5)
    with pytest.raises(ValueError, match="orthogonal, gaussian"):
        sigma_network("uniform", "tanh", [4, 4], 1.0, 0.0, fi.Generator(0))
