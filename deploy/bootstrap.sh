#!/usr/bin/env bash
# Idempotent set-up on a fresh machine: a virtualenv with the pinned packages, and (when npm is present)
# a local anvil node for the real-node tests. Safe to run before every command.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e '.[test]'
  touch "$stamp"
fi
# an anvil on PATH (foundryup) is used as it is; otherwise the npm package, under .tools/
if ! command -v anvil >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 \
  && [ ! -x .tools/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil ]; then
  npm install --silent --no-audit --no-fund --prefix .tools @foundry-rs/anvil >/dev/null 2>&1 \
    || echo "bootstrap: could not install anvil from npm; real-node tests will be skipped" >&2
fi
