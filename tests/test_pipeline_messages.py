"""Issue 11, class 6: every public entry point names the argument, what it expected and what it
got; pybind11's plumbing ("Unable to cast", "incompatible function arguments") never reaches a
user.

Hypothesis draws, for every argument of every public entry point of ``fastinit``,
``fastinit.init``, ``fastinit.optim`` and ``fastinit.theory``, values of the wrong type (which
must raise) and values of the right type out of range (which may raise). Whatever is raised must
be a TypeError / ValueError / MemoryError (NonFiniteError is a ValueError), must not mention
pybind11's plumbing, and must name the argument. The test process runs under an address-space
cap so that a huge size is a MemoryError, never a machine-wide swap.
"""

from __future__ import annotations

import os
import re
import resource
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import fastinit as fi
import numpy as np
import pytest
from fastinit import init as I  # noqa: N812
from fastinit import optim, theory
from hypothesis import given
from hypothesis import strategies as st

PLUMBING = (
    "Unable to cast",
    "incompatible function arguments",
    "pybind11",
    "Invoked with",
    "C++ type",
    "(arg0",
    "TypeError: __init__()",
    "unsupported operand",
    "object cannot be interpreted",
)


@pytest.fixture(autouse=True, scope="module")
def _memory_cap():
    """Cap the address space at the current size + 3 GiB (restored afterwards); not under
    AddressSanitizer, which reserves terabytes of shadow memory and bounds allocations itself."""
    if "libasan" in os.environ.get("LD_PRELOAD", ""):
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as f:
        vsize = int(f.read().split()[0]) * resource.getpagesize()
    cap = vsize + (3 << 30)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    yield
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


# ---- value strategies

_OBJ = st.just(object())
_NUMARR = st.just(np.array([1.0, 2.0]))


def _wrong(kind: str, optional: bool) -> st.SearchStrategy:
    """Values of the wrong type for ``kind``: they must raise."""
    none = st.nothing() if optional else st.none()
    text = st.text(alphabet="xyzq_ 0.1", max_size=5)
    common = [none, st.binary(max_size=3), _OBJ, st.complex_numbers(max_magnitude=10)]
    if kind == "int":
        return st.one_of(
            *common, st.floats(), text, st.lists(st.integers(0, 4), max_size=2), _NUMARR
        )
    if kind == "real":
        return st.one_of(
            *common, text, st.lists(st.floats(0, 1), max_size=2), _NUMARR, st.just({"a": 1.0})
        )
    if kind == "name":
        return st.one_of(
            none,
            _OBJ,
            st.integers(),
            st.floats(),
            st.binary(max_size=3),
            st.text(alphabet="xyzq_", max_size=6),
            st.lists(st.text(alphabet="xyz", max_size=3), min_size=1, max_size=1),
        )
    if kind == "bool":
        return st.one_of(
            none,
            _OBJ,
            st.integers(),
            st.floats(),
            st.text(max_size=4),
            st.lists(st.booleans(), max_size=2),
        )
    if kind == "generator":
        return st.one_of(
            st.integers(), st.floats(), st.text(max_size=3), _OBJ, st.just(np.random.default_rng(0))
        )
    if kind == "array":
        return st.one_of(
            none,
            _OBJ,
            st.integers(),
            st.text(max_size=3),
            st.just(np.array([["a", "b"]])),
            st.just(np.zeros((6, 4), complex)),
            st.just(np.zeros((6, 7))),
            st.just([[1.0, "a"]]),
        )
    if kind == "tensor":
        return st.one_of(
            none,
            _OBJ,
            st.integers(),
            st.floats(),
            st.text(max_size=3),
            st.just([[1.0, 2.0]]),
            st.just(np.zeros((2, 3), np.int64)),
            st.just(np.zeros((2, 3), np.uint16)),
        )
    if kind == "grads":
        return st.one_of(
            none,
            _OBJ,
            st.integers(),
            st.text(max_size=3),
            st.just([None]),
            st.just([np.zeros(3, np.int64)]),
            st.just([np.zeros(3, complex)]),
            st.just([[1.0, 2.0]]),
        )
    if kind == "net":
        return st.one_of(
            none,
            _OBJ,
            st.integers(),
            st.text(max_size=3),
            st.just(fi.Generator(0)),
            st.just(np.zeros((2, 2))),
        )
    if kind == "dtype":
        return st.one_of(
            _OBJ,
            st.integers(),
            st.sampled_from(["uint16", "int32", "int64", "complex64", "nope", np.int8, np.bool_]),
        )
    if kind == "shape":
        return st.one_of(
            none,
            _OBJ,
            st.floats(),
            st.text(alphabet="xy", max_size=3),
            st.lists(st.floats(0.5, 3.5), min_size=1, max_size=2),
            st.integers(max_value=-1),
            st.lists(st.integers(max_value=-1), min_size=1, max_size=2),
        )
    if kind == "grid":
        return st.one_of(
            none,
            _OBJ,
            st.text(alphabet="xy", min_size=1, max_size=3),
            st.just([["a"]]),
            st.just([1.0, "a"]),
        )
    if kind == "callable":
        return st.one_of(st.integers(), st.text(max_size=3), st.floats())
    raise AssertionError(kind)


