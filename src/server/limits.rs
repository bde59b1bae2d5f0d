//! Request body limit: anything over 64 KiB is refused with 413 before a handler reads it.
//!
//! The body is read here, once, so the limit also holds for bodies without `Content-Length`.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::header::CONTENT_LENGTH;
use axum::http::Method;

use crate::error::AppError;

/// The contract's body limit.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The request with its body read into memory, or 413 for a body over [`MAX_BODY_BYTES`].
pub async fn limit_body_size(request: Request) -> Result<Request, AppError> {
    if matches!(*request.method(), Method::GET | Method::HEAD) {
        return Ok(request);
    }
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > MAX_BODY_BYTES as u64) {
        return Err(AppError::PayloadTooLarge);
    }
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, MAX_BODY_BYTES).await.map_err(|_| AppError::PayloadTooLarge)?;
    Ok(Request::from_parts(parts, Body::from(bytes)))
}
