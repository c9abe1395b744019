"""Optimizers with PyTorch's update rules, stepping a :class:`fastinit.MLP` in C++."""

from __future__ import annotations

from typing import Any

from . import _args
from ._loader import core as _core
from .mlp import MLP, Grads


class _Optimizer:
    """An optimizer bound to one network; it pickles and deep-copies with its network and its
    state (a restored Adam continues bit-identically)."""

    def __init__(self, net: MLP, optimizer: str, lr: Any, **options: Any) -> None:
        if "weight_decay" in options:  # a number here (None means "the default" only in fit)
            options["weight_decay"] = _args.real("weight_decay", options["weight_decay"])
        if not isinstance(net, MLP):
            raise TypeError(f"argument 'net': expected a fastinit.MLP, got {type(net).__name__}")
        self._bind(net, _args.optim_config(optimizer, lr, **options))

    def _bind(self, net: MLP, config: Any) -> None:
        self.net = net
        self._core = getattr(_core, f"Optimizer{net._suffix}")(net._core, config)

    @property
    def config(self) -> Any:
        """The typed configuration (``fastinit._core.OptimConfig``)."""
        return self._core.config

    def step(self, grads: Grads) -> None:
        """One update of every parameter from ``grads`` (as returned by ``loss_and_grad``)."""
        self._core.step(self.net._core, self.net.check_grads(grads)._core)

    def __getstate__(self) -> dict[str, Any]:
        return {"net": self.net, "config": self._core.config, "state": self._core.state()}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._bind(state["net"], state["config"])
        self._core.set_state(state["state"])

    @property
    def lr(self) -> float:
        return float(self._core.lr)

    @lr.setter
    def lr(self, value: float) -> None:
        self._core.lr = _args.real("lr", value)

    @property
    def steps(self) -> int:
        return int(self._core.steps)


class SGD(_Optimizer):
    """torch.optim.SGD: momentum, dampening, Nesterov, weight decay."""

    def __init__(
        self,
        net: MLP,
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
    ) -> None:
        super().__init__(
            net,
            "sgd",
            lr,
            momentum=momentum,
            dampening=dampening,
            weight_decay=weight_decay,
            nesterov=nesterov,
        )


class Adam(_Optimizer):
    """torch.optim.Adam (L2 weight decay added to the gradient)."""

    def __init__(
        self,
        net: MLP,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(
            net,
            "adam",
            lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
        )


class AdamW(_Optimizer):
    """torch.optim.AdamW (decoupled weight decay, default 1e-2)."""

    def __init__(
        self,
        net: MLP,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
    ) -> None:
        super().__init__(
            net,
            "adamw",
            lr,
            betas=betas,
            eps=eps,
            weight_decay=weight_decay,
        )


__all__ = ["SGD", "Adam", "AdamW"]
