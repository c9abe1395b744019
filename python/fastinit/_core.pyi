# Type stubs of the compiled module (_core and _core_avx2 share them).
# tests/test_stubs.py fails when these and the compiled module disagree.
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

_F = npt.NDArray[np.floating[Any]]

class NonFiniteError(ValueError, RuntimeError): ...

class Generator:
    def __init__(self, seed: int = 0, stream: int = 0, offset: int = 0) -> None: ...
    @property
    def seed(self) -> int: ...
    @property
    def stream(self) -> int: ...
    @property
    def offset(self) -> int: ...
    @offset.setter
    def offset(self, value: int) -> None: ...
    @property
    def spawned(self) -> int: ...
    def _restore_spawned(self, n: int) -> None: ...
    def spawn(self, n: int) -> list[Generator]: ...
    def derive(self, name: str) -> Generator: ...
    def clone(self) -> Generator: ...

def build_info() -> dict[str, Any]: ...
def cpu_supports_x86_64_v3() -> bool: ...
def default_generator() -> Generator: ...
def manual_seed(seed: int) -> Generator: ...
def initial_seed() -> int: ...
def get_num_threads() -> int: ...
def set_num_threads(n: int) -> None: ...
def philox4x32_10(counter: Sequence[int], key: Sequence[int]) -> list[int]: ...
def random_bits(n: int, generator: Generator | None = None) -> npt.NDArray[np.uint32]: ...
def empty(shape: int | Sequence[int], dtype: npt.DTypeLike) -> _F: ...
def calculate_gain(nonlinearity: str, param: float | None = None) -> float: ...
def compute_fans(
    shape: int | Sequence[int], fan_in: float | None = None, fan_out: float | None = None
) -> tuple[float, float]: ...
def uniform_(
    tensor: _F, a: float = 0.0, b: float = 1.0, *, generator: Generator | None = None
) -> _F: ...
def normal_(
    tensor: _F, mean: float = 0.0, std: float = 1.0, *, generator: Generator | None = None
) -> _F: ...
def trunc_normal_(
    tensor: _F,
    mean: float = 0.0,
    std: float = 1.0,
    a: float = -2.0,
    b: float = 2.0,
    *,
    generator: Generator | None = None,
) -> _F: ...
def _trunc_normal_half_(
    tensor: npt.NDArray[np.uint16],
    bfloat16: bool,
    mean: float,
    std: float,
    a: float,
    b: float,
    *,
    generator: Generator | None = None,
) -> None: ...
def _round_half_(
    src: npt.NDArray[np.float32], dst: npt.NDArray[np.uint16], bfloat16: bool
) -> None: ...
def _uniform_half_(
    tensor: npt.NDArray[np.uint16],
    bfloat16: bool,
    a: float = 0.0,
    b: float = 1.0,
    *,
    generator: Generator | None = None,
) -> None: ...
def _normal_half_(
    tensor: npt.NDArray[np.uint16],
    bfloat16: bool,
    mean: float = 0.0,
    std: float = 1.0,
    *,
    generator: Generator | None = None,
) -> None: ...
def _xavier_uniform_half_(
    tensor: npt.NDArray[np.uint16],
    bfloat16: bool,
    gain: float = 1.0,
    *,
    generator: Generator | None = None,
    fan_in: float | None = None,
    fan_out: float | None = None,
) -> None: ...
def _xavier_normal_half_(
    tensor: npt.NDArray[np.uint16],
    bfloat16: bool,
    gain: float = 1.0,
    *,
    generator: Generator | None = None,
    fan_in: float | None = None,
    fan_out: float | None = None,
) -> None: ...
def _kaiming_uniform_half_(
    tensor: npt.NDArray[np.uint16],
    bfloat16: bool,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    *,
    generator: Generator | None = None,
    fan_in: float | None = None,
    fan_out: float | None = None,
) -> None: ...
def _kaiming_normal_half_(
    tensor: npt.NDArray[np.uint16],
    bfloat16: bool,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    *,
    generator: Generator | None = None,
    fan_in: float | None = None,
    fan_out: float | None = None,
) -> None: ...
def constant_(tensor: _F, val: float) -> _F: ...
def ones_(tensor: _F) -> _F: ...
def zeros_(tensor: _F) -> _F: ...
def eye_(tensor: _F) -> _F: ...
def dirac_(tensor: _F, groups: int = 1) -> _F: ...
def zero_(tensor: _F) -> _F: ...
def xavier_uniform_(
    tensor: _F,
    gain: float = 1.0,
    *,
    generator: Generator | None = None,
    fan_in: float | None = None,
    fan_out: float | None = None,
) -> _F: ...
def xavier_normal_(
    tensor: _F,
    gain: float = 1.0,
    *,
    generator: Generator | None = None,
    fan_in: float | None = None,
    fan_out: float | None = None,
) -> _F: ...
def kaiming_uniform_(
    tensor: _F,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    *,
    generator: Generator | None = None,
    fan_in: float | None = None,
    fan_out: float | None = None,
) -> _F: ...
def kaiming_normal_(
    tensor: _F,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    *,
    generator: Generator | None = None,
    fan_in: float | None = None,
    fan_out: float | None = None,
) -> _F: ...
def orthogonal_(tensor: _F, gain: float = 1.0, *, generator: Generator | None = None) -> _F: ...
def sparse_(
    tensor: _F, sparsity: float, std: float = 0.01, *, generator: Generator | None = None
) -> _F: ...
def variance_scaling_(
    tensor: _F,
    scale: float = 1.0,
    mode: str = "fan_in",
    distribution: str = "truncated_normal",
    *,
    generator: Generator | None = None,
    fan_in: float | None = None,
    fan_out: float | None = None,
) -> _F: ...

