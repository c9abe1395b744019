"""Issue 11, class 5: no silent wrong result.

A value fastinit cannot honour is an error, never a quiet substitute: a generator that is not a
``fastinit.Generator`` is not replaced by the global one, a float count is not truncated, a fill
whose parameters overflow the dtype does not write +-inf, a target of the wrong shape is not
reinterpreted because its element count happens to match, an activation parameter the activation
does not take is not ignored, clipping agrees with PyTorch, an assignment to ``net.weights[l]``
reaches the network, and JSON output is JSON.
"""

from __future__ import annotations

import json
import math

import fastinit as fi
import numpy as np
import pytest
from fastinit import init as I  # noqa: N812


def _reject_constant(token: str) -> float:
    raise AssertionError(f"not JSON: the constant {token} was written")


def _data(n: int = 6, d: int = 4, classes: int = 3, dtype=np.float32):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, d)).astype(dtype)
    y = rng.integers(0, classes, n).astype(np.int64)
    return X, y


# ---- generators

BAD_GENERATORS = [0, 1, np.random.default_rng(0), "seed", 1.5, np.random.RandomState(0)]


@pytest.mark.parametrize("bad", BAD_GENERATORS, ids=lambda g: type(g).__name__)
def test_mlp_generator_must_be_a_fastinit_generator(bad) -> None:
    with pytest.raises(TypeError, match="generator"):
        fi.MLP([4, 5, 3], generator=bad)


@pytest.mark.parametrize("bad", BAD_GENERATORS, ids=lambda g: type(g).__name__)
def test_generator_arguments_everywhere_are_checked(bad) -> None:
    net = fi.MLP([4, 5, 3], output="softmax", generator=fi.Generator(0))
    X, y = _data()
    calls = {
        "normal_": lambda: I.normal_(np.zeros((3, 4), np.float32), generator=bad),
        "uniform_": lambda: I.uniform_(np.zeros((3, 4), np.float32), generator=bad),
        "kaiming_normal_": lambda: I.kaiming_normal_(np.zeros((3, 4), np.float32), generator=bad),
        "orthogonal_": lambda: I.orthogonal_(np.zeros((3, 4), np.float32), generator=bad),
        "reset_parameters": lambda: net.reset_parameters(generator=bad),
        "fit": lambda: net.fit(X, y, generator=bad),
        "diagnose": lambda: fi.diagnose(net, X, generator=bad),
        "init_network_": lambda: fi.init_network_(net, "kaiming_normal", generator=bad),
        "lsuv_": lambda: I.lsuv_(net, X, generator=bad),
    }
    for what, call in calls.items():
        with pytest.raises(TypeError, match="generator") as info:
            call()
        assert "Unable to cast" not in str(info.value), what


def test_mlp_generator_is_used_not_the_global_one() -> None:
    """Two nets built from equal generators are equal, and the global generator is untouched."""
    g = fi.default_generator()
    before = (g.seed, g.stream, g.offset)
    a = fi.MLP([4, 5, 3], generator=fi.Generator(7))
    b = fi.MLP([4, 5, 3], generator=fi.Generator(7))
    c = fi.MLP([4, 5, 3], generator=fi.Generator(8))
    g = fi.default_generator()
    assert (g.seed, g.stream, g.offset) == before
    for wa, wb, wc in zip(a.weights, b.weights, c.weights, strict=True):
        np.testing.assert_array_equal(wa, wb)
        assert not np.array_equal(wa, wc)


# ---- overflowing fills

F32_BIG = 1e39  # not representable as float32


def _w32() -> np.ndarray:
    return np.zeros((64, 64), np.float32)


