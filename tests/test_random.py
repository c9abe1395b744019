"""The counter-based generator: Philox4x32-10 known answers, the counter layout, the documented
bit -> uniform transforms, block accounting, reproducibility (seeds, streams, chunking, thread
counts, SIMD builds), spawning, cloning and pickling.

Counter layout under test (cpp/include/fastinit/random.hpp):
    key     = (seed_lo32, seed_hi32)
    counter = (block_lo32, block_hi32, stream_lo32, stream_hi32)
and a fill of n elements with EPB elements per block uses blocks offset .. offset + ceil(n/EPB) - 1,
element i coming from block offset + i // EPB only.
"""

from __future__ import annotations

import copy
import hashlib
import os
import pickle
import subprocess
import sys
import textwrap

import fastinit as fi
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

core = fi._loader.core

M32 = 0xFFFFFFFF
U64_MAX = 2**64 - 1

# ----------------------------------------------------------------------------- helpers


def philox_py(ctr: tuple[int, ...], key: tuple[int, ...]) -> list[int]:
    """Philox4x32-10 straight from Salmon et al. (SC'11), in pure Python: an independent oracle."""
    m0, m1 = 0xD2511F53, 0xCD9E8D57
    w0, w1 = 0x9E3779B9, 0xBB67AE85
    c0, c1, c2, c3 = (int(x) & M32 for x in ctr)
    k0, k1 = (int(x) & M32 for x in key)
    for r in range(10):
        if r:
            k0, k1 = (k0 + w0) & M32, (k1 + w1) & M32
        p0, p1 = m0 * c0, m1 * c2
        c0, c1, c2, c3 = (
            ((p1 >> 32) ^ c1 ^ k0) & M32,
            p1 & M32,
            ((p0 >> 32) ^ c3 ^ k1) & M32,
            p0 & M32,
        )
    return [c0, c1, c2, c3]


def split64(x: int) -> tuple[int, int]:
    return x & M32, (x >> 32) & M32


def generator_for(ctr: tuple[int, ...], key: tuple[int, ...]) -> fi.Generator:
    """The Generator whose next block is Philox(ctr, key) under the documented layout."""
    return fi.Generator(
        seed=key[0] | (key[1] << 32),
        stream=ctr[2] | (ctr[3] << 32),
        offset=ctr[0] | (ctr[1] << 32),
    )


def block_words(seed: int, stream: int, block: int) -> list[int]:
    return philox_py((*split64(block), *split64(stream)), split64(seed))


