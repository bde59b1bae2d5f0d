//! `/notes`: the worked example of a protected page (README, "Add a protected page and server
//! function"). The list is a resource, the forms plain HTML forms that dispatch `Action`s once
//! the WASM has loaded; every call goes through the silent refresh (`protected`), and a change
//! refetches the list with no page load.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use crate::client::refresh::protected;
use crate::components::protected::Protected;
use crate::notes::{add_note, delete_note, list_notes, AddNote, DeleteNote, Note};

#[component]
pub fn NotesPage() -> impl IntoView {
    view! {
        <Title text="Notes"/>
        <Protected>
            <Notes/>
        </Protected>
    }
}

#[component]
fn Notes() -> impl IntoView {
    let notes = Resource::new(|| (), |_| protected(list_notes));
    let add = Action::new(move |body: &String| {
        let body = body.clone();
        protected(move || add_note(body.clone()))
    });
    let draft = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(_)) = add.value().get() {
            draft.set(String::new());
            notes.refetch();
        }
    });
    let error = move || add.value().get().and_then(Result::err).map(|e| e.to_string());
    view! {
        <section class="card">
            <h1>"Notes"</h1>
            <form class="form" method="post" action={<AddNote as ServerFn>::PATH} data-testid="note-form"
                on:submit=move |ev| {
                    ev.prevent_default();
                    add.dispatch(draft.get_untracked());
                }>
                <label for="body">"New note"</label>
                <textarea id="body" name="body" rows="2" maxlength="500" required
                    prop:value=move || draft.get() on:input=move |ev| draft.set(event_target_value(&ev))></textarea>
                {move || error().map(|m| view! { <p class="error" role="alert" data-testid="note-error">{m}</p> })}
                <button type="submit" class="button primary" disabled=move || add.pending().get()>"Add note"</button>
            </form>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match notes.await {
                        Ok(list) if list.is_empty() => view! { <p class="muted">"No notes yet."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="notes" data-testid="notes">
                                {list.into_iter().map(|note| view! { <NoteItem note refetch=move || notes.refetch()/> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn NoteItem(note: Note, refetch: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let delete = Action::new(move |id: &i64| {
        let id = *id;
        protected(move || delete_note(id))
    });
    Effect::new(move |_| {
        if delete.value().get().is_some() {
            refetch();
        }
    });
    let id = note.id;
    view! {
        <li data-testid="note">
            <span>{note.body}</span>
            <span class="muted">{format!(" · {}", note.created_at)}</span>
            <form method="post" action={<DeleteNote as ServerFn>::PATH} on:submit=move |ev| {
                ev.prevent_default();
                delete.dispatch(id);
            }>
                <input type="hidden" name="id" value=id/>
                <button class="button secondary" data-testid="delete-note">"Delete"</button>
            </form>
        </li>
    }
}