# (normal-family call, its uniform-family twin) with parameters that overflow float32
OVERFLOW_PAIRS = {
    "normal_std": (
        lambda w: I.normal_(w, 0.0, F32_BIG),
        lambda w: I.uniform_(w, -F32_BIG, F32_BIG),
    ),
    "normal_mean": (
        lambda w: I.normal_(w, 3e38, 1e38),
        lambda w: I.uniform_(w, 3e38, 3.4e38 * 2),
    ),
    "normal_mean_unrepresentable": (
        lambda w: I.normal_(w, F32_BIG, 1.0),
        lambda w: I.uniform_(w, F32_BIG, 2 * F32_BIG),
    ),
    "trunc_normal_std": (
        lambda w: I.trunc_normal_(w, 0.0, F32_BIG, -F32_BIG, F32_BIG),
        lambda w: I.uniform_(w, -F32_BIG, F32_BIG),
    ),
    "xavier_gain": (
        lambda w: I.xavier_normal_(w, gain=F32_BIG),
        lambda w: I.xavier_uniform_(w, gain=F32_BIG),
    ),
    "kaiming_fan": (
        lambda w: I.kaiming_normal_(w, fan_in=1e-80),
        lambda w: I.kaiming_uniform_(w, fan_in=1e-80),
    ),
    "variance_scaling_scale": (
        lambda w: I.variance_scaling_(w, 1e80, "fan_in", "untruncated_normal"),
        lambda w: I.variance_scaling_(w, 1e80, "fan_in", "uniform"),
    ),
    "variance_scaling_truncated": (
        lambda w: I.variance_scaling_(w, 1e80, "fan_in", "truncated_normal"),
        lambda w: I.variance_scaling_(w, 1e80, "fan_in", "uniform"),
    ),
    "sparse_std": (
        lambda w: I.sparse_(w, 0.1, std=F32_BIG),
        lambda w: I.uniform_(w, -F32_BIG, F32_BIG),
    ),
}


@pytest.mark.parametrize("case", sorted(OVERFLOW_PAIRS))
def test_normal_family_overflow_raises_like_uniform_family(case: str) -> None:
    normal_call, uniform_call = OVERFLOW_PAIRS[case]
    with pytest.raises((ValueError, OverflowError)) as uni:
        uniform_call(_w32())
    w = _w32()
    try:
        normal_call(w)
    except Exception as exc:  # noqa: BLE001 (the type is compared below)
        assert type(exc) is type(uni.value), (
            f"{case}: normal family raised {type(exc).__name__}: {exc}; the uniform family "
            f"raises {type(uni.value).__name__}: {uni.value}"
        )
        return
    n_inf = int(np.count_nonzero(~np.isfinite(w)))
    pytest.fail(
        f"{case}: the normal-family fill did not raise and wrote {n_inf} non-finite values "
        f"of {w.size} (the uniform family raises {type(uni.value).__name__}: {uni.value})"
    )


def test_normal_fill_in_range_is_finite() -> None:
    """Large but representable parameters are not an error (the check is not over-eager)."""
    w = I.normal_(_w32(), 0.0, 1e30)
    assert np.all(np.isfinite(w)) and np.std(w.astype(np.float64)) > 1e29


# ---- float counts


