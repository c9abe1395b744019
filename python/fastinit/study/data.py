"""The study's dataset: scikit-learn's digits, read offline, or a synthetic stand-in."""

from __future__ import annotations

from typing import Any

import numpy as np

from fastinit.optional import available
from fastinit.sweep import load_data


def load_dataset(name: str = "digits", seed: int = 0, test_fraction: float = 0.2) -> dict[str, Any]:
    """A small classification set shipped offline: scikit-learn's ``load_digits`` (8x8 images,
    10 classes, 1797 samples), or, with ``name="synthetic"`` or without scikit-learn, a 10-class
    Gaussian mixture of the same shape. The split and standardization are a data sweep's
    (``fastinit.sweep.load_data``: features standardized on the training split); returns
    ``{"name", "X_train", "y_train", "X_test", "y_test", "description"}`` (float32, int64)."""
    if name == "digits":
        if available("sklearn"):
            d = load_data("digits", test_fraction=test_fraction)
            return {
                "name": "digits",
                "description": (
                    "scikit-learn digits: 1797 8x8 grey images of the digits 0-9 (64 features)"
                ),
                **{k: d[k] for k in ("X_train", "y_train", "X_test", "y_test")},
            }
        name = "synthetic"
    if name != "synthetic":
        raise ValueError(f"unknown dataset {name!r}; valid: digits, synthetic")
    rng = np.random.default_rng(seed)
    centers = rng.normal(0.0, 1.0, (10, 64))
    y = rng.integers(0, 10, 1797)
    X = centers[y] + rng.normal(0.0, 1.5, (1797, 64))
    d = load_data((X, y), test_fraction=test_fraction)
    return {
        "name": name,
        "description": "synthetic: a 10-class Gaussian mixture in 64 dimensions (1797 samples)",
        **{k: d[k] for k in ("X_train", "y_train", "X_test", "y_test")},
    }


__all__ = ["load_dataset"]
