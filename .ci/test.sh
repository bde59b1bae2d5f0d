#!/usr/bin/env bash
# Runs every test: Rust unit and integration tests (SQLite, and PostgreSQL when
# TEST_DATABASE_URL is set), then Playwright end-to-end tests in Debian's Chromium against the
# real server. Ends with one line: "N passed, N failed".
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

run_cargo_tests() {  # label, extra env...
  local label="$1"; shift
  echo "== cargo test ($label)"
  env "$@" cargo test --features ssr --no-fail-fast 2>&1 | tee "$logs/cargo-$label.log" | grep -E '^(test |test result|error|failures:|----)' 
  local rc=${PIPESTATUS[0]}
  count_cargo "$logs/cargo-$label.log"
  if [ "$rc" != 0 ] && ! grep -q '^test result:' "$logs/cargo-$label.log"; then
    echo "cargo test ($label) did not run (exit $rc)"; failed=$((failed + 1))
  fi
}

run_cargo_tests sqlite TEST_DATABASE_URL=
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  run_cargo_tests postgres TEST_DATABASE_URL="$TEST_DATABASE_URL"
fi

echo "== cargo leptos build"
if cargo leptos build > "$logs/leptos-build.log" 2>&1; then
  echo "== playwright"
  rm -f target/e2e*.db*
  mkdir -p target
  (cd end2end && LATCHKEY_BIN="$CARGO_TARGET_DIR/debug/latchkey" LEPTOS_SITE_ROOT="$ROOT/target/site" \
     npx playwright test)
  results=end2end/test-results/results.json
  if [ -f "$results" ]; then
    p=$(node -e 'const s=require("./'"$results"'").stats; console.log(s.expected + s.flaky)')
    f=$(node -e 'const s=require("./'"$results"'").stats; console.log(s.unexpected)')
    passed=$((passed + p)); failed=$((failed + f))
  else
    echo "playwright produced no results"; failed=$((failed + 1))
  fi
else
  tail -40 "$logs/leptos-build.log"
  echo "cargo leptos build failed"; failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