# Names come from the C++ owner of each concept (enum_names<E>); a name argument is a str.
ActivationSpec = str | tuple[str, dict[str, float]]

def activation_names() -> list[str]: ...
def activation(spec: ActivationSpec) -> tuple[str, dict[str, float]]: ...
def output_names() -> list[str]: ...
def optimizer_names() -> list[str]: ...
def clip_mode_names() -> list[str]: ...
def scheme_names() -> list[str]: ...
def verdict_names() -> list[str]: ...

class OptimConfig:
    def __init__(
        self,
        *,
        kind: str = "sgd",
        lr: float = 0.01,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-08,
    ) -> None: ...
    @property
    def kind(self) -> str: ...
    @property
    def lr(self) -> float: ...
    @property
    def momentum(self) -> float: ...
    @property
    def dampening(self) -> float: ...
    @property
    def weight_decay(self) -> float: ...
    @property
    def nesterov(self) -> bool: ...
    @property
    def beta1(self) -> float: ...
    @property
    def beta2(self) -> float: ...
    @property
    def eps(self) -> float: ...

class ClipConfig:
    def __init__(
        self, *, mode: str = "none", threshold: float = 0.0, norm_type: float = 2.0
    ) -> None: ...
    @property
    def mode(self) -> str: ...
    @property
    def threshold(self) -> float: ...
    @property
    def norm_type(self) -> float: ...

class FitConfig:
    def __init__(
        self,
        *,
        epochs: int = 1,
        batch_size: int = 32,
        shuffle: bool = True,
        optim: OptimConfig = ...,
        clip: ClipConfig = ...,
        callback_every: int = 100,
    ) -> None: ...
    @property
    def epochs(self) -> int: ...
    @property
    def batch_size(self) -> int: ...
    @property
    def shuffle(self) -> bool: ...
    @property
    def optim(self) -> OptimConfig: ...
    @property
    def clip(self) -> ClipConfig: ...
    @property
    def callback_every(self) -> int: ...

class SchemeConfig:
    def __init__(
        self,
        scheme: str = "kaiming_normal",
        *,
        std: float = 1.0,
        sigma_w: float = 1.0,
        sigma_b: float = 0.0,
    ) -> None: ...
    @property
    def scheme(self) -> str: ...
    @property
    def std(self) -> float: ...
    @property
    def sigma_w(self) -> float: ...
    @property
    def sigma_b(self) -> float: ...

class ExperimentConfig:
    def __init__(
        self,
        *,
        init: SchemeConfig = ...,
        activation: ActivationSpec = ...,
        depth: int = 10,
        width: int = 256,
        classes: int = 10,
        batch: int = 128,
        steps: int = 0,
        optim: OptimConfig = ...,
        clip: ClipConfig = ...,
        sizes: Sequence[int] = ...,
        epochs: int = 0,
        batch_size: int = 64,
        target: float = 0.9,
        diverge_factor: float = 4.0,
    ) -> None: ...
    @property
    def init(self) -> SchemeConfig: ...
    @property
    def activation(self) -> tuple[str, dict[str, float]]: ...
    @property
    def depth(self) -> int: ...
    @property
    def width(self) -> int: ...
    @property
    def classes(self) -> int: ...
    @property
    def batch(self) -> int: ...
    @property
    def steps(self) -> int: ...
    @property
    def optim(self) -> OptimConfig: ...
    @property
    def clip(self) -> ClipConfig: ...
    @property
    def sizes(self) -> list[int]: ...
    @property
    def epochs(self) -> int: ...
    @property
    def batch_size(self) -> int: ...
    @property
    def target(self) -> float: ...
    @property
    def diverge_factor(self) -> float: ...
    def layer_sizes(self) -> list[int]: ...
    def cost(self, on_data: bool) -> float: ...