def _odd(kind: str, huge: bool) -> st.SearchStrategy:
    """Values of the right type, often out of range: they may raise (cleanly)."""
    if kind == "int":
        big = (
            st.integers(min_value=2**31, max_value=2**70)
            if huge
            else st.integers(min_value=2**63, max_value=2**70)
        )
        return st.one_of(st.integers(min_value=-(2**70), max_value=-1), big, st.just(0))
    if kind == "real":
        return st.one_of(
            st.floats(allow_nan=True, allow_infinity=True),
            st.integers(min_value=-(10**400), max_value=10**400),
            st.sampled_from([0.0, -1.0, -0.0]),
        )
    if kind == "name":
        return st.sampled_from(["", "RELU", "relu ", "nan", "none", "default"])
    return st.nothing()


@dataclass
class Arg:
    kind: str
    optional: bool = False  # None is a valid value
    huge: bool = True  # large valid values are safe to try
    wrap: Callable[[Any], Any] | None = None  # how the value is embedded (e.g. in a list)
    name: str | None = None  # the name the message must contain, if not the keyword


@dataclass
class Entry:
    call: Callable[..., Any]
    base: Callable[[], dict[str, Any]]
    args: dict[str, Arg]


rng = np.random.default_rng(0)
X = rng.standard_normal((6, 4)).astype(np.float32)
Y = rng.integers(0, 3, 6)


def _net(**kw):
    return fi.MLP([4, 5, 3], output="softmax", generator=fi.Generator(0), **kw)


def _w():
    return np.zeros((5, 4), np.float32)


def _stop(*_a):
    return False


def _grads():
    return _net().loss_and_grad(X, Y)[1]


R, I_, N, B = Arg("real"), Arg("int"), Arg("name"), Arg("bool")
G = Arg("generator", optional=True)

FIT_ARGS = {
    "X": Arg("array"),
    "y": Arg("array", name="y"),
    "epochs": I_,
    "batch_size": I_,
    "optimizer": N,
    "lr": R,
    "momentum": R,
    "dampening": R,
    "nesterov": B,
    "weight_decay": Arg("real", optional=True),
    "betas": Arg("real", wrap=lambda v: (v, 0.999)),
    "eps": R,
    "clip_norm": Arg("real", optional=True),
    "clip_value": Arg("real", optional=True),
    "clip_mode": Arg("name", optional=True),
    "norm_type": R,
    "shuffle": B,
    "generator": G,
    "callback_every": Arg("int", huge=True),
    "callback": Arg("callable", optional=True),
}


def _fit(**kw):
    net = kw.pop("net")
    return net.fit(**kw)


def _method(name):
    def call(**kw):
        return getattr(kw.pop("net"), name)(**kw)

    return call


def _setter(obj_factory, attr):
    def call(value):
        setattr(obj_factory(), attr, value)

    return call


