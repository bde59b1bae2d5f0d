//! What the access-token check costs a protected request.
//!
//! `cargo bench --features ssr --bench revocation` prints, per request: JWT verification alone
//! (`jsonwebtoken::decode` with our pinned validation); verification plus the in-process
//! revoked-session lookup (with 10,000 revoked sessions in the set); and verification plus the
//! per-request database read it replaces (SQLite, in memory).

// A benchmark reports by printing.
#![allow(clippy::print_stdout)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use latchkey::auth::clock::now;
use latchkey::auth::tokens::revocations::Revocations;
use latchkey::auth::tokens::{AccessClaims, KeyRing, SigningKey};
use latchkey::db::sessions::find_session;
use latchkey::db::{connect_and_migrate, PoolSettings};

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
        aud: latchkey::auth::tokens::access::AUDIENCE.into(),
        iat: now(),
        exp: now() + 300,
        jti: "j".into(),
        auth_time: now(),
        amr: vec!["pwd".into()],
        email_verified: true,
        second_factors: Vec::new(),
    };
    let token = ring.sign(&claims).expect("sign");
    let revocations = Revocations::default();
    for i in 0..REVOKED {
        revocations.insert(&format!("revoked-{i}"), now(), 300);
    }
    let verify_only = per_op(ROUNDS, || {
        black_box(ring.verify(black_box(&token)).is_ok());
    });
    let with_set = per_op(ROUNDS, || {
        let claims = ring.verify(black_box(&token)).expect("valid");
        black_box(revocations.is_revoked(&claims.sid));
    });
    // A real file (SQLite's own shared in-memory name would land in the working directory).
    let db_dir = std::env::temp_dir().join(format!("latchkey-bench-{}", std::process::id()));
    std::fs::create_dir_all(&db_dir).expect("temp dir");
    let db_url = format!("sqlite://{}?mode=rwc", db_dir.join("bench.db").display());
    let with_db = runtime.block_on(async {
        let pool = PoolSettings { url: &db_url, max_connections: 1, acquire_timeout: Duration::from_secs(3) };
        let db = connect_and_migrate(pool).await.expect("database");
        let start = Instant::now();
        for _ in 0..DB_ROUNDS {
            let claims = ring.verify(black_box(&token)).expect("valid");
            black_box(find_session(&db, &claims.sid).await.expect("query"));
        }
        start.elapsed() / DB_ROUNDS
    });
    _ = std::fs::remove_dir_all(&db_dir);

    println!("protected-request auth check, per request ({ROUNDS} rounds; DB {DB_ROUNDS} rounds)");
    println!("  JWT verify (jsonwebtoken::decode)        {:>9.0} ns", nanos(verify_only));
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
