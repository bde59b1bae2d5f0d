//! The admin CLI, run as the real `latchkey` binary against the test server's database.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use latchkey::server::background::reload_key_ring;

use crate::helpers::*;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn latchkey(app: &TestApp, args: &[&str], stdin: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_latchkey"))
        .args(args)
        .env_clear()
        .envs(&app.env)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("latchkey runs");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
    let out = child.wait_with_output().expect("latchkey exits");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[tokio::test]
async fn create_user_makes_an_account_that_can_sign_in() {
    let app = spawn_app().await;
    let run = latchkey(&app, &["create-user", "--email", "Ops@Example.com"], &format!("{PASSWORD}\n"));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("created user") && run.stdout.contains("ops@example.com"), "{}", run.stdout);
    assert_eq!(app.browser().login("ops@example.com", PASSWORD).await.status, 200);
}

#[tokio::test]
async fn create_user_refuses_what_registration_refuses() {
    let app = spawn_app().await;
    let weak = latchkey(&app, &["create-user", "--email", "ops@example.com"], "password1\n");
    assert_eq!(weak.code, 1);
    assert!(weak.stderr.contains("too common"), "{}", weak.stderr);
    let bad_email = latchkey(&app, &["create-user", "--email", "nope"], &format!("{PASSWORD}\n"));
    assert_eq!(bad_email.code, 1);
    assert!(bad_email.stderr.contains("valid email"), "{}", bad_email.stderr);
}

#[tokio::test]
async fn bad_arguments_get_a_usage_error() {
    let app = spawn_app().await;
    let missing = latchkey(&app, &["create-user"], "");
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("--email"), "{}", missing.stderr);
    let unknown = latchkey(&app, &["launch-missiles"], "");
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("unrecognized subcommand"), "{}", unknown.stderr);
    let nobody = latchkey(&app, &["sessions", "--email", "nobody@example.com"], "");
    assert_eq!(nobody.code, 1);
    assert!(nobody.stderr.contains("no user with email"), "{}", nobody.stderr);
}

#[tokio::test]
async fn sessions_lists_the_users_sessions() {
    let app = spawn_app().await;
    let mut laptop = app.signed_up("ada@example.com").await;
    app.browser().login("ada@example.com", PASSWORD).await;
    let run = latchkey(&app, &["sessions", "--email", "ada@example.com"], "");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.lines().count(), 2, "{}", run.stdout);
    let current = laptop.get("/api/auth/sessions").await.json();
    let id = current[0]["id"].as_str().expect("id");
    assert!(run.stdout.contains(id) && run.stdout.contains("127.0.0.1"), "{}", run.stdout);
}

#[tokio::test]
async fn revoke_all_reaches_the_running_server_within_a_second() {
    let app = spawn_app().await;
    let mut laptop = app.signed_up("ada@example.com").await;
    let mut bob = app.signed_up("bob@example.com").await;
    let run = latchkey(&app, &["revoke-all", "--email", "ada@example.com"], "");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("revoked 1 session"), "{}", run.stdout);
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    assert_eq!(laptop.me().await.status, 401, "the server learned of the revoke");
    assert_eq!(bob.me().await.status, 200);
}

#[tokio::test]
async fn a_disabled_user_is_signed_out_and_refused_like_a_wrong_password_until_enabled() {
    let app = spawn_app().await;
    let mut laptop = app.signed_up("ada@example.com").await;
    let mut bob = app.signed_up("bob@example.com").await;
    let run = latchkey(&app, &["disable-user", "--email", "Ada@Example.com"], "");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("disabled ada@example.com; revoked 1 session"), "{}", run.stdout);
    let since = std::time::Instant::now();
    while laptop.me().await.status != 401 {
        assert!(since.elapsed() < Duration::from_secs(1), "the running server still accepts the session");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(laptop.refresh().await.status, 401);
    let right = app.browser().login("ada@example.com", PASSWORD).await;
    let wrong = app.browser().login("ada@example.com", "not the password").await;
    assert_error(&right, 401, "invalid_credentials");
    assert_eq!(right.body, wrong.body, "a disabled account looks like a wrong password");
    assert_eq!(bob.me().await.status, 200, "other users are untouched");
    let run = latchkey(&app, &["enable-user", "--email", "ada@example.com"], "");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(app.browser().login("ada@example.com", PASSWORD).await.status, 200);
    let unknown = latchkey(&app, &["disable-user", "--email", "nobody@example.com"], "");
    assert_eq!(unknown.code, 1);
    assert!(unknown.stderr.contains("no user"), "{}", unknown.stderr);
}

