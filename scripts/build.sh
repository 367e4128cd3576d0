#!/usr/bin/env bash
# Set up a virtual environment in .venv, install Ask First, and build the whole curriculum
# (website and every PDF) into ./build. Extra arguments go to `askfirst build`.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet .
.venv/bin/askfirst build "$@"
