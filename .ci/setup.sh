#!/usr/bin/env bash
# Installs whatever Latchkey needs and is missing; safe to run any number of times.
#   bash .ci/setup.sh            build tools (wasm32 target, cargo-leptos, wasm-bindgen, npm tools)
#   bash .ci/setup.sh --tests    the above plus Chromium and the Playwright packages
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

CARGO_LEPTOS_VERSION=0.3.10       # 0.3.11 needs a newer rustc than 1.95
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock)

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

apt_install() {
  if ! command -v apt-get >/dev/null; then say "please install: $*"; exit 1; fi
  say "apt-get install $*"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
}

command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
command -v cc >/dev/null || apt_install build-essential
# OpenSSL's headers, for webauthn-rs (passkeys), found through pkg-config.
{ command -v pkg-config >/dev/null && pkg-config --exists openssl; } || apt_install pkg-config libssl-dev

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q " $CARGO_LEPTOS_VERSION\$"; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (takes ~18 minutes once)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
  # Not --locked: its lock file pins a crate version the registry does not serve.
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (must equal the crate in Cargo.lock)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

npm_ci() {  # npm ci in $1, unless node_modules already matches package-lock.json
  if ! cmp -s "$1/package-lock.json" "$1/node_modules/.package-lock.json" 2>/dev/null; then
    say "npm ci in $1"
    (cd "$1" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
npm_ci tools   # wasm-opt from npm binaryen 132: Debian's binaryen 108 silently breaks hydration

if [ "${1:-}" = "--tests" ]; then
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || apt_install chromium
  command -v faketime >/dev/null || apt_install faketime   # an instance with a skewed clock
  command -v script >/dev/null || apt_install bsdutils     # a terminal for the admin CLI test
  [ -x /usr/sbin/nginx ] || apt_install nginx-light          # a real reverse proxy in front
  npm_ci end2end
fi
