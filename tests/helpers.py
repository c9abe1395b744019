"""Helpers shared by the test modules.

``GAIN_NAMES`` are the nonlinearity names as the documentation lists them: the tests check
fastinit's own lists and its error messages against these, so that a name dropped or renamed in the
library fails a test.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

GAIN_NAMES = [
    "linear",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
    "selu",
]


def assert_rel(actual, expected, rtol: float, what: str) -> None:
    """max|actual - expected| <= rtol * max|expected| with finite ``actual``; the message gives the
    maximum difference."""
    a = np.asarray(actual, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    assert a.shape == e.shape, f"{what}: shape {a.shape} != reference shape {e.shape}"
    assert np.all(np.isfinite(a)), f"{what}: non-finite values in {a}"
    diff = float(np.max(np.abs(a - e))) if e.size else 0.0
    scale = float(np.max(np.abs(e))) if e.size else 0.0
    assert diff <= rtol * scale, (
        f"{what}: max |diff| = {diff:.3e}, max |ref| = {scale:.3e}, "
        f"relative = {diff / scale if scale else math.inf:.3e} > rtol = {rtol:.1e}"
    )


@contextlib.contextmanager
def dask_client(workers: int = 2) -> Iterator[Any]:
    """A Dask client on a local cluster of ``workers`` single-threaded worker processes (the
    test skips without ``distributed``)."""
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=50,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client
