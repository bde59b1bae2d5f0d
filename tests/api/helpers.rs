//! `spawn_app()`: a real Latchkey server on 127.0.0.1, port 0, with a fresh database; and a
//! minimal cookie-keeping client that behaves like one browser.

use std::collections::HashMap;
use std::net::SocketAddr;

use latchkey::server::config::Config;
use latchkey::server::startup::Application;
use latchkey::server::state::AppState;
use leptos::config::LeptosOptions;
use reqwest::header::{HeaderMap, SET_COOKIE};
use serde_json::Value;

pub struct TestApp {
    pub address: String,
    /// The environment the server was configured with (the CLI tests reuse it).
    pub env: HashMap<String, String>,
    pub state: AppState,
    _dir: tempfile::TempDir,
}

/// A server with the default configuration (but plain-http cookies).
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// A server with extra environment variables, e.g. `[("ACCESS_TOKEN_TTL", "2")]`.
pub async fn spawn_app_with(vars: &[(&str, &str)]) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut env: HashMap<String, String> = HashMap::new();
    env.insert("DATABASE_URL".into(), fresh_database_url(&dir).await);
    env.insert("COOKIE_SECURE".into(), "false".into());
    for (k, v) in vars {
        env.insert((*k).into(), (*v).into());
    }
    spawn_with_env(env, dir).await
}

pub async fn spawn_with_env(env: HashMap<String, String>, dir: tempfile::TempDir) -> TestApp {
    let config = Config::from_vars(&env).expect("valid test config");
    let mut options = LeptosOptions::builder()
        .output_name("latchkey")
        .site_addr(SocketAddr::from(([127, 0, 0, 1], 0)))
        .build();
    if let Some(root) = env.get("LEPTOS_SITE_ROOT") {
        options.site_root = root.as_str().into();
    }
    options.hash_files = env.get("LEPTOS_HASH_FILES").is_some_and(|v| v == "true");
    let app = Application::build(config, options).await.expect("app starts");
    let address = format!("http://{}", app.local_addr());
    let state = app.state().clone();
    tokio::spawn(app.run_until_stopped());
    TestApp { address, env, state, _dir: dir }
}

impl TestApp {
    /// A second, independent server (its own key ring, revocation set and limiter) on the same
    /// database and configuration: what a second instance behind a load balancer is.
    pub async fn second_instance(&self) -> TestApp {
        spawn_with_env(self.env.clone(), tempfile::tempdir().expect("temp dir")).await
    }
}

/// A real `latchkey` server process on `database_url` and a free port; killed when dropped.
/// Its log (standard error) is drained continuously, so the server never blocks on a full pipe.
pub struct ServerProcess {
    child: std::process::Child,
    pub address: String,
    log: std::sync::Arc<std::sync::Mutex<String>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl ServerProcess {
    pub fn start(database_url: &str, log_level: &str) -> ServerProcess {
        Self::start_with(database_url, log_level, &[], &[])
    }

    /// A server process with extra environment variables, run through `wrapper` (a command
    /// and its arguments that end by running the program they are given, such as
    /// `["faketime", "-f", "+10s"]` or `["sh", "-c", "ulimit -n 1024; exec \"$0\""]`).
    pub fn start_with(
        database_url: &str,
        log_level: &str,
        vars: &[(&str, &str)],
        wrapper: &[&str],
    ) -> ServerProcess {
        use std::io::{BufRead, BufReader};
        use std::process::{Command, Stdio};
        let bin = env!("CARGO_BIN_EXE_latchkey");
        let mut command = match wrapper.split_first() {
            Some((program, args)) => {
                let mut command = Command::new(program);
                command.args(args).arg(bin);
                command
            }
            None => Command::new(bin),
        };
        let mut child = command
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DATABASE_URL", database_url)
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("COOKIE_SECURE", "false")
            .env("RUST_LOG", log_level)
            .envs(vars.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("server starts");
        let stderr = child.stderr.take().expect("stderr");
        let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let (address_tx, address_rx) = std::sync::mpsc::channel();
        let sink = std::sync::Arc::clone(&log);
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(at) = line.find("listening on ") {
                    let _ = address_tx.send(line[at + "listening on ".len()..].trim().to_owned());
                }
                let mut log = sink.lock().expect("log");
                log.push_str(&line);
                log.push('\n');
            }
        });
        let Ok(address) = address_rx.recv_timeout(std::time::Duration::from_secs(30)) else {
            let _ = child.kill();
            panic!("the server did not announce its address; log:\n{}", log.lock().expect("log"));
        };
        ServerProcess { child, address, log, reader: Some(reader) }
    }

    pub fn browser(&self) -> Browser {
        Browser::new(&self.address)
    }

    /// Stops the server and returns everything it logged.
    pub fn stop(mut self) -> String {
        self.kill();
        let log = self.log.lock().expect("log").clone();
        log
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A fresh database: an SQLite file in `dir`, or a new PostgreSQL database when
/// `TEST_DATABASE_URL` points at a server.
pub async fn fresh_database_url(dir: &tempfile::TempDir) -> String {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(base) if base.starts_with("postgres") => fresh_postgres_database(&base).await,
        _ => format!("sqlite://{}/test.db?mode=rwc", dir.path().display()),
    }
}

