//! Turning [`AppError`] into HTTP: database errors into wire errors, wire errors into responses,
//! and the step that gives server-function errors their real status (run after every call by
//! the server-function dispatch, `super::server_fns`).
//!
//! Leptos answers every server-function error with 500 (and never runs the function at all
//! when its arguments cannot be read). [`set_error_status`] reads the JSON error body of such
//! a response and applies [`AppError::status`], so the status is decided in one place.

use axum::body::{to_bytes, Body};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sea_orm::DbErr;

use crate::error::{AppError, ErrorBody};

/// Header that `server_fn` puts on its error responses.
const SERVER_FN_ERROR_HEADER: &str = "serverfnerror";
/// An error body is a few hundred bytes; anything larger is not ours.
const MAX_ERROR_BODY: usize = 16 * 1024;

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        if is_unavailable(&err) {
            tracing::error!(error = %err, "database unavailable");
            Self::Unavailable
        } else {
            tracing::error!(error = %err, "database error");
            Self::Internal
        }
    }
}

/// True when the error says the database cannot be reached right now (connection refused or
/// lost, pool exhausted, server shutting down), as opposed to a fault in a query.
pub fn is_unavailable(err: &DbErr) -> bool {
    use sea_orm::sqlx::Error as SqlxError;
    use sea_orm::RuntimeErr;
    let sqlx_error = match err {
        DbErr::ConnectionAcquire(_) => return true,
        DbErr::Conn(RuntimeErr::SqlxError(e)) | DbErr::Exec(RuntimeErr::SqlxError(e)) => e,
        DbErr::Query(RuntimeErr::SqlxError(e)) => e,
        DbErr::Conn(_) => return true,
        _ => return false,
    };
    match sqlx_error.as_ref() {
        SqlxError::Io(_) | SqlxError::Tls(_) | SqlxError::PoolTimedOut | SqlxError::PoolClosed => true,
        SqlxError::WorkerCrashed | SqlxError::Protocol(_) => true,
        // PostgreSQL: class 08 (connection exception), 57P01-57P03 (shutdown, cannot connect now).
        SqlxError::Database(db) => db.code().is_some_and(|c| c.starts_with("08") || c.starts_with("57P")),
        _ => false,
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&ErrorBody::from(self.clone())).unwrap_or_default();
        let mut response = Response::new(Body::from(body));
        apply_status(&mut response, &self);
        response
    }
}

/// Gives a server-function error response the status of its [`AppError`].
pub async fn set_error_status(response: Response) -> Response {
    if !response.headers().contains_key(SERVER_FN_ERROR_HEADER) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = to_bytes(body, MAX_ERROR_BODY).await.unwrap_or_default();
    let error = serde_json::from_slice::<AppError>(&bytes).unwrap_or_else(|e| {
        tracing::error!(error = %e, "server function error body is not an AppError");
        AppError::Internal
    });
    let mut response = Response::from_parts(parts, Body::from(bytes));
    apply_status(&mut response, &error);
    response
}

fn apply_status(response: &mut Response, error: &AppError) {
    *response.status_mut() =
        StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    match error {
        AppError::Throttled { retry_after } => {
            headers.insert(RETRY_AFTER, HeaderValue::from(*retry_after));
        }
        AppError::Unavailable => {
            headers.insert(RETRY_AFTER, HeaderValue::from_static("5"));
        }
        _ => {}
    }
}
