//! Two real `latchkey` server processes on one database, as behind a load balancer.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database, Statement};

use crate::helpers::*;

/// A server process on `database_url`; killed when dropped.
struct Server {
    child: Child,
    address: String,
}

impl Server {
    fn start(database_url: &str) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_latchkey"))
            .env_clear()
            .env("DATABASE_URL", database_url)
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("COOKIE_SECURE", "false")
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("server starts");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = std::sync::mpsc::channel();
        // Keep draining the log so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(at) = line.find("listening on ") {
                    let _ = tx.send(line[at + "listening on ".len()..].trim().to_owned());
                }
            }
        });
        let address = rx.recv_timeout(Duration::from_secs(30)).expect("server announced its address");
        Server { child, address }
    }

    fn browser(&self) -> Browser {
        Browser::new(&self.address)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn on(server: &Server, browser: &Browser) -> Browser {
    let mut moved = browser.clone();
    moved.base = server.address.clone();
    moved
}

#[tokio::test]
async fn two_server_processes_share_sessions_revocations_and_rotation() {
    let app = spawn_app().await; // creates the fresh database (SQLite or PostgreSQL) and migrates it
    let url = app.env["DATABASE_URL"].clone();
    let (a, b) = (Server::start(&url), Server::start(&url));

    let mut on_a = a.browser();
    assert_eq!(on_a.register("ada@example.com", PASSWORD).await.status, 200, "sign up through A");
    let mut on_b = on(&b, &on_a);
    assert_eq!(on_b.refresh().await.status, 200, "refresh through B");
    let mut captured_on_a = on(&a, &on_b);
    assert_eq!(captured_on_a.me().await.status, 200);
    assert_eq!(on_b.logout().await.status, 200, "logout through B");
    let logged_out = Instant::now();
    while captured_on_a.me().await.status != 401 {
        assert!(logged_out.elapsed() < Duration::from_secs(1), "A still accepts the token after 1 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let mut fresh = a.browser();
    assert_eq!(fresh.login("ada@example.com", PASSWORD).await.status, 200);
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let mut tab = on(if i % 2 == 0 { &a } else { &b }, &fresh);
            tokio::spawn(async move { (tab.refresh().await.status, tab.cookie(REFRESH)) })
        })
        .collect();
    let mut tokens = std::collections::HashSet::new();
    for task in tasks {
        let (status, token) = task.await.expect("task");
        assert_eq!(status, 200);
        tokens.insert(token);
    }
    assert_eq!(tokens.len(), 1, "both processes handed out the same successor");
    let db = Database::connect(url.as_str()).await.expect("connect");
    let backend = db.get_database_backend();
    let sql = "SELECT COUNT(*) AS n FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id \
               WHERE t.rotated_at IS NULL AND s.revoked_at IS NULL";
    let row = db.query_one_raw(Statement::from_string(backend, sql)).await.expect("query").expect("row");
    let live: i64 = row.try_get("", "n").expect("n");
    assert_eq!(live, 1, "exactly one live refresh token across both processes");
}
