#!/usr/bin/env bash
# AddressSanitizer + UndefinedBehaviorSanitizer run of fastinit: the C++ unit tests and the
# pytest suite against an ASan/UBSan build of the extension modules.
#
#   scripts/sanitize.sh                  build both, run ctest, then the whole pytest suite
#   scripts/sanitize.sh build            only build (C++ tests and extension)
#   scripts/sanitize.sh cpp              only the C++ unit tests (plain CMake, ctest)
#   scripts/sanitize.sh python [ARGS]    only pytest (ARGS go to pytest, e.g. tests/test_init.py -k normal)
#   scripts/sanitize.sh env              print the environment to run anything by hand, e.g.
#                                        eval "$(scripts/sanitize.sh env)"; python -c 'import fastinit'
#
# What it does:
#  * C++ tests: build/sanitize-cpp, a Debug build (Eigen's assertions on) at -O1 with the flags
#    below, then ctest.
#  * extension: `pip install --target build/sanitize/site` of this checkout, built by
#    scikit-build-core into build/sanitize/build (so a rerun only recompiles what changed), with the
#    same flags; --no-build-isolation, so scikit-build-core and pybind11 must be installed
#    (`pip install ".[test,dev]"`; this script installs them when missing).
#  * pytest: python with the sanitizer runtime preloaded (LD_PRELOAD=libasan.so libstdc++.so: the
#    interpreter itself is not instrumented), pytest's --capture=sys (a report written to fd 2
#    must not vanish into pytest's capture when the sanitizer ends the process),
#    PYTHONPATH=build/sanitize/site first, and
#    scripts/_sanitize_site/sitecustomize.py, which takes an editable install's import hook out of
#    the way so that `import fastinit` finds the sanitized build (checked before the run).
#
# Options (environment): CXX (default g++, or c++), SANITIZE_BUILD_DIR (default build/sanitize),
# SANITIZE_JOBS (parallel compile jobs, default 2).
#
# ASAN_OPTIONS: detect_leaks=0 (CPython leaks by design at exit); allocator_may_return_null=1 so
# that an impossible malloc fails as it does without ASan (fastinit turns it into a MemoryError).
# A failed *operator new* of a huge size still aborts under ASan (it never throws bad_alloc
# there): tests that need that are skipped under ASan (see UNDER_ASAN in tests/). UBSan stops at
# the first report (-fno-sanitize-recover=all): any report fails the run.
#
# Measured (2-core machine, quiet): build of both modules 6-8 min; C++ tests 2 s; the suite as
# tests/test_sanitizers.py runs it (3137 tests, no consumer or lint tests) 4.6 min.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PY="${PYTHON:-python}"
CXX="${CXX:-$(command -v g++ || command -v c++ || echo g++)}"
OUT="${SANITIZE_BUILD_DIR:-$ROOT/build/sanitize}"
JOBS="${SANITIZE_JOBS:-2}"
SITE="$OUT/site"
SAN_FLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all"

