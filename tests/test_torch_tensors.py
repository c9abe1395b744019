"""fastinit.init.*_ on torch tensors and Parameters: in place, zero-copy, autograd-safe, and
the errors of DESIGN.md §4; `import fastinit` never imports torch."""

from __future__ import annotations

import array
import subprocess
import sys

import fastinit as fi
import numpy as np
import pytest

torch = pytest.importorskip("torch")

RANDOM = {
    "uniform_": {},
    "normal_": {},
    "trunc_normal_": {},
    "xavier_uniform_": {},
    "xavier_normal_": {},
    "kaiming_uniform_": {},
    "kaiming_normal_": {},
    "orthogonal_": {},
    "sparse_": {"sparsity": 0.5},
    "variance_scaling_": {},
    "glorot_uniform_": {},
    "glorot_normal_": {},
    "he_uniform_": {},
    "he_normal_": {},
    "lecun_uniform_": {},
    "lecun_normal_": {},
}
DETERMINISTIC = {"ones_": {}, "zeros_": {}, "eye_": {}, "zero_": {}, "constant_": {"val": 0.5}}


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("name", sorted(RANDOM))
def test_random_initializer_writes_the_tensor_in_place(name: str, dtype: object) -> None:
    t = torch.full((16, 8), float("nan"), dtype=dtype)
    ptr = t.data_ptr()
    out = getattr(fi.init, name)(t, **RANDOM[name], generator=fi.Generator(1))
    assert out is t and t.data_ptr() == ptr
    ref = getattr(fi.init, name)(
        np.empty((16, 8), dtype=np.float32 if dtype == torch.float32 else np.float64),
        **RANDOM[name],
        generator=fi.Generator(1),
    )
    np.testing.assert_array_equal(t.numpy(), ref)  # same bits as on NumPy


@pytest.mark.parametrize("name", sorted(DETERMINISTIC))
def test_deterministic_initializer_on_a_parameter(name: str) -> None:
    p = torch.nn.Parameter(torch.full((4, 4), float("nan")))
    assert getattr(fi.init, name)(p, **DETERMINISTIC[name]) is p
    assert torch.isfinite(p).all()


def test_dirac_on_a_conv_weight() -> None:
    conv = torch.nn.Conv2d(3, 3, 3)
    assert fi.init.dirac_(conv.weight) is conv.weight
    x = torch.randn(1, 3, 5, 5)
    with torch.no_grad():
        torch.testing.assert_close(conv(x) - conv.bias.view(1, 3, 1, 1), x[:, :, 1:-1, 1:-1])


def test_parameter_autograd_records_nothing_and_backward_works() -> None:
    lin = torch.nn.Linear(5, 3)
    w = lin.weight
    ptr = w.data_ptr()
    out = fi.init.kaiming_normal_(w, nonlinearity="relu", generator=fi.Generator(0))
    assert out is w and isinstance(out, torch.nn.Parameter) and w.data_ptr() == ptr
    assert w.requires_grad and w.is_leaf and w.grad_fn is None and w.grad is None
    ref = fi.init.kaiming_normal((3, 5), nonlinearity="relu", generator=fi.Generator(0))
    np.testing.assert_array_equal(w.detach().numpy(), ref)
    lin(torch.randn(7, 5)).sum().backward()
    assert w.grad is not None and w.grad.shape == (3, 5)
    assert torch.isfinite(w.grad).all() and w.grad.abs().sum() > 0


def test_a_graph_that_saved_the_old_values_refuses_backward() -> None:
    w = torch.nn.Parameter(torch.ones(3, 4))
    x = torch.ones(4, requires_grad=True)
    y = (w * x).sum()  # saves w for backward
    before = w._version
    fi.init.normal_(w, generator=fi.Generator(0))
    assert w._version > before  # as torch.nn.init.normal_ under no_grad
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.backward()


def test_buffer_protocol_objects() -> None:
    buf = array.array("d", [0.0] * 12)
    assert fi.init.normal_(buf, generator=fi.Generator(2)) is buf
    np.testing.assert_array_equal(
        np.frombuffer(buf), fi.init.normal(12, dtype=np.float64, generator=fi.Generator(2))
    )
    with pytest.raises(ValueError, match="read-only"):
        fi.init.normal_(memoryview(array.array("d", [0.0] * 4)).toreadonly())
    with pytest.raises(TypeError, match="buffer of uint8"):
        fi.init.normal_(bytearray(16))


def test_non_contiguous_tensor_is_an_error_not_a_copy() -> None:
    t = torch.zeros(8, 6).t()
    with pytest.raises(ValueError, match="C-contiguous"):
        fi.init.normal_(t)
    assert (t == 0).all()
    with pytest.raises(ValueError, match="C-contiguous"):
        fi.init.normal_(torch.zeros(8, 6)[:, ::2])


def test_meta_tensor_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="meta.*to_empty"):
        fi.init.normal_(torch.empty(3, 4, device="meta"))


@pytest.mark.parametrize("dtype", [torch.int32, torch.int64, torch.bool, torch.complex64])
def test_non_float_tensor_is_a_type_error(dtype: object) -> None:
    t = torch.zeros(4, 4, dtype=dtype)
    with pytest.raises(TypeError, match="float32 or float64"):
        fi.init.normal_(t)
    assert (t == 0).all()


def test_non_leaf_requiring_grad_is_an_error() -> None:
    p = torch.nn.Parameter(torch.ones(4, 4))
    y = p * 2
    with pytest.raises(ValueError, match="non-leaf"):
        fi.init.normal_(y)


def test_other_objects_are_type_errors() -> None:
    with pytest.raises(TypeError, match="DLPack or the buffer protocol"):
        fi.init.normal_([1.0, 2.0])
    with pytest.raises(TypeError, match="DLPack or the buffer protocol"):
        fi.init.normal_("abc")


def test_no_grad_mode_and_inference_tensors() -> None:
    with torch.no_grad():
        t = torch.empty(10)
        assert fi.init.uniform_(t, generator=fi.Generator(0)) is t
    assert ((t >= 0) & (t < 1)).all()


def test_import_fastinit_does_not_import_torch() -> None:
    code = (
        "import sys, numpy as np, fastinit as fi, fastinit.init\n"
        "fi.init.normal_(np.empty(4)); fi.MLP([2, 3, 1])\n"
        "assert 'torch' not in sys.modules, 'torch imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_missing_torch_says_how_to_install() -> None:
    code = (
        "import sys; sys.modules['torch'] = None\n"
        "try:\n"
        "    import fastinit.torch\n"
        "except ImportError as e:\n"
        "    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert 'pip install "fastinit-nn[torch]"' in out.stdout
