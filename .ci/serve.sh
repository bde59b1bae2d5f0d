#!/usr/bin/env bash
# Runs Latchkey on http://127.0.0.1:3000 with an embedded SQLite database, rebuilding on change.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$ROOT/.ci/setup.sh"
cd "$ROOT"
# Plain http in development: cookies without the Secure flag (set COOKIE_SECURE=true behind TLS).
export COOKIE_SECURE="${COOKIE_SECURE:-false}"
# `--split`: each page's WASM is its own chunk, loaded when the page is first shown.
exec cargo leptos watch --split
