//! A software passkey authenticator written against the WebAuthn spec (level 3, §6.1 authenticator
//! data, §6.5 attestation "none", §7 the client's `clientDataJSON`), to drive the ceremonies as a
//! browser and a platform authenticator would: P-256 keys (ES256), discoverable credentials, user
//! verification, a signature counter. It speaks the JSON of `PublicKeyCredential.toJSON()`.

use std::collections::BTreeMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{DerSignature, SigningKey};
use rand_core::{OsRng, RngCore};
use serde_cbor_2::Value as Cbor;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const USER_PRESENT: u8 = 0x01;
const USER_VERIFIED: u8 = 0x04;
const ATTESTED_DATA: u8 = 0x40;

/// One credential the authenticator keeps.
#[derive(Clone)]
pub struct Credential {
    pub id: Vec<u8>,
    key: SigningKey,
    rp_id: String,
    pub user_handle: Vec<u8>,
    pub counter: u32,
}

/// The authenticator and the browser around it: `origin` is what the browser writes into
/// `clientDataJSON` (the page's origin).
#[derive(Clone)]
pub struct SoftAuthenticator {
    pub origin: String,
    /// Whether it verifies the user (a PIN, a fingerprint): the `UV` flag.
    pub verifies_user: bool,
    pub credentials: Vec<Credential>,
}

impl SoftAuthenticator {
    /// An authenticator in a browser on the page at `origin`.
    pub fn at(origin: &str) -> Self {
        Self { origin: origin.to_owned(), verifies_user: true, credentials: Vec::new() }
    }

    /// `navigator.credentials.create` with the server's creation options (`{"publicKey": …}`):
    /// a new credential, as `toJSON()` gives it. `None` when an excluded credential is here.
    pub fn create(&mut self, options: &Value) -> Option<Value> {
        let options = &options["publicKey"];
        let rp_id = options["rp"]["id"].as_str().expect("rp.id").to_owned();
        let excluded = options["excludeCredentials"].as_array().cloned().unwrap_or_default();
        let holds = |c: &Credential| excluded.iter().any(|e| e["id"].as_str() == Some(&b64(&c.id)));
        if self.credentials.iter().any(holds) {
            return None;
        }
        let user_handle = unb64(options["user"]["id"].as_str().expect("user.id"));
        let mut id = vec![0u8; 16];
        OsRng.fill_bytes(&mut id);
        let key = SigningKey::random(&mut OsRng);
        let point = key.verifying_key().to_encoded_point(false);
        let cose_key = Cbor::Map(BTreeMap::from([
            (Cbor::Integer(1), Cbor::Integer(2)),  // kty: EC2
            (Cbor::Integer(3), Cbor::Integer(-7)), // alg: ES256
            (Cbor::Integer(-1), Cbor::Integer(1)), // crv: P-256
            (Cbor::Integer(-2), Cbor::Bytes(point.x().expect("x").to_vec())),
            (Cbor::Integer(-3), Cbor::Bytes(point.y().expect("y").to_vec())),
        ]));
        let mut auth_data = self.flags_and_counter(&rp_id, ATTESTED_DATA, 0);
        auth_data.extend_from_slice(&[0u8; 16]); // AAGUID: none
        auth_data.extend_from_slice(&u16::try_from(id.len()).expect("short id").to_be_bytes());
        auth_data.extend_from_slice(&id);
        auth_data.extend(serde_cbor_2::to_vec(&cose_key).expect("cbor"));
        let attestation = Cbor::Map(BTreeMap::from([
            (Cbor::Text("fmt".into()), Cbor::Text("none".into())),
            (Cbor::Text("attStmt".into()), Cbor::Map(BTreeMap::new())),
            (Cbor::Text("authData".into()), Cbor::Bytes(auth_data)),
        ]));
        let client_data = self.client_data("webauthn.create", &options["challenge"]);
        self.credentials.push(Credential { id: id.clone(), key, rp_id, user_handle, counter: 0 });
        Some(json!({
            "id": b64(&id),
            "rawId": b64(&id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64(client_data.as_bytes()),
                "attestationObject": b64(&serde_cbor_2::to_vec(&attestation).expect("cbor")),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
        }))
    }

    /// `navigator.credentials.get` with the server's request options: an assertion by the
    /// first credential of the options' RP (the newest when there are several), its counter
    /// moved on. `None` when there is none.
    pub fn get(&mut self, options: &Value) -> Option<Value> {
        let options = &options["publicKey"];
        let rp_id = options["rpId"].as_str().expect("rpId").to_owned();
        let challenge = options["challenge"].clone();
        let client_data = self.client_data("webauthn.get", &challenge);
        let flags = 0;
        let index = self.credentials.iter().rposition(|c| c.rp_id == rp_id)?;
        self.credentials[index].counter += 1;
        let counter = self.credentials[index].counter;
        let auth_data = self.flags_and_counter(&rp_id, flags, counter);
        let credential = &self.credentials[index];
        let mut signed = auth_data.clone();
        signed.extend_from_slice(&Sha256::digest(client_data.as_bytes()));
        let signature: DerSignature = credential.key.sign(&signed);
        Some(json!({
            "id": b64(&credential.id),
            "rawId": b64(&credential.id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64(client_data.as_bytes()),
                "authenticatorData": b64(&auth_data),
                "signature": b64(signature.as_bytes()),
                "userHandle": b64(&credential.user_handle),
            },
            "clientExtensionResults": {},
        }))
    }

    fn flags_and_counter(&self, rp_id: &str, extra_flags: u8, counter: u32) -> Vec<u8> {
        let mut flags = USER_PRESENT | extra_flags;
        if self.verifies_user {
            flags |= USER_VERIFIED;
        }
        let mut data = Sha256::digest(rp_id.as_bytes()).to_vec();
        data.push(flags);
        data.extend_from_slice(&counter.to_be_bytes());
        data
    }

    fn client_data(&self, kind: &str, challenge: &Value) -> String {
        json!({ "type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": false })
            .to_string()
    }
}

pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn unb64(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).expect("base64url")
}
