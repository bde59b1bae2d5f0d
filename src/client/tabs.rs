//! Tabs of one browser tell each other about auth events over a `BroadcastChannel`, so a
//! refresh in one tab reschedules the others (no stampede) and a sign-in or logout in one tab
//! shows in all of them within a moment. Messages carry no token or personal data.

/// What one tab tells the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TabMessage {
    /// The session was refreshed; the new access token expires at this Unix time.
    Refreshed(i64),
    SignedIn,
    SignedOut,
}

impl TabMessage {
    pub fn encode(self) -> String {
        match self {
            Self::Refreshed(expires_at) => format!("refreshed:{expires_at}"),
            Self::SignedIn => "signed-in".into(),
            Self::SignedOut => "signed-out".into(),
        }
    }

    pub fn decode(raw: &str) -> Option<Self> {
        match raw {
            "signed-in" => Some(Self::SignedIn),
            "signed-out" => Some(Self::SignedOut),
            _ => raw.strip_prefix("refreshed:")?.parse().ok().map(Self::Refreshed),
        }
    }
}

/// Tells the other tabs that this one refreshed the session.
pub fn announce_refresh(expires_at: i64) {
    post(TabMessage::Refreshed(expires_at));
}

/// Tells the other tabs that a user signed in here.
pub fn announce_sign_in() {
    post(TabMessage::SignedIn);
}

/// Tells the other tabs that this tab logged out.
pub fn announce_sign_out() {
    post(TabMessage::SignedOut);
}

#[cfg(feature = "hydrate")]
mod channel {
    use std::cell::OnceCell;

    use wasm_bindgen::prelude::Closure;
    use wasm_bindgen::JsCast;
    use web_sys::BroadcastChannel;

    use super::TabMessage;

    const NAME: &str = "latchkey-auth";

    thread_local! {
        // One channel object per page, for sending and listening: a page never hears itself.
        static CHANNEL: OnceCell<Option<BroadcastChannel>> = const { OnceCell::new() };
    }

    fn with_channel(f: impl FnOnce(&BroadcastChannel)) {
        CHANNEL.with(|cell| {
            if let Some(channel) = cell.get_or_init(|| BroadcastChannel::new(NAME).ok()) {
                f(channel);
            }
        });
    }

    pub fn post(message: TabMessage) {
        with_channel(|channel| {
            let _ = channel.post_message(&wasm_bindgen::JsValue::from_str(&message.encode()));
        });
    }

    /// Calls `handle` for every message another tab sends (lives as long as the page).
    pub fn listen(handle: impl Fn(TabMessage) + 'static) {
        let on_message =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                if let Some(message) = event.data().as_string().as_deref().and_then(TabMessage::decode) {
                    handle(message);
                }
            });
        with_channel(|channel| channel.set_onmessage(Some(on_message.as_ref().unchecked_ref())));
        on_message.forget();
    }
}

#[cfg(feature = "hydrate")]
pub use channel::listen;
#[cfg(feature = "hydrate")]
use channel::post;

#[cfg(not(feature = "hydrate"))]
fn post(_message: TabMessage) {}

#[cfg(test)]
mod tests {
    use super::TabMessage;

    #[test]
    fn messages_round_trip_and_junk_is_ignored() {
        for m in [TabMessage::Refreshed(1_800_000_000), TabMessage::SignedIn, TabMessage::SignedOut] {
            assert_eq!(TabMessage::decode(&m.encode()), Some(m));
        }
        for junk in ["", "refreshed:", "refreshed:abc", "hello"] {
            assert_eq!(TabMessage::decode(junk), None);
        }
    }
}
