"""fit's per-epoch accuracy and validation (History.accuracy, val_loss, val_accuracy), each
checked against NumPy recomputed from the network's own forward pass: the running training
accuracy, one-hot and BCE targets, MSE's NaN, that validation never changes training, thread
independence, and the bad validation inputs."""

from __future__ import annotations

import fastinit as fi
import numpy as np
import pytest


def _blobs(n: int, d: int = 6, k: int = 3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centers = rng.normal(0.0, 2.0, (k, d))
    y = rng.integers(0, k, n)
    return centers[y] + rng.normal(0.0, 1.0, (n, d)), y.astype(np.int64)


def _net(output: str = "softmax", k: int = 3, d: int = 6, dtype=np.float64) -> fi.MLP:
    return fi.MLP([d, 16, 16, k], "tanh", output, dtype=dtype, generator=fi.Generator(3))


def _ce(P: np.ndarray, y: np.ndarray) -> float:
    return float(-np.mean(np.log(P[np.arange(len(y)), y])))


def _logits(net: fi.MLP, X: np.ndarray) -> np.ndarray:
    net.forward(X)
    return net.cache("Z", net.num_layers - 1).astype(np.float64)


def _acc(net: fi.MLP, X: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(np.argmax(_logits(net, X), axis=1) == y))


X, Y = _blobs(100)
XV, YV = _blobs(70, seed=1)


def test_history_has_one_entry_per_epoch_and_nan_without_validation() -> None:
    h = _net().fit(X, Y, epochs=4, batch_size=16, generator=fi.Generator(0))
    for a in (h.accuracy, h.val_loss, h.val_accuracy, h.epoch_loss):
        assert a.shape == (4,)
    assert np.all(np.isnan(h.val_loss)) and np.all(np.isnan(h.val_accuracy))
    assert np.all((h.accuracy >= 0) & (h.accuracy <= 1))


@pytest.mark.parametrize("batch_size", [16, 200], ids=["chunked", "one-chunk"])
def test_validation_metrics_match_numpy_after_each_epoch(batch_size: int) -> None:
    """Plain SGD in a fixed order: three fit(epochs=1) calls are fit(epochs=3) (checked), so the
    network after each call is the one each epoch's validation saw."""
    net = _net()
    step_wise = []
    for _ in range(3):
        h = net.fit(
            X, Y, epochs=1, batch_size=batch_size, lr=0.1, shuffle=False, validation_data=(XV, YV)
        )
        P = net.forward(XV).astype(np.float64)
        assert h.val_loss[0] == pytest.approx(_ce(P, YV), rel=1e-12)
        assert h.val_accuracy[0] == _acc(net, XV, YV)
        step_wise.append((h.val_loss[0], h.val_accuracy[0]))
    whole = _net().fit(
        X, Y, epochs=3, batch_size=batch_size, lr=0.1, shuffle=False, validation_data=(XV, YV)
    )
    assert list(zip(whole.val_loss, whole.val_accuracy, strict=True)) == step_wise
    np.testing.assert_array_equal(whole.val_loss, [s[0] for s in step_wise])
    assert len(set(whole.val_loss)) == 3  # each epoch saw other parameters


def test_running_accuracy_full_batch_is_the_accuracy_before_each_update() -> None:
    net = _net()
    g = fi.Generator(1)
    for _ in range(4):
        before = _acc(net, X, Y)
        h = net.fit(X, Y, epochs=1, batch_size=len(X), lr=0.5, generator=g)
        assert h.accuracy[0] == before


def test_running_accuracy_counts_every_row_once_with_a_short_last_batch() -> None:
    """lr=0: the parameters never move, so the running accuracy over shuffled mini-batches
    (100 rows in batches of 16: the last has 4) is the full-pass accuracy, in every epoch."""
    net = _net()
    full = _acc(net, X, Y)
    h = net.fit(
        X, Y, epochs=3, batch_size=16, lr=0.0, generator=fi.Generator(2), validation_data=(X, Y)
    )
    np.testing.assert_array_equal(h.accuracy, [full] * 3)
    np.testing.assert_array_equal(h.val_accuracy, [full] * 3)
    assert 0.0 < full < 1.0


def test_one_hot_targets_use_the_argmax_of_the_target_row() -> None:
    onehot = np.eye(3)[Y]
    net = _net()
    before = _acc(net, X, Y)
    h = net.fit(
        X,
        onehot,
        epochs=1,
        batch_size=len(X),
        lr=0.1,
        generator=fi.Generator(0),
        validation_data=(XV, np.eye(3)[YV]),
    )
    assert h.accuracy[0] == before
    assert h.val_accuracy[0] == _acc(net, XV, YV)
    P = net.forward(XV).astype(np.float64)
    assert h.val_loss[0] == pytest.approx(_ce(P, YV), rel=1e-12)


def test_bce_accuracy_thresholds_logits_at_zero() -> None:
    T = (np.stack([X[:, 0] > 0, X[:, 1] + X[:, 2] > 0], axis=1)).astype(np.float64)
    TV = (np.stack([XV[:, 0] > 0, XV[:, 1] + XV[:, 2] > 0], axis=1)).astype(np.float64)
    net = _net("sigmoid", k=2)
    Z0 = _logits(net, X)
    before = float(np.mean((Z0 >= 0) == (T >= 0.5)))
    h = net.fit(
        X,
        T,
        epochs=1,
        batch_size=len(X),
        lr=0.5,
        generator=fi.Generator(0),
        validation_data=(XV, TV),
    )
    assert h.accuracy[0] == before
    Z = _logits(net, XV)
    assert h.val_accuracy[0] == float(np.mean((Z >= 0) == (TV >= 0.5)))
    bce = np.mean(np.maximum(Z, 0) - Z * TV + np.log1p(np.exp(-np.abs(Z))))
    assert h.val_loss[0] == pytest.approx(bce, rel=1e-12)


def test_mse_has_a_validation_loss_and_no_accuracy() -> None:
    T = np.stack([X[:, 0], X[:, 1] * X[:, 2]], axis=1)
    TV = np.stack([XV[:, 0], XV[:, 1] * XV[:, 2]], axis=1)
    net = _net("linear", k=2)
    h = net.fit(
        X, T, epochs=2, batch_size=32, lr=0.01, generator=fi.Generator(0), validation_data=(XV, TV)
    )
    assert np.all(np.isnan(h.accuracy)) and np.all(np.isnan(h.val_accuracy))
    P = net.forward(XV).astype(np.float64)
    assert h.val_loss[-1] == pytest.approx(np.mean((P - TV) ** 2), rel=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_validation_does_not_change_training(dtype) -> None:
    a, b = _net(dtype=dtype), _net(dtype=dtype)
    kw = dict(epochs=3, batch_size=8, optimizer="adam", lr=1e-2)
    ha = a.fit(X, Y, generator=fi.Generator(4), **kw)
    hb = b.fit(X, Y, generator=fi.Generator(4), validation_data=(XV[:50], YV[:50]), **kw)
    np.testing.assert_array_equal(ha.step_loss, hb.step_loss)
    np.testing.assert_array_equal(ha.accuracy, hb.accuracy)
    for wa, wb in zip(a.parameters(), b.parameters(), strict=True):
        np.testing.assert_array_equal(wa, wb)
    assert np.all(np.isfinite(hb.val_loss))


def test_a_stopped_epoch_has_no_validation() -> None:
    h = _net().fit(
        X,
        Y,
        epochs=5,
        batch_size=10,
        generator=fi.Generator(0),
        validation_data=(XV, YV),
        callback=lambda s, l, n: s < 15,
        callback_every=1,
    )
    assert h.stopped and h.epochs == 2
    assert np.isfinite(h.val_loss[0]) and np.isnan(h.val_loss[1])


def test_validation_is_independent_of_threads() -> None:
    Xb, yb = _blobs(600, d=128, k=10, seed=7)
    saved = fi.get_num_threads()
    out = []
    try:
        for n in (1, 2):
            fi.set_num_threads(n)
            net = fi.MLP([128, 256, 256, 10], "relu", "softmax", generator=fi.Generator(0))
            h = net.fit(
                Xb,
                yb,
                epochs=2,
                batch_size=300,
                lr=0.05,
                generator=fi.Generator(1),
                validation_data=(Xb[:500], yb[:500]),
            )
            out.append((h.val_loss.tobytes(), h.val_accuracy.tobytes(), h.accuracy.tobytes()))
    finally:
        fi.set_num_threads(saved)
    assert out[0] == out[1]


def test_validation_converts_like_x_and_y() -> None:
    """Another float dtype and a non-contiguous layout are converted once, as X is."""
    X32 = XV.astype(np.float32)
    a = _net().fit(
        X,
        Y,
        epochs=1,
        batch_size=100,
        generator=fi.Generator(0),
        validation_data=(X32.astype(np.float64), YV),
    )
    b = _net().fit(
        X,
        Y,
        epochs=1,
        batch_size=100,
        generator=fi.Generator(0),
        validation_data=(np.asfortranarray(X32), YV.astype(np.int32)),
    )
    np.testing.assert_array_equal(a.val_loss, b.val_loss)


@pytest.mark.parametrize(
    ("validation", "exc", "match"),
    [
        ((XV[:, :5], YV), ValueError, r"validation_data\[0\].*\(N, 6\)"),
        ((XV, YV[:-1]), ValueError, r"validation_data\[1\].*\(70,\)"),
        ((XV, np.where(YV == 2, 3, YV)), ValueError, r"validation_data\[1\].*outside \[0, 3\)"),
        ((XV, -YV), ValueError, r"validation_data\[1\].*label -"),
        ((np.where(XV > 2, np.nan, XV), YV), ValueError, r"validation_data\[0\].*finite"),
        ((XV, np.eye(4)[YV]), ValueError, r"validation_data\[1\].*\(70, 3\)"),
        ((XV[:0], YV[:0]), ValueError, r"validation_data\[0\].*at least one row"),
        ((XV.astype(str), YV), TypeError, r"validation_data\[0\]"),
        ((XV, YV, YV), ValueError, "validation_data"),
        ((XV, None), TypeError, "validation_data"),
        (XV, TypeError, "validation_data"),
        ("xy", TypeError, "validation_data"),
    ],
    ids=[
        "columns",
        "rows",
        "label-too-large",
        "label-negative",
        "nan",
        "one-hot-width",
        "empty",
        "strings",
        "triple",
        "none",
        "array",
        "string",
    ],
)
def test_bad_validation_data(validation, exc, match) -> None:
    net = _net()
    before = [p.copy() for p in net.parameters()]
    with pytest.raises(exc, match=match):
        net.fit(X, Y, epochs=1, generator=fi.Generator(0), validation_data=validation)
    for p, q in zip(net.parameters(), before, strict=True):
        np.testing.assert_array_equal(p, q)  # checked before any step
