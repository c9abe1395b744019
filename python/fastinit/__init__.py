"""fastinit: fast, exact, reproducible weight-initialization experiments on neural networks.

A C++/Eigen core with NumPy in and out (no copies, the GIL released in every long call):
a counter-based Philox generator, every initializer of PyTorch and Keras, and more.
"""

from __future__ import annotations

from importlib import resources as _resources
from typing import Any

from . import export, init, optim, optional, plot, progress, theory
from ._loader import core as _core
from .clip import clip_by_norm_, clip_grad_norm_, clip_grad_value_, total_norm
from .diagnostics import Diagnosis, diagnose
from .mlp import MLP, Grads, History
from .scheme import init_network_, schemes
from .sweep import Results, sweep

__version__: str = _core.build_info()["version"]

Generator = _core.Generator
NonFiniteError = _core.NonFiniteError
manual_seed = _core.manual_seed
default_generator = _core.default_generator
initial_seed = _core.initial_seed
get_num_threads = _core.get_num_threads
set_num_threads = _core.set_num_threads


def build_info() -> dict[str, Any]:
    """Which compiled module is loaded, the SIMD it uses, the compiler and the Eigen version."""
    return dict(_core.build_info())


def available_activations() -> list[str]:
    """Names accepted by ``activation=`` (``MLP``, ``sweep``, ``theory``), from the core."""
    return list(_core.activation_names())


def get_include() -> str:
    """The folder holding ``fastinit/*.hpp`` (for C++ builds against the installed package)."""
    return str(_resources.files("fastinit") / "include")


def get_cmake_dir() -> str:
    """The folder holding ``fastinitConfig.cmake`` (pass it as ``fastinit_DIR``)."""
    return str(_resources.files("fastinit") / "share" / "cmake" / "fastinit")


__all__ = [
    "export",
    "optional",
    "plot",
    "progress",
    "Results",
    "sweep",
    "Diagnosis",
    "diagnose",
    "MLP",
    "init_network_",
    "schemes",
    "Grads",
    "History",
    "clip_by_norm_",
    "clip_grad_norm_",
    "clip_grad_value_",
    "optim",
    "theory",
    "total_norm",
    "Generator",
    "NonFiniteError",
    "available_activations",
    "build_info",
    "default_generator",
    "get_cmake_dir",
    "get_include",
    "get_num_threads",
    "init",
    "initial_seed",
    "manual_seed",
    "set_num_threads",
]