@pytest.mark.parametrize(
    "call",
    [
        lambda: fi.MLP([4.7, 5, 3]),
        lambda: fi.MLP([4, 5.0, 3]),
        lambda: fi.MLP(np.array([4.0, 5.0, 3.0])),
        lambda: fi.MLP([4, 5, 3]).fit(*_data(), epochs=2.9),
        lambda: fi.MLP([4, 5, 3]).fit(*_data(), batch_size=2.5),
        lambda: fi.MLP([4, 5, 3]).fit(*_data(), callback_every=1.5),
        lambda: fi.sweep("zeros", "relu", 2, 8, seeds=2.9, batch=4, progress=False),
        lambda: fi.sweep("zeros", "relu", 2.5, 8, seeds=1, batch=4, progress=False),
        lambda: fi.sweep("zeros", "relu", 2, 8.5, seeds=1, batch=4, progress=False),
        lambda: fi.sweep("zeros", "relu", 2, 8, seeds=1, steps=1.5, batch=4, progress=False),
        lambda: fi.sweep("zeros", "relu", 2, 8, seeds=1, batch=4.0, progress=False),
        lambda: fi.sweep("zeros", "relu", 2, 8, seeds=1, batch=4, threads=1.5, progress=False),
        lambda: I.lsuv_(fi.MLP([4, 5, 3]), _data()[0], max_iter=2.5),
        lambda: I.dirac_(np.zeros((2, 2, 3), np.float32), groups=1.5),
        lambda: fi.Generator(2.5),
        lambda: fi.Generator(0).spawn(2.0),
        lambda: fi.manual_seed(1.5),
        lambda: fi.set_num_threads(1.5),
        lambda: I.normal((2.5, 3)),
        lambda: fi.theory.predicted_log_slopes("tanh", 1.0, 0.0, depth=2.5),
    ],
    ids=[
        "MLP_4.7",
        "MLP_5.0",
        "MLP_ndarray_float",
        "fit_epochs",
        "fit_batch_size",
        "fit_callback_every",
        "sweep_seeds",
        "sweep_depth",
        "sweep_width",
        "sweep_steps",
        "sweep_batch",
        "sweep_threads",
        "lsuv_max_iter",
        "dirac_groups",
        "Generator_seed",
        "spawn",
        "manual_seed",
        "set_num_threads",
        "normal_shape",
        "theory_depth",
    ],
)
def test_float_counts_are_type_errors(call) -> None:
    with pytest.raises(TypeError) as info:
        call()
    assert "Unable to cast" not in str(info.value)
    assert "incompatible function arguments" not in str(info.value)


def test_integer_like_counts_are_accepted() -> None:
    """NumPy integers are integers (the check is on the type, not on int)."""
    net = fi.MLP([np.int64(4), np.int32(5), 3], output="softmax")
    h = net.fit(*_data(), epochs=np.int64(2), batch_size=np.int32(3))
    assert h.epochs == 2 and net.layer_sizes == (4, 5, 3)


# ---- target shapes


def _target_cases():
    X, y = _data(n=6, d=4, classes=3)
    lin = fi.MLP([4, 5, 3], output="linear", generator=fi.Generator(0))
    soft = fi.MLP([4, 5, 3], output="softmax", generator=fi.Generator(0))
    sig = fi.MLP([4, 5, 2], output="sigmoid", generator=fi.Generator(0))
    onehot = np.eye(3, dtype=np.float32)[y]
    return {
        "linear_transposed": (lin, X, np.zeros((3, 6), np.float32)),
        "linear_flat": (lin, X, np.zeros(18, np.float32)),
        "linear_2x9": (lin, X, np.zeros((2, 9), np.float32)),
        "softmax_onehot_transposed": (soft, X, np.ascontiguousarray(onehot.T)),
        "softmax_onehot_flat": (soft, X, onehot.ravel()),
        "softmax_labels_column_3d": (soft, X, y.reshape(6, 1, 1)),
        "sigmoid_transposed": (sig, X, np.zeros((2, 6), np.float32)),
        "sigmoid_flat": (sig, X, np.zeros(12, np.float32)),
    }


@pytest.mark.parametrize("case", sorted(_target_cases()))
def test_diagnose_target_of_wrong_shape_is_value_error(case: str) -> None:
    net, X, y = _target_cases()[case]
    with pytest.raises(ValueError, match=r"\by\b|target"):
        fi.diagnose(net, X, y)


@pytest.mark.parametrize("case", sorted(_target_cases()))
def test_loss_and_fit_target_of_wrong_shape_is_value_error(case: str) -> None:
    net, X, y = _target_cases()[case]
    for what, call in {
        "loss": lambda: net.loss(X, y),
        "loss_and_grad": lambda: net.loss_and_grad(X, y),
        "fit": lambda: net.fit(X, y, epochs=1),
    }.items():
        with pytest.raises(ValueError) as info:
            call()
        assert "shape" in str(info.value) or "y" in str(info.value), what


# ---- activation params

NOT_TAKEN = [
    ("relu", {"negative_slope": 0.1}),
    ("relu", {"alpha": 1.0}),
    ("tanh", {"beta": 2.0}),
    ("sigmoid", {"threshold": 10.0}),
    ("leaky_relu", {"alpha": 1.0}),
    ("elu", {"negative_slope": 0.2}),
    ("softplus", {"alpha": 1.0}),
    ("relu", {"no_such_parameter": 1.0}),
]


