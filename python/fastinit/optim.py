"""Optimizers with PyTorch's update rules, stepping a :class:`fastinit.MLP` in C++."""

from __future__ import annotations

from typing import Any

from ._loader import core as _core
from .mlp import MLP, Grads


class _Optimizer:
    def __init__(self, net: MLP, **config: Any) -> None:
        if not isinstance(net, MLP):
            raise TypeError(f"expected a fastinit.MLP, got {type(net).__name__}")
        self.net = net
        self._core = getattr(_core, f"Optimizer{net._suffix}")(net._core, config)

    def step(self, grads: Grads) -> None:
        """One update of every parameter from ``grads`` (as returned by ``loss_and_grad``)."""
        if not isinstance(grads, Grads):
            raise TypeError(f"expected fastinit Grads, got {type(grads).__name__}")
        self._core.step(self.net._core, grads._core)

    @property
    def lr(self) -> float:
        return float(self._core.lr)

    @lr.setter
    def lr(self, value: float) -> None:
        self._core.lr = float(value)

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
            kind="sgd",
            lr=lr,
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
            kind="adam",
            lr=lr,
            beta1=betas[0],
            beta2=betas[1],
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
            kind="adamw",
            lr=lr,
            beta1=betas[0],
            beta2=betas[1],
            eps=eps,
            weight_decay=weight_decay,
        )


__all__ = ["SGD", "Adam", "AdamW"]
