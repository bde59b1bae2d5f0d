#!/usr/bin/env bash
# Instructions the release server executes per request, counted by valgrind's callgrind: unlike
# req/s on this shared machine, the count is the same from run to run, so it shows what a change
# to the request path saves. (SHA-256 runs in software under valgrind, which hides the CPU's SHA
# instructions: the JWT's HMAC counts for more here than it costs natively.)
#   bash benches/instructions.sh            after `cargo leptos build --release`
#   env: REQUESTS=2000 PORT=3310 KEEP=dir (keep the callgrind files there, for callgrind_annotate)
# Prints, for `health` and `me`, instructions per request, and `me`'s share over `health`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../.ci/env.sh"
cd "$ROOT"
REQUESTS="${REQUESTS:-2000}"
PORT="${PORT:-3310}"
BIN="$CARGO_TARGET_DIR/release/latchkey"
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind >/dev/null; }
WORK=$(mktemp -d)
SERVER=""
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null
  [ -n "${KEEP:-}" ] && mkdir -p "$KEEP" && cp "$WORK"/cg.*.* "$KEEP"/
  rm -rf "$WORK"
}
trap cleanup EXIT

LEPTOS_SITE_ADDR="127.0.0.1:$PORT" LEPTOS_SITE_ROOT=target/site DATABASE_URL="sqlite://$WORK/db.sqlite?mode=rwc" \
  COOKIE_SECURE=false IP_RATE_LIMIT=0 ACCESS_TOKEN_TTL=3600 RUST_LOG=error \
  valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.%p" "$BIN" > "$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/api/health" >/dev/null && break; sleep 0.5; done
curl -sf -c "$WORK/jar" -d email=count@example.com -d 'password=correct horse battery staple' \
  "http://127.0.0.1:$PORT/api/auth/register" >/dev/null
ACCESS=$(awk '$6 == "latchkey_access" { print $7 }' "$WORK/jar")

# One keep-alive connection, exactly N requests, every answer checked.
drive() {  # path [cookie]
  python3 - "$PORT" "$1" "$REQUESTS" "${2:-}" <<'PY'
import http.client, sys
port, path, n, cookie = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
conn = http.client.HTTPConnection("127.0.0.1", port)
headers = {"Cookie": cookie} if cookie else {}
for _ in range(n):
    conn.request("GET", path, headers=headers)
    reply = conn.getresponse(); reply.read()
    if reply.status != 200: sys.exit(f"{path}: HTTP {reply.status}")
PY
}

count() {  # label path [cookie] → instructions per request
  drive "$2" "${3:-}"                       # warm-up: caches, lazy statics, allocator
  callgrind_control -z "$SERVER" >/dev/null 2>&1
  drive "$2" "${3:-}"
  callgrind_control -d "$1" "$SERVER" >/dev/null 2>&1
  local file
  file=$(ls -t "$WORK"/cg.*.* | head -n 1)
  awk -v n="$REQUESTS" '/^summary:/ { printf "%.0f\n", $2 / n }' "$file"
}

HEALTH=$(count health /api/health)
ME=$(count me /api/auth/me "latchkey_access=$ACCESS")
echo "| request | instructions per request (callgrind, $REQUESTS requests) |"
echo "|---|---|"
echo "| GET /api/health | $HEALTH |"
echo "| GET /api/auth/me | $ME |"
awk -v h="$HEALTH" -v m="$ME" 'BEGIN { printf "me costs %.2f× health (auth: +%.0f instructions per request)\n", m / h, m - h }'
