#!/usr/bin/env bash
# Runs every test: Rust unit and integration tests on SQLite, the integration suite again on a
# throwaway PostgreSQL (plus a database-outage test), then Playwright end-to-end tests in
# Debian's Chromium against the real server. Ends with one line: "N passed, N failed".
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$ROOT/.ci/setup.sh" --tests || exit 1
cd "$ROOT"

passed=0
failed=0
logs="$CARGO_TARGET_DIR/test-logs"
mkdir -p "$logs"

count_cargo() {  # sums "test result: … N passed; M failed" lines of a cargo test log
  local p f
  read -r p f < <(awk '/^test result:/ { for (i = 1; i < NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
                       END { print p + 0, f + 0 }' "$1")
  passed=$((passed + p)); failed=$((failed + f))
}

run_cargo_tests() {  # label, cargo test selection..., with env already set by the caller
  local label="$1"; shift
  echo "== cargo test ($label)"
  cargo test --features ssr --no-fail-fast "$@" 2>&1 | tee "$logs/cargo-$label.log" \
    | grep -E '^(test |test result|error|failures:|----)'
  local rc=${PIPESTATUS[0]}
  count_cargo "$logs/cargo-$label.log"
  if [ "$rc" != 0 ] && ! grep -q '^test result:' "$logs/cargo-$label.log"; then
    echo "cargo test ($label) did not run (exit $rc)"; failed=$((failed + 1))
  fi
}

# Unit tests, and the integration suite on SQLite; then the floods, on their own.
TEST_DATABASE_URL= run_cargo_tests sqlite --lib --bins --test api
TEST_DATABASE_URL= run_cargo_tests load --test load

# The integration suite again on PostgreSQL, then the outage test (it stops and restarts the
# cluster). A throwaway cluster is started on 127.0.0.1 (installed from Debian when missing).
if [ "${LATCHKEY_POSTGRES:-on}" != off ]; then
  if pg_url=$(bash .ci/postgres.sh start); then
    TEST_DATABASE_URL="$pg_url" run_cargo_tests postgres --test api
    TEST_DATABASE_URL="$pg_url" run_cargo_tests postgres-outage --test pg_outage
  elif [ -n "${CI:-}" ]; then
    echo "PostgreSQL could not be started"; failed=$((failed + 1))
  else
    echo "!! PostgreSQL could not be started: the PostgreSQL suite did NOT run (LATCHKEY_POSTGRES=off to skip quietly)"
  fi
fi

echo "== cargo leptos build --split"
if cargo leptos build --split > "$logs/leptos-build.log" 2>&1; then
  echo "== playwright"
  rm -f target/e2e*.db*
  mkdir -p target
  results=end2end/test-results/results.json
  rm -f "$results"
  (cd end2end && LATCHKEY_BIN="$CARGO_TARGET_DIR/debug/latchkey" LEPTOS_SITE_ROOT="$ROOT/target/site" \
     npx playwright test)
  rc=$?
  p=0; f=0
  if [ -f "$results" ]; then
    p=$(node -e 'const s=require("./'"$results"'").stats; console.log(s.expected + s.flaky)')
    f=$(node -e 'const s=require("./'"$results"'").stats; console.log(s.unexpected)')
  fi
  passed=$((passed + p)); failed=$((failed + f))
  # A run that could not start (port taken, browser missing) ran nothing: that is a failure.
  if [ "$rc" != 0 ] && [ "$f" = 0 ] || [ $((p + f)) = 0 ]; then
    echo "playwright did not run its tests (exit $rc)"; failed=$((failed + 1))
  fi
else
  tail -40 "$logs/leptos-build.log"
  echo "cargo leptos build failed"; failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
