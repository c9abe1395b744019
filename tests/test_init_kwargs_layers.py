"""init_kwargs / bias_init_kwargs as a list, one mapping per layer."""

from __future__ import annotations

import fastinit as fi
import numpy as np
import pytest


def test_glorot_standard_init_with_each_layers_own_fan() -> None:
    # Glorot & Bengio 2010's "standard" init U[-1/sqrt(n), 1/sqrt(n)], n = the layer's fan-in,
    # without a callable: uniform with per-layer bounds.
    sizes = [400, 100, 900, 30]
    kw = [{"a": -(n**-0.5), "b": n**-0.5} for n in sizes[:-1]]
    net = fi.MLP(sizes, init="uniform", init_kwargs=kw, dtype=np.float64, generator=fi.Generator(0))
    for w, n in zip(net.weights, sizes[:-1], strict=True):
        bound = n**-0.5
        assert np.all(np.abs(w) <= bound)
        assert np.max(np.abs(w)) > 0.99 * bound  # fills the interval, not a narrower one
        assert np.var(w) == pytest.approx(bound**2 / 3, rel=0.05)  # U[-b, b] has variance b^2/3


def test_a_list_draws_the_same_stream_as_one_mapping() -> None:
    same = [{"std": 0.3}] * 3
    a = fi.MLP([8, 9, 10, 3], init="normal", init_kwargs=same, generator=fi.Generator(5))
    b = fi.MLP([8, 9, 10, 3], init="normal", init_kwargs={"std": 0.3}, generator=fi.Generator(5))
    np.testing.assert_array_equal(a._core.flat(), b._core.flat())


def test_per_layer_bias_kwargs_and_none_entries() -> None:
    net = fi.MLP(
        [4, 5, 6, 2],
        bias_init="constant",
        bias_init_kwargs=[{"val": 1.0}, {"val": 2.0}, {"val": -3.0}],
        generator=fi.Generator(0),
    )
    assert [float(b[0]) for b in net.biases] == [1.0, 2.0, -3.0]
    net.reset_parameters(
        "normal", init_kwargs=[None, {"std": 0.0}, None], generator=fi.Generator(1)
    )
    assert np.all(net.weights[1] == 0) and np.std(net.weights[0]) > 0.5


@pytest.mark.parametrize(
    ("kw", "exc", "match"),
    [
        ([{"std": 1.0}] * 2, ValueError, r"init_kwargs.*list of 3.*3 layers.*got a list of 2"),
        ([{"std": 1.0}] * 4, ValueError, r"init_kwargs.*3 layers.*list of 4"),
        ([{"std": 1.0}, 1.0, None], TypeError, r"init_kwargs.*entry 1 \(layer 2\)"),
        ("std", TypeError, "init_kwargs"),
    ],
)
def test_bad_lists(kw: object, exc: type, match: str) -> None:
    net = fi.MLP([4, 5, 6, 2], generator=fi.Generator(0))
    before = net._core.flat().copy()
    with pytest.raises(exc, match=match):
        net.reset_parameters("normal", init_kwargs=kw, generator=fi.Generator(1))  # type: ignore[arg-type]
    np.testing.assert_array_equal(net._core.flat(), before)  # nothing was written
    with pytest.raises(exc, match=match.replace("init_kwargs", "bias_init_kwargs")):
        fi.MLP([4, 5, 6, 2], bias_init="normal", bias_init_kwargs=kw)  # type: ignore[arg-type]
