"""The study's dataset: scikit-learn's digits, read offline, or a synthetic stand-in."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import numpy as np

from fastinit.optional import optional


def _load_digits() -> tuple[np.ndarray, np.ndarray] | None:
    """scikit-learn's digits, read straight from the file scikit-learn ships (importing
    scikit-learn takes seconds); through ``sklearn.datasets.load_digits`` if the file moved;
    None without scikit-learn."""
    try:
        spec = importlib.util.find_spec("sklearn")  # locates the package without importing it
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        return None
    for loc in spec.submodule_search_locations or []:
        f = Path(loc) / "datasets" / "data" / "digits.csv.gz"
        if f.is_file():
            d = np.loadtxt(f, delimiter=",")
            if d.ndim == 2 and d.shape[1] == 65:
                return d[:, :-1], d[:, -1].astype(np.int64)
    datasets = optional("sklearn.datasets")
    if datasets is None:
        return None
    X, y = datasets.load_digits(return_X_y=True)
    return np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.int64)


def load_dataset(name: str = "digits", seed: int = 0, test_fraction: float = 0.2) -> dict[str, Any]:
    """A small classification set shipped offline: scikit-learn's ``load_digits`` (8x8 images,
    10 classes, 1797 samples), or, with ``name="synthetic"`` or without scikit-learn, a 10-class
    Gaussian mixture of the same shape. Features standardized on the training split; returns
    ``{"name", "X_train", "y_train", "X_test", "y_test", "description"}`` (float32, int64)."""
    X: np.ndarray
    y: np.ndarray
    desc = ""
    if name == "digits":
        digits = _load_digits()
        if digits is None:
            name = "synthetic"
        else:
            X, y = digits
            desc = "scikit-learn digits: 1797 8x8 grey images of the digits 0-9 (64 features)"
    if name == "synthetic":
        rng = np.random.default_rng(seed)
        centers = rng.normal(0.0, 1.0, (10, 64))
        y = rng.integers(0, 10, 1797)
        X = centers[y] + rng.normal(0.0, 1.5, (1797, 64))
        desc = "synthetic: a 10-class Gaussian mixture in 64 dimensions (1797 samples)"
    elif name != "digits":
        raise ValueError(f"unknown dataset {name!r}; valid: digits, synthetic")
    perm = np.random.default_rng(seed).permutation(len(y))
    n_test = int(round(test_fraction * len(y)))
    test, train = perm[:n_test], perm[n_test:]
    mu = X[train].mean(0)
    sd = X[train].std(0)
    sd[sd == 0] = 1.0
    Xs = ((X - mu) / sd).astype(np.float32)
    return {
        "name": name,
        "description": desc,
        "X_train": np.ascontiguousarray(Xs[train]),
        "y_train": y[train].astype(np.int64),
        "X_test": np.ascontiguousarray(Xs[test]),
        "y_test": y[test].astype(np.int64),
    }


__all__ = ["load_dataset"]