async fn fresh_postgres_database(base: &str) -> String {
    use sea_orm::{ConnectionTrait, Database};
    let name = format!(
        "latchkey_test_{}",
        latchkey::auth::random::random_id().to_lowercase().replace(['-', '_'], "")
    );
    let admin = Database::connect(base).await.expect("connect to TEST_DATABASE_URL");
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create test database");
    let (server, _) = base.rsplit_once('/').expect("TEST_DATABASE_URL ends with /<database>");
    format!("{server}/{name}")
}

/// One response, with its body read.
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers.get_all(SET_COOKIE).iter().map(|v| v.to_str().expect("ascii").to_owned()).collect()
    }

    /// The `Set-Cookie` line for cookie `name`.
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.set_cookies().into_iter().find(|c| c.starts_with(&format!("{name}=")))
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).map(|v| v.to_str().expect("ascii").to_owned())
    }
}

/// A browser-like client: keeps cookies (by name; paths are ignored) and sends them back.
#[derive(Clone)]
pub struct Browser {
    pub base: String,
    pub cookies: HashMap<String, String>,
    pub user_agent: String,
    pub http: reqwest::Client,
}

pub const ACCESS: &str = "latchkey_access";
pub const REFRESH: &str = "latchkey_refresh";
pub const DEVICE: &str = "latchkey_device";

/// Another connection holding SQLite's write lock (`BEGIN IMMEDIATE`): the server can still
/// read, but every write waits out its busy timeout and fails, as on a database that cannot
/// be written. `None` on PostgreSQL.
pub struct SqliteWriteLock(sea_orm::sqlx::SqliteConnection);

impl SqliteWriteLock {
    pub async fn take(app: &TestApp) -> Option<Self> {
        use sea_orm::sqlx::{Connection, Executor};
        let url = &app.env["DATABASE_URL"];
        if !url.starts_with("sqlite") {
            return None;
        }
        let mut connection = sea_orm::sqlx::SqliteConnection::connect(url).await.expect("second connection");
        connection.execute("BEGIN IMMEDIATE").await.expect("take the write lock");
        Some(Self(connection))
    }

    pub async fn release(mut self) {
        use sea_orm::sqlx::{Connection, Executor};
        self.0.execute("ROLLBACK").await.expect("release the write lock");
        self.0.close().await.expect("close");
    }
}

impl TestApp {
    pub fn browser(&self) -> Browser {
        Browser::new(&self.address)
    }

    /// A browser that has registered `email` and is signed in.
    pub async fn signed_up(&self, email: &str) -> Browser {
        let mut browser = self.browser();
        let reply = browser.register(email, PASSWORD).await;
        assert_eq!(reply.status, 200, "{}", reply.body);
        browser
    }
}

pub const PASSWORD: &str = "correct horse battery staple";

impl TestApp {
    /// Two browsers signed in as one new user: the first registered, the second signed in.
    pub async fn two_devices(&self, email: &str) -> (Browser, Browser) {
        let laptop = self.signed_up(email).await;
        let mut phone = self.browser();
        assert_eq!(phone.login(email, PASSWORD).await.status, 200);
        (laptop, phone)
    }
}