def digest(a: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()[:16]


def first_diff(a: np.ndarray, b: np.ndarray) -> str:
    """Where two arrays of equal shape first differ, for assertion messages."""
    if a.shape != b.shape:
        return f"shapes differ: {a.shape} vs {b.shape}"
    neq = np.flatnonzero(a.ravel() != b.ravel())
    if neq.size == 0:
        return "identical"
    i = int(neq[0])
    diff = np.abs(a.astype(np.float64) - b.astype(np.float64)).max()
    return (
        f"{neq.size} elements differ, first at flat index {i}: {a.ravel()[i]!r} vs "
        f"{b.ravel()[i]!r}; max |diff| {diff:.3e}"
    )


# The random fills of the issue with their elements per Philox block (EPB), per dtype.
# Fan-based initializers get fan overrides so that any 1-D chunk of them uses the same scale.
FILLS = {
    "uniform": (
        lambda w, g: fi.init.uniform_(w, -1.5, 2.5, generator=g),
        {np.float32: 4, np.float64: 2},
    ),
    "normal": (
        lambda w, g: fi.init.normal_(w, 0.25, 3.0, generator=g),
        {np.float32: 4, np.float64: 2},
    ),
    "trunc_normal": (
        lambda w, g: fi.init.trunc_normal_(w, 0.5, 2.0, -1.0, 4.0, generator=g),
        {np.float32: 2, np.float64: 2},
    ),
    "trunc_normal_tail": (
        lambda w, g: fi.init.trunc_normal_(w, 0.0, 1.0, 7.0, 7.5, generator=g),
        {np.float32: 2, np.float64: 2},
    ),
    "kaiming_uniform": (
        lambda w, g: fi.init.kaiming_uniform_(w, generator=g, fan_in=30.0, fan_out=20.0),
        {np.float32: 4, np.float64: 2},
    ),
    "kaiming_normal": (
        lambda w, g: fi.init.kaiming_normal_(
            w, 0.1, "fan_out", generator=g, fan_in=30.0, fan_out=20.0
        ),
        {np.float32: 4, np.float64: 2},
    ),
    "xavier_uniform": (
        lambda w, g: fi.init.xavier_uniform_(w, 2.0, generator=g, fan_in=30.0, fan_out=20.0),
        {np.float32: 4, np.float64: 2},
    ),
    "xavier_normal": (
        lambda w, g: fi.init.xavier_normal_(w, generator=g, fan_in=30.0, fan_out=20.0),
        {np.float32: 4, np.float64: 2},
    ),
    "variance_scaling_truncated": (
        lambda w, g: fi.init.variance_scaling_(
            w, 2.0, "fan_avg", "truncated_normal", generator=g, fan_in=30.0, fan_out=20.0
        ),
        {np.float32: 2, np.float64: 2},
    ),
}
DTYPES = [np.float32, np.float64]
DTYPE_IDS = ["float32", "float64"]

FILL_CASES = [
    pytest.param(name, dt, id=f"{name}-{dn}")
    for name in FILLS
    for dt, dn in zip(DTYPES, DTYPE_IDS, strict=True)
]


def fill(name: str, dtype, n: int, gen: fi.Generator) -> np.ndarray:
    w = np.empty(n, dtype)
    out = FILLS[name][0](w, gen)
    assert out is w
    return w


# ------------------------------------------------------------------------- Philox known answers

# Random123's published known-answer vectors for philox4x32-10 (kat_vectors).
KAT = [
    pytest.param(
        (0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8), id="zeros"
    ),
    pytest.param(
        (M32, M32, M32, M32),
        (M32, M32),
        (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD),
        id="ones",
    ),
    pytest.param(
        (0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344),
        (0xA4093822, 0x299F31D0),
        (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1),
        id="pi",
    ),
]


@pytest.mark.parametrize(("ctr", "key", "expected"), KAT)
def test_philox_known_answers_reference_block(ctr, key, expected):
    got = tuple(int(x) for x in core.philox4x32_10(list(ctr), list(key)))
    assert got == expected, f"philox4x32_10{ctr, key}: got {[hex(x) for x in got]}"


@pytest.mark.parametrize(("ctr", "key", "expected"), KAT)
def test_philox_known_answers_through_generator(ctr, key, expected):
    g = generator_for(ctr, key)
    offset = g.offset
    try:
        bits = core.random_bits(4, g)
    except ValueError as exc:
        pytest.fail(
            f"{g!r} cannot produce block {offset:#x} of its stream (the counter of this known "
            f"answer): random_bits(4) raised ValueError({exc})"
        )
    assert bits.dtype == np.uint32 and bits.shape == (4,)
    got = tuple(int(x) for x in bits)
    assert got == expected, f"random_bits(4) of {g!r}: got {[hex(x) for x in got]}"
    assert g.offset == (offset + 1) % 2**64  # the counter wraps after the stream's last block


@pytest.mark.parametrize(("ctr", "key", "expected"), KAT)
def test_python_oracle_reproduces_known_answers(ctr, key, expected):
    # Validates the pure-Python oracle used by the property tests below.
    assert tuple(philox_py(ctr, key)) == expected


@given(
    ctr=st.tuples(*[st.integers(0, M32)] * 4),
    key=st.tuples(st.integers(0, M32), st.integers(0, M32)),
)
def test_philox_block_matches_python_oracle(ctr, key):
    assert [int(x) for x in core.philox4x32_10(list(ctr), list(key))] == philox_py(ctr, key)


@given(
    seed=st.integers(0, U64_MAX),
    stream=st.integers(0, U64_MAX),
    offset=st.one_of(
        st.integers(0, 2**20),
        st.integers(2**32 - 8, 2**32 + 8),  # the carry into block_hi
        st.integers(0, U64_MAX - 64),
    ),
    n=st.integers(0, 41),
)
def test_random_bits_layout(seed, stream, offset, n):
    """Word i is lane i % 4 of block offset + i // 4, under the documented key/counter layout."""
    g = fi.Generator(seed, stream, offset)
    bits = core.random_bits(n, g)
    expected = [block_words(seed, stream, offset + i // 4)[i % 4] for i in range(n)]
    assert [int(x) for x in bits] == expected
    assert g.offset == offset + -(-n // 4)


def test_block_counter_carries_into_high_word():
    g = fi.Generator(seed=3, stream=5, offset=2**32 - 1)
    bits = core.random_bits(8, g)
    assert [int(x) for x in bits[:4]] == [
        int(x) for x in core.philox4x32_10([M32, 0, 5, 0], [3, 0])
    ]
    assert [int(x) for x in bits[4:]] == [int(x) for x in core.philox4x32_10([0, 1, 5, 0], [3, 0])]
    assert g.offset == 2**32 + 1


def test_high_halves_of_seed_and_stream_are_used():
    base = core.random_bits(64, fi.Generator(1, 1))
    for other in (
        fi.Generator(1 + 2**32, 1),
        fi.Generator(1, 1 + 2**32),
        fi.Generator(2, 1),
        fi.Generator(1, 2),
    ):
        assert not np.array_equal(base, core.random_bits(64, other)), repr(other)


def test_exhausted_stream_raises_and_keeps_state():
    g = fi.Generator(7, 0, U64_MAX - 2)
    core.random_bits(8, g)  # blocks 2^64-3 and 2^64-2
    assert g.offset == U64_MAX
    w = np.zeros(8, np.float32)
    with pytest.raises(ValueError, match="exhausted"):
        fi.init.uniform_(w, generator=g)
    assert g.offset == U64_MAX
    assert not w.any(), "a failed fill must not write"


def test_last_block_of_a_stream_is_usable():
    g = fi.Generator(9, 4, U64_MAX)
    bits = core.random_bits(4, g)
    want = philox_py((M32, M32, 4, 0), (9, 0))
    assert [int(x) for x in bits] == want


def test_no_silent_wraparound_after_the_last_block():
    """Once the stream's last block (2^64 - 1) is used, a further fill must raise like any fill
    that runs past the end: silently starting over at block 0 would hand out the same random
    numbers twice."""
    g = fi.Generator(9, 4, U64_MAX)
    first_block = core.random_bits(4, fi.Generator(9, 4, 0))
    core.random_bits(4, g)  # the last block
    try:
        again = core.random_bits(4, g)
    except ValueError:
        return
    assert not np.array_equal(again, first_block), (
        f"after the last block the generator wrapped to offset {g.offset - 1} and repeated "
        "block 0 of its stream"
    )


# ----------------------------------------------------------------------------- transforms


def test_uniform_float32_is_top_24_bits_of_each_word():
    g = fi.Generator(5, 7, 11)
    bits = core.random_bits(4096, g.clone())
    w = fi.init.uniform_(np.empty(4096, np.float32), generator=g)
    expected = (bits >> 8).astype(np.float32) * np.float32(2.0**-24)
    assert np.array_equal(w, expected), first_diff(w, expected)
    assert g.offset == 11 + 1024


def test_uniform_float64_is_top_53_bits_of_each_word_pair():
    g = fi.Generator(5, 7, 11)
    bits = core.random_bits(4096, g.clone()).astype(np.uint64)
    w = fi.init.uniform_(np.empty(2048, np.float64), generator=g)
    words = (bits[0::2] << np.uint64(32)) | bits[1::2]
    expected = (words >> np.uint64(11)).astype(np.float64) * 2.0**-53
    assert np.array_equal(w, expected), first_diff(w, expected)
    assert g.offset == 11 + 1024


# ----------------------------------------------------------------------------- block accounting


@pytest.mark.parametrize(("name", "dtype"), FILL_CASES)
@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 7, 8, 9, 1000, 1001, 4097])
def test_offset_advances_by_blocks_used(name, dtype, n):
    epb = FILLS[name][1][dtype]
    g = fi.Generator(3, 4, 1000)
    fill(name, dtype, n, g)
    assert g.offset == 1000 + -(-n // epb), f"{name} {dtype.__name__} n={n} EPB={epb}"


@pytest.mark.parametrize(("name", "dtype"), FILL_CASES)
def test_zero_size_fill_does_not_advance(name, dtype):
    g = fi.Generator(3, 4, 1000)
    fill(name, dtype, 0, g)
    assert g.offset == 1000


# ----------------------------------------------------------------------------- reproducibility


@pytest.mark.parametrize(("name", "dtype"), FILL_CASES)
def test_same_seed_same_bits_and_successive_fills_differ(name, dtype):
    g1, g2 = fi.Generator(123), fi.Generator(123)
    a1, a2 = fill(name, dtype, 1000, g1), fill(name, dtype, 1000, g2)
    assert np.array_equal(a1.view(np.uint8), a2.view(np.uint8)), first_diff(a1, a2)
    b1 = fill(name, dtype, 1000, g1)
    assert np.mean(a1 == b1) < 0.01, "a second fill from the same generator repeats the first"
    for other in (fi.Generator(124), fi.Generator(123, 1), fi.Generator(123, 0, 1)):
        c = fill(name, dtype, 1000, other)
        assert np.mean(a1 == c) < 0.01, f"{other!r} repeats Generator(123)"


@pytest.mark.parametrize(("name", "dtype"), FILL_CASES)
def test_element_depends_only_on_seed_stream_and_block(name, dtype):
    """Filling 1000 elements at once equals filling them in block-multiple chunks, whether the
    chunks come from fresh generators positioned at the right offset or from one generator."""
    epb = FILLS[name][1][dtype]
    seed, stream, offset = 99, 2**40 + 3, 2**32 - 5  # the offsets cross the 2^32 carry
    whole = fill(name, dtype, 1000, fi.Generator(seed, stream, offset))
    sizes = [epb * 3, epb, epb * 57, epb * 64, epb * 65]
    sizes.append(1000 - sum(sizes))
    assert sizes[-1] > 0
    parts, start = [], 0
    for size in sizes:
        parts.append(fill(name, dtype, size, fi.Generator(seed, stream, offset + start // epb)))
        start += size
    chunked = np.concatenate(parts)
    assert np.array_equal(whole, chunked), first_diff(whole, chunked)
    g = fi.Generator(seed, stream, offset)
    sequential = np.concatenate([fill(name, dtype, size, g) for size in sizes])
    assert np.array_equal(whole, sequential), first_diff(whole, sequential)
    assert g.offset == offset + -(-1000 // epb)


@given(
    name=st.sampled_from(sorted(FILLS)),
    dtype=st.sampled_from(DTYPES),
    seed=st.integers(0, U64_MAX),
    stream=st.integers(0, U64_MAX),
    offset=st.integers(0, 2**63),
    chunks=st.lists(st.integers(0, 40), min_size=1, max_size=6),
    tail=st.integers(0, 7),
)
def test_chunking_property(name, dtype, seed, stream, offset, chunks, tail):
    epb = FILLS[name][1][dtype]
    sizes = [c * epb for c in chunks] + [tail]
    total = sum(sizes)
    whole = fill(name, dtype, total, fi.Generator(seed, stream, offset))
    g = fi.Generator(seed, stream, offset)
    parts = np.concatenate([fill(name, dtype, s, g) for s in sizes])
    assert np.array_equal(whole, parts), first_diff(whole, parts)
    assert g.offset == offset + -(-total // epb)


def test_setting_offset_replays():
    g = fi.Generator(8)
    a = fi.init.normal_(np.empty(100), generator=g)
    b = fi.init.normal_(np.empty(100), generator=g)
    g.offset = 0
    assert np.array_equal(fi.init.normal_(np.empty(100), generator=g), a)
    g.offset = 50
    assert np.array_equal(fi.init.normal_(np.empty(100), generator=g), b)


# Every random initializer on >= 1e6 elements (big enough to be split over the pool's threads).
BIG = (1000, 1024)
RANDOM_INITS = {
    "uniform": lambda w, g: fi.init.uniform_(w, -2.0, 3.0, generator=g),
    "normal": lambda w, g: fi.init.normal_(w, 1.0, 2.0, generator=g),
    "trunc_normal": lambda w, g: fi.init.trunc_normal_(w, 0.0, 1.0, -1.0, 3.0, generator=g),
    "trunc_normal_tail": lambda w, g: fi.init.trunc_normal_(w, 0.0, 1.0, 6.0, 6.5, generator=g),
    "xavier_uniform": lambda w, g: fi.init.xavier_uniform_(w, generator=g),
    "xavier_normal": lambda w, g: fi.init.xavier_normal_(w, generator=g),
    "kaiming_uniform": lambda w, g: fi.init.kaiming_uniform_(w, generator=g),
    "kaiming_normal": lambda w, g: fi.init.kaiming_normal_(w, generator=g),
    "variance_scaling_truncated_normal": lambda w, g: fi.init.variance_scaling_(w, generator=g),
    "variance_scaling_untruncated_normal": lambda w, g: fi.init.variance_scaling_(
        w, 2.0, "fan_out", "untruncated_normal", generator=g
    ),
    "variance_scaling_uniform": lambda w, g: fi.init.variance_scaling_(
        w, 1.0, "fan_geo_avg", "uniform", generator=g
    ),
    "glorot_uniform": lambda w, g: fi.init.glorot_uniform_(w, generator=g),
    "glorot_normal": lambda w, g: fi.init.glorot_normal_(w, generator=g),
    "he_uniform": lambda w, g: fi.init.he_uniform_(w, generator=g),
    "he_normal": lambda w, g: fi.init.he_normal_(w, generator=g),
    "lecun_uniform": lambda w, g: fi.init.lecun_uniform_(w, generator=g),
    "lecun_normal": lambda w, g: fi.init.lecun_normal_(w, generator=g),
    "orthogonal": lambda w, g: fi.init.orthogonal_(w, generator=g),
    "sparse": lambda w, g: fi.init.sparse_(w, 0.3, generator=g),
}


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("name", sorted(RANDOM_INITS))
def test_thread_count_independence(name, dtype, threads):
    shape = (1000, 1000) if name == "orthogonal" else BIG
    results = {}
    for n in (1, 2, 3):
        threads(n)
        g = fi.Generator(2024, 6)
        w = np.empty(shape, dtype)
        RANDOM_INITS[name](w, g)
        results[n] = (w, g.offset)
    w1, off1 = results[1]
    assert np.isfinite(w1).all()
    for n in (2, 3):
        wn, offn = results[n]
        assert np.array_equal(w1.view(np.uint8), wn.view(np.uint8)), (
            f"{n} threads vs 1: {first_diff(w1, wn)}"
        )
        assert offn == off1


@pytest.mark.parametrize("fill", ["normal", "uniform"])
def test_streamed_fills_independent_of_threads_and_chunks(fill, threads):
    """Fills past the streaming-store threshold (8 MB of float32) give the bits of small ones:
    the same for 1, 2 and 3 threads and for the fill cut in two calls (cut at a block edge)."""
    n, cut = 3_000_001, 1_000_000
    runs = []
    for t in (1, 2, 3):
        threads(t)
        w = np.empty(n, np.float32)
        RANDOM_INITS[fill](w, fi.Generator(5, 1))
        runs.append(w)
    g = fi.Generator(5, 1)
    parts = np.empty(n, np.float32)
    RANDOM_INITS[fill](parts[:cut], g)  # a small fill: ordinary stores
    RANDOM_INITS[fill](parts[cut:], g)  # 2,000,001 elements, not 32-byte aligned
    for w in runs[1:] + [parts]:
        assert np.array_equal(runs[0].view(np.uint32), w.view(np.uint32)), first_diff(runs[0], w)


SIMD_SCRIPT = textwrap.dedent(
    """
    import hashlib, json
    import numpy as np
    import fastinit as fi
    I, G = fi.init, fi.Generator
    out = {"module": fi.build_info()["module"]}
    def h(a): return hashlib.sha256(a.tobytes()).hexdigest()
    for dt in (np.float32, np.float64):
        k = np.dtype(dt).name
        out["uniform-" + k] = h(I.uniform_(np.empty(100003, dt), -1, 2, generator=G(1)))
        out["normal-" + k] = h(I.normal_(np.empty(100003, dt), 0, 1, generator=G(2)))
        out["trunc-" + k] = h(I.trunc_normal_(np.empty(100003, dt), 0, 1, -2, 2, generator=G(3)))
        out["tail-" + k] = h(I.trunc_normal_(np.empty(10001, dt), 0, 1, 30, 31, generator=G(4)))
        out["kaiming-" + k] = h(I.kaiming_normal_(np.empty((300, 301), dt), generator=G(5)))
        out["sparse-" + k] = h(I.sparse_(np.empty((300, 301), dt), 0.2, generator=G(6)))
    # past the streaming-store threshold (8 MB), aligned and not 32-byte aligned
    big, odd = np.empty(3_000_001, np.float32), np.empty(3_000_002, np.float32)[1:]
    out["normal-big"] = h(I.normal_(big, 0, 1, generator=G(7)))
    out["uniform-big"] = h(I.uniform_(big, -1, 2, generator=G(8)))
    out["normal-big-unaligned"] = h(I.normal_(odd, 0, 1, generator=G(7)))
    print(json.dumps(out))
    """
)


def test_portable_and_simd_builds_give_the_same_bits():
    """The transforms avoid libm and FMA contraction, so _core and _core_avx2 agree bit for bit."""
    import json

    results = {}
    for simd in ("portable", "auto"):
        env = dict(os.environ)
        env.pop("FASTINIT_SIMD", None)
        if simd == "portable":
            env["FASTINIT_SIMD"] = "portable"
        proc = subprocess.run(
            [sys.executable, "-c", SIMD_SCRIPT],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        results[simd] = json.loads(proc.stdout.strip().splitlines()[-1])
    assert results["portable"].pop("module") == "_core"
    auto_module = results["auto"].pop("module")
    assert auto_module == fi.build_info()["module"]
    diffs = [k for k in results["portable"] if results["portable"][k] != results["auto"][k]]
    assert not diffs, f"_core and {auto_module} differ on {diffs}"


# ----------------------------------------------------------------------- spawn / clone / pickle


def test_spawn_children_are_distinct_deterministic_streams():
    g = fi.Generator(77, 5, 9)
    kids = g.spawn(4)
    assert len(kids) == 4 and g.spawned == 4
    assert all(isinstance(k, fi.Generator) for k in kids)
    assert all(k.seed == 77 and k.offset == 0 and k.spawned == 0 for k in kids)
    streams = [k.stream for k in kids]
    assert len(set(streams + [g.stream])) == 5, streams
    assert g.offset == 9, "spawning must not consume the parent's blocks"
    # deterministic: the same parent state gives the same children
    again = fi.Generator(77, 5, 9).spawn(4)
    assert [k.stream for k in again] == streams
    # a second spawn gives new children, equal to spawning 6 at once
    more = g.spawn(2)
    assert not set(k.stream for k in more) & set(streams)
    assert [k.stream for k in fi.Generator(77, 5).spawn(6)] == streams + [k.stream for k in more]
    assert g.spawned == 6
    # the children produce different numbers from each other and from the parent
    outs = [core.random_bits(256, k) for k in kids] + [
        core.random_bits(256, fi.Generator(77, 5, 0))
    ]
    for i in range(len(outs)):
        for j in range(i):
            assert np.mean(outs[i] == outs[j]) < 0.01, (i, j)
    assert g.spawn(0) == [] and g.spawned == 6


def test_spawn_depends_on_parent_stream_and_grandchildren_differ():
    a = [k.stream for k in fi.Generator(1, 0).spawn(3)]
    b = [k.stream for k in fi.Generator(1, 1).spawn(3)]
    assert not set(a) & set(b)
    grand = [k.stream for k in fi.Generator(1, 0).spawn(1)[0].spawn(3)]
    assert not set(grand) & set(a)


def test_clone_copies_state_and_is_independent():
    g = fi.Generator(5, 6, 7)
    g.spawn(2)
    c = g.clone()
    assert c is not g
    assert (c.seed, c.stream, c.offset, c.spawned) == (5, 6, 7, 2)
    a = fi.init.normal_(np.empty(10), generator=c)
    assert g.offset == 7 and c.offset == 12
    assert np.array_equal(a, fi.init.normal_(np.empty(10), generator=g))
    assert [k.stream for k in c.spawn(1)] == [k.stream for k in g.spawn(1)]


@pytest.mark.parametrize(
    "copier",
    [
        *(
            pytest.param(
                lambda g, p=p: pickle.loads(pickle.dumps(g, protocol=p)), id=f"pickle-protocol{p}"
            )
            for p in range(2, pickle.HIGHEST_PROTOCOL + 1)
        ),
        pytest.param(copy.deepcopy, id="deepcopy"),
        pytest.param(copy.copy, id="copy"),
    ],
)
def test_pickle_round_trip_preserves_state(copier):
    g = fi.Generator(2**64 - 3, 2**63 + 1, 12345)
    g.spawn(3)
    h = copier(g)
    assert h is not g and isinstance(h, fi.Generator)
    assert (h.seed, h.stream, h.offset, h.spawned) == (g.seed, g.stream, g.offset, g.spawned)
    a = fi.init.trunc_normal_(np.empty(33, np.float32), generator=h)
    b = fi.init.trunc_normal_(np.empty(33, np.float32), generator=g)
    assert np.array_equal(a, b), first_diff(a, b)
    assert [k.stream for k in h.spawn(2)] == [k.stream for k in g.spawn(2)]
    assert h.offset == g.offset


PICKLE_SCRIPT = textwrap.dedent(
    """
    import pickle, sys
    import fastinit as fi
    g = fi.Generator(2**64 - 3, 2**63 + 1, 12345)
    g.spawn(3)
    h = pickle.loads(pickle.dumps(g, protocol=int(sys.argv[1])))
    print(h.seed, h.stream, h.offset, h.spawned)
    """
)


def test_pickle_loads_across_compiled_modules():
    """A Generator pickled by the portable module loads in this process (maybe _core_avx2)."""
    script = (
        "import pickle, sys, fastinit as fi; g = fi.Generator(5, 6, 7); g.spawn(2); "
        "sys.stdout.write(pickle.dumps(g).hex())"
    )
    env = dict(os.environ, FASTINIT_SIMD="portable")
    proc = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    h = pickle.loads(bytes.fromhex(proc.stdout.strip()))
    assert isinstance(h, fi.Generator)
    assert (h.seed, h.stream, h.offset, h.spawned) == (5, 6, 7, 2)


@pytest.mark.parametrize("protocol", [0, 1], ids=["pickle-protocol0", "pickle-protocol1"])
def test_pickle_old_protocols_round_trip(protocol):
    """pickle's protocols 0 and 1 (still selectable, e.g. by old code) must round-trip or raise,
    never take the interpreter down: run in a subprocess so that a crash is a test failure."""
    proc = subprocess.run(
        [sys.executable, "-c", PICKLE_SCRIPT, str(protocol)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, (
        f"pickle.dumps(Generator, protocol={protocol}) killed the interpreter "
        f"(exit code {proc.returncode}): {proc.stderr.strip()[-300:]}"
    )
    assert proc.stdout.split() == [str(2**64 - 3), str(2**63 + 1), "12345", "3"]


def test_generator_repr_and_defaults():
    g = fi.Generator()
    assert (g.seed, g.stream, g.offset, g.spawned) == (0, 0, 0, 0)
    assert repr(fi.Generator(1, 2, 3)) == "fastinit.Generator(seed=1, stream=2, offset=3)"
    big = fi.Generator(U64_MAX, U64_MAX, U64_MAX)
    assert (big.seed, big.stream, big.offset) == (U64_MAX, U64_MAX, U64_MAX)


# ---------------------------------------------------------------------------- default generator


def test_manual_seed_and_default_generator():
    g = fi.manual_seed(31337)
    assert g is fi.default_generator() or (g.seed, g.stream, g.offset) == (31337, 0, 0)
    assert fi.initial_seed() == 31337
    a = fi.init.normal_(np.empty(100, np.float32))  # generator=None: the default generator
    assert fi.default_generator().offset == 25
    b = fi.init.normal_(np.empty(100, np.float32), generator=fi.Generator(31337))
    assert np.array_equal(a, b), first_diff(a, b)
    fi.manual_seed(31337)
    c = fi.init.normal_(np.empty(100, np.float32), generator=None)
    assert np.array_equal(a, c), first_diff(a, c)
    fi.manual_seed(U64_MAX)
    assert fi.initial_seed() == U64_MAX and fi.default_generator().seed == U64_MAX


def test_random_bits_validates():
    with pytest.raises(ValueError):
        core.random_bits(-1)
    with pytest.raises(TypeError):
        core.random_bits(4, "not a generator")
    assert core.random_bits(0, fi.Generator()).shape == (0,)