FILL_ARGS: dict[str, tuple[Callable[..., Any], dict[str, Arg]]] = {
    "uniform_": (I.uniform_, {"a": R, "b": R, "generator": G}),
    "normal_": (I.normal_, {"mean": R, "std": R, "generator": G}),
    "trunc_normal_": (I.trunc_normal_, {"mean": R, "std": R, "a": R, "b": R, "generator": G}),
    "constant_": (I.constant_, {"val": R}),
    "ones_": (I.ones_, {}),
    "zeros_": (I.zeros_, {}),
    "eye_": (I.eye_, {}),
    "zero_": (I.zero_, {}),
    "xavier_uniform_": (
        I.xavier_uniform_,
        {
            "gain": R,
            "generator": G,
            "fan_in": Arg("real", optional=True),
            "fan_out": Arg("real", optional=True),
        },
    ),
    "xavier_normal_": (I.xavier_normal_, {"gain": R, "generator": G}),
    "kaiming_uniform_": (
        I.kaiming_uniform_,
        {
            "a": R,
            "mode": N,
            "nonlinearity": N,
            "generator": G,
            "fan_in": Arg("real", optional=True),
        },
    ),
    "kaiming_normal_": (
        I.kaiming_normal_,
        {
            "a": R,
            "mode": N,
            "nonlinearity": N,
            "generator": G,
            "fan_out": Arg("real", optional=True),
        },
    ),
    "orthogonal_": (I.orthogonal_, {"gain": R, "generator": G}),
    "sparse_": (I.sparse_, {"sparsity": R, "std": R, "generator": G}),
    "variance_scaling_": (
        I.variance_scaling_,
        {"scale": R, "mode": N, "distribution": N, "generator": G},
    ),
    "he_normal_": (I.he_normal_, {"generator": G}),
    "glorot_uniform_": (I.glorot_uniform_, {"generator": G}),
}
FILL_BASE = {"sparse_": {"sparsity": 0.5}, "constant_": {"val": 1.0}}