#[tokio::test]
async fn purge_deletes_only_what_is_dead() {
    let app = spawn_app_with(&[("ACCESS_TOKEN_TTL", "1")]).await;
    let mut live = app.signed_up("ada@example.com").await;
    let stolen_copy = live.clone();
    assert_eq!(live.refresh().await.status, 200, "the live session now has a rotated token");
    let mut gone = app.browser();
    gone.login("ada@example.com", PASSWORD).await;
    gone.logout().await;
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    let run = latchkey(&app, &["purge"], "");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("deleted 1 session(s)"), "{}", run.stdout);
    assert_eq!(live.refresh().await.status, 200, "the live session is untouched");
    // Its chain was kept, so a replayed older token is still recognised as theft.
    assert_error(&stolen_copy.clone().refresh().await, 401, "session_ended");
    assert_eq!(live.refresh().await.status, 401, "reuse detection ended the session");
}

#[tokio::test]
async fn rotate_key_signs_new_tokens_with_a_new_kid_and_old_ones_stay_valid() {
    let app = spawn_app().await;
    let mut before = app.signed_up("ada@example.com").await;
    let old_kid = app.state.auth.keys.signing_kid();
    let run = latchkey(&app, &["rotate-key"], "");
    assert_eq!(run.code, 0, "{}", run.stderr);
    reload_key_ring(&app.state.auth).await.expect("reload keys");
    let new_kid = app.state.auth.keys.signing_kid();
    assert_ne!(new_kid, old_kid);
    assert!(run.stdout.contains(&new_kid), "{}", run.stdout);
    assert_eq!(before.me().await.status, 200, "a token signed with the old key still verifies");
    let after = app.signed_up("bob@example.com").await;
    let header = jsonwebtoken::decode_header(after.cookie(ACCESS).expect("token")).expect("jwt");
    assert_eq!(header.kid, Some(new_kid));
}

#[tokio::test]
async fn a_password_typed_at_a_terminal_is_not_echoed() {
    use std::io::Read;
    let app = spawn_app().await;
    let command = format!("{} create-user --email ops@example.com", env!("CARGO_BIN_EXE_latchkey"));
    // `script` (util-linux) runs the command on a pseudo-terminal and copies what it shows.
    let mut child = Command::new("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .env_clear()
        .envs(&app.env)
        .env("RUST_LOG", "warn")
        .env("TERM", "dumb")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("script runs");
    let mut stdout = child.stdout.take().expect("stdout");
    let (shown_tx, shown_rx) = std::sync::mpsc::channel::<Vec<u8>>();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 256];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 || shown_tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut shown = Vec::new();
    let asked = std::time::Instant::now();
    while !String::from_utf8_lossy(&shown).contains("Password") {
        let chunk =
            shown_rx.recv_timeout(Duration::from_secs(10)).expect("a password prompt on the terminal");
        shown.extend(chunk);
        assert!(asked.elapsed() < Duration::from_secs(10));
    }
    // The prompt is printed a moment before the terminal's echo is switched off (as with sudo,
    // type-ahead is echoed): type as a person would, after the prompt has settled.
    std::thread::sleep(Duration::from_secs(1));
    child.stdin.take().expect("stdin").write_all(format!("{PASSWORD}\n").as_bytes()).expect("type");
    let status = child.wait().expect("exits");
    reader.join().expect("reader");
    shown.extend(shown_rx.try_iter().flatten());
    let shown = String::from_utf8_lossy(&shown);
    assert!(status.success(), "{shown}");
    assert!(!shown.contains(PASSWORD), "the password was echoed: {shown}");
    assert!(shown.contains("created user"), "{shown}");
    assert_eq!(app.browser().login("ops@example.com", PASSWORD).await.status, 200);
}
