//! Wire types of the auth API: what server functions return, shared by server and browser.

use serde::{Deserialize, Serialize};

/// The signed-in user as the client sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    pub id: i64,
    pub email: String,
    /// The user proved they read mail at `email` (a verification link, or a reset).
    #[serde(default)]
    pub email_verified: bool,
    /// The second factors the account has (`"totp"`), strongest first.
    #[serde(default)]
    pub second_factors: Vec<String>,
}

/// Answer of `register`, `login` and `me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthStatus {
    pub user: UserView,
    /// Unix seconds at which the current access token expires.
    pub access_expires_at: i64,
}

/// Answer of `refresh`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshStatus {
    pub access_expires_at: i64,
}

/// One row of the `sessions` listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub id: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub last_used_at: String,
    pub user_agent: String,
    pub ip: String,
    pub current: bool,
}

/// One entry of the user's recent account activity (the audit log).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityView {
    /// RFC 3339.
    pub at: String,
    /// The event: `login_success`, `login_failure`, `refresh`, `logout`, …
    pub kind: String,
    pub ip: String,
    pub user_agent: String,
}

impl ActivityView {
    /// The event in words.
    pub fn describe(&self) -> &'static str {
        match self.kind.as_str() {
            "register" => "Account created",
            "login_success" => "Signed in",
            "login_failure" => "Failed sign-in attempt",
            "throttled" => "Sign-in attempts paused after repeated failures",
            "reuse_detected" => "Stolen token detected: session ended",
            "logout" => "Signed out",
            "logout_all" => "Signed out everywhere",
            "revoke" => "Device signed out",
            "logout_others" => "Other devices signed out",
            "reauthenticated" => "Password confirmed",
            "reauth_failure" => "Wrong password entered to confirm",
            "login_disabled" => "Sign-in refused: the account is disabled",
            "password_changed" => "Password changed: other devices signed out",
            "disabled" => "Account disabled by an administrator",
            "enabled" => "Account enabled again by an administrator",
            "password_reset_requested" => "Password reset link sent by mail",
            "password_reset" => "Password reset by mail: every device signed out",
            "verification_requested" => "Verification link sent by mail",
            "email_verified" => "Email address verified",
            "email_change_requested" => "Email change requested: confirmation sent to the new address",
            "email_changed" => "Email address changed",
            "sign_in_reported" => "Sign-in reported as not you: that device signed out",
            "totp_enabled" => "Two-step sign-in turned on",
            "totp_disabled" => "Two-step sign-in turned off",
            "recovery_codes_regenerated" => "New recovery codes made: the old ones stopped working",
            "recovery_code_used" => "A recovery code was used",
            "second_factor_failure" => "Wrong two-step code entered",
            "passkey_registered" => "Passkey added",
            "passkey_removed" => "Passkey removed",
            "passkey_used" => "Passkey used to sign in or confirm it is you",
            "passkey_failure" => "A passkey sign-in was refused",
            _ => "Account event",
        }
    }
}

/// The answer to `reauthenticate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReauthStatus {
    /// Unix seconds until which sensitive actions need no password again.
    pub reauthenticated_until: i64,
}

/// The answer to `report_sign_in`: the session the notice was about has ended (`false` when it
/// had ended already). The user should change their password next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportedSignIn {
    pub session_ended: bool,
    /// Always `true`: whoever signed in knows the password.
    #[serde(default = "always")]
    pub password_change_required: bool,
}

fn always() -> bool {
    true
}

/// The answer to `totp/setup`: what an authenticator app needs (not active until `totp/enable`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpEnrolment {
    /// Base32, to type in.
    pub secret: String,
    pub otpauth_uri: String,
    /// The URI's QR code, an SVG image drawn on the server.
    pub qr_svg: String,
}

/// Recovery codes, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryCodes {
    pub recovery_codes: Vec<String>,
}

/// The answer to `login`: signed in, or a correct password that needs its second factor
/// (then only the pending cookie was set). On the wire, the one object or the other (serde's
/// `untagged`, written out: the derived one buffers the input in a generic tree first, and that
/// machinery would be compiled into the WASM for this one answer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum LoginAnswer {
    SignedIn(AuthStatus),
    SecondFactor(SecondFactorRequired),
}

impl<'de> Deserialize<'de> for LoginAnswer {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// The fields of both answers, each optional.
        #[derive(Deserialize)]
        struct EitherAnswer {
            user: Option<UserView>,
            access_expires_at: Option<i64>,
            #[serde(default)]
            second_factor_required: bool,
            #[serde(default)]
            methods: Vec<String>,
        }
        let answer = EitherAnswer::deserialize(deserializer)?;
        match (answer.user, answer.access_expires_at) {
            (Some(user), Some(access_expires_at)) => {
                Ok(Self::SignedIn(AuthStatus { user, access_expires_at }))
            }
            _ if answer.second_factor_required => Ok(Self::SecondFactor(SecondFactorRequired {
                second_factor_required: true,
                methods: answer.methods,
            })),
            _ => Err(serde::de::Error::custom("neither a session nor a second step")),
        }
    }
}

/// A correct password of an account with a second factor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactorRequired {
    pub second_factor_required: bool,
    /// `"totp"`.
    pub methods: Vec<String>,
}

/// WebAuthn options for the browser, as webauthn-rs writes them: `{"publicKey": {…}}`, the
/// JSON form `PublicKeyCredential.parseCreationOptionsFromJSON` and
/// `parseRequestOptionsFromJSON` read. Kept as raw JSON: the browser parses it, so no JSON
/// tree type is compiled into the WASM.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WebAuthnOptions(pub Box<serde_json::value::RawValue>);

/// One of the account's passkeys, as `passkeys` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyView {
    pub id: i64,
    pub name: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339; none before its first sign-in.
    pub last_used_at: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_login_answer_reads_back_as_either_answer_and_nothing_else() {
        let user =
            UserView { id: 7, email: "ada@example.com".into(), email_verified: true, second_factors: vec![] };
        let signed_in = LoginAnswer::SignedIn(AuthStatus { user, access_expires_at: 1_800_000_000 });
        let second = LoginAnswer::SecondFactor(SecondFactorRequired {
            second_factor_required: true,
            methods: vec!["totp".into()],
        });
        for answer in [signed_in, second] {
            let json = serde_json::to_string(&answer).expect("json");
            assert_eq!(serde_json::from_str::<LoginAnswer>(&json).expect("reads back"), answer, "{json}");
        }
        for odd in ["{}", r#"{"second_factor_required":false}"#, r#"{"access_expires_at":1}"#, "[]"] {
            assert!(serde_json::from_str::<LoginAnswer>(odd).is_err(), "{odd}");
        }
    }
}
