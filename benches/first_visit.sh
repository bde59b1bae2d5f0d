#!/usr/bin/env bash
# Starts the release server on 127.0.0.1 (fresh SQLite database), and prints what a first
# visit to each route downloads and how soon the sign-in form is interactive
# (benches/first_visit.mjs, Debian's Chromium). Run after
# `cargo leptos build --release --precompress --split`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../.ci/env.sh"
cd "$ROOT"
PORT="${PORT:-3400}"
DB=$(mktemp -d)
LEPTOS_SITE_ADDR="127.0.0.1:$PORT" LEPTOS_SITE_ROOT=target/site DATABASE_URL="sqlite://$DB/visit.db?mode=rwc" \
  COOKIE_SECURE=false IP_RATE_LIMIT=0 RUST_LOG=error "$CARGO_TARGET_DIR/release/latchkey" > "$DB/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$DB"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null && break; sleep 0.1; done
curl -sf -d email=visit@example.com -d 'password=correct horse battery staple' \
  "http://127.0.0.1:$PORT/api/auth/register" >/dev/null
node benches/first_visit.mjs "http://127.0.0.1:$PORT" visit@example.com 'correct horse battery staple'
