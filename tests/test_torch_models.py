"""fastinit.torch.init_ / reset_parameters_ on whole models, checked against torch itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import fastinit as fi
import numpy as np
import pytest
from scipy import stats

torch = pytest.importorskip("torch")
fit = pytest.importorskip("fastinit.torch")
nn = torch.nn

LAYERS: dict[str, Callable[[], Any]] = {
    "linear": lambda: nn.Linear(96, 80),
    "conv1d": lambda: nn.Conv1d(12, 24, 5),
    "conv2d": lambda: nn.Conv2d(6, 32, 3, groups=2),
    "conv3d": lambda: nn.Conv3d(4, 16, (2, 3, 3)),
    "convtranspose1d": lambda: nn.ConvTranspose1d(24, 12, 5),
    "convtranspose2d": lambda: nn.ConvTranspose2d(32, 12, 3, groups=4),
    "convtranspose3d": lambda: nn.ConvTranspose3d(16, 6, (2, 3, 3)),
    "embedding": lambda: nn.Embedding(300, 20, padding_idx=3),
    "rnn": lambda: nn.RNN(20, 40, num_layers=2),
    "lstm": lambda: nn.LSTM(20, 32, bidirectional=True),
    "lstm_proj": lambda: nn.LSTM(20, 32, proj_size=16),
    "gru": lambda: nn.GRU(20, 30),
    "lstmcell": lambda: nn.LSTMCell(20, 32),
    "grucell": lambda: nn.GRUCell(20, 30),
    "layernorm": lambda: nn.LayerNorm(50),
    "batchnorm2d": lambda: nn.BatchNorm2d(16),
    "groupnorm": lambda: nn.GroupNorm(4, 16),
    "instancenorm1d": lambda: nn.InstanceNorm1d(8, affine=True),
}


def _torch_reset(model: Any) -> Any:
    for m in model.modules():
        if hasattr(m, "reset_parameters"):
            m.reset_parameters()
    return model


def _state(model: Any) -> dict[str, np.ndarray]:
    return {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}


def _mixed() -> Any:
    return nn.ModuleDict(
        {
            "emb": nn.Embedding(50, 16),
            "conv": nn.Conv1d(16, 24, 3),
            "lstm": nn.LSTM(24, 32),
            "norm": nn.LayerNorm(32),
            "head": nn.Linear(32, 10),
        }
    )


@pytest.mark.parametrize("kind", sorted(LAYERS))
def test_fans_match_torch(kind: str) -> None:
    for name, p in LAYERS[kind]().named_parameters():
        if p.dim() < 2:
            continue
        ours = fi.init.compute_fans(tuple(p.shape))
        theirs = nn.init._calculate_fan_in_and_fan_out(p)
        assert ours == pytest.approx(theirs, rel=0, abs=0), name


@pytest.mark.parametrize("kind", sorted(LAYERS))
def test_reset_parameters_matches_torch_in_law(kind: str) -> None:
    torch.manual_seed(0)
    theirs = _state(_torch_reset(LAYERS[kind]()))
    model = LAYERS[kind]()
    with torch.no_grad():
        for p in model.parameters():
            p.fill_(float("nan"))
    ptrs = {n: p.data_ptr() for n, p in model.named_parameters()}
    assert fit.reset_parameters_(model, generator=fi.Generator(1)) is model
    assert {n: p.data_ptr() for n, p in model.named_parameters()} == ptrs
    ours = _state(model)
    assert ours.keys() == theirs.keys()
    for name in ours:
        a, b = ours[name].ravel(), theirs[name].ravel()
        assert a.dtype == b.dtype and a.shape == b.shape, name
        if np.all(b == b[0]):  # deterministic: norm weights, biases, running statistics
            np.testing.assert_array_equal(a, b, err_msg=name)
        else:
            assert stats.ks_2samp(a, b).pvalue > 1e-4, name
            assert np.abs(a).max() <= np.abs(b).max() * 1.05 + 1e-6 or kind == "embedding", name


def test_reset_parameters_bounds_are_pytorchs() -> None:
    for kind in ("convtranspose2d", "conv3d", "linear"):
        model = fit.reset_parameters_(LAYERS[kind](), generator=fi.Generator(3))
        fan_in = nn.init._calculate_fan_in_and_fan_out(model.weight)[0]
        for p in (model.weight, model.bias):
            bound = 1 / np.sqrt(fan_in)
            assert p.abs().max().item() <= bound
            assert p.abs().max().item() > 0.9 * bound


def test_embedding_padding_row_and_batchnorm_statistics() -> None:
    emb = fit.reset_parameters_(nn.Embedding(10, 4, padding_idx=2), generator=fi.Generator(0))
    assert (emb.weight[2] == 0).all() and (emb.weight[3] != 0).all()
    bn = nn.BatchNorm1d(5)
    bn.train()
    bn(torch.randn(8, 5) * 3 + 1)
    assert bn.num_batches_tracked.item() == 1
    fit.reset_parameters_(bn)
    assert (bn.running_mean == 0).all() and (bn.running_var == 1).all()
    assert bn.num_batches_tracked.item() == 0


def test_values_depend_only_on_seed_name_and_shape() -> None:
    a = nn.ModuleDict({"enc": nn.Linear(30, 20), "dec": nn.Linear(20, 30)})
    b = nn.ModuleDict(
        {"extra": nn.Conv2d(3, 8, 3), "dec": nn.Linear(20, 30), "enc": nn.Linear(30, 20)}
    )
    for fn in (fit.reset_parameters_, lambda m, generator: fit.init_(m, "orthogonal", generator)):
        fn(a, generator=fi.Generator(7))
        fn(b, generator=fi.Generator(7))
        sa, sb = _state(a), _state(b)
        for name in sa:
            np.testing.assert_array_equal(sa[name], sb[name], err_msg=name)
        assert not np.array_equal(sa["enc.weight"].ravel(), sa["dec.weight"].ravel())
        g = fi.Generator(7)
        g.offset = 1000  # the parent's offset does not matter
        fn(a, generator=g)
        for name, v in _state(a).items():
            np.testing.assert_array_equal(v, sa[name], err_msg=name)


def test_a_different_seed_gives_different_values() -> None:
    a = fit.reset_parameters_(nn.Linear(10, 10), generator=fi.Generator(0))
    b = fit.reset_parameters_(nn.Linear(10, 10), generator=fi.Generator(1))
    assert not torch.equal(a.weight, b.weight)


@pytest.mark.parametrize("how", ["reset", "init"])
def test_meta_materialization_gives_the_cpu_bits(how: str) -> None:
    def run(m: Any) -> Any:
        if how == "reset":
            return fit.reset_parameters_(m, generator=fi.Generator(11))
        return fit.init_(m, "kaiming_normal", fi.Generator(11), bias=0.1, nonlinearity="relu")

    cpu = run(_mixed())
    with torch.device("meta"):
        meta = _mixed()
    with pytest.raises(ValueError, match="meta"):
        run(meta)
    meta = run(meta.to_empty(device="cpu"))
    for (n, x), (_, y) in zip(_state(cpu).items(), _state(meta).items(), strict=True):
        np.testing.assert_array_equal(x, y, err_msg=n)


def test_one_and_two_threads_give_the_same_bits() -> None:
    before = fi.get_num_threads()
    out = []
    try:
        for n in (1, 2):
            fi.set_num_threads(n)
            m = nn.Sequential(nn.Linear(512, 512), nn.ReLU(), _mixed())
            fit.reset_parameters_(m, generator=fi.Generator(5))
            fit.init_(m[0], "kaiming_normal", fi.Generator(5))
            out.append(_state(m))
    finally:
        fi.set_num_threads(before)
    for name in out[0]:
        np.testing.assert_array_equal(out[0][name], out[1][name], err_msg=name)


def test_init_scheme_on_every_weight_and_bias() -> None:
    m = nn.Sequential(nn.Linear(40, 30), nn.ReLU(), nn.Conv1d(30, 20, 3), nn.LayerNorm(20))
    g = fi.Generator(2)
    assert fit.init_(m, "kaiming_normal", g, bias="zeros", nonlinearity="relu") is m
    ref = fi.init.kaiming_normal((30, 40), nonlinearity="relu", generator=g.derive("0.weight"))
    np.testing.assert_array_equal(m[0].weight.detach().numpy(), ref)
    ref = fi.init.kaiming_normal((20, 30, 3), nonlinearity="relu", generator=g.derive("2.weight"))
    np.testing.assert_array_equal(m[2].weight.detach().numpy(), ref)
    assert (m[0].bias == 0).all() and (m[2].bias == 0).all()
    assert (m[3].weight == 1).all() and (m[3].bias == 0).all()
    fit.init_(m, "xavier_uniform", g, bias=None)
    assert (m[0].bias == 0).all()  # left as it was
    fit.init_(m, "zeros", g, bias=0.25)
    assert (m[0].weight == 0).all() and (m[2].bias == 0.25).all()


def test_init_recurrent_orthogonal_and_forget_bias() -> None:
    lstm = nn.LSTM(10, 16, num_layers=2)
    fit.init_(lstm, "xavier_uniform", fi.Generator(0), recurrent="orthogonal", forget_bias=1.0)
    for layer in range(2):
        whh = getattr(lstm, f"weight_hh_l{layer}").detach().double()
        for k in range(4):
            blk = whh[16 * k : 16 * (k + 1)]
            eye = torch.eye(16, dtype=torch.float64)
            torch.testing.assert_close(blk @ blk.T, eye, rtol=0, atol=1e-6)
        b_ih = getattr(lstm, f"bias_ih_l{layer}")
        assert (b_ih[16:32] == 1).all() and (b_ih[:16] == 0).all() and (b_ih[32:] == 0).all()
        assert (getattr(lstm, f"bias_hh_l{layer}") == 0).all()


def test_training_works_after_initialization() -> None:
    m = fit.reset_parameters_(_mixed(), generator=fi.Generator(0))
    x = torch.randint(0, 50, (4, 9))
    h = m["conv"](m["emb"](x).transpose(1, 2)).transpose(1, 2)
    out, _ = m["lstm"](h)
    m["head"](m["norm"](out)).sum().backward()
    assert all(p.grad is not None and torch.isfinite(p.grad).all() for p in m.parameters())


def test_unsupported_modules_and_bad_arguments() -> None:
    with pytest.raises(ValueError, match="'att'.*MultiheadAttention"):
        fit.reset_parameters_(nn.ModuleDict({"att": nn.MultiheadAttention(8, 2)}))
    with pytest.raises(ValueError, match="Bilinear"):
        fit.init_(nn.Bilinear(3, 4, 5), "normal")
    with pytest.raises(ValueError, match="unknown initializer"):
        fit.init_(nn.Linear(3, 4), "nope")
    with pytest.raises(TypeError, match="generator"):
        fit.reset_parameters_(nn.Linear(3, 4), generator=0)
    with pytest.raises(TypeError, match="torch.nn.Module"):
        fit.reset_parameters_(np.zeros(3))
    with pytest.raises(TypeError, match="float32 or float64"):
        fit.reset_parameters_(nn.Linear(3, 4).to(torch.float8_e4m3fn))


@pytest.mark.parametrize("dtype", ["bfloat16", "float16"])
def test_16bit_model_is_the_float32_model_rounded(dtype: str) -> None:
    tdt = getattr(torch, dtype)
    ref = fit.reset_parameters_(_mixed(), generator=fi.Generator(4))
    half = fit.reset_parameters_(_mixed().to(tdt), generator=fi.Generator(4))
    for (n, p), (_, q) in zip(ref.named_parameters(), half.named_parameters(), strict=True):
        assert q.dtype == tdt and torch.equal(p.detach().to(tdt), q.detach()), n
