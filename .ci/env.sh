# Shared build environment for every script in .ci/ (sourced, not run).
# One cargo target dir outside the clone, and the same RUSTFLAGS / LEPTOS_OUTPUT_NAME that
# cargo-leptos uses, so `cargo leptos`, `cargo test` and `cargo clippy` never rebuild each other.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/latchkey/target}"
export LEPTOS_OUTPUT_NAME=latchkey
export RUSTFLAGS="${RUSTFLAGS:---cfg erase_components}"
export PATH="$ROOT/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
