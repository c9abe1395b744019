"""Issue 11, class 1: arrays and objects that crossed a process boundary are ordinary arrays.

Dtypes compare by equivalence, never by identity: an array unpickled, returned by a
``ProcessPoolExecutor`` / ``multiprocessing.Pool``, sent through a ``multiprocessing.Queue`` or
computed by a Dask worker, and a dtype carrying metadata, are accepted by every entry point
(MLP, initializers, clipping, ``dtype=``) exactly as the local array.
"""

from __future__ import annotations

import multiprocessing as mp
import pickle
from concurrent.futures import ProcessPoolExecutor

import fastinit as fi
import numpy as np
import pytest
from fastinit import init as I  # noqa: N812
from helpers import dask_client

TIMEOUT = 120


def _roundtrip(obj):
    return pickle.loads(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))


def _with_metadata(a: np.ndarray) -> np.ndarray:
    return a.view(np.dtype(a.dtype, metadata={"units": "volts"}))


# ------------------------------------------------------------------ worker functions (picklable)


def make_arrays(seed: int) -> dict:
    rng = np.random.default_rng(seed)
    return {
        "X64": rng.standard_normal((8, 4)),
        "X32": rng.standard_normal((8, 4)).astype(np.float32),
        "y": rng.integers(0, 3, 8),
        "w32": np.zeros((5, 4), np.float32),
        "w64": np.zeros((5, 4), np.float64),
        "g32": rng.standard_normal(7).astype(np.float32),
        "dtype32": np.dtype(np.float32),
        "dtype64": np.dtype("float64"),
    }


def fill_in_worker(seed: int) -> np.ndarray:
    """A worker that itself uses fastinit and returns its output."""
    import fastinit as fi_

    return fi_.init.kaiming_normal_(np.zeros((5, 4), np.float32), generator=fi_.Generator(seed))


def queue_producer(q, seed: int) -> None:
    q.put(make_arrays(seed))


# ------------------------------------------------------------------ the checks, on any arrays


def _use_everywhere(arrays: dict) -> None:
    """Every entry point accepts arrays and dtypes from elsewhere as it does local ones."""
    local = make_arrays(0)
    for k in ("X64", "X32", "w32", "g32"):
        assert arrays[k].dtype == local[k].dtype  # equal, maybe not identical
    net = fi.MLP([4, 5, 3], output="softmax", generator=fi.Generator(0))
    ref = fi.MLP([4, 5, 3], output="softmax", generator=fi.Generator(0))
    np.testing.assert_array_equal(net.forward(arrays["X32"]), ref.forward(local["X32"]))
    np.testing.assert_array_equal(net.forward(arrays["X64"]), ref.forward(local["X64"]))
    assert net.loss(arrays["X32"], arrays["y"]) == ref.loss(local["X32"], local["y"])
    h = net.fit(arrays["X32"], arrays["y"], epochs=1, batch_size=4, generator=fi.Generator(1))
    hr = ref.fit(local["X32"], local["y"], epochs=1, batch_size=4, generator=fi.Generator(1))
    np.testing.assert_array_equal(h.step_loss, hr.step_loss)
    fi.diagnose(net, arrays["X64"], arrays["y"])
    I.lsuv_(net, arrays["X32"], generator=fi.Generator(0))
    fi.init_network_(net, "lsuv", X=arrays["X64"], generator=fi.Generator(0))
    for k in ("w32", "w64"):
        w = arrays[k]
        I.normal_(w, generator=fi.Generator(0))
        np.testing.assert_array_equal(w, I.normal_(local[k].copy(), generator=fi.Generator(0)))
        I.orthogonal_(w)
        I.xavier_uniform_(w)
        I.constant_(w, 1.0)
    g = arrays["g32"]
    gl = local["g32"].copy()
    assert fi.clip_grad_norm_([g], 0.5) == fi.clip_grad_norm_([gl], 0.5)
    np.testing.assert_array_equal(g, gl)
    fi.clip_grad_value_([g], 0.1)
    fi.clip_by_norm_([g], 0.1)
    fi.total_norm([g])
    for k in ("dtype32", "dtype64"):
        dt = arrays[k]
        assert I.normal((3, 4), dtype=dt).dtype == dt
        assert fi.MLP([4, 3], dtype=dt).dtype == dt
        assert fi.init.zeros(3, dtype=dt).dtype == dt
        m = fi.MLP([4, 3], dtype=dt, generator=fi.Generator(0))
        _, grads = m.loss_and_grad(arrays["X64"], np.zeros((8, 3)))
        assert grads.dtype == dt
    r = fi.sweep(
        "zeros", "relu", 1, 4, seeds=1, batch=4, classes=2, dtype=arrays["dtype64"], progress=False
    )
    assert len(r) == 1


# ------------------------------------------------------------------ the boundaries


def test_pickled_arrays_are_ordinary_arrays() -> None:
    _use_everywhere(_roundtrip(make_arrays(0)))


