//! The standard layers: compression, the streaming body limit, precompressed and cached
//! assets, and clients behind a real reverse proxy.

use std::time::Duration;

use crate::helpers::*;

#[tokio::test]
async fn pages_and_json_are_compressed_for_clients_that_accept_it() {
    let app = spawn_app().await;
    let mut ada = app.signed_up("ada@example.com").await;
    for path in ["/login", "/api/auth/sessions"] {
        if path.starts_with("/api") {
            // A long list, so the JSON is worth compressing.
            for _ in 0..12 {
                app.browser().login("ada@example.com", PASSWORD).await;
            }
        }
        let request = ada.http.get(format!("{}{path}", app.address)).header("accept-encoding", "br, gzip");
        let reply = ada.send(request).await;
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("content-encoding").as_deref(), Some("br"), "{path}");
        assert!(reply.header("vary").is_some_and(|v| v.to_lowercase().contains("accept-encoding")), "{path}");
    }
    let plain = ada.get("/login").await;
    assert!(plain.header("content-encoding").is_none(), "only when asked");
}

#[tokio::test]
async fn a_streamed_body_over_64_kib_is_a_413_without_a_content_length() {
    let app = spawn_app().await;
    let chunks = (0..80).map(|_| Ok::<_, std::io::Error>(vec![b'x'; 1024]));
    let body = reqwest::Body::wrap_stream(futures::stream::iter(chunks));
    let mut browser = app.browser();
    let request = browser
        .http
        .post(format!("{}/api/auth/login", app.address))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body);
    let reply = browser.send(request).await;
    assert_error(&reply, 413, "payload_too_large");
}

#[tokio::test]
async fn hashed_assets_are_served_precompressed_and_cached_for_good() {
    let site = tempfile::tempdir().expect("site");
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).expect("pkg dir");
    std::fs::write(pkg.join("latchkey.abc123.js"), "console.log('plain')").expect("js");
    std::fs::write(pkg.join("latchkey.abc123.js.br"), b"brotli bytes").expect("js.br");
    std::fs::write(pkg.join("latchkey.abc123.js.gz"), b"gzip bytes").expect("js.gz");
    let root = site.path().display().to_string();
    let app = spawn_app_with(&[("LEPTOS_SITE_ROOT", &root), ("LEPTOS_HASH_FILES", "true")]).await;
    let http = reqwest::Client::new();
    let url = format!("{}/pkg/latchkey.abc123.js", app.address);
    let br = http.get(&url).header("accept-encoding", "gzip, br").send().await.expect("br");
    assert_eq!(br.headers()["content-encoding"], "br");
    assert_eq!(br.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(br.bytes().await.expect("body").as_ref(), b"brotli bytes");
    let gz = http.get(&url).header("accept-encoding", "gzip").send().await.expect("gz");
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    let plain = http.get(&url).send().await.expect("plain");
    assert_eq!(plain.text().await.expect("text"), "console.log('plain')");
    let missing = http.get(format!("{}/pkg/nothing.js", app.address)).send().await.expect("404");
    assert_eq!(missing.status(), 404);
}

/// nginx (Debian's, installed by `.ci/setup.sh --tests`) on 127.0.0.1, in front of `upstream`,
/// adding the client's address to `X-Forwarded-For` as a real proxy does. It connects to the
/// app from 127.0.0.1; clients come from other loopback addresses.
struct Nginx {
    child: std::process::Child,
    address: String,
    _dir: tempfile::TempDir,
}

impl Nginx {
    fn start(upstream: &str) -> Nginx {
        let dir = tempfile::tempdir().expect("dir");
        let port =
            std::net::TcpListener::bind("127.0.0.1:0").expect("port").local_addr().expect("addr").port();
        let upstream = upstream.trim_start_matches("http://");
        let conf = format!(
            "master_process off; pid {d}/nginx.pid; error_log {d}/error.log; daemon off;\n\
             events {{ worker_connections 64; }}\n\
             http {{ access_log off; client_body_temp_path {d}; proxy_temp_path {d};\n\
               fastcgi_temp_path {d}; uwsgi_temp_path {d}; scgi_temp_path {d};\n\
               server {{ listen 127.0.0.1:{port};\n\
                 location / {{ proxy_pass http://{upstream}; proxy_bind 127.0.0.1;\n\
                   proxy_set_header Host $http_host;\n\
                   proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; }} }} }}\n",
            d = dir.path().display()
        );
        let conf_path = dir.path().join("nginx.conf");
        std::fs::write(&conf_path, conf).expect("config");
        let nginx = ["/usr/sbin/nginx", "nginx"]
            .into_iter()
            .find(|p| std::process::Command::new(p).arg("-v").output().is_ok());
        let nginx =
            nginx.expect("nginx is not installed: apt-get install nginx (bash .ci/setup.sh --tests does)");
        let child = std::process::Command::new(nginx)
            .args(["-c", &conf_path.display().to_string(), "-p", &dir.path().display().to_string()])
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("nginx starts");
        let address = format!("http://127.0.0.1:{port}");
        Nginx { child, address, _dir: dir }
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A browser that connects from `from` (a loopback address) through the proxy.
fn browser_from(proxy: &Nginx, from: [u8; 4]) -> Browser {
    let mut browser = Browser::new(&proxy.address);
    browser.http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .local_address(std::net::IpAddr::from(from))
        .build()
        .expect("client");
    browser
}

async fn until_up(proxy: &Nginx) {
    for _ in 0..100 {
        if reqwest::get(format!("{}/api/health", proxy.address)).await.is_ok_and(|r| r.status() == 200) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("nginx did not come up");
}

#[tokio::test]
async fn behind_a_trusted_proxy_sessions_record_the_client_and_a_spoofed_header_is_not_believed() {
    let app = spawn_app_with(&[("TRUSTED_PROXIES", "127.0.0.1/32"), ("IP_RATE_LIMIT", "2")]).await;
    let proxy = Nginx::start(&app.address);
    until_up(&proxy).await;
    let mut ada = browser_from(&proxy, [127, 0, 0, 2]);
    let spoofed = ada
        .http
        .post(format!("{}/api/auth/register", proxy.address))
        .header("x-forwarded-for", "6.6.6.6")
        .form(&[("email", "ada@example.com"), ("password", PASSWORD)]);
    assert_eq!(ada.send(spoofed).await.status, 200);
    let sessions = ada.get("/api/auth/sessions").await.json();
    assert_eq!(
        sessions[0]["ip"], "127.0.0.2",
        "the client, not the proxy nor the spoofed address: {sessions}"
    );
    // Each client behind the proxy has its own per-IP bucket.
    assert_eq!(ada.login("ada@example.com", PASSWORD).await.status, 200); // 2nd from .2
    assert_error(&ada.login("ada@example.com", PASSWORD).await, 429, "throttled");
    let mut bob = browser_from(&proxy, [127, 0, 0, 3]);
    assert_eq!(bob.register("bob@example.com", PASSWORD).await.status, 200, "another client is not limited");
}

#[tokio::test]
async fn without_trusted_proxies_forwarded_headers_are_ignored() {
    let app = spawn_app().await;
    let mut ada = app.browser();
    let request = ada
        .http
        .post(format!("{}/api/auth/register", app.address))
        .header("x-forwarded-for", "6.6.6.6")
        .header("forwarded", "for=6.6.6.7")
        .form(&[("email", "ada@example.com"), ("password", PASSWORD)]);
    assert_eq!(ada.send(request).await.status, 200);
    assert_eq!(ada.get("/api/auth/sessions").await.json()[0]["ip"], "127.0.0.1");
}
