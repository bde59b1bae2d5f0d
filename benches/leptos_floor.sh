#!/usr/bin/env bash
# What Leptos alone weighs in WASM: builds the two minimal apps of benches/leptos_floor (a
# hydrated single-page app with the client-side router, and the same page as islands), each a
# page with one server-function value and a counter, with Latchkey's `wasm-release` profile and
# dependency versions, and prints their release WASM sizes, raw / gzip -9 / brotli -q 11.
# Compare with `benches/wasm_size.sh`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../.ci/env.sh"
cd "$ROOT"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r benches/leptos_floor/. "$work/"
cp Cargo.lock "$work/" # the same versions as Latchkey
# cargo-leptos builds the WASM in front/: share its dependency builds.
export CARGO_TARGET_DIR="$CARGO_TARGET_DIR/front"
echo "| minimal Leptos app | raw | gzip -9 | brotli -q 11 |"
echo "|---|---|---|---|"
for app in spa islands; do
  cargo build -q --manifest-path "$work/Cargo.toml" --lib --target wasm32-unknown-unknown \
    --profile wasm-release --features "$app"
  wasm-bindgen --target web --out-dir "$work/$app" \
    "$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/leptos_floor.wasm"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$work/$app/leptos_floor_bg.wasm" -o "$work/$app.wasm"
  f="$work/$app.wasm"
  echo "| $app | $(stat -c %s "$f") | $(gzip -9c "$f" | wc -c) | $(brotli -q 11 -c "$f" | wc -c) |"
done