/// Sends one refresh from each browser at the same time; returns each (status, new refresh token).
pub async fn refresh_concurrently(tabs: Vec<Browser>) -> Vec<(u16, Option<String>)> {
    let handles: Vec<_> = tabs
        .into_iter()
        .map(|mut tab| tokio::spawn(async move { (tab.refresh().await.status, tab.cookie(REFRESH)) }))
        .collect();
    let mut replies = Vec::new();
    for handle in handles {
        replies.push(handle.await.expect("refresh task"));
    }
    replies
}

/// The id of the session `browser` is signed in with, from its own sessions listing.
pub async fn current_session_id(browser: &mut Browser) -> String {
    let list = browser.get("/api/auth/sessions").await.json();
    let rows = list.as_array().expect("session rows");
    let current = rows.iter().find(|r| r["current"] == true).expect("one current session");
    current["id"].as_str().expect("id").to_owned()
}

impl Browser {
    /// The same browser (same cookies) talking to another server at `address`: what a load
    /// balancer does when it sends the next request to another instance.
    pub fn at(&self, address: &str) -> Browser {
        Browser { base: address.trim_end_matches('/').to_owned(), ..self.clone() }
    }

    /// A fresh browser (no cookies) for the server at `base` (`http://host:port`).
    pub fn new(base: &str) -> Self {
        Browser {
            base: base.trim_end_matches('/').to_owned(),
            cookies: HashMap::new(),
            user_agent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36".into(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
        }
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Reply {
        let request = self.http.post(format!("{}{path}", self.base)).form(form);
        self.send(request).await
    }

    /// A page, as a browser asks for it (`Accept: text/html`).
    pub async fn page(&mut self, path: &str) -> Reply {
        let request =
            self.http.get(format!("{}{path}", self.base)).header("accept", "text/html,application/xhtml+xml");
        self.send(request).await
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        let request = self.http.get(format!("{}{path}", self.base));
        self.send(request).await
    }

    pub async fn send(&mut self, request: reqwest::RequestBuilder) -> Reply {
        let cookie_header: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let mut request = request.header("user-agent", &self.user_agent);
        if !cookie_header.is_empty() {
            request = request.header("cookie", cookie_header.join("; "));
        }
        let response = request.send().await.expect("request reaches the server");
        let reply = Reply {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: response.text().await.expect("body"),
        };
        self.remember(&reply);
        reply
    }

    fn remember(&mut self, reply: &Reply) {
        for line in reply.set_cookies() {
            let (pair, attrs) = line.split_once(';').unwrap_or((&line, ""));
            let (name, value) = pair.split_once('=').expect("name=value");
            if attrs.contains("Max-Age=0") || value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
    }

    pub async fn register(&mut self, email: &str, password: &str) -> Reply {
        self.post("/api/auth/register", &[("email", email), ("password", password)]).await
    }

    pub async fn login(&mut self, email: &str, password: &str) -> Reply {
        self.post("/api/auth/login", &[("email", email), ("password", password)]).await
    }

    pub async fn me(&mut self) -> Reply {
        self.get("/api/auth/me").await
    }

    pub async fn refresh(&mut self) -> Reply {
        self.post("/api/auth/refresh", &[]).await
    }

    pub async fn logout(&mut self) -> Reply {
        self.post("/api/auth/logout", &[]).await
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.get(name).cloned()
    }
}

/// Asserts the reply is a JSON error with `status` and error code `code`.
pub fn assert_error(reply: &Reply, status: u16, code: &str) {
    assert_eq!(reply.status, status, "body: {}", reply.body);
    assert_eq!(reply.json()["error"], code, "body: {}", reply.body);
    assert!(reply.json()["message"].as_str().is_some_and(|m| !m.is_empty()));
}

/// What each spawned task returned, in order: the requests of a burst, once all have answered.
pub async fn joined<T>(tasks: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut results = Vec::with_capacity(tasks.len());
    for task in tasks {
        results.push(task.await.expect("task"));
    }
    results
}
