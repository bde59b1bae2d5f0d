//! The WASM module: Latchkey's islands and its `hydrate()` entry point, built as a `cdylib`
//! of its own so that only what the browser runs is linked in.

#[cfg(feature = "hydrate")]
pub use latchkey::hydrate;
