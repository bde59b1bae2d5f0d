//! The floor under every Latchkey request: a bare axum route answering what `/api/health`
//! answers, with none of our layers and no Leptos. `BENCHMARKS.md` compares `health` and `me`
//! with it:
//!
//! ```text
//! cargo run --release --features ssr --example axum_floor &
//! wrk -t1 -c64 -d5s http://127.0.0.1:3999/api/health
//! ```

use axum::routing::get;
use axum::Router;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let app = Router::new().route("/api/health", get(|| async { r#"{"status":"ok"}"# }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3999").await?;
    axum::serve(listener, app).await
}
