#!/usr/bin/env bash
# Runs Latchkey on http://127.0.0.1:3000 with an embedded SQLite database, rebuilding on change.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$ROOT/.ci/setup.sh"
cd "$ROOT"
# Plain http in development: cookies without the Secure flag (set COOKIE_SECURE=true behind TLS).
export COOKIE_SECURE="${COOKIE_SECURE:-false}"
# Mail goes to MailDev (npm, installed by setup.sh): SMTP on 127.0.0.1:1025, the inbox on
# http://127.0.0.1:1080. Set SMTP_URL to use another server.
if [ -z "${SMTP_URL:-}" ]; then
  maildev --smtp 1025 --web 1080 --ip 127.0.0.1 --web-ip 127.0.0.1 > "$CARGO_TARGET_DIR/maildev.log" 2>&1 &
  MAILDEV=$!
  trap 'kill $MAILDEV 2>/dev/null' EXIT
  export SMTP_URL=smtp://127.0.0.1:1025
  echo "mail: MailDev inbox on http://127.0.0.1:1080"
fi
# `--split`: each page's WASM is its own chunk, loaded when the page is first shown.
cargo leptos watch --split
