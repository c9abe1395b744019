"""Diagnostics, LSUV and sweeps: statistics against NumPy recomputations, the textbook
verdicts, and results that do not depend on threads, order or executor."""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing as mp

import fastinit as fi
import numpy as np
import pytest
from helpers import dask_client


def _net(act: str, init: str, depth: int, width: int = 256, seed: int = 0, **kw: object) -> fi.MLP:
    return fi.MLP(
        [width] * (depth + 1) + [10],
        activation=act,
        output="softmax",
        init=init,
        generator=fi.Generator(seed),
        **kw,
    )  # type: ignore[arg-type]


def _x(n: int = 128, width: int = 256, seed: int = 1) -> np.ndarray:
    return fi.init.normal((n, width), dtype=np.float32, generator=fi.Generator(seed))


# --------------------------------------------------------------------------- statistics


def test_layer_statistics_match_numpy() -> None:
    net = _net("tanh", "xavier_normal", depth=4, width=32)
    X = _x(64, 32)
    y = np.arange(64) % 10
    d = fi.diagnose(net, X, y)
    loss, grads = net.loss_and_grad(X, y)
    assert d.loss == pytest.approx(loss, rel=1e-6)
    for l, row in enumerate(d.layers):
        Z = net.cache("Z", l).astype(np.float64)
        dZ = net.cache("dZ", l).astype(np.float64)
        assert row["q"] == pytest.approx(np.mean(Z * Z), rel=1e-6)
        assert row["z_std"] == pytest.approx(Z.std(), rel=1e-5)
        assert row["grad_z_norm"] == pytest.approx(np.linalg.norm(dZ), rel=1e-5)
        assert row["grad_w_norm"] == pytest.approx(np.linalg.norm(grads.weights[l]), rel=1e-5)
        assert row["w_norm"] == pytest.approx(np.linalg.norm(net.weights[l]), rel=1e-5)
        if l < net.num_layers - 1:
            A = net.cache("A", l).astype(np.float64)
            assert row["a_std"] == pytest.approx(A.std(), rel=1e-5)
            assert row["saturated_frac"] == pytest.approx(np.mean(np.abs(A) > 0.99), abs=1e-9)


def test_dead_units_counted() -> None:
    net = _net("relu", "kaiming_normal", depth=2, width=16)
    net.biases[0][:8] = -1e3  # half of layer 1's units can never fire
    d = fi.diagnose(net, _x(32, 16))
    assert d.layers[0]["dead_frac"] == pytest.approx(0.5)


def test_without_targets_uses_a_seeded_normal_upstream_gradient() -> None:
    net = _net("relu", "kaiming_normal", depth=3, width=32)
    X = _x(16, 32)
    a = fi.diagnose(net, X, generator=fi.Generator(5))
    b = fi.diagnose(net, X, generator=fi.Generator(5))
    c = fi.diagnose(net, X, generator=fi.Generator(6))
    assert str(a.layers) == str(b.layers)  # NaN-safe: grad_a_norm is NaN at the output
    assert a.layers[0]["grad_z_norm"] != c.layers[0]["grad_z_norm"]
    assert np.isnan(a.loss)


# --------------------------------------------------------------------------- textbook verdicts


@pytest.mark.parametrize(
    ("init", "act", "depth", "expected", "kw"),
    [
        ("kaiming_normal", "relu", 50, {"healthy"}, {"init_kwargs": {"nonlinearity": "relu"}}),
        ("xavier_normal", "relu", 50, {"vanishing"}, {}),
        ("normal", "tanh", 10, {"exploding"}, {}),
        ("normal", "relu", 10, {"exploding"}, {}),
        ("zeros", "relu", 10, {"symmetric"}, {}),
        ("zeros", "tanh", 10, {"symmetric"}, {}),
    ],
    ids=lambda v: v if isinstance(v, (str, int)) else None,
)
def test_textbook_verdicts(init: str, act: str, depth: int, expected: set[str], kw: dict) -> None:
    net = _net(act, init, depth, **kw)
    d = fi.diagnose(net, _x(), np.arange(128) % 10)
    assert d.verdict in expected, d.explain()


def test_nonfinite_verdict() -> None:
    net = _net("relu", "normal", depth=50)
    d = fi.diagnose(net, _x(), np.arange(128) % 10)
    assert d.verdict == "nonfinite", d.explain()


# --------------------------------------------------------------------------- LSUV


@pytest.mark.parametrize("act", ["tanh", "relu", "selu"])
def test_lsuv_reaches_unit_variance(act: str) -> None:
    net = _net(act, "kaiming_normal", depth=8, width=64)
    X = _x(256, 64)
    info = fi.init.lsuv_(net, X, tol=0.05, max_iter=20, generator=fi.Generator(2))
    assert len(info) == net.num_layers
    net.forward(X)
    for l in range(net.num_layers):
        var = float(np.var(net.cache("Z", l).astype(np.float64)))
        assert abs(var - 1) < 0.05, (l, var, info[l])
        assert info[l]["final_var"] == pytest.approx(var, rel=1e-4)


def test_lsuv_rejects_bad_arguments() -> None:
    net = _net("tanh", "kaiming_normal", depth=2, width=8)
    with pytest.raises(ValueError, match="tol"):
        fi.init.lsuv_(net, _x(8, 8), tol=0)
    with pytest.raises(TypeError):
        fi.init.lsuv_("net", _x(8, 8))  # type: ignore[arg-type]


# --------------------------------------------------------------------------- sweeps

