#!/usr/bin/env bash
# Latchkey benchmarks on this machine, one table out. Everything runs on 127.0.0.1 and every load
# is bounded (wrk -d$DURATION under `timeout`); every server started here is stopped here.
#   bash benches/run.sh        env: DURATION=5s CONNS=64 ROUNDS=3 PEER=on|off POSTGRES=on|off
# Every load on SQLite, the argon2id limit and the peer run ROUNDS times, interleaved (the peer in
# each round, right after ours); the table shows each one's median round (by req/s), as the peer's
# own notes ask on this noisy machine, and each ratio per round as well.
# Builds release, starts Latchkey on fresh databases (SQLite; PostgreSQL when available), runs:
# `me` (protected), `/api/health` (same kind of server function, no auth: the ceiling), refresh
# with rotation, login against the measured argon2id limit, `me` p99 during a login storm, server
# peak RSS, release .wasm sizes, and the FastAPI peer's /protected and /refresh with its own script.
# Also in each round: a bare axum route (benches/axum_floor.rs), the most any server function here
# could do on this machine; and once, callgrind's instruction counts of `me` and `health`
# (benches/instructions.sh), which do not move with the machine's noise.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../.ci/env.sh"
cd "$ROOT"
DURATION="${DURATION:-5s}"
ROUNDS="${ROUNDS:-3}"
CONNS="${CONNS:-64}"
OUT="${OUT:-$CARGO_TARGET_DIR/bench}"
PEER_DIR="${PEER_DIR:-$ROOT/../shared/peers/fastapi_seed}"
mkdir -p "$OUT"
rm -f "$OUT"/*.txt "$OUT"/results

for tool in wrk brotli curl; do
  command -v "$tool" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$tool" >/dev/null; }
done
bash .ci/setup.sh >/dev/null

echo "building release (cargo leptos build --release --precompress --split) …"
cargo leptos build --release --precompress --split > "$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log"; exit 1; }
cargo bench --features ssr --bench revocation 2>/dev/null | tee "$OUT/micro.txt"
cargo bench --features ssr --bench argon2_limit --no-run 2>/dev/null
cargo build --release --features ssr --example axum_floor 2>/dev/null
BIN="$CARGO_TARGET_DIR/release/latchkey"

PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

start_server() {  # port database-url → sets SERVER_PID
  LEPTOS_SITE_ADDR="127.0.0.1:$1" LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg DATABASE_URL="$2" \
    COOKIE_SECURE=false IP_RATE_LIMIT=0 ACCESS_TOKEN_TTL=3600 RUST_LOG=error \
    "$BIN" > "$OUT/server-$1.log" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  for _ in $(seq 1 100); do
    # An answer from a server that is not ours (the port was taken) would measure the wrong one.
    kill -0 "$SERVER_PID" 2>/dev/null || break
    curl -sf "http://127.0.0.1:$1/api/health" >/dev/null && sleep 0.2 && kill -0 "$SERVER_PID" 2>/dev/null && return
    sleep 0.1
  done
  echo "server on :$1 did not start"; cat "$OUT/server-$1.log"; exit 1
}

record() {  # name raw-wrk-output-file
  awk -v name="$1" '
    /^Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = $2 }  $1 == "99%" { p99 = $2 }
    /Non-2xx/ { bad = $NF }
    END { printf "%s|%s|%s|%s|%s\n", name, rps, p50, p99, bad + 0 }' "$2" >> "$OUT/results"
}

load() {  # name threads conns url [wrk args…]
  local name="$1" threads="$2" conns="$3" url="$4"; shift 4
  timeout 120 wrk -t"$threads" -c"$conns" -d"$DURATION" --timeout 5s --latency "$@" "$url" > "$OUT/$name.txt" 2>&1 || true
  record "$name" "$OUT/$name.txt"
}

cookie() {  # jar name → value (curl marks HttpOnly cookies with a #HttpOnly_ prefix)
  awk -v n="$2" '$6 == n { print $7 }' "$1" | tail -n 1
}

sign_in() {  # port email jar → registers (or signs in) and keeps the cookies in jar
  curl -sf -c "$3" -d "email=$2" -d 'password=correct horse battery staple' "http://127.0.0.1:$1/api/auth/register" >/dev/null \
    || curl -sf -c "$3" -d "email=$2" -d 'password=correct horse battery staple' "http://127.0.0.1:$1/api/auth/login" >/dev/null
}

refresh_load() {  # name port sessions: one wrk thread (as the peer's load), one connection and token chain per session
  local name="$1" port="$2" sessions="$3" lua="$OUT/refresh-$2.lua" tokens=()
  for i in $(seq 1 "$sessions"); do
    sign_in "$port" "rotate$i@example.com" "$OUT/jar-r$i"
    tokens+=("\"$(cookie "$OUT/jar-r$i" latchkey_refresh)\"")
  done
  # A pool of live tokens: each request presents one, each 200 puts its successor back, so
  # every request is a rotation and every token is presented once. (wrk's Lua cannot tie a
  # response to its connection, so the chains are pooled rather than one per connection.)
  cat > "$lua" <<LUA
local pool = { $(IFS=,; echo "${tokens[*]}") }
local primed = false
function request()
  -- wrk builds one request before connecting and never sends it: it gets no token.
  if not primed then primed = true; return wrk.format("POST", "/api/auth/refresh", { ["Content-Length"] = "0" }, "") end
  local token = table.remove(pool) or ""
  return wrk.format("POST", "/api/auth/refresh", { ["Cookie"] = "latchkey_refresh=" .. token, ["Content-Length"] = "0" }, "")
end
function response(status, headers, body)
  local set = headers["set-cookie"] or headers["Set-Cookie"]
  local value = set and set:match("latchkey_refresh=([^;]+)")
  if status == 200 and value and #value > 0 then pool[#pool + 1] = value end
end
LUA
  load "$name" 1 "$sessions" "http://127.0.0.1:$port/api/auth/refresh" -s "$lua"
}

# The FastAPI peer, with its own script: one round of its GET /protected and POST /refresh.
peer_round() {
  [ "${PEER:-on}" = on ] && [ -f "$PEER_DIR/run_bench.sh" ] || return 0
  DURATION="$DURATION" CONNS=64 WORKERS_LIST=2 OUTDIR="$OUT/peer" bash "$PEER_DIR/run_bench.sh" > "$OUT/peer.txt" 2>&1 || true
  for ep in GET-protected POST-refresh; do
    awk -v n="peer-$ep" -v ep="w2-$ep" '$1 == ep {
      for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      printf "%s|%s|%s|%s|%s\n", n, v["req/s"], v["p50"], v["p99"], v["non2xx"] }' "$OUT/peer.txt" >> "$OUT/results"
  done
}

# --- SQLite -------------------------------------------------------------------------------
"$CARGO_TARGET_DIR/release/examples/axum_floor" > "$OUT/floor.log" 2>&1 &
PIDS+=("$!")
sleep 0.5   # it exits at once if its port is taken: then the floor would be another server's
kill -0 "$!" 2>/dev/null || { echo "axum_floor could not listen on 127.0.0.1:3999"; cat "$OUT/floor.log"; exit 1; }
DB_DIR=$(mktemp -d)
start_server 3300 "sqlite://$DB_DIR/bench.db?mode=rwc"
SQLITE_PID=$SERVER_PID
sign_in 3300 bench@example.com "$OUT/jar"
ACCESS=$(cookie "$OUT/jar" latchkey_access)
# Sign-ins cycle through 16 accounts: the throttle counts each attempt before its hash, so one
# account signing in from 8 connections at once would be throttled (by design); 16 accounts
# keep every sign-in a real argon2id verification.
for i in $(seq 0 15); do sign_in 3300 "login$i@example.com" "$OUT/jar-login$i"; done
cat > "$OUT/login.lua" <<'LUA'
local n = 0
function request()
  n = n + 1
  local body = "email=login" .. (n % 16) .. "%40example.com&password=correct+horse+battery+staple"
  return wrk.format("POST", nil, { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end
LUA
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round of $ROUNDS …"
  load me 1 "$CONNS" http://127.0.0.1:3300/api/auth/me -H "Cookie: latchkey_access=$ACCESS"
  load health 1 "$CONNS" http://127.0.0.1:3300/api/health
  load axum-floor 1 "$CONNS" http://127.0.0.1:3999/api/health
  # Protected pages, server-rendered for a signed-in user, beside the server functions they call.
  load page-dashboard 1 "$CONNS" http://127.0.0.1:3300/dashboard -H "Cookie: latchkey_access=$ACCESS"
  load page-sessions 1 "$CONNS" http://127.0.0.1:3300/sessions -H "Cookie: latchkey_access=$ACCESS"
  load api-sessions 1 "$CONNS" http://127.0.0.1:3300/api/auth/sessions -H "Cookie: latchkey_access=$ACCESS"
  load api-activity 1 "$CONNS" http://127.0.0.1:3300/api/auth/activity -H "Cookie: latchkey_access=$ACCESS"
  load page-notes 1 "$CONNS" http://127.0.0.1:3300/notes -H "Cookie: latchkey_access=$ACCESS"
  load api-notes 1 "$CONNS" http://127.0.0.1:3300/api/notes/list -H "Cookie: latchkey_access=$ACCESS"
  refresh_load refresh-sqlite 3300 8
  refresh_load refresh-sqlite-c64 3300 64   # the peer's concurrency (wrk -c64)
  # The hash limit is measured right before the logins it bounds, with the server idle.
  cargo bench --features ssr --bench argon2_limit 2>/dev/null \
    | awk -F': ' '/argon2id verifications/ { printf "argon2-limit|%s|||0\n", $2 }' >> "$OUT/results"
  load login 2 4 http://127.0.0.1:3300/api/auth/login -s "$OUT/login.lua"
  # The peer in the same round (our server idle meanwhile), so each ratio compares like moments.
  peer_round
done
# me while a login storm saturates the hashing pool
timeout 120 wrk -t1 -c8 -d"$DURATION" --timeout 5s -s "$OUT/login.lua" http://127.0.0.1:3300/api/auth/login > "$OUT/storm.txt" 2>&1 &
STORM=$!
load me-during-login-storm 1 8 http://127.0.0.1:3300/api/auth/me -H "Cookie: latchkey_access=$ACCESS"
wait "$STORM" || true
RSS_KB=$(awk '/VmHWM/ { print $2 }' "/proc/$SQLITE_PID/status")
kill "$SQLITE_PID"

# --- PostgreSQL (when a local cluster can be started) ----------------------------------------
if [ "${POSTGRES:-on}" = on ] && PG=$(bash .ci/postgres.sh start 2>/dev/null); then
  psql -q "$PG" -c "DROP DATABASE IF EXISTS latchkey_bench" -c "CREATE DATABASE latchkey_bench" >/dev/null
  start_server 3301 "${PG%/*}/latchkey_bench"
  refresh_load refresh-postgres 3301 8
  refresh_load refresh-postgres-c64 3301 64
  kill "$SERVER_PID"
fi

# --- instructions per request (callgrind: the same in every run) ----------------------------
bash benches/instructions.sh > "$OUT/instructions.txt" 2>&1 || true

# --- report ---------------------------------------------------------------------------------
# One row per load: its median round (by req/s), with every round's req/s after it.
awk -F'|' '
  !($1 in count) { order[++names] = $1 }
  { i = ++count[$1]; row[$1, i] = $0; rps[$1, i] = $2 + 0 }
  END {
    for (k = 1; k <= names; k++) {
      n = order[k]; c = count[n]
      for (i = 1; i <= c; i++) idx[i] = i
      for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++)
        if (rps[n, idx[j]] < rps[n, idx[i]]) { t = idx[i]; idx[i] = idx[j]; idx[j] = t }
      all = ""; for (i = 1; i <= c; i++) all = all (i > 1 ? " / " : "") rps[n, i]
      print row[n, idx[int((c + 1) / 2)]] "|" all
    }
  }' "$OUT/results" > "$OUT/medians"
get() { awk -F'|' -v n="$1" -v f="$2" '$1 == n { print $f }' "$OUT/medians"; }
ARGON=$(get argon2-limit 2)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else printf "n/a" }'; }
round_ratios() {  # load-a load-b → the ratio of their req/s in each round, "r1 / r2 / …"
  awk -F'|' -v a="$1" -v b="$2" '
    $1 == a { x[++na] = $2 } $1 == b { y[++nb] = $2 }
    END { for (i = 1; i <= na && i <= nb; i++) printf "%s%.2f", (i > 1 ? " / " : ""), (y[i] > 0 ? x[i] / y[i] : 0) }' "$OUT/results"
}

echo
echo "Latchkey benchmark — $(date -u +%F) — $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2/1048576 }' /proc/meminfo); wrk $DURATION per load, median of $ROUNDS rounds"
echo
echo "| load | req/s (median) | p50 | p99 | non-2xx | every round, req/s |"
echo "|---|---|---|---|---|---|"
while IFS='|' read -r name rps p50 p99 bad all; do
  echo "| $name | $rps | $p50 | $p99 | $bad | $all |"
done < "$OUT/medians"
echo
echo "| measure | ratio of medians | each round | target |"
echo "|---|---|---|---|"
echo "| me / peer GET /protected | $(ratio "$(get me 2)" "$(get peer-GET-protected 2)")× | $(round_ratios me peer-GET-protected) | ≥ 10× |"
echo "| me / health (auth cost) | $(ratio "$(get me 2)" "$(get health 2)") | $(round_ratios me health) | ≥ 0.85 |"
echo "| /dashboard render / me (the server fn it reads) | $(ratio "$(get page-dashboard 2)" "$(get me 2)") | $(round_ratios page-dashboard me) | ≥ 0.5 |"
echo "| /sessions render / slowest of its server fns | $(ratio "$(get page-sessions 2)" "$(awk -v a="$(get api-sessions 2)" -v b="$(get api-activity 2)" 'BEGIN { print (a < b ? a : b) }')") | | ≥ 0.5 |"
echo "| /notes render / api notes list | $(ratio "$(get page-notes 2)" "$(get api-notes 2)") | $(round_ratios page-notes api-notes) | ≥ 0.5 |"
echo "| me / bare axum route (the floor) | $(ratio "$(get me 2)" "$(get axum-floor 2)") | $(round_ratios me axum-floor) | |"
echo "| 10 × peer GET /protected / bare axum route | $(awk -v p="$(get peer-GET-protected 2)" -v f="$(get axum-floor 2)" 'BEGIN { if (f > 0) printf "%.2f", 10 * p / f; else printf "n/a" }') | | > 1: the me target is beyond a bare axum route |"
echo "| refresh (SQLite, rotating, 64 sessions) / peer POST /refresh (-c64, no rotation) | $(ratio "$(get refresh-sqlite-c64 2)" "$(get peer-POST-refresh 2)")× | $(round_ratios refresh-sqlite-c64 peer-POST-refresh) | ≥ 1.5× |"
echo "| the same with 8 sessions | $(ratio "$(get refresh-sqlite 2)" "$(get peer-POST-refresh 2)")× | $(round_ratios refresh-sqlite peer-POST-refresh) | |"
echo "| argon2id limit (verifications/s, all cores) | $ARGON | | |"
echo "| login / argon2id limit | $(ratio "$(get login 2)" "$ARGON") | $(round_ratios login argon2-limit) | ≥ 0.90 |"
echo "| me p99 during login storm | $(get me-during-login-storm 4) | | < 10 ms |"
echo "| server peak RSS (SQLite run) | $((RSS_KB / 1024)) MiB | | |"
grep -E "revocation|JWT verify" "$OUT/micro.txt" | sed 's/^/    /' || true
echo
bash benches/first_visit.sh 2>&1 || echo "first_visit: failed"
echo
cat "$OUT/instructions.txt"
echo
echo "raw outputs: $OUT"