ENTRIES: dict[str, Entry] = {
    "MLP": Entry(
        fi.MLP,
        lambda: {"layer_sizes": [4, 5, 3]},
        {
            "layer_sizes": Arg("int", wrap=lambda v: [4, v, 3]),
            "activation": N,
            "output": N,
            "init": N,
            "bias_init": N,
            "dtype": Arg("dtype"),
            "generator": G,
        },
    ),
    "MLP.fit": Entry(
        _fit,
        lambda: {"net": _net(), "X": X, "y": Y, "callback": _stop, "callback_every": 1},
        FIT_ARGS,
    ),
    "MLP.forward": Entry(_method("forward"), lambda: {"net": _net(), "X": X}, {"X": Arg("array")}),
    "MLP.loss": Entry(
        _method("loss"),
        lambda: {"net": _net(), "X": X, "y": Y},
        {"X": Arg("array"), "y": Arg("array")},
    ),
    "MLP.loss_and_grad": Entry(
        _method("loss_and_grad"),
        lambda: {"net": _net(), "X": X, "y": Y},
        {"X": Arg("array"), "y": Arg("array"), "grads": Arg("grads", optional=True)},
    ),
    "MLP.cache": Entry(
        lambda **kw: _run_cache(**kw),
        lambda: {"kind": "Z", "layer": 0},
        {"kind": N, "layer": I_},
    ),
    "MLP.reset_parameters": Entry(
        _method("reset_parameters"),
        lambda: {"net": _net()},
        {"init": N, "bias_init": N, "generator": G},
    ),
    "MLP.weights[l]=": Entry(
        lambda l: _net().weights.__setitem__(l, np.zeros((5, 4))),
        lambda: {"l": 0},
        {"l": Arg("int", name="layer")},
    ),
    "diagnose": Entry(
        fi.diagnose,
        lambda: {"net": _net(), "X": X, "y": Y},
        {"net": Arg("net"), "X": Arg("array"), "y": Arg("array", optional=True), "generator": G},
    ),
    "init_network_": Entry(
        fi.init_network_,
        lambda: {"net": _net(), "scheme": "sigma"},
        {
            "net": Arg("net"),
            "scheme": N,
            "generator": G,
            "X": Arg("array", optional=True),
            "std": R,
            "sigma_w": R,
            "sigma_b": R,
        },
    ),
    "sweep": Entry(
        fi.sweep,
        lambda: {
            "init": "kaiming_normal",
            "activation": "relu",
            "depth": 1,
            "width": 4,
            "seeds": 1,
            "batch": 4,
            "classes": 2,
            "progress": False,
        },
        {
            "init": N,
            "activation": N,
            "depth": Arg("int", optional=True),
            "width": Arg("int", optional=True),
            "seeds": Arg("int", huge=False),
            "steps": Arg("int", huge=False),
            "threads": Arg("int", optional=True, huge=False),
            "batch": I_,
            "classes": Arg("int", optional=True),
            "sigma_w": Arg("real", optional=True),
            "sigma_b": Arg("real", optional=True),
            "normal_std": R,
            "optimizer": N,
            "lr": R,
            "momentum": R,
            "clip_norm": Arg("real", optional=True),
            "clip_value": Arg("real", optional=True),
            "dtype": Arg("dtype"),
            "seed": Arg("int", huge=False),
            "chunk_size": Arg("int", optional=True),
            "critical_sigma_b": R,
            "progress": Arg("bool", optional=True),
        },
    ),
    "clip_grad_norm_": Entry(
        fi.clip_grad_norm_,
        lambda: {"grads": _grads(), "max_norm": 1.0},
        {"grads": Arg("grads"), "max_norm": R, "norm_type": R, "error_if_nonfinite": B},
    ),
    "clip_grad_value_": Entry(
        fi.clip_grad_value_,
        lambda: {"grads": _grads(), "clip_value": 1.0},
        {"grads": Arg("grads"), "clip_value": R},
    ),
    "clip_by_norm_": Entry(
        fi.clip_by_norm_,
        lambda: {"grads": _grads(), "threshold": 1.0},
        {"grads": Arg("grads"), "threshold": R},
    ),
    "total_norm": Entry(
        fi.total_norm,
        lambda: {"grads": _grads()},
        {"grads": Arg("grads"), "norm_type": R},
    ),
    "Generator": Entry(fi.Generator, dict, {"seed": I_, "stream": I_, "offset": I_}),
    "Generator.spawn": Entry(
        lambda n: fi.Generator(0).spawn(n), lambda: {"n": 2}, {"n": Arg("int", huge=False)}
    ),
    "Generator.offset=": Entry(
        _setter(lambda: fi.Generator(0), "offset"),
        lambda: {"value": 0},
        {"value": Arg("int", name="offset")},
    ),
    "manual_seed": Entry(fi.manual_seed, lambda: {"seed": 0}, {"seed": I_}),
    "set_num_threads": Entry(
        fi.set_num_threads,
        lambda: {"n": 1},
        {"n": Arg("int", huge=False)},
    ),
    "init.calculate_gain": Entry(
        I.calculate_gain,
        lambda: {"nonlinearity": "leaky_relu"},
        {"nonlinearity": N, "param": Arg("real", optional=True)},
    ),
    "init.compute_fans": Entry(
        I.compute_fans,
        lambda: {"shape": (3, 4)},
        {
            "shape": Arg("shape"),
            "fan_in": Arg("real", optional=True),
            "fan_out": Arg("real", optional=True),
        },
    ),
    "init.get": Entry(I.get, lambda: {"name": "normal"}, {"name": N}),
    "init.normal (twin)": Entry(
        I.normal,
        lambda: {"shape": (3, 4)},
        {"shape": Arg("shape"), "dtype": Arg("dtype"), "std": R},
    ),
    "init.dirac_": Entry(
        I.dirac_,
        lambda: {"tensor": np.zeros((4, 2, 3), np.float32)},
        {"tensor": Arg("tensor"), "groups": Arg("int", huge=False)},
    ),
    "init.lsuv_": Entry(
        I.lsuv_,
        lambda: {"net": _net(), "X": X},
        {
            "net": Arg("net"),
            "X": Arg("array"),
            "tol": R,
            "max_iter": Arg("int", huge=False),
            "orthogonal_init": B,
            "generator": G,
        },
    ),
    "optim.SGD": Entry(
        optim.SGD,
        lambda: {"net": _net()},
        {
            "net": Arg("net"),
            "lr": R,
            "momentum": R,
            "dampening": R,
            "weight_decay": R,
            "nesterov": B,
        },
    ),
    "optim.Adam": Entry(
        optim.Adam,
        lambda: {"net": _net()},
        {
            "net": Arg("net"),
            "lr": R,
            "betas": Arg("real", wrap=lambda v: (0.9, v)),
            "eps": R,
            "weight_decay": R,
        },
    ),
    "optim.AdamW": Entry(
        optim.AdamW,
        lambda: {"net": _net()},
        {"net": Arg("net"), "lr": R, "eps": R, "weight_decay": R},
    ),
    "optim.step": Entry(
        lambda grads: optim.SGD(_net(), lr=0.1).step(grads),
        lambda: {"grads": _grads()},
        {"grads": Arg("grads")},
    ),
    "optim.lr=": Entry(
        _setter(lambda: optim.Adam(_net()), "lr"),
        lambda: {"value": 0.1},
        {"value": Arg("real", name="lr")},
    ),
}