SMALL = dict(
    init=["zeros", "xavier_normal", "kaiming_normal", "lsuv"],
    activation=["tanh", "relu"],
    depth=[3, 6],
    width=[32],
    seeds=2,
    batch=32,
    steps=3,
    lr=0.05,
)


def _frame(r: fi.Results) -> list[tuple]:
    return [tuple(sorted((k, str(v)) for k, v in row.items())) for row in r.records] + [
        tuple(sorted((k, str(v)) for k, v in row.items())) for row in r.layers
    ]


@pytest.fixture(scope="module")
def reference_sweep() -> fi.Results:
    return fi.sweep(**SMALL, threads=1)  # type: ignore[arg-type]


def test_sweep_shape_and_fields(reference_sweep: fi.Results) -> None:
    r = reference_sweep
    assert len(r) == 4 * 2 * 2 * 1 * 2
    assert len(r.layers) == sum(rec["depth"] + 1 for rec in r.records)
    assert all(len(t) == 3 for t in r.train_loss)
    assert {rec["verdict"] for rec in r.records} <= set(fi.diagnostics.VERDICTS)


def test_sweep_results_return_in_the_grids_order(reference_sweep: fi.Results) -> None:
    # The sweep runs its depth-6 configurations before the depth-3 ones (longest first) and
    # puts every result back beside its own configuration: a record's layer rows are as many
    # as its depth says.
    r = reference_sweep
    assert [rec["config"] for rec in r.records] == list(range(len(r)))
    assert [rec["depth"] for rec in r.records] != sorted(
        (rec["depth"] for rec in r.records), reverse=True
    )  # the grid's order is not the run order
    for rec in r.records:
        rows = [row for row in r.layers if row["config"] == rec["config"]]
        assert len(rows) == rec["depth"] + 1, rec


def test_sweep_is_independent_of_threads(reference_sweep: fi.Results) -> None:
    assert _frame(fi.sweep(**SMALL, threads=2)) == _frame(reference_sweep)  # type: ignore[arg-type]


def test_sweep_is_independent_of_chunking(reference_sweep: fi.Results) -> None:
    assert _frame(fi.sweep(**SMALL, chunk_size=3)) == _frame(reference_sweep)  # type: ignore[arg-type]


def test_sweep_seed_changes_results(reference_sweep: fi.Results) -> None:
    other = fi.sweep(**{**SMALL, "seed": 1})  # type: ignore[arg-type]
    assert _frame(other) != _frame(reference_sweep)


def test_sweep_over_a_process_pool(reference_sweep: fi.Results) -> None:
    with cf.ProcessPoolExecutor(2, mp_context=mp.get_context("spawn")) as ex:
        got = fi.sweep(**SMALL, executor=ex, chunk_size=5)  # type: ignore[arg-type]
    assert _frame(got) == _frame(reference_sweep)


@pytest.mark.slow
def test_sweep_over_a_dask_cluster(reference_sweep: fi.Results) -> None:
    with dask_client() as client:
        got = fi.sweep(**SMALL, executor=client.get_executor(), chunk_size=4)  # type: ignore[arg-type]
    assert _frame(got) == _frame(reference_sweep)


def test_sigma_grid_adds_the_sigma_scheme() -> None:
    r = fi.sweep(
        init=[],
        activation=["tanh"],
        depth=[4],
        width=[16],
        seeds=1,
        batch=8,
        sigma_w=[0.5, 1.0, 4.0],
        sigma_b=[0.0, 0.1],
    )
    assert len(r) == 6
    assert {(rec["sigma_w"], rec["sigma_b"]) for rec in r.records} == {
        (w, b) for w in (0.5, 1.0, 4.0) for b in (0.0, 0.1)
    }


def test_sweep_rejects_unknown_names() -> None:
    with pytest.raises(ValueError, match="kaiming_normal"):
        fi.sweep(init=["he"], activation=["relu"], depth=[2], width=[8], seeds=1)
    with pytest.raises(ValueError, match="relu"):
        fi.sweep(init=["zeros"], activation=["swish"], depth=[2], width=[8], seeds=1)
    with pytest.raises(ValueError):
        fi.sweep(init=["zeros"], activation=["relu"], depth=[0], width=[8], seeds=1)


def test_results_export(tmp_path, reference_sweep: fi.Results) -> None:  # type: ignore[no-untyped-def]
    import json

    pd = pytest.importorskip("pandas")
    p = reference_sweep.to_csv(tmp_path / "r.csv")
    df = pd.read_csv(p)
    assert len(df) == len(reference_sweep)
    assert len(pd.read_csv(tmp_path / "r_layers.csv")) == len(reference_sweep.layers)
    data = json.loads(reference_sweep.to_json(tmp_path / "r.json").read_text())
    assert len(data["records"]) == len(reference_sweep)


def test_critical_scheme_uses_the_theory() -> None:
    r = fi.sweep(
        init=["critical"],
        activation=["tanh", "relu"],
        depth=[5],
        width=[32],
        seeds=1,
        batch=16,
        critical_sigma_b=0.05,
        progress=False,
    )
    sw = {rec["activation"]: rec["sigma_w"] for rec in r.records}
    assert sw["relu"] == pytest.approx(2**0.5, rel=1e-9)
    assert sw["tanh"] == pytest.approx(fi.theory.critical_sigma_w("tanh", sigma_b=0.05), rel=1e-12)
    assert all(rec["init"] == "critical" and rec["sigma_b"] == 0.05 for rec in r.records)
