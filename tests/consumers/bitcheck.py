"""The Python twin of bitcheck.hpp: the same computations through fastinit's Python API.

Run as a script, it prints the records in bitcheck.hpp's format (values as ``float.hex``),
after a comment line naming the compiled module's SIMD level; ``parse`` reads either.
tests/test_consumers.py runs it with and without ``FASTINIT_SIMD=portable`` and compares the
records, bit for bit, with those of the C++ consumers.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np

FULL = 4096  # records up to this many values carry all of them, longer ones their first 8


def fnv1a(data: bytes) -> int:
    """FNV-1a, 64 bits (bitcheck.hpp's hash of the raw bytes)."""
    h = 0xCBF29CE484222325
    for byte in data:
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def arrays() -> dict[str, tuple[str, np.ndarray]]:
    """name -> (kind, values): the twin of ``bitcheck::all_records``."""
    import fastinit as fi

    out: dict[str, tuple[str, np.ndarray]] = {}
    out["kaiming_normal_f32"] = (
        "fill",
        fi.init.kaiming_normal((16, 32), dtype=np.float32, generator=fi.Generator(123)),
    )
    out["normal_f64"] = (
        "fill",
        fi.init.normal((100003,), dtype=np.float64, generator=fi.Generator(123)),
    )
    out["uniform_f32"] = (
        "fill",
        fi.init.uniform((257, 129), a=-0.5, b=0.5, dtype=np.float32, generator=fi.Generator(7)),
    )
    out["trunc_normal_f64"] = (
        "fill",
        fi.init.trunc_normal(
            (10007,), mean=0.0, std=1.0, a=-2.0, b=2.0, dtype=np.float64, generator=fi.Generator(5)
        ),
    )
    g = fi.Generator(99)
    out["xavier_uniform_f64_first"] = (
        "fill",
        fi.init.xavier_uniform((64, 48), dtype=np.float64, generator=g),
    )
    out["xavier_uniform_f64_second"] = (
        "fill",
        fi.init.xavier_uniform((64, 48), dtype=np.float64, generator=g),
    )
    out["orthogonal_f32"] = (
        "linalg",
        fi.init.orthogonal((32, 64), dtype=np.float32, generator=fi.Generator(11)),
    )
    out["orthogonal_f64_blocked"] = (  # min(rows, cols) > 48: the blocked QR of qr.hpp
        "linalg",
        fi.init.orthogonal((160, 100), dtype=np.float64, generator=fi.Generator(12)),
    )

    g = fi.Generator(2024)
    net = fi.MLP(
        [8, 32, 32, 3],
        activation="relu",
        output="softmax",
        init="kaiming_normal",
        bias_init="zeros",
        dtype=np.float64,
        generator=g,
    )
    X = fi.init.normal((64, 8), dtype=np.float64, generator=g)
    y = np.arange(64, dtype=np.int64) % 3
    h = net.fit(X, y, epochs=3, batch_size=16, optimizer="sgd", lr=0.1, momentum=0.9, generator=g)
    out["mlp_fit_f64_step_loss"] = ("linalg", np.asarray(h.step_loss, dtype=np.float64))
    out["mlp_fit_f64_params"] = ("linalg", np.concatenate([p.ravel() for p in net.parameters()]))
    return out


def format_records(recs: dict[str, tuple[str, np.ndarray]]) -> str:
    lines = []
    for name, (kind, a) in recs.items():
        a = np.ascontiguousarray(a).ravel()
        shown = a if a.size <= FULL else a[:8]
        values = " ".join(float(v).hex() for v in shown)
        lines.append(f"{name} {kind} {a.size} {fnv1a(a.tobytes()):016x} {values}")
    return "\n".join(lines) + "\n"


@dataclass
class Record:
    kind: str
    count: int
    hash: int
    values: np.ndarray  # all values when count <= FULL, else the first 8 (float64)


def parse(text: str) -> dict[str, Record]:
    out = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, kind, count, h, *values = line.split()
        out[name] = Record(
            kind,
            int(count),
            int(h, 16),
            np.array([float.fromhex(v) for v in values], dtype=np.float64),
        )
    return out


if __name__ == "__main__":
    import fastinit

    sys.stdout.write(f"# simd_level {fastinit.build_info()['simd_level']} {fastinit.__file__}\n")
    sys.stdout.write(format_records(arrays()))
