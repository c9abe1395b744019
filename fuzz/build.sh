#!/usr/bin/env bash
# Build and run the libFuzzer target for fastinit's C++ core (fuzz/fuzz_core.cpp).
#
#   fuzz/build.sh build            build build/fuzz/fuzz_core (clang + libFuzzer + ASan + UBSan)
#   fuzz/build.sh run [SECONDS]    build, then fuzz for SECONDS (default 120) on 1 worker
#   fuzz/build.sh replay           build build/fuzz/fuzz_core_replay with any C++ compiler (g++ by
#                                  default; ASan + UBSan) and replay fuzz/corpus and fuzz/regressions
#   fuzz/build.sh check            exit 0 when a clang with libFuzzer is available, else 1
#
# The fuzzer starts from fuzz/corpus (committed seeds) and keeps what it learns in
# build/fuzz/corpus; a crash, hang or finding is written to build/fuzz/artifacts/. Once it is fixed,
# copy the input into fuzz/regressions/ (named after the bug): `replay` runs it from then on, and
# so does the test suite (tests/test_sanitizers.py).
#
# Environment: CLANGXX (default: the newest clang++ or clang++-NN on PATH), CXX (replay compiler,
# default g++), FUZZ_JOBS (parallel libFuzzer jobs, default 1), FUZZ_SEED (default 1; 0 = random),
# FUZZ_OUT (default build/fuzz).
# clang with libFuzzer on Debian: apt-get install clang libclang-rt-dev (or clang-14 libclang-rt-14-dev).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python}"
OUT="${FUZZ_OUT:-$ROOT/build/fuzz}"
SRC="$ROOT/fuzz/fuzz_core.cpp"
COMMON=(-std=c++17 -O1 -g -fno-omit-frame-pointer -ffp-contract=off -fno-math-errno -pthread
        -I "$ROOT/cpp/include")

find_clang() {
  if [[ -n "${CLANGXX:-}" ]]; then echo "$CLANGXX"; return 0; fi
  local c
  for c in clang++ clang++-21 clang++-20 clang++-19 clang++-18 clang++-17 clang++-16 clang++-15 clang++-14; do
    if command -v "$c" >/dev/null 2>&1; then echo "$c"; return 0; fi
  done
  return 1
}

eigen_include() {
  # cmeel-eigen (pip) first, then a system Eigen.
  local d
  d="$("$PY" - <<'EOF' 2>/dev/null || true
import os, sys
for p in sys.path:
    inc = os.path.join(p or ".", "cmeel.prefix", "include", "eigen3")
    if os.path.isfile(os.path.join(inc, "Eigen", "Core")):
        print(inc)
        break
EOF
)"
  if [[ -z "$d" && -f /usr/include/eigen3/Eigen/Core ]]; then d=/usr/include/eigen3; fi
  if [[ -z "$d" ]]; then
    echo "fuzz/build.sh: Eigen 3.4 not found (pip install cmeel-eigen, or apt-get install libeigen3-dev)" >&2
    exit 2
  fi
  echo "$d"
}

has_libfuzzer() {
  local cxx tmp
  cxx="$(find_clang)" || return 1
  tmp="$(mktemp -d)"
  printf 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long){return 0;}\n' >"$tmp/t.cpp"
  if "$cxx" -fsanitize=fuzzer "$tmp/t.cpp" -o "$tmp/t" >/dev/null 2>&1; then rm -rf "$tmp"; return 0; fi
  rm -rf "$tmp"
  return 1
}

build_fuzzer() {
  local cxx
  if ! has_libfuzzer; then
    echo "fuzz/build.sh: no clang with libFuzzer found (apt-get install clang libclang-rt-dev, or set CLANGXX)" >&2
    exit 2
  fi
  cxx="$(find_clang)"
  mkdir -p "$OUT"
  if [[ "$OUT/fuzz_core" -nt "$SRC" && -z "$(find "$ROOT/cpp/include" -newer "$OUT/fuzz_core" -print -quit)" ]]; then
    return 0
  fi
  echo "fuzz/build.sh: $cxx -fsanitize=fuzzer,address,undefined ..."
  "$cxx" "${COMMON[@]}" -isystem "$(eigen_include)" \
    -fsanitize=fuzzer,address,undefined,float-cast-overflow -fno-sanitize-recover=all \
    "$SRC" -o "$OUT/fuzz_core"
}

build_replay() {
  local cxx="${CXX:-g++}"
  mkdir -p "$OUT"
  if [[ "$OUT/fuzz_core_replay" -nt "$SRC" && -z "$(find "$ROOT/cpp/include" -newer "$OUT/fuzz_core_replay" -print -quit)" ]]; then
    return 0
  fi
  echo "fuzz/build.sh: $cxx -DFASTINIT_FUZZ_STANDALONE -fsanitize=address,undefined ..."
  "$cxx" "${COMMON[@]}" -isystem "$(eigen_include)" -DFASTINIT_FUZZ_STANDALONE \
    -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all \
    "$SRC" -o "$OUT/fuzz_core_replay"
}

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1:halt_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

cmd="${1:-run}"
case "$cmd" in
  check) has_libfuzzer ;;
  build) build_fuzzer ;;
  run)
    secs="${2:-120}"
    build_fuzzer
    mkdir -p "$OUT/corpus" "$OUT/artifacts"
    # -timeout: a single input may not run longer than 20 s (a hang is a finding);
    # -rss_limit_mb: nor use more than 2 GB; -max_len keeps inputs (and so sizes) small.
    # (run from $OUT: libFuzzer writes its per-job logs, fuzz-N.log, into the current folder)
    cd "$OUT"
    jobs=()
    if [[ "${FUZZ_JOBS:-1}" -gt 1 ]]; then jobs=(-jobs="$FUZZ_JOBS" -workers="$FUZZ_JOBS"); fi
    # -seed: the same run on the same machine explores the same inputs (FUZZ_SEED=0: random).
    "$OUT/fuzz_core" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -max_len=512 \
      -seed="${FUZZ_SEED:-1}" "${jobs[@]}" -print_final_stats=1 \
      -artifact_prefix="$OUT/artifacts/" "$OUT/corpus" "$ROOT/fuzz/corpus" "$ROOT/fuzz/regressions"
    ;;
  replay)
    build_replay
    "$OUT/fuzz_core_replay" "$ROOT/fuzz/corpus" "$ROOT/fuzz/regressions"
    ;;
  *) echo "usage: $0 [build|run [SECONDS]|replay|check]" >&2; exit 2 ;;
esac
