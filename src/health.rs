//! `GET /api/health`: the service answers (liveness for load balancers). Needs no session and
//! touches no database, so it is also the ceiling the benchmarks compare `me` against.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Answer of the health check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthStatus {
    pub status: String,
}

/// Always `{"status": "ok"}` while the process serves requests.
#[server(prefix = "/api", endpoint = "health", input = GetUrl)]
pub async fn health() -> Result<HealthStatus, AppError> {
    Ok(HealthStatus { status: "ok".into() })
}
