"""Shared pytest configuration for fastinit's Python tests.

* Registers and loads the Hypothesis profile ``ci``: no deadline (the first call into a freshly
  built extension can be slow), derandomized (the same examples on every run, so a failure is
  reproducible and a pass cannot flake) and a modest number of examples. Another registered
  profile can be chosen with ``HYPOTHESIS_PROFILE=<name>``.
* Keeps global state from leaking between tests: the number of threads of fastinit's pool and the
  default generator are restored after every test (``_restore_global_state``, autouse).
* ``threads``: a fixture that sets the number of threads (checked) and restores the previous
  value afterwards.

fastinit is imported lazily here, so that the tests that do not need the compiled module (the
oracle self-checks) still run while the extension is being rebuilt.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,
    max_examples=40,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, max_examples=200)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def _fastinit_or_none():
    try:
        import fastinit
    except ImportError:  # the extension is being rebuilt: tests that need it will fail on import
        return None
    return fastinit


@pytest.fixture(autouse=True)
def _restore_global_state() -> Iterator[None]:
    """Restore the thread count and the default generator (seed, stream, offset) after a test."""
    fi = _fastinit_or_none()
    if fi is None:
        yield
        return
    nthreads = fi.get_num_threads()
    initial = fi.initial_seed()
    dg = fi.default_generator()
    state = (dg.seed, dg.stream, dg.offset)
    yield
    if fi.get_num_threads() != nthreads:
        fi.set_num_threads(nthreads)
    dg = fi.default_generator()
    if (dg.seed, dg.stream, dg.offset) != state or fi.initial_seed() != initial:
        g = fi.manual_seed(initial)
        if (g.seed, g.stream) == state[:2]:
            g.offset = state[2]


@pytest.fixture
def threads() -> Iterator[Callable[[int], None]]:
    """``threads(n)`` sets fastinit's thread count to n (and checks it); restored afterwards."""
    import fastinit as fi

    original = fi.get_num_threads()

    def set_threads(n: int) -> None:
        fi.set_num_threads(n)
        assert fi.get_num_threads() == n, f"set_num_threads({n}) left {fi.get_num_threads()}"

    yield set_threads
    fi.set_num_threads(original)
    assert fi.get_num_threads() == original
