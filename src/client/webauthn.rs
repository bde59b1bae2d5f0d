//! The browser's WebAuthn API, for passkeys: the server's JSON options go through
//! `PublicKeyCredential.parseCreationOptionsFromJSON` / `parseRequestOptionsFromJSON` into
//! `navigator.credentials.create` / `get`, and the credential comes back as the JSON of its
//! `toJSON()`, which the server functions take as `credential`. No WebAuthn types are compiled
//! into the WASM: the browser converts both ways.

use crate::auth::wire::WebAuthnOptions;
use crate::error::AppError;

/// Creates a passkey with the authenticator for the server's creation `options`; answers the
/// new credential's JSON.
///
/// # Errors
/// [`AppError::InvalidInput`] when the browser has no passkeys, the user cancelled, or the
/// authenticator holds a passkey for this account already.
pub async fn create_passkey(options: WebAuthnOptions) -> Result<String, AppError> {
    ceremony("create", "parseCreationOptionsFromJSON", options).await
}

/// Asks the authenticator to sign in with a passkey for the server's request `options`;
/// answers the assertion's JSON.
///
/// # Errors
/// [`AppError::InvalidInput`] when the browser has no passkeys or the user cancelled.
pub async fn use_passkey(options: WebAuthnOptions) -> Result<String, AppError> {
    ceremony("get", "parseRequestOptionsFromJSON", options).await
}

#[cfg(feature = "hydrate")]
async fn ceremony(method: &str, parse: &str, options: WebAuthnOptions) -> Result<String, AppError> {
    use js_sys::{Function, Object, Promise, Reflect, JSON};
    use wasm_bindgen::{JsCast, JsValue};

    let refused = |error: JsValue| AppError::InvalidInput(words_for(&error));
    let unsupported = || AppError::InvalidInput("This browser cannot use passkeys.".into());
    let get = |target: &JsValue, name: &str| Reflect::get(target, &JsValue::from_str(name)).map_err(refused);
    let window: JsValue = web_sys::window().ok_or_else(unsupported)?.into();
    let class = get(&window, "PublicKeyCredential")?;
    let parse: Function = get(&class, parse)?.dyn_into().map_err(|_| unsupported())?;
    let options = JSON::parse(options.0.get()).map_err(refused)?;
    let public_key = parse.call1(&class, &get(&options, "publicKey")?).map_err(refused)?;
    let request = Object::new();
    Reflect::set(&request, &JsValue::from_str("publicKey"), &public_key).map_err(refused)?;
    let credentials = get(&get(&window, "navigator")?, "credentials")?;
    let call: Function = get(&credentials, method)?.dyn_into().map_err(|_| unsupported())?;
    let promise: Promise =
        call.call1(&credentials, &request).map_err(refused)?.dyn_into().map_err(refused)?;
    let credential = wasm_bindgen_futures::JsFuture::from(promise).await.map_err(refused)?;
    let to_json: Function = get(&credential, "toJSON")?.dyn_into().map_err(|_| unsupported())?;
    let answer = to_json.call0(&credential).map_err(refused)?;
    JSON::stringify(&answer).map(String::from).map_err(refused)
}

/// What to tell the user of a WebAuthn failure (a `DOMException` by its name).
#[cfg(feature = "hydrate")]
fn words_for(error: &wasm_bindgen::JsValue) -> String {
    let name = js_sys::Reflect::get(error, &"name".into()).ok().and_then(|n| n.as_string());
    match name.as_deref() {
        Some("NotAllowedError" | "AbortError") => "The passkey request was cancelled or timed out.".into(),
        Some("InvalidStateError") => "This device already has a passkey for your account.".into(),
        Some("SecurityError") => "Passkeys work only on this site's own address.".into(),
        _ => "The passkey could not be used here.".into(),
    }
}

#[cfg(not(feature = "hydrate"))]
async fn ceremony(_method: &str, _parse: &str, _options: WebAuthnOptions) -> Result<String, AppError> {
    Err(AppError::InvalidInput("Passkeys need the browser.".into()))
}
