#!/usr/bin/env bash
# The repository stands on its own: no tracked file names a path outside it
# (the directory the checkout sits in, a sibling directory of the checkout,
# or an absolute path of the machine it was written on). Usage: self_contained.sh SRC_DIR
set -euo pipefail
src=$(cd "$1" && pwd)
parent="$(dirname "$src")/"
# Patterns are assembled so that this file does not match itself.
dotdot='..'
patterns=("$dotdot/shared" "/work""/" "/root""/" "/home""/")
[ "$parent" = "/" ] || patterns+=("$parent")
if git -C "$src" rev-parse --is-inside-work-tree > /dev/null 2>&1; then
  mapfile -d '' files < <(git -C "$src" ls-files -z)
else
  mapfile -d '' files < <(cd "$src" && find . -path ./build -prune -o -path ./.git -prune -o -type f -print0)
fi
args=()
for p in "${patterns[@]}"; do args+=(-e "$p"); done
hits=$(cd "$src" && printf '%s\0' "${files[@]}" | xargs -0 grep -nIF "${args[@]}" -- 2>/dev/null || true)
if [ -n "$hits" ]; then
  echo "self_contained: paths outside the repository:" >&2
  echo "$hits" >&2
  exit 1
fi
echo "self_contained: ${#files[@]} files, no path outside the repository"