def clip_grad_norm_(
    grads: Iterable[_F], max_norm: float, norm_type: float = 2.0, error_if_nonfinite: bool = False
) -> float: ...
def clip_grad_value_(grads: Iterable[_F], clip_value: float) -> None: ...
def clip_by_norm_(grads: Iterable[_F], threshold: float) -> list[float]: ...
def total_norm(grads: Iterable[_F], norm_type: float = 2.0) -> float: ...
def diagnose(
    net: _Mlp,
    X: npt.ArrayLike,
    y: npt.ArrayLike | None = None,
    generator: Generator | None = None,
    jacobian: str | None = None,
    jacobian_points: int = 32,
) -> dict[str, Any]: ...
def init_network_(
    net: _Mlp,
    scheme: SchemeConfig,
    generator: Generator | None = None,
    X: npt.ArrayLike | None = None,
) -> dict[str, Any]: ...
def lsuv_(
    net: _Mlp,
    X: npt.ArrayLike,
    tol: float = 0.1,
    max_iter: int = 10,
    orthogonal_init: bool = True,
    generator: Generator | None = None,
) -> list[dict[str, Any]]: ...
def run_experiments(
    configs: Sequence[ExperimentConfig],
    generators: list[Generator],
    dtype: npt.DTypeLike,
    threads: int = 0,
    data: tuple[Any, Any, Any, Any] | None = None,
) -> list[dict[str, Any]]: ...
def check_classification_data(
    X: npt.ArrayLike, y: npt.ArrayLike, features: int = -1, x_arg: str = "X", y_arg: str = "y"
) -> tuple[int, int, int]: ...

class _Params:
    @property
    def num_layers(self) -> int: ...
    @property
    def sizes(self) -> list[int]: ...
    def weight(self, l: int) -> _F: ...
    def bias(self, l: int) -> _F: ...
    def flat(self) -> _F: ...

class _Grads(_Params):
    def __init__(self, sizes: Sequence[int]) -> None: ...

class GradsFloat32(_Grads): ...
class GradsFloat64(_Grads): ...

class _Mlp(_Params):
    def __init__(
        self, sizes: Sequence[int], activations: Sequence[ActivationSpec], output: str
    ) -> None: ...
    @property
    def activations(self) -> list[tuple[str, dict[str, float]]]: ...
    @property
    def output(self) -> str: ...
    def locked(self, f: Any) -> Any: ...
    def new_grads(self) -> _Grads: ...
    def forward(self, X: npt.ArrayLike) -> _F: ...
    def loss(self, X: npt.ArrayLike, y: npt.ArrayLike) -> float: ...
    def loss_and_grad(self, X: npt.ArrayLike, y: npt.ArrayLike, grads: _Grads) -> float: ...
    def cache(self, kind: str, l: int) -> _F: ...
    def fit(
        self,
        X: npt.ArrayLike,
        y: npt.ArrayLike,
        config: FitConfig,
        generator: Generator | None = None,
        callback: Any = None,
        X_val: npt.ArrayLike | None = None,
        y_val: npt.ArrayLike | None = None,
    ) -> dict[str, Any]: ...

class MlpFloat32(_Mlp): ...
class MlpFloat64(_Mlp): ...

class _Optimizer:
    def __init__(self, net: _Mlp, config: OptimConfig) -> None: ...
    def step(self, net: _Mlp, grads: _Grads) -> None: ...
    @property
    def config(self) -> OptimConfig: ...
    lr: float
    @property
    def steps(self) -> int: ...
    def state(self) -> dict[str, Any]: ...
    def set_state(self, state: dict[str, Any]) -> None: ...

class OptimizerFloat32(_Optimizer): ...
class OptimizerFloat64(_Optimizer): ...

# fastinit.theory (mean-field signal propagation)
def theory_q_map(
    activation: str,
    q: float,
    sigma_w: float,
    sigma_b: float,
    params: dict[str, float] | None = None,
) -> float: ...
def theory_q_map_slope(
    activation: str, q: float, sigma_w: float, params: dict[str, float] | None = None
) -> float: ...
def theory_chi(
    activation: str, q: float, sigma_w: float, params: dict[str, float] | None = None
) -> float: ...
def theory_q_star(
    activation: str,
    sigma_w: float,
    sigma_b: float,
    q0: float = 1.0,
    params: dict[str, float] | None = None,
) -> dict[str, Any]: ...
def theory_depth_scales(
    activation: str,
    sigma_w: float,
    sigma_b: float,
    q0: float = 1.0,
    params: dict[str, float] | None = None,
) -> dict[str, Any]: ...
def theory_c_map(
    activation: str,
    c: float,
    q: float,
    sigma_w: float,
    sigma_b: float,
    params: dict[str, float] | None = None,
) -> float: ...
def theory_jacobian_moments(
    activation: str,
    sigma_w: float,
    sigma_b: float,
    depth: int,
    weights: str = "orthogonal",
    q0: float | None = None,
    params: dict[str, float] | None = None,
) -> dict[str, float]: ...
def theory_critical_sigma_w(
    activation: str, sigma_b: float = 0.0, q0: float = 1.0, params: dict[str, float] | None = None
) -> float: ...
def theory_predict(
    activation: str,
    sigma_w: float,
    sigma_b: float,
    q0: float,
    depth: int,
    params: dict[str, float] | None = None,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
def theory_predict_layers(
    activations: list[Any],
    sigma_w: Sequence[float],
    sigma_b: Sequence[float],
    q0: float,
    c0: float,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
def theory_phase_diagram(
    activation: str,
    sigma_w_grid: npt.ArrayLike,
    sigma_b_grid: npt.ArrayLike,
    q0: float = 1.0,
    params: dict[str, float] | None = None,
) -> npt.NDArray[np.float64]: ...