for _name, (_fn, _args) in FILL_ARGS.items():
    ENTRIES[f"init.{_name}"] = Entry(
        _fn,
        lambda _n=_name: {"tensor": _w(), **FILL_BASE.get(_n, {})},
        {"tensor": Arg("tensor"), **_args},
    )

_ACT = {"activation": N}
_THEORY: dict[str, tuple[Callable[..., Any], dict[str, Any], dict[str, Arg]]] = {
    "q_map": (
        theory.q_map,
        {"activation": "tanh", "q": 1.0, "sigma_w": 1.0, "sigma_b": 0.0},
        {"q": R, "sigma_w": R, "sigma_b": R},
    ),
    "q_map_slope": (
        theory.q_map_slope,
        {"activation": "tanh", "q": 1.0, "sigma_w": 1.0},
        {"q": R, "sigma_w": R},
    ),
    "chi": (theory.chi, {"activation": "tanh", "q": 1.0, "sigma_w": 1.0}, {"q": R, "sigma_w": R}),
    "c_map": (
        theory.c_map,
        {"activation": "tanh", "c": 0.5, "q": 1.0, "sigma_w": 1.0, "sigma_b": 0.1},
        {"c": R, "q": R, "sigma_w": R, "sigma_b": R},
    ),
    "jacobian_moments": (
        theory.jacobian_moments,
        {"activation": "tanh", "sigma_w": 1.0, "sigma_b": 0.1, "depth": 3},
        {
            "sigma_w": R,
            "sigma_b": R,
            "depth": Arg("int", huge=False),
            "q0": Arg("real", optional=True),
        },
    ),
    "fixed_point": (
        theory.fixed_point,
        {"activation": "tanh", "sigma_w": 1.5, "sigma_b": 0.1},
        {"sigma_w": R, "sigma_b": R, "q0": R},
    ),
    "q_star": (
        theory.q_star,
        {"activation": "tanh", "sigma_w": 1.5, "sigma_b": 0.1},
        {"sigma_w": R, "sigma_b": R, "q0": R},
    ),
    "depth_scales": (
        theory.depth_scales,
        {"activation": "tanh", "sigma_w": 1.5, "sigma_b": 0.1},
        {"sigma_w": R, "sigma_b": R, "q0": R},
    ),
    "chi1": (
        theory.chi1,
        {"activation": "tanh", "sigma_w": 1.5, "sigma_b": 0.1},
        {"sigma_w": R, "sigma_b": R, "q0": R},
    ),
    "critical_sigma_w": (
        theory.critical_sigma_w,
        {"activation": "tanh", "sigma_b": 0.1},
        {"sigma_b": R, "q0": R},
    ),
    "critical_line": (
        theory.critical_line,
        {"activation": "tanh", "sigma_b_grid": [0.1]},
        {"sigma_b_grid": Arg("grid"), "q0": R},
    ),
    "predicted_log_slopes": (
        theory.predicted_log_slopes,
        {"activation": "tanh", "sigma_w": 1.0, "sigma_b": 0.0},
        {"sigma_w": R, "sigma_b": R, "q0": R, "depth": Arg("int", huge=False)},
    ),
    "phase_diagram": (
        theory.phase_diagram,
        {"activation": "tanh", "sigma_w_grid": [1.0, 1.5], "sigma_b_grid": [0.0]},
        {"sigma_w_grid": Arg("grid"), "sigma_b_grid": Arg("grid"), "q0": R},
    ),
}
for _name, (_fn, _base, _args) in _THEORY.items():
    ENTRIES[f"theory.{_name}"] = Entry(_fn, lambda _b=_base: dict(_b), {**_ACT, **_args})


