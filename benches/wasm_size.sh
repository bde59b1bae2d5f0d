#!/usr/bin/env bash
# What a browser downloads of the release front end, raw / gzip -9 / brotli -q 11: the WASM
# module (every page loads the same one, once, then from cache) and its JS loader.
# Run after `cargo leptos build --release`.
# Usage: benches/wasm_size.sh [--summary] [pkg dir]
#   --summary prints one number instead of the table: the WASM module's gzip size in bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
PKG=target/site/pkg
SUMMARY=0
for arg in "$@"; do
  case "$arg" in
    --summary) SUMMARY=1 ;;
    *) PKG=$arg ;;
  esac
done

sizes() { # file → "raw gz br"
  echo "$(stat -c %s "$1") $(gzip -9c "$1" | wc -c) $(brotli -q 11 -c "$1" | wc -c)"
}

read -r raw gz br < <(sizes "$PKG/latchkey.wasm")
if [ "$SUMMARY" = 1 ]; then
  echo "$gz"
  exit 0
fi
echo "| download | raw | gzip -9 | brotli -q 11 |"
echo "|---|---|---|---|"
echo "| latchkey.wasm | $raw | $gz | $br |"
read -r raw gz br < <(sizes "$PKG/latchkey.js")
echo "| latchkey.js (loader) | $raw | $gz | $br |"
