#!/usr/bin/env bash
# Apply the repository's formatting and the automatic lint fixes (what tests/test_lint.py checks):
#   ruff format + ruff check --fix on the Python files, clang-format -i on the C++ files.
# The tools come from `pip install ".[dev]"` (pinned, so every machine formats alike).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python}"
"$PY" -m ruff format python tests bench fuzz scripts
"$PY" -m ruff check --fix python tests bench fuzz scripts || true  # what it cannot fix, it lists
mapfile -t cxx < <(git ls-files '*.cpp' '*.hpp' '*.h' '*.cc' 2>/dev/null || true)
if [[ ${#cxx[@]} -eq 0 ]]; then
  mapfile -t cxx < <(find cpp tests fuzz \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' \) -type f)
fi
# The pinned clang-format of the PyPI package (a system clang-format of another version formats
# differently).
CF="$("$PY" -c 'import clang_format; print(clang_format.get_executable("clang-format"))')"
"$CF" -i "${cxx[@]}"
echo "format.sh: formatted ${#cxx[@]} C++ files; run python -m pytest tests/test_lint.py to check"