@pytest.mark.parametrize("spec", NOT_TAKEN, ids=lambda s: f"{s[0]}-{next(iter(s[1]))}")
def test_activation_parameter_not_taken_is_value_error(spec) -> None:
    act, params = spec
    (pname,) = params
    for what, call in {
        "MLP pair": lambda: fi.MLP([4, 5, 3], activation=(act, params)),
        "MLP activation_kwargs": lambda: fi.MLP(
            [4, 5, 3], activation=act, activation_kwargs=params
        ),
        "MLP list": lambda: fi.MLP([4, 5, 5, 3], activation=["tanh", (act, params)]),
        "theory.chi1": lambda: fi.theory.chi1(act, 1.0, 0.0, **params),
        "theory.q_map pair": lambda: fi.theory.q_map((act, params), 1.0, 1.0, 0.0),
        "theory.phase_diagram": lambda: fi.theory.phase_diagram(act, [1.0], [0.0], **params),
        "ExperimentConfig": lambda: fi._core.ExperimentConfig(activation=(act, params)),
    }.items():
        with pytest.raises(ValueError) as info:
            call()
        assert pname in str(info.value), f"{what}: {info.value}"


def test_activation_parameters_taken_are_used() -> None:
    X = np.full((1, 1), -1.0, np.float64)
    net = fi.MLP([1, 1, 1], activation=("leaky_relu", {"negative_slope": 0.25}), dtype=np.float64)
    net.weights[0] = [[1.0]]
    net.weights[1] = [[1.0]]
    net.biases[0] = [0.0]
    net.biases[1] = [0.0]
    assert net.forward(X)[0, 0] == -0.25


# ---- clip_grad_value_


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("clip", [-0.5, -0.0, 0.0, 0.5, -3.0, math.inf, -math.inf])
def test_clip_grad_value_equals_torch(dtype, clip: float) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    arrays = [rng.standard_normal((5, 7)).astype(dtype), rng.standard_normal(7).astype(dtype)]
    arrays[0][0, :3] = [np.nan, np.inf, -np.inf]
    ours = [a.copy() for a in arrays]
    params = []
    for a in arrays:
        p = torch.nn.Parameter(torch.zeros(a.shape, dtype=torch.from_numpy(a).dtype))
        p.grad = torch.from_numpy(a.copy())
        params.append(p)
    torch_exc = fi_exc = None
    try:
        torch.nn.utils.clip_grad_value_(params, clip)
    except Exception as exc:  # noqa: BLE001
        torch_exc = exc
    try:
        fi.clip_grad_value_(ours, clip)
    except Exception as exc:  # noqa: BLE001
        fi_exc = exc
    if torch_exc is not None:
        assert fi_exc is not None, f"torch raises {torch_exc!r}, fastinit does not"
        return
    assert fi_exc is None, f"torch clips with clip_value={clip}, fastinit raises {fi_exc!r}"
    for a, p in zip(ours, params, strict=True):
        np.testing.assert_array_equal(a, p.grad.numpy(), err_msg=f"clip_value={clip}")


