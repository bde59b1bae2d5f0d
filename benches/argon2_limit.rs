//! The argon2id limit of this machine: password verifications per second with every core busy,
//! using the server's own hashing code path and parameters (m=19 MiB, t=2, p=1).
//!
//! `cargo bench --features ssr --bench argon2_limit` prints one line: `argon2id verifications/s: N`.

// A benchmark reports by printing.
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use latchkey::auth::credentials::password::{hash_password, verify_password};
use latchkey::auth::validate::Password;

const RUN_FOR: Duration = Duration::from_secs(4);

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let rate = runtime.block_on(async {
        let password = || Password::parse("correct horse battery staple".into()).expect("valid");
        let hash = hash_password(password()).await.expect("hash");
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let start = Instant::now();
        let workers: Vec<_> = (0..cores * 2)
            .map(|_| {
                let hash = hash.clone();
                tokio::spawn(async move {
                    let mut done = 0u64;
                    while start.elapsed() < RUN_FOR {
                        assert!(verify_password(password(), Some(hash.clone())).await.expect("verify"));
                        done += 1;
                    }
                    done
                })
            })
            .collect();
        let mut total = 0;
        for worker in workers {
            total += worker.await.expect("worker");
        }
        total as f64 / start.elapsed().as_secs_f64()
    });
    println!("argon2id verifications/s: {rate:.1}");
}
