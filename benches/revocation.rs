//! What the revocation check costs a protected request.
//!
//! `cargo bench --features ssr --bench revocation` prints, per request: JWT verification alone,
//! of a token seen for the first time (HMAC and claims decoded) and of one seen before (taken
//! from the key ring's cache of verified tokens); verification plus the in-process
//! revoked-session lookup (with 10,000 revoked sessions in the set); and verification plus the
//! per-request database read it replaces (SQLite, in memory).

// A benchmark reports by printing.
#![allow(clippy::print_stdout)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use latchkey::auth::clock::now;
use latchkey::auth::revocations::Revocations;
use latchkey::auth::tokens::{AccessClaims, KeyRing, SigningKey};
use latchkey::db::connect_and_migrate;
use latchkey::db::sessions::find_session;
use latchkey::server::config::Config;

const ROUNDS: u32 = 200_000;
const DB_ROUNDS: u32 = 20_000;
const REVOKED: usize = 10_000;

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let ring = KeyRing::new(&SigningKey::generate(), &[]);
    let claims = AccessClaims {
        sub: "1".into(),
        sid: "live-session".into(),
        email: "ada@example.com".into(),
        aud: latchkey::auth::tokens::AUDIENCE.into(),
        iat: now(),
        exp: now() + 300,
        jti: "j".into(),
    };
    let token = ring.sign(&claims).expect("sign");
    let revocations = Revocations::default();
    for i in 0..REVOKED {
        revocations.insert(&format!("revoked-{i}"), now() + 300);
    }

    // Distinct tokens, each verified once: every check misses the cache (and fills it).
    let fresh: Vec<String> = (0..DB_ROUNDS)
        .map(|i| ring.sign(&AccessClaims { jti: format!("j{i}"), ..claims.clone() }).expect("sign"))
        .collect();
    let start = Instant::now();
    for token in &fresh {
        black_box(ring.verify(black_box(token), now()).is_ok());
    }
    let first_sight = start.elapsed() / DB_ROUNDS;
    let verify_only = per_op(ROUNDS, || {
        black_box(ring.verify(black_box(&token), now()).is_ok());
    });
    let with_set = per_op(ROUNDS, || {
        let claims = ring.verify(black_box(&token), now()).expect("valid");
        black_box(revocations.is_revoked(&claims.sid));
    });
    let with_db = runtime.block_on(async {
        let config =
            Config::from_lookup(|name| (name == "DATABASE_URL").then(|| "sqlite::memory:".to_owned()))
                .expect("config");
        let db = connect_and_migrate(&config).await.expect("database");
        let start = Instant::now();
        for _ in 0..DB_ROUNDS {
            let claims = ring.verify(black_box(&token), now()).expect("valid");
            black_box(find_session(&db, &claims.sid).await.expect("query"));
        }
        start.elapsed() / DB_ROUNDS
    });

    println!("protected-request auth check, per request ({ROUNDS} rounds; DB {DB_ROUNDS} rounds)");
    println!("  JWT verify only, first sight of a token  {:>9.0} ns", nanos(first_sight));
    println!("  JWT verify only, token seen before       {:>9.0} ns", nanos(verify_only));
    println!("  JWT verify + in-process revocation set   {:>9.0} ns", nanos(with_set));
    println!("  JWT verify + SQLite session lookup       {:>9.0} ns", nanos(with_db));
    println!(
        "  revocation check cost: set +{:.0} ns, database +{:.0} ns",
        nanos(with_set) - nanos(verify_only),
        nanos(with_db) - nanos(verify_only)
    );
}

fn per_op(rounds: u32, mut op: impl FnMut()) -> Duration {
    for _ in 0..rounds / 10 {
        op();
    }
    let start = Instant::now();
    for _ in 0..rounds {
        op();
    }
    start.elapsed() / rounds
}

fn nanos(d: Duration) -> f64 {
    d.as_secs_f64() * 1e9
}