# ---- weight assignment


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_weight_assignment_takes_effect(dtype) -> None:
    net = fi.MLP([3, 4, 2], activation="tanh", dtype=dtype, generator=fi.Generator(0))
    X = np.random.default_rng(0).standard_normal((5, 3)).astype(dtype)
    W0 = np.arange(12, dtype=np.float64).reshape(4, 3) / 10
    W1 = np.ones((2, 4), np.int64)
    net.weights[0] = W0
    net.weights[1] = W1
    net.biases[1] = np.array([0.5, -0.5])
    expected = np.tanh(X.astype(np.float64) @ W0.T + np.asarray(net.biases[0], np.float64))
    expected = expected @ W1.T.astype(np.float64) + np.array([0.5, -0.5])
    np.testing.assert_allclose(net.forward(X), expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(net.weights[0], W0.astype(dtype))
    np.testing.assert_array_equal(net.parameters()[2], W1.astype(dtype))


def test_weight_assignment_after_fit_pickle_and_reset_takes_effect() -> None:
    import pickle

    X, y = _data()
    net = fi.MLP([4, 5, 3], output="softmax", generator=fi.Generator(0))
    net.fit(X, y, epochs=2, batch_size=3, optimizer="adam", lr=1e-2)
    net.reset_parameters(generator=fi.Generator(1))
    net = pickle.loads(pickle.dumps(net))
    net.weights[0] = np.zeros((5, 4))
    net.biases[0] = np.zeros(5)
    out = net.forward(X)
    # with a zero first layer every row sees the same hidden state: identical predictions
    np.testing.assert_allclose(out, np.broadcast_to(out[0], out.shape), rtol=1e-6)
    assert net.loss(X, y) == pytest.approx(
        float(-np.mean(np.log(out[np.arange(len(y)), y]))), rel=1e-5
    )


@pytest.mark.parametrize(
    "value, exc",
    [
        (np.zeros((4, 5)), ValueError),  # transposed
        (np.zeros(20), ValueError),  # right count, wrong shape
        (np.array([["a"] * 4] * 5), TypeError),
        (np.zeros((5, 4), complex), TypeError),
    ],
    ids=["transposed", "flat", "strings", "complex"],
)
def test_weight_assignment_of_wrong_array_is_refused(value, exc) -> None:
    net = fi.MLP([4, 5, 3], generator=fi.Generator(0))
    before = net.weights[0].copy()
    with pytest.raises(exc, match=r"weights\[0\]"):
        net.weights[0] = value
    np.testing.assert_array_equal(net.weights[0], before)


def test_replacing_the_weights_list_is_refused_or_takes_effect() -> None:
    net = fi.MLP([4, 5, 3], generator=fi.Generator(0))
    X = _data()[0]
    new = [np.zeros((5, 4), np.float32), np.zeros((3, 5), np.float32)]
    try:
        net.weights = new
    except (AttributeError, TypeError, ValueError):
        return
    np.testing.assert_array_equal(net.forward(X), np.zeros((6, 3), np.float32))


# ---- JSON output


def test_results_to_json_is_strict_json(tmp_path) -> None:
    r = fi.sweep(
        ["zeros", "kaiming_normal"], "relu", 2, 8, seeds=2, batch=4, classes=3, progress=False
    )
    # steps=0: final_loss is NaN, sigma_w None; the zeros init has NaN slopes
    assert any(
        isinstance(v, float) and not math.isfinite(v) for rec in r.records for v in rec.values()
    ), "the case must contain a non-finite value to be a test"
    path = r.to_json(tmp_path / "r.json")
    data = json.loads(path.read_text(), parse_constant=_reject_constant)
    assert len(data["records"]) == len(r.records) == 4
    assert data["records"][0]["final_loss"] is None
    assert len(data["layers"]) == len(r.layers)


def test_results_to_json_with_inf_is_strict_json(tmp_path) -> None:
    r = fi.sweep(
        "normal",
        "relu",
        3,
        16,
        seeds=1,
        steps=3,
        lr=1e30,
        normal_std=50.0,
        batch=4,
        classes=3,
        progress=False,
    )
    path = r.to_json(tmp_path / "r.json")
    json.loads(path.read_text(), parse_constant=_reject_constant)


def test_cli_sweep_json_is_strict_json(tmp_path) -> None:
    import subprocess
    import sys

    out = tmp_path / "s.json"
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "fastinit",
            "sweep",
            "--inits",
            "zeros,kaiming_normal",
            "--activations",
            "relu",
            "--depths",
            "2",
            "--widths",
            "8",
            "--seeds",
            "1",
            "--batch",
            "4",
            "--classes",
            "3",
            "--no-progress",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 0, p.stderr
    data = json.loads(out.read_text(), parse_constant=_reject_constant)
    assert data["records"], data
