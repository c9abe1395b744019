"""Generator.derive(name): name-keyed child streams (the bits documented in generator.hpp)."""

from __future__ import annotations

import pickle
import subprocess
import sys

import fastinit as fi
import numpy as np
import pytest

M64 = (1 << 64) - 1


def _mix64(z: int) -> int:  # splitmix64's finalizer
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def _fnv1a64(data: bytes) -> int:
    h = 0xCBF29CE484222325
    for c in data:
        h = ((h ^ c) * 0x100000001B3) & M64
    return h


def _documented_stream(stream: int, name: str) -> int:
    return _mix64(_mix64(stream ^ 0xD6E8FEB86659FD93) ^ _fnv1a64(name.encode("utf-8")))


def test_fnv1a64_reference_vectors() -> None:
    # the published FNV-1a 64-bit test vectors: the Python oracle hashes what the C++ does
    assert _fnv1a64(b"") == 0xCBF29CE484222325
    assert _fnv1a64(b"a") == 0xAF63DC4C8601EC8C
    assert _fnv1a64(b"foobar") == 0x85944171F73967E8


@pytest.mark.parametrize("name", ["", "encoder.0.weight", "layers.11.bias", "é✓ ünïcode"])
@pytest.mark.parametrize("seed,stream", [(0, 0), (42, 7), (2**64 - 1, 2**64 - 1)])
def test_derive_follows_the_documented_bits(seed: int, stream: int, name: str) -> None:
    g = fi.Generator(seed, stream, offset=123)
    kid = g.derive(name)
    assert (kid.seed, kid.stream, kid.offset) == (seed, _documented_stream(stream, name), 0)


KNOWN = [209813482, 411213543, 1344550969, 1221660419]  # pinned: a change of the bits fails here


def test_known_answer_values() -> None:
    w = fi._core.random_bits(4, generator=fi.Generator(42).derive("encoder.0.weight"))
    expected = np.array(KNOWN, dtype=np.uint32)
    np.testing.assert_array_equal(w, expected)


def test_same_name_same_stream_different_names_differ() -> None:
    g = fi.Generator(5)
    a = fi.init.normal(1000, generator=g.derive("fc.weight"))
    b = fi.init.normal(1000, generator=g.derive("fc.weight"))
    c = fi.init.normal(1000, generator=g.derive("fc.bias"))
    d = fi.init.normal(1000, generator=fi.Generator(6).derive("fc.weight"))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c) and not np.array_equal(a, d)
    names = [f"layer.{i}.weight" for i in range(2000)]
    assert len({g.derive(n).stream for n in names}) == len(names)


def test_derive_does_not_advance_and_ignores_the_parent_offset() -> None:
    g = fi.Generator(9)
    before = (g.offset, g.spawned)
    k1 = g.derive("x")
    assert (g.offset, g.spawned) == before
    fi.init.normal(100, generator=g)  # the parent moves on
    g.spawn(3)
    k2 = g.derive("x")
    assert (k1.seed, k1.stream, k1.offset) == (k2.seed, k2.stream, k2.offset)
    np.testing.assert_array_equal(
        fi._core.random_bits(8, generator=k1), fi._core.random_bits(8, generator=k2)
    )


def test_derived_streams_are_not_spawned_streams() -> None:
    g = fi.Generator(1)
    spawned = {k.stream for k in g.spawn(1000)}
    derived = {g.derive(str(i)).stream for i in range(1000)}
    assert not spawned & derived and g.stream not in derived


def test_derive_is_stable_across_processes_and_pickles() -> None:
    code = "import fastinit as fi; print(fi.Generator(3, 4).derive('enc.w').stream)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(out.stdout) == fi.Generator(3, 4).derive("enc.w").stream
    kid = pickle.loads(pickle.dumps(fi.Generator(3).derive("a")))
    assert kid.stream == fi.Generator(3).derive("a").stream


def test_derive_rejects_a_non_string() -> None:
    with pytest.raises(TypeError):
        fi.Generator(0).derive(3)  # type: ignore[arg-type]
