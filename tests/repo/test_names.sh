#!/usr/bin/env bash
# ctest splits test names at ';' (catch_discover_tests registers a Catch test
# under the name cut there, whose filter then matches nothing and "passes"
# without running). No test name may contain one. Usage: test_names.sh SRC_DIR
set -euo pipefail
hits=$(grep -nE 'TEST_CASE\("[^"]*;' "$1"/tests/*.cpp || true)
if [ -n "$hits" ]; then
  echo "test_names: a ';' in a test name (ctest would never run it):" >&2
  echo "$hits" >&2
  exit 1
fi
echo "test_names: no ';' in any test name"
