"""diagnose(jacobian=...): singular values of the input-output Jacobian against torch autograd.

The reference is independent of fastinit's kernels: a torch function written here from
net.weights / net.biases and torch.nn.functional activations, differentiated by
torch.autograd.functional.jacobian in float64, then numpy's SVD. The comparison is relative to
the largest singular value of each point (a backward-stable SVD is accurate to that scale; small
singular values are not relatively accurate in any SVD of J). Measured worst cases when written:
float64 3.3e-15, float32 7.4e-8 (fastinit uses the float32 network's Z caches, the reference
recomputes Z in float64 from the same float32 weights, so the derivatives phi'(Z) differ by a
float32 rounding). Tolerances: 1e-12 and 1e-6.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import fastinit as fi
import numpy as np
import pytest

torch = pytest.importorskip("torch")
F = torch.nn.functional

ACT = {
    "tanh": torch.tanh,
    "relu": F.relu,
    "sigmoid": torch.sigmoid,
    "gelu": F.gelu,
    "elu": F.elu,
    "softplus": F.softplus,
    "leaky_relu": F.leaky_relu,
}


def _reference(net: fi.MLP, X: np.ndarray, kind: str) -> np.ndarray:
    Ws = [torch.from_numpy(np.array(w, dtype=np.float64)) for w in net.weights]
    bs = [torch.from_numpy(np.array(b, dtype=np.float64)) for b in net.biases]
    acts = [ACT[a] for a in net.activations]
    layers = len(Ws) if kind == "output" else len(Ws) - 1

    def f(x: torch.Tensor) -> torch.Tensor:
        for l in range(layers):
            x = Ws[l] @ x + bs[l]
            if l < len(acts):
                x = acts[l](x)
        return x

    out = []
    for x in np.asarray(X, dtype=np.float64):
        J = torch.autograd.functional.jacobian(f, torch.from_numpy(x)).numpy()
        out.append(np.linalg.svd(J, compute_uv=False))
    return np.array(out)


def _check(net: fi.MLP, X: np.ndarray, kind: str, tol: float, points: int = 32) -> None:
    d = fi.diagnose(net, X, jacobian=kind, jacobian_points=points)
    sv = d.jacobian_singular_values
    ref = _reference(net, X[:points], kind)
    assert sv is not None and sv.dtype == np.float64 and sv.shape == ref.shape
    assert np.all(np.diff(sv, axis=1) <= 0)  # descending
    err = np.max(np.abs(sv - ref) / ref[:, :1])
    assert err < tol, f"max |s - s_ref| / s_max = {err:.3g}"


@pytest.mark.parametrize("act", sorted(ACT))
@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["f64", "f32"])
def test_output_jacobian_matches_autograd(act: str, dtype: type) -> None:
    # rectangular both ways: D_0 = 12 < D_L = 20 (pushed forward from the input) ...
    net = fi.MLP([12, 24, 16, 20], activation=act, dtype=dtype, generator=fi.Generator(3))
    X = fi.init.normal((5, 12), dtype=dtype, generator=fi.Generator(4))
    _check(net, X, "output", 1e-12 if dtype == np.float64 else 1e-6)


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["f64", "f32"])
def test_wide_input_is_pulled_back_from_the_output(dtype: type) -> None:
    # ... and D_0 = 30 > D_L = 7 (pulled back from the output); biases non-zero
    net = fi.MLP(
        [30, 18, 25, 7],
        activation="tanh",
        dtype=dtype,
        generator=fi.Generator(5),
        bias_init="normal",
        bias_init_kwargs={"std": 0.3},
    )
    X = fi.init.normal((6, 30), dtype=dtype, generator=fi.Generator(6))
    _check(net, X, "output", 1e-12 if dtype == np.float64 else 1e-6)


@pytest.mark.parametrize("sizes", [[9, 14, 11, 5], [6, 10, 3]], ids=["deep", "one-hidden"])
@pytest.mark.parametrize("act", ["tanh", "relu"])
def test_hidden_jacobian_matches_autograd(sizes: list[int], act: str) -> None:
    net = fi.MLP(sizes, activation=act, dtype=np.float64, generator=fi.Generator(7))
    X = fi.init.normal((4, sizes[0]), dtype=np.float64, generator=fi.Generator(8))
    _check(net, X, "hidden", 1e-12)


def test_orthogonal_linear_network_is_an_isometry() -> None:
    # identity activations and orthogonal square weights: J = W_L ... W_1 is orthogonal
    net = fi.MLP(
        [64] * 5,
        activation="identity",
        init="orthogonal",
        dtype=np.float64,
        generator=fi.Generator(0),
    )
    d = fi.diagnose(net, np.ones((3, 64)), jacobian=True)
    np.testing.assert_allclose(d.jacobian_singular_values, 1.0, rtol=0, atol=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize(("init", "chi"), [("kaiming_normal", 1.0), ("xavier_normal", 0.5)])
def test_mean_squared_singular_value_is_chi_to_the_depth(init: str, chi: float, seed: int) -> None:
    # Pennington et al. 2017: for Gaussian weights the mean of the squared singular values of
    # the hidden Jacobian is chi^L, chi = sigma_w^2 E[phi'^2] = sigma_w^2 / 2 for ReLU (He:
    # 1, Xavier: 1/2). Width 256, 5 layers: the sampled weights moved it by up to 13 % on seeds
    # 0-2 when written; the bound is 25 % (Xavier's 1/32 is far outside He's band).
    net = fi.MLP(
        [256] * 6 + [10],
        activation="relu",
        init=init,
        dtype=np.float64,
        generator=fi.Generator(seed),
    )
    X = fi.init.normal((16, 256), dtype=np.float64, generator=fi.Generator(10 + seed))
    d = fi.diagnose(net, X, jacobian="hidden", jacobian_points=16)
    assert d.jacobian_moments()["mean"] == pytest.approx(chi**5, rel=0.25)


def test_batch_of_one_and_no_hidden_layer() -> None:
    net = fi.MLP([5, 8, 3], activation="gelu", dtype=np.float64, generator=fi.Generator(1))
    _check(net, np.linspace(-1, 1, 5).reshape(1, 5), "output", 1e-12)
    lin = fi.MLP([5, 3], dtype=np.float64, generator=fi.Generator(2))  # J = W_1 for every x
    d = fi.diagnose(lin, np.ones((3, 5)), jacobian=True)
    want = np.linalg.svd(np.array(lin.weights[0]), compute_uv=False)
    np.testing.assert_allclose(d.jacobian_singular_values, np.tile(want, (3, 1)), rtol=1e-12)
    with pytest.raises(ValueError, match="hidden"):
        fi.diagnose(lin, np.ones((3, 5)), jacobian="hidden")


def test_points_are_capped_and_pooled() -> None:
    net = fi.MLP([8, 16, 16, 4], activation="tanh", dtype=np.float64, generator=fi.Generator(0))
    X = fi.init.normal((50, 8), dtype=np.float64, generator=fi.Generator(1))
    d = fi.diagnose(net, X, jacobian=True)
    assert d.jacobian == "output" and d.jacobian_singular_values.shape == (32, 4)  # default cap
    few = fi.diagnose(net, X[:3], jacobian="output", jacobian_points=10)
    assert few.jacobian_singular_values.shape == (3, 4)  # fewer rows than the cap: all of them
    # the same points (to rounding: the forward GEMM's blocking depends on the batch size)
    np.testing.assert_allclose(
        few.jacobian_singular_values, d.jacobian_singular_values[:3], rtol=1e-13
    )
    pooled = d.jacobian_spectrum
    assert pooled.shape == (128,) and np.all(np.diff(pooled) <= 0)
    np.testing.assert_array_equal(np.sort(pooled), np.sort(d.jacobian_singular_values.ravel()))
    m = d.jacobian_moments()
    assert m["mean"] == pytest.approx(np.mean(pooled**2), rel=1e-12)
    assert m["variance"] == pytest.approx(np.var(pooled**2), rel=1e-12)
    plain = fi.diagnose(net, X)
    assert plain.jacobian is None and plain.jacobian_singular_values is None
    with pytest.raises(ValueError, match="jacobian=True"):
        plain.jacobian_spectrum  # noqa: B018


def test_bit_identical_for_any_thread_count() -> None:
    net = fi.MLP([64, 96, 96, 48], activation="tanh", generator=fi.Generator(0))
    X = fi.init.normal((16, 64), generator=fi.Generator(1))
    before = fi.get_num_threads()
    try:
        runs = []
        for n in (1, 2, 3):
            fi.set_num_threads(n)
            runs.append(fi.diagnose(net, X, jacobian=True).jacobian_singular_values)
    finally:
        fi.set_num_threads(before)
    for r in runs[1:]:
        assert r.tobytes() == runs[0].tobytes()


@pytest.mark.parametrize(
    ("kw", "exc", "match"),
    [
        ({"jacobian": "input"}, ValueError, "unknown jacobian 'input'.*'output', 'hidden'"),
        ({"jacobian": 1}, TypeError, "jacobian"),
        ({"jacobian": True, "jacobian_points": 0}, ValueError, "jacobian_points"),
        ({"jacobian": True, "jacobian_points": 2.5}, TypeError, "jacobian_points"),
    ],
)
def test_bad_arguments(kw: dict, exc: type, match: str) -> None:
    net = fi.MLP([4, 6, 2], generator=fi.Generator(0))
    with pytest.raises(exc, match=match):
        fi.diagnose(net, np.ones((3, 4), np.float32), **kw)


@pytest.mark.slow
@pytest.mark.skipif(
    "libasan" in os.environ.get("LD_PRELOAD", ""), reason="wall-clock latency limit"
)
def test_ctrl_c_stops_a_long_jacobian() -> None:
    # 64 points of a 512-wide, 12-layer network: ~10 s of work; SIGINT after 0.5 s
    code = textwrap.dedent(
        """
        import sys, time, fastinit as fi, numpy as np
        net = fi.MLP([512] * 12 + [512], activation="tanh", generator=fi.Generator(0))
        X = fi.init.normal((64, 512), generator=fi.Generator(1))
        print("GO", flush=True)
        try:
            fi.diagnose(net, X, jacobian=True, jacobian_points=64)
            print("ENDED", flush=True)
        except KeyboardInterrupt:
            print("CAUGHT", time.time(), flush=True)
            d = fi.diagnose(net, X[:4], jacobian=True)  # the network still works
            print("AFTER", d.jacobian_singular_values.shape, flush=True)
        """
    )
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert p.stdout is not None and p.stdout.readline().strip() == "GO"
        time.sleep(0.5)
        sent = time.time()
        p.send_signal(signal.SIGINT)
        out, _ = p.communicate(timeout=60)
    finally:
        p.kill()
    caught = [ln for ln in out.splitlines() if ln.startswith("CAUGHT")]
    assert caught, out
    latency = float(caught[0].split()[1]) - sent
    assert latency < 1.0, f"KeyboardInterrupt {latency:.3f} s after SIGINT"
    assert "AFTER (4, 512)" in out, out
