//! `AppError`: the one error every server function returns and every client sees.
//!
//! On the wire it is JSON, `{"error": "<code>", "message": "<text>"}` (plus `retry_after` when
//! throttled). Its HTTP status is decided in exactly one place: [`AppError::status`]. Internal
//! causes are logged where they happen and never sent to the client.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// Every failure a client of Latchkey can observe.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(into = "ErrorBody", try_from = "ErrorBody")]
pub enum AppError {
    #[error("{0}")]
    InvalidInput(String),
    #[error("Incorrect email or password.")]
    InvalidCredentials,
    #[error("You are not signed in.")]
    Unauthenticated,
    /// The access token expired; a refresh (with the refresh cookie) may renew it.
    #[error("Your access token has expired.")]
    AccessExpired,
    #[error("Your session has ended. Please sign in again.")]
    SessionEnded,
    /// A mailed link's token that is malformed, unknown, used or expired.
    #[error("This link is invalid, already used or expired. Ask for a new one.")]
    InvalidToken,
    /// A second-factor code (TOTP or recovery) that is wrong, or was used already.
    #[error("This code is not right, or was used already.")]
    InvalidCode,
    /// The account has a second factor: this needs its code too.
    #[error("Enter the code from your authenticator app (or a recovery code).")]
    SecondFactorRequired,
    /// A passkey sign-in that did not verify: unknown or removed passkey, a ceremony that was
    /// used, expired or never started, or an assertion that does not check out.
    #[error("This passkey was not accepted. Try again, or sign in with your password.")]
    InvalidPasskey,
    /// Something that exists already (TOTP enabled twice).
    #[error("{0}")]
    Conflict(String),
    #[error("This request was refused: it did not come from this site.")]
    Forbidden,
    /// A sensitive action needs a recent proof of identity (sudo): re-authenticate, then retry.
    #[error("Please confirm it is you: enter your password again.")]
    ReauthenticationRequired,
    #[error("{0}")]
    NotFound(String),
    #[error("An account with this email already exists.")]
    EmailTaken,
    #[error("The request body is too large.")]
    PayloadTooLarge,
    #[error("Too many attempts. Try again in {retry_after} seconds.")]
    Throttled { retry_after: u64 },
    #[error("The service is temporarily unavailable. Please try again shortly.")]
    Unavailable,
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
}

impl AppError {
    /// The HTTP status of this error: the one place where errors meet status codes.
    pub fn status(&self) -> u16 {
        match self {
            Self::InvalidInput(_) => 400,
            Self::InvalidCredentials
            | Self::Unauthenticated
            | Self::AccessExpired
            | Self::SessionEnded
            | Self::InvalidToken
            | Self::InvalidCode
            | Self::SecondFactorRequired
            | Self::InvalidPasskey => 401,
            Self::Forbidden | Self::ReauthenticationRequired => 403,
            Self::NotFound(_) => 404,
            Self::EmailTaken | Self::Conflict(_) => 409,
            Self::PayloadTooLarge => 413,
            Self::Throttled { .. } => 429,
            Self::Internal => 500,
            Self::Unavailable => 503,
        }
    }

    /// The stable machine-readable code sent as `error`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidInput(_) => "invalid_input",
            Self::InvalidCredentials => "invalid_credentials",
            Self::Unauthenticated => "unauthenticated",
            Self::AccessExpired => "access_expired",
            Self::SessionEnded => "session_ended",
            Self::InvalidToken => "invalid_token",
            Self::InvalidCode => "invalid_code",
            Self::SecondFactorRequired => "second_factor_required",
            Self::InvalidPasskey => "invalid_passkey",
            Self::Conflict(_) => "conflict",
            Self::Forbidden => "forbidden",
            Self::ReauthenticationRequired => "reauthentication_required",
            Self::NotFound(_) => "not_found",
            Self::EmailTaken => "email_taken",
            Self::PayloadTooLarge => "payload_too_large",
            Self::Throttled { .. } => "throttled",
            Self::Unavailable => "unavailable",
            Self::Internal => "internal",
        }
    }

    /// True when the caller is not (or no longer) signed in: the client then tries one refresh.
    pub fn is_auth_failure(&self) -> bool {
        matches!(self, Self::Unauthenticated | Self::AccessExpired | Self::SessionEnded)
    }
}