def _run_cache(kind, layer):
    net = _net()
    net.forward(X)
    return net.cache(kind, layer)


# ---- the check


def _names(msg: str, name: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", msg) is not None


def _check(entry_name: str, entry: Entry, arg: str, value: Any, must_raise: bool) -> None:
    spec = entry.args[arg]
    kwargs = entry.base()
    kwargs[arg] = spec.wrap(value) if spec.wrap else value
    shown = f"{entry_name}({arg}={value!r:.80})"
    try:
        entry.call(**kwargs)
    except (TypeError, ValueError, MemoryError) as exc:
        msg = str(exc)
        for marker in PLUMBING:
            assert marker not in msg, f"{shown}: pybind11's plumbing in the message: {msg!r}"
        want = spec.name or arg
        assert _names(msg, want), f"{shown}: the message does not name {want!r}: {msg!r}"
        assert len(msg) > len(want) + 10, f"{shown}: the message says too little: {msg!r}"
        return
    except Exception as exc:  # noqa: BLE001
        pytest.fail(f"{shown}: raised {type(exc).__name__}: {exc}")
    assert not must_raise, f"{shown}: a value of the wrong type was accepted"


def _strategy(entry: Entry):
    pairs = []
    for arg, spec in entry.args.items():
        pairs.append(st.tuples(st.just(arg), _wrong(spec.kind, spec.optional), st.just(True)))
        pairs.append(st.tuples(st.just(arg), _odd(spec.kind, spec.huge), st.just(False)))
    return st.one_of(*pairs)


@pytest.mark.parametrize("entry_name", sorted(ENTRIES))
def test_entry_point_messages(entry_name: str) -> None:
    entry = ENTRIES[entry_name]
    entry.call(**entry.base())  # the baseline itself is valid

    @given(case=_strategy(entry))
    def run(case):
        arg, value, must = case
        _check(entry_name, entry, arg, value, must)

    run()


@pytest.mark.parametrize("entry_name", sorted(ENTRIES))
def test_every_argument_wrong_type(entry_name: str) -> None:
    """Deterministic sweep: a string, None (where not allowed) and an object for every
    argument of every entry point."""
    entry = ENTRIES[entry_name]
    failures = []
    for arg, spec in entry.args.items():
        values: list[Any] = [object(), b"x"]
        if spec.kind != "callable":
            values.append("xq")
        if not spec.optional:
            values.append(None)
        if spec.kind in ("int", "bool", "name"):
            values.append(2.5)
        for v in values:
            try:
                _check(entry_name, entry, arg, v, True)
            except AssertionError as exc:
                failures.append(str(exc).splitlines()[0])
            except pytest.fail.Exception as exc:
                failures.append(str(exc).splitlines()[0])
    assert not failures, f"{len(failures)} case(s):\n" + "\n".join(failures)


# ---- the issue's cases


@pytest.mark.parametrize(
    "call, exc, arg",
    [
        (lambda: _net().fit(X, Y, lr="0.1"), TypeError, "lr"),
        (
            lambda: fi.sweep("zeros", "relu", 1, 4, seeds=1, lr="0.1", progress=False),
            TypeError,
            "lr",
        ),
        (lambda: optim.SGD(_net(), lr="0.1"), TypeError, "lr"),
        (lambda: fi.set_num_threads(2**31), ValueError, "n"),
        (lambda: fi.set_num_threads("2"), TypeError, "n"),
        (lambda: fi.Generator(-1), ValueError, "seed"),
        (lambda: fi.Generator(2.5), TypeError, "seed"),
        (lambda: fi.Generator(2**64), ValueError, "seed"),
        (lambda: fi.Generator(0, stream=-1), ValueError, "stream"),
        (lambda: fi.Generator(0).spawn(2.0), TypeError, "n"),
        (lambda: fi.Generator(0).spawn(-1), ValueError, "n"),
        (lambda: fi.manual_seed(-1), ValueError, "seed"),
        (lambda: fi.manual_seed("0"), TypeError, "seed"),
        (
            lambda: fi.sweep("zeros", "relu", 1, 4, seeds=1, seed=-1, progress=False),
            ValueError,
            "seed",
        ),
        (lambda: I.normal_(_w(), std="1"), TypeError, "std"),
        (lambda: I.kaiming_normal_(_w(), mode=1), TypeError, "mode"),
        (lambda: I.kaiming_normal_(_w(), mode="fan_xx"), ValueError, "mode"),
        # PyTorch raises ValueError("negative_slope 0.1 not a valid number") here; so does fastinit
        (lambda: I.calculate_gain("leaky_relu", "0.1"), ValueError, "param"),
        (lambda: theory.chi1("tanh", "1.0", 0.0), TypeError, "sigma_w"),
        (lambda: theory.predicted_log_slopes("tanh", 1.0, 0.0, depth="3"), TypeError, "depth"),
        (lambda: theory.phase_diagram("tanh", "abc", [0.0]), TypeError, "sigma_w_grid"),
        (lambda: fi.clip_grad_norm_(_grads(), "1.0"), TypeError, "max_norm"),
        (lambda: fi.clip_grad_value_(_grads(), None), TypeError, "clip_value"),
        (lambda: fi.diagnose("net", X), TypeError, "net"),
        (lambda: I.lsuv_(_net(), X, max_iter="3"), TypeError, "max_iter"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_issue_cases(call, exc, arg) -> None:
    with pytest.raises(exc) as info:
        call()
    msg = str(info.value)
    for marker in PLUMBING:
        assert marker not in msg, msg
    assert _names(msg, arg), f"the message does not name {arg!r}: {msg!r}"


def test_epochs_2_31_is_accepted_or_named() -> None:
    try:
        h = _net().fit(X, Y, epochs=2**31, callback=_stop, callback_every=1)
    except (ValueError, OverflowError) as exc:
        assert isinstance(exc, ValueError) and _names(str(exc), "epochs"), repr(exc)
        assert "Unable to cast" not in str(exc)
    else:
        assert h.stopped


def test_unknown_names_list_the_valid_ones() -> None:
    for call, valid in [
        (lambda: fi.MLP([4, 3, 3], activation="nope"), "tanh"),
        (lambda: fi.MLP([4, 3], output="nope"), "softmax"),
        (lambda: fi.MLP([4, 3], init="nope"), "kaiming_normal"),
        (lambda: _net().fit(X, Y, optimizer="nope"), "adam"),
        (lambda: fi.init_network_(_net(), "nope"), "orthogonal"),
        (lambda: fi.sweep("nope", "relu", 1, 4, seeds=1, progress=False), "kaiming_normal"),
        (lambda: I.calculate_gain("nope"), "leaky_relu"),
        (lambda: theory.chi1("nope", 1.0, 0.0), "tanh"),
        (lambda: _net().fit(X, Y, clip_norm=1.0, clip_mode="nope"), "per_tensor"),
    ]:
        with pytest.raises(ValueError) as info:
            call()
        assert "nope" in str(info.value) and valid in str(info.value), str(info.value)
