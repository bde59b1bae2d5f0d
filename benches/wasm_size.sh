#!/usr/bin/env bash
# What a browser downloads of the release WASM, raw / gzip -9 / brotli -q 11:
#   - the main module, which every page loads;
#   - for each lazily loaded route, the main module plus the chunks that route needs
#     (read from wasm-split's manifest);
#   - for each on-demand (`#[lazy]`) function, the main module plus its chunks (many of them
#     shared with the routes: a page that already loaded them fetches only the rest);
#   - every .wasm file together.
# Run after `cargo leptos build --release --split`.
# Usage: benches/wasm_size.sh [--summary] [pkg dir]
#   --summary prints one line instead of the table: main gzip, and the largest route's total gzip.
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

# One line per download: a label, then its files.
downloads() {
  node - "$PKG" <<'JS'
const fs = require("fs"), path = require("path");
const pkg = process.argv[2];
const main = "latchkey.wasm";
console.log(`main-module ${main}`);
const file = path.join(pkg, "__wasm_split_manifest.json");
const manifest = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {};
// Split points are lazy routes (`__<route>_route_view_<hash>`) and `#[lazy]` functions
// (`<name>_<hash>`, fetched the first time the function runs).
for (const [name, chunks] of Object.entries(manifest).sort()) {
  const files = chunks.map((c) => c + ".wasm").join(" ");
  const route = name.match(/^__(.*)_route_view_\d+$/);
  const label = route ? `/${route[1]}` : `on-demand:${name.replace(/_\d+$/, "")}`;
  console.log(`${label} ${main} ${files}`);
}
console.log(`all ${fs.readdirSync(pkg).filter((f) => f.endsWith(".wasm")).join(" ")}`);
JS
}

total() { # label files… → "label files raw gz br"
  local label=$1 raw=0 gz=0 br=0 f
  shift
  for f in "$@"; do
    raw=$((raw + $(stat -c %s "$PKG/$f")))
    gz=$((gz + $(gzip -9c "$PKG/$f" | wc -c)))
    br=$((br + $(brotli -q 11 -c "$PKG/$f" | wc -c)))
  done
  echo "$label $# $raw $gz $br"
}

rows=$(downloads | while read -r label files; do total "$label" $files; done)
if [ "$SUMMARY" = 1 ]; then
  echo "$rows" | awk '$1 == "main-module" { main = $4 } $1 ~ /^\// && $4 > max { max = $4 }
    END { print main, (max > main ? max : main) }'
else
  echo "| WASM download | files | raw | gzip -9 | brotli -q 11 |"
  echo "|---|---|---|---|---|"
  echo "$rows" | awk '{
    label = $1 == "main-module" ? "main module (every page)" : $1 == "all" ? "all .wasm files" : $1 " (main + chunks)"
    sub(/^on-demand:/, "on demand: ", label)
    printf "| %s | %s | %s | %s | %s |\n", label, $2, $3, $4, $5 }'
fi