/// The JSON shape of an error on the wire.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl From<AppError> for ErrorBody {
    fn from(err: AppError) -> Self {
        let retry_after = match err {
            AppError::Throttled { retry_after } => Some(retry_after),
            _ => None,
        };
        Self { error: err.code().to_owned(), message: err.to_string(), retry_after }
    }
}

impl TryFrom<ErrorBody> for AppError {
    type Error = String;

    fn try_from(body: ErrorBody) -> Result<Self, Self::Error> {
        Ok(match body.error.as_str() {
            "invalid_input" => Self::InvalidInput(body.message),
            "invalid_credentials" => Self::InvalidCredentials,
            "unauthenticated" => Self::Unauthenticated,
            "access_expired" => Self::AccessExpired,
            "session_ended" => Self::SessionEnded,
            "invalid_token" => Self::InvalidToken,
            "invalid_code" => Self::InvalidCode,
            "second_factor_required" => Self::SecondFactorRequired,
            "invalid_passkey" => Self::InvalidPasskey,
            "conflict" => Self::Conflict(body.message),
            "forbidden" => Self::Forbidden,
            "reauthentication_required" => Self::ReauthenticationRequired,
            "not_found" => Self::NotFound(body.message),
            "email_taken" => Self::EmailTaken,
            "payload_too_large" => Self::PayloadTooLarge,
            "throttled" => Self::Throttled { retry_after: body.retry_after.unwrap_or(1) },
            "unavailable" => Self::Unavailable,
            "internal" => Self::Internal,
            other => return Err(format!("unknown error code {other:?}")),
        })
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The body limit cut the request short while its fields were read.
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::Deserialization(msg)
                if msg.contains("length limit exceeded") =>
            {
                Self::PayloadTooLarge
            }
            // The request's fields could not be read: a client mistake, never a 500.
            ServerFnErrorErr::Args(msg)
            | ServerFnErrorErr::MissingArg(msg)
            | ServerFnErrorErr::Deserialization(msg) => {
                Self::InvalidInput(format!("The request could not be read: {msg}"))
            }
            // Only the browser sees this: the server could not be reached.
            ServerFnErrorErr::Request(_) => Self::Unavailable,
            _ => Self::Internal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_survives_a_round_trip_through_json() {
        let all = [
            AppError::InvalidInput("bad email".into()),
            AppError::InvalidCredentials,
            AppError::Unauthenticated,
            AppError::AccessExpired,
            AppError::SessionEnded,
            AppError::InvalidToken,
            AppError::InvalidCode,
            AppError::SecondFactorRequired,
            AppError::InvalidPasskey,
            AppError::Conflict("TOTP is on already".into()),
            AppError::Forbidden,
            AppError::ReauthenticationRequired,
            AppError::NotFound("no such session".into()),
            AppError::EmailTaken,
            AppError::PayloadTooLarge,
            AppError::Throttled { retry_after: 42 },
            AppError::Unavailable,
            AppError::Internal,
        ];
        for err in all {
            let json = serde_json::to_string(&err).expect("serialize");
            let back: AppError = serde_json::from_str(&json).expect("deserialize");
            assert_eq!(back, err, "{json}");
        }
    }

    #[test]
    fn throttled_errors_carry_retry_after_on_the_wire() {
        let json = serde_json::to_value(AppError::Throttled { retry_after: 7 }).expect("json");
        assert_eq!(json["error"], "throttled");
        assert_eq!(json["retry_after"], 7);
        assert_eq!(AppError::Throttled { retry_after: 7 }.status(), 429);
    }

    #[test]
    fn argument_errors_from_the_framework_are_client_errors() {
        let err = AppError::from_server_fn_error(ServerFnErrorErr::Args("missing field".into()));
        assert_eq!(err.status(), 400);
        let cut = ServerFnErrorErr::Deserialization("length limit exceeded".into());
        assert_eq!(AppError::from_server_fn_error(cut), AppError::PayloadTooLarge);
    }
}
