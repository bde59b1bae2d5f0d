//! A mailed link's token travels in the URL's fragment, which a browser never sends to a server
//! (nor in a `Referer`): the page reads it once hydrated, drops it from the address bar (and so
//! from the history, back button included), and posts it. Opening the link, as a mail scanner
//! does, uses nothing up.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

/// Once the page at `path` runs in the browser, hands the fragment's token (if any) to `found`
/// and replaces the address with `path` alone.
pub fn take_fragment_token(path: &'static str, found: impl Fn(String) + 'static) {
    let location = use_location();
    let navigate = use_navigate();
    Effect::new(move |_| {
        let hash = location.hash.get_untracked();
        let token = hash.trim_start_matches('#');
        if !token.is_empty() {
            found(token.to_owned());
            navigate(path, NavigateOptions { replace: true, ..Default::default() });
        }
    });
}
