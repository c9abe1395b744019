"""The study's training runs: every scheme x activation on digits, without and with clipping."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np

import fastinit as fi
from fastinit.progress import progress_bar

from .data import load_dataset
from .networks import build_network
from .params import TRAIN_INITS


def _train_one(
    init: str,
    act: str,
    clip: float | None,
    data: dict[str, Any],
    *,
    depth: int,
    width: int,
    epochs: int,
    batch_size: int,
    lr: float,
    momentum: float,
    seed: int,
) -> dict[str, Any]:
    """One SGD run; the same initial weights and minibatch order whatever ``clip`` is."""
    Xtr, ytr, Xte, yte = data["X_train"], data["y_train"], data["X_test"], data["y_test"]
    gw, gf = fi.Generator(seed).spawn(2)
    sizes = [Xtr.shape[1]] + [width] * depth + [10]
    net = build_network(init, act, sizes, gw, X=Xtr[:512])
    t0 = time.perf_counter()
    h = net.fit(
        Xtr,
        ytr,
        epochs=epochs,
        batch_size=batch_size,
        optimizer="sgd",
        lr=lr,
        momentum=momentum,
        clip_norm=clip,
        generator=gf,
    )
    secs = time.perf_counter() - t0
    acc = [
        float(np.mean(np.argmax(net.forward(X), axis=1) == y)) for X, y in ((Xtr, ytr), (Xte, yte))
    ]
    return {
        "init": init,
        "activation": act,
        "clip_norm": clip,
        "step_loss": np.asarray(h.step_loss, dtype=np.float64),
        "step_grad_norm": np.asarray(h.step_grad_norm, dtype=np.float64),
        "epoch_loss": np.asarray(h.epoch_loss, dtype=np.float64),
        "nonfinite": bool(h.nonfinite),
        "epochs": int(h.epochs),
        "train_accuracy": acc[0],
        "test_accuracy": acc[1],
        "seconds": secs,
    }


def train_digits(
    inits: Sequence[str] = TRAIN_INITS,
    activations: Sequence[str] = ("relu",),
    *,
    depth: int = 10,
    width: int = 128,
    epochs: int = 10,
    batch_size: int = 64,
    lr: float = 0.02,
    momentum: float = 0.9,
    clip_norm: float = 1.0,
    seed: int = 0,
    dataset: str = "digits",
    progress: bool | None = None,
) -> dict[str, Any]:
    """Train ``[64] + [width] * depth + [10]`` softmax networks on ``dataset`` with SGD, for every
    scheme x activation, once without and once with global-norm gradient clipping at
    ``clip_norm`` (the same initial weights and minibatch order for both). Returns
    ``{"dataset", "config", "runs"}``; each run holds ``step_loss``, ``step_grad_norm`` (before
    clipping), ``epoch_loss``, ``nonfinite``, train / test accuracy and its time in seconds."""
    data = load_dataset(dataset, seed)
    hyper: dict[str, Any] = {
        "depth": depth,
        "width": width,
        "epochs": epochs,
        "batch_size": batch_size,
        "lr": lr,
        "momentum": momentum,
        "seed": seed,
    }
    runs = []
    bar = progress_bar(len(inits) * len(activations) * 2, "training", unit="run", progress=progress)
    try:
        for act in activations:
            for init in inits:
                for clip in (None, clip_norm):
                    runs.append(_train_one(init, act, clip, data, **hyper))
                    if bar is not None:
                        bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    config = {
        "depth": depth,
        "width": width,
        "epochs": epochs,
        "batch_size": batch_size,
        "optimizer": "sgd",
        "lr": lr,
        "momentum": momentum,
        "clip_norm": clip_norm,
        "seed": seed,
        "n_train": int(len(data["y_train"])),
        "n_test": int(len(data["y_test"])),
    }
    return {
        "dataset": {"name": data["name"], "description": data["description"]},
        "config": config,
        "runs": runs,
    }


__all__ = ["train_digits"]
