//! Silent refresh, in the browser: keep the access token fresh without the user noticing.
//!
//! [`refresh_once`] is single-flight: concurrent triggers in one tab share one request, and a
//! success is announced to the other tabs. [`protected`] wraps a call to a protected server
//! function: when it fails for lack of a valid access token it refreshes once and retries, and
//! when the session cannot be renewed it ends the tab's session (the page then shows the
//! sign-in form, saying why). On the server (during rendering) nothing here refreshes.

use std::future::Future;

use super::session::Session;
use crate::error::AppError;

/// What a refresh attempt achieved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshOutcome {
    /// A new access token, valid until this Unix time.
    Renewed(i64),
    /// The server refused: the session is over.
    Ended,
    /// The server could not be reached (offline, restarting): try again later, stay signed in.
    Unreachable,
}

impl RefreshOutcome {
    /// Classifies the answer of the `refresh` server function.
    pub fn from_result(result: Result<i64, AppError>) -> Self {
        match result {
            Ok(expires_at) => Self::Renewed(expires_at),
            Err(err) if err.is_auth_failure() => Self::Ended,
            Err(_) => Self::Unreachable,
        }
    }
}

/// Calls a protected server function; on an authentication failure, refreshes once and retries.
/// If the session cannot be renewed, `session` ends.
///
/// # Errors
/// The call's own error, or the authentication failure when the session could not be renewed.
pub async fn call_protected<T, F, Fut>(session: Option<Session>, call: F) -> Result<T, AppError>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    match call().await {
        Err(err) if err.is_auth_failure() && cfg!(feature = "hydrate") => match refresh_once().await {
            RefreshOutcome::Renewed(expires_at) => {
                if let Some(session) = session {
                    session.renewed(expires_at);
                }
                call().await
            }
            RefreshOutcome::Ended => {
                if let Some(session) = session {
                    session.ended();
                }
                Err(err)
            }
            RefreshOutcome::Unreachable => Err(AppError::Unavailable),
        },
        other => other,
    }
}

/// [`call_protected`] as a `Send` future, as Leptos resources and actions require, for the
/// session of the app it is called in. In the browser there is only one thread, so wrapping the
/// (thread-local) refresh machinery is sound.
pub fn protected<T, F, Fut>(call: F) -> impl Future<Output = Result<T, AppError>> + Send + 'static
where
    T: Send + 'static,
    F: Fn() -> Fut + Send + 'static,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
{
    let session = leptos::prelude::use_context::<Session>();
    #[cfg(feature = "hydrate")]
    {
        send_wrapper::SendWrapper::new(call_protected(session, call))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        call_protected(session, call)
    }
}

/// Refreshes the session, sharing any refresh already under way in this tab.
pub async fn refresh_once() -> RefreshOutcome {
    #[cfg(feature = "hydrate")]
    {
        single_flight::refresh().await
    }
    #[cfg(not(feature = "hydrate"))]
    {
        RefreshOutcome::Unreachable
    }
}

#[cfg(feature = "hydrate")]
mod single_flight {
    use std::cell::RefCell;

    use futures::future::{LocalBoxFuture, Shared};
    use futures::FutureExt;

    use super::RefreshOutcome;
    use crate::auth::api::refresh as renew_tokens;
    use crate::client::tabs::announce_refresh;

    type InFlight = Shared<LocalBoxFuture<'static, RefreshOutcome>>;

    thread_local! {
        static IN_FLIGHT: RefCell<Option<InFlight>> = const { RefCell::new(None) };
    }

    pub async fn refresh() -> RefreshOutcome {
        let flight = IN_FLIGHT.with(|slot| {
            slot.borrow_mut().get_or_insert_with(|| one_refresh().boxed_local().shared()).clone()
        });
        flight.await
    }

    async fn one_refresh() -> RefreshOutcome {
        let outcome = RefreshOutcome::from_result(renew_tokens().await.map(|r| r.access_expires_at));
        IN_FLIGHT.with(|slot| slot.borrow_mut().take());
        if let RefreshOutcome::Renewed(expires_at) = outcome {
            announce_refresh(expires_at);
        }
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::RefreshOutcome;
    use crate::error::AppError;

    #[test]
    fn only_an_auth_failure_ends_the_session() {
        assert_eq!(RefreshOutcome::from_result(Ok(5)), RefreshOutcome::Renewed(5));
        assert_eq!(RefreshOutcome::from_result(Err(AppError::SessionEnded)), RefreshOutcome::Ended);
        assert_eq!(RefreshOutcome::from_result(Err(AppError::Unavailable)), RefreshOutcome::Unreachable);
        assert_eq!(RefreshOutcome::from_result(Err(AppError::Internal)), RefreshOutcome::Unreachable);
    }
}