def test_each_pickled_array_alone() -> None:
    """The issue's example, verbatim."""
    X = pickle.loads(pickle.dumps(np.zeros((6, 4))))
    net = fi.MLP([4, 3], dtype=np.float64)
    assert net.forward(X).shape == (6, 3)
    w = pickle.loads(pickle.dumps(np.zeros((3, 4), np.float32)))
    I.kaiming_uniform_(w)
    assert np.all(w != 0)


def test_dtypes_with_metadata_are_their_base_dtype() -> None:
    arrays = make_arrays(0)
    for k in ("X64", "X32", "w32", "w64", "g32"):
        arrays[k] = _with_metadata(arrays[k])
        assert arrays[k].dtype.metadata
    for k in ("dtype32", "dtype64"):
        arrays[k] = np.dtype(arrays[k], metadata={"source": "hdf5"})
    _use_everywhere(arrays)


def test_arrays_with_metadata_in_mlp_views_and_grads() -> None:
    net = fi.MLP([4, 5, 3], generator=fi.Generator(0))
    net.weights[0] = _with_metadata(np.ones((5, 4), np.float32))
    assert np.all(net.weights[0] == 1)
    _, g = net.loss_and_grad(make_arrays(0)["X32"], np.zeros((8, 3), np.float32))
    fi.clip_grad_norm_([_with_metadata(t) for t in g.tensors()], 0.1)
    assert fi.total_norm(g) == pytest.approx(0.1, rel=1e-4)


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_process_pool_executor_results(method) -> None:
    ctx = mp.get_context(method)
    with ProcessPoolExecutor(2, mp_context=ctx) as ex:
        arrays = ex.submit(make_arrays, 0).result(timeout=TIMEOUT)
        filled = [f.result(timeout=TIMEOUT) for f in [ex.submit(fill_in_worker, s) for s in (3, 4)]]
    _use_everywhere(arrays)
    np.testing.assert_array_equal(
        filled[0], I.kaiming_normal_(np.zeros((5, 4), np.float32), generator=fi.Generator(3))
    )
    # a worker's output is a valid in-place target and input here
    I.normal_(filled[1])
    fi.MLP([4, 5], dtype=filled[0].dtype).forward(filled[0][:, :4])


def test_multiprocessing_pool_results() -> None:
    with mp.get_context("fork").Pool(2) as pool:
        got = pool.map_async(make_arrays, [0, 1]).get(timeout=TIMEOUT)
    _use_everywhere(got[0])


def test_multiprocessing_queue_results() -> None:
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=queue_producer, args=(q, 0))
    p.start()
    try:
        arrays = q.get(timeout=TIMEOUT)
    finally:
        p.join(TIMEOUT)
    assert p.exitcode == 0
    _use_everywhere(arrays)


def test_objects_sent_to_a_worker_and_back() -> None:
    """An MLP, an optimizer and a generator make a round trip through a worker unchanged."""
    net = fi.MLP([4, 5, 3], output="softmax", generator=fi.Generator(0))
    opt = fi.optim.Adam(net, lr=1e-2)
    gen = fi.Generator(11)
    with ProcessPoolExecutor(1, mp_context=mp.get_context("spawn")) as ex:
        net2, opt2, gen2 = ex.submit(_identity, (net, opt, gen)).result(timeout=TIMEOUT)
    X = make_arrays(0)["X32"]
    np.testing.assert_array_equal(net2.forward(X), net.forward(X))
    assert opt2.net is net2 and opt2.steps == 0
    assert (gen2.seed, gen2.offset) == (gen.seed, gen.offset)


def _identity(x):
    return x


@pytest.mark.slow
def test_dask_local_cluster() -> None:
    with dask_client() as client:
        arrays = client.submit(make_arrays, 0).result(timeout=TIMEOUT)
        filled = client.submit(fill_in_worker, 3).result(timeout=TIMEOUT)
        # a scattered array comes back as the worker's copy
        X = client.submit(np.asarray, client.scatter(make_arrays(0)["X64"])).result(timeout=TIMEOUT)
        kw = dict(
            init=["kaiming_normal", "zeros"],
            activation="tanh",
            depth=2,
            width=8,
            seeds=2,
            batch=4,
            classes=3,
            progress=False,
            chunk_size=1,
        )
        remote = fi.sweep(executor=client.get_executor(), **kw)
    _use_everywhere(arrays)
    np.testing.assert_array_equal(
        filled, I.kaiming_normal_(np.zeros((5, 4), np.float32), generator=fi.Generator(3))
    )
    assert fi.MLP([4, 3], dtype=X.dtype).forward(X).shape == (8, 3)
    local = fi.sweep(**kw)
    for a, b in zip(remote.records, local.records, strict=True):
        assert a.keys() == b.keys()
        for k in a:
            assert a[k] == b[k] or (a[k] != a[k] and b[k] != b[k]), k
