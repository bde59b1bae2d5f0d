//! `/`: what Latchkey is.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="Home"/>
        <section class="hero">
            <h1>"Sessions you can trust."</h1>
            <p class="lead">
                "Latchkey signs you in with a short-lived access token and a rotating refresh token, "
                "both kept in HttpOnly cookies where scripts cannot reach them. Sign out here and your "
                "session ends everywhere at once."
            </p>
            <div class="actions">
                <A href="/register" attr:class="button primary">"Create an account"</A>
                <A href="/login" attr:class="button secondary">"Sign in"</A>
            </div>
        </section>
        <section class="features">
            <article>
                <h2>"Argon2id passwords"</h2>
                <p>"Hashed with OWASP's parameters; unknown emails take just as long as wrong passwords."</p>
            </article>
            <article>
                <h2>"Rotating refresh tokens"</h2>
                <p>"Every refresh issues a new token. A stolen, replayed one ends the whole session."</p>
            </article>
            <article>
                <h2>"Instant logout"</h2>
                <p>"Logging out revokes the session on the server; its access token stops working at once."</p>
            </article>
        </section>
    }
}
