#!/usr/bin/env bash
# Set up a virtual environment in .venv with the test tools, then lint, type-check and test.
# The browser tests use Debian's Chromium at /usr/bin/chromium (apt-get install chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test,zensical]"
.venv/bin/ruff check askfirst tests scripts
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