asan_runtime() {
  local lib
  lib="$("$CXX" -print-file-name=libasan.so)"
  if [[ "$lib" != /* || ! -e "$lib" ]]; then
    echo "sanitize.sh: $CXX has no shared ASan runtime (libasan.so); install it (Debian: libasan8)" >&2
    exit 2
  fi
  # The interpreter is not instrumented: preload the runtime so that it is initialized first.
  echo "$lib"
}

sanitizer_env() {
  local lib cxxlib
  lib="$(asan_runtime)"
  # libstdc++ is preloaded too: ASan resolves the real __cxa_throw when it starts, and python does
  # not link libstdc++ (without it the first C++ exception aborts with "CHECK failed:
  # ... real___cxa_throw").
  cxxlib="$("$CXX" -print-file-name=libstdc++.so)"
  echo "export LD_PRELOAD='$lib $cxxlib'"
  echo "export ASAN_OPTIONS='detect_leaks=0:allocator_may_return_null=1:abort_on_error=0:halt_on_error=1:detect_stack_use_after_return=1:strict_init_order=1:check_initialization_order=1'"
  echo "export UBSAN_OPTIONS='print_stacktrace=1:halt_on_error=1:report_error_type=1'"
  echo "export PYTHONPATH='$SITE:$ROOT/scripts/_sanitize_site'\${PYTHONPATH:+:\$PYTHONPATH}"
  echo "export FASTINIT_SANITIZED_SITE='$SITE'"
  # Python's own allocator hides small-object misuse from ASan; malloc makes it visible.
  echo "export PYTHONMALLOC=malloc"
}

need_build_deps() {
  if ! "$PY" -c "import scikit_build_core, pybind11" 2>/dev/null; then
    echo "sanitize.sh: installing the build requirements (scikit-build-core, pybind11, cmeel-eigen)"
    "$PY" -m pip install "scikit-build-core>=0.10" "pybind11>=2.13" "cmeel-eigen>=3.4,<3.5" ninja cmake
  fi
}

cmake_exe() {
  if command -v cmake >/dev/null; then command -v cmake; return; fi
  "$PY" -c "import cmake, os; print(os.path.join(cmake.CMAKE_BIN_DIR, 'cmake'))"
}

build_cpp() {
  local cmake gen=()
  cmake="$(cmake_exe)"
  command -v ninja >/dev/null && gen=(-G Ninja)
  "$cmake" -S "$ROOT" -B "$OUT-cpp" "${gen[@]}" -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_COMPILER="$CXX" -DCMAKE_CXX_FLAGS="$SAN_FLAGS" \
    -DFASTINIT_TESTS=ON -DFASTINIT_EXAMPLES=OFF -DFASTINIT_INSTALL=OFF \
    -DPython_EXECUTABLE="$(command -v "$PY")" >/dev/null
  "$cmake" --build "$OUT-cpp" --target fastinit_tests -j "$JOBS"
}

run_cpp() {
  local cmake
  cmake="$(cmake_exe)"
  ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=1" \
  UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    "$(dirname "$cmake")/ctest" --test-dir "$OUT-cpp" --output-on-failure
}

build_python() {
  need_build_deps
  mkdir -p "$SITE"
  # CMAKE_CXX_FLAGS reach the link line too (-fsanitize links libasan/libubsan into the modules).
  CXX="$CXX" CMAKE_BUILD_PARALLEL_LEVEL="$JOBS" "$PY" -m pip install --no-build-isolation \
    --no-deps --upgrade --quiet --target "$SITE" "$ROOT" \
    -Cbuild-dir="$OUT/build" \
    -Ccmake.build-type=Debug \
    -Ccmake.define.CMAKE_CXX_FLAGS="$SAN_FLAGS"
}

check_python() {
  eval "$(sanitizer_env)"
  "$PY" - <<'EOF'
import os, sys
import fastinit
from fastinit import _loader
site = os.environ["FASTINIT_SANITIZED_SITE"]
path = _loader.core.__file__
if not os.path.realpath(path).startswith(os.path.realpath(site)):
    sys.exit(f"sanitize.sh: fastinit was imported from {path}, not from the sanitized build in {site}")
print(f"sanitize.sh: fastinit from {path}: {fastinit.build_info()['module']}")
EOF
}

run_python() {
  check_python
  eval "$(sanitizer_env)"
  "$PY" -m pytest -p no:cacheprovider --capture=sys "$@"
}

cmd="${1:-all}"
[[ $# -gt 0 ]] && shift
case "$cmd" in
  env) sanitizer_env ;;
  build) build_cpp; build_python ;;
  cpp) build_cpp; run_cpp ;;
  python) build_python; run_python "$@" ;;
  all)
    start=$SECONDS
    build_cpp; build_python
    echo "sanitize.sh: built in $((SECONDS - start)) s"
    t=$SECONDS; run_cpp; echo "sanitize.sh: C++ tests took $((SECONDS - t)) s"
    t=$SECONDS; run_python "$@"; echo "sanitize.sh: pytest took $((SECONDS - t)) s"
    ;;
  *) echo "usage: $0 [all|build|cpp|python [pytest args]|env]" >&2; exit 2 ;;
esac
