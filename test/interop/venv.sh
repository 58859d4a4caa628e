#!/usr/bin/env bash
# The interop suite's Python side: a virtualenv in .cache/python-interop with
# djongo's pinned set (test/interop/requirements.txt). Idempotent: a stamp of
# the requirements it was made from skips the work when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=.cache/python-interop
requirements=test/interop/requirements.txt
if [ -x "$venv/bin/python" ] && cmp -s "$requirements" "$venv/requirements.stamp"; then
  echo "interop: $venv is up to date"
  exit 0
fi
rm -rf "$venv"
python3.11 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$requirements"
cp "$requirements" "$venv/requirements.stamp"
echo "interop: $venv made from $requirements"
