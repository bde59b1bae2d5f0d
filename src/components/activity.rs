//! The user's recent account activity, as listed on the devices page.

use leptos::prelude::*;

use crate::auth::wire::ActivityView;
use crate::error::AppError;

/// Recent sign-ins, failures, logouts and revocations, from `activity` (which the page refetches
/// after it changes something).
#[component]
pub fn RecentActivity(activity: Resource<Result<Vec<ActivityView>, AppError>>) -> impl IntoView {
    view! {
        <section class="card">
            <h2>"Recent activity"</h2>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match activity.await {
                        Ok(events) if events.is_empty() => view! { <p class="muted">"Nothing yet."</p> }.into_any(),
                        Ok(events) => view! {
                            <ul class="activity" data-testid="activity">
                                {events.into_iter().map(|e| view! {
                                    <li data-kind=e.kind.clone()>
                                        <strong>{e.describe()}</strong>
                                        <span class="muted">{format!(" · {} · {}", e.at, e.ip)}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
