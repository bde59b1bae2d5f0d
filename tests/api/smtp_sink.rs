//! A real SMTP server for the tests, in process, on 127.0.0.1: it speaks enough of RFC 5321
//! for lettre (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and keeps every message it accepts.
//! It can refuse every recipient for good (`550`), as a server that will never take the mail.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Clone)]
pub struct SmtpSink {
    /// `smtp://127.0.0.1:<port>`, for `SMTP_URL`.
    pub url: String,
    messages: Arc<Mutex<Vec<String>>>,
}

impl SmtpSink {
    pub async fn start() -> Self {
        Self::start_on(0, false).await
    }

    /// A server that answers every `RCPT TO` with `550`.
    pub async fn refusing() -> Self {
        Self::start_on(0, true).await
    }

    /// On `port` (0: any free one).
    pub async fn start_on(port: u16, refuse: bool) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.expect("bind the SMTP sink");
        let url = format!("smtp://{}", listener.local_addr().expect("address"));
        let messages = Arc::new(Mutex::new(Vec::new()));
        let kept = Arc::clone(&messages);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let kept = Arc::clone(&kept);
                tokio::spawn(async move {
                    let (read, mut write) = stream.into_split();
                    let mut lines = BufReader::new(read).lines();
                    let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                    while let Ok(Some(line)) = lines.next_line().await {
                        let verb = line.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
                        let reply: &[u8] = match verb.as_str() {
                            "EHLO" | "HELO" => b"250-sink\r\n250 8BITMIME\r\n",
                            "RCPT" if refuse => b"550 5.1.1 no such mailbox here\r\n",
                            "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 OK\r\n",
                            "DATA" => {
                                let _ = write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await;
                                let mut message = String::new();
                                while let Ok(Some(line)) = lines.next_line().await {
                                    if line == "." {
                                        break;
                                    }
                                    message.push_str(line.strip_prefix('.').unwrap_or(&line));
                                    message.push('\n');
                                }
                                kept.lock().expect("messages").push(message);
                                b"250 queued\r\n"
                            }
                            "QUIT" => {
                                let _ = write.write_all(b"221 bye\r\n").await;
                                return;
                            }
                            _ => b"502 not implemented\r\n",
                        };
                        if write.write_all(reply).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        Self { url, messages }
    }

    /// The messages whose subject line contains `subject`, in the order they came.
    pub fn messages(&self, subject: &str) -> Vec<String> {
        let all = self.messages.lock().expect("messages").clone();
        all.into_iter()
            .filter(|m| m.lines().any(|l| l.starts_with("Subject:") && l.contains(subject)))
            .collect()
    }

    /// Waits (at most `timeout`) for the `n`-th message about `subject` and returns it.
    pub async fn nth(&self, subject: &str, n: usize, timeout: Duration) -> String {
        let since = Instant::now();
        loop {
            if let Some(message) = self.messages(subject).get(n - 1) {
                return message.clone();
            }
            assert!(
                since.elapsed() < timeout,
                "no mail {n} about {subject:?} within {timeout:?}: {:?}",
                self.messages("")
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// The token after the first `marker` (such as `/verify-email#`) in a raw message
/// (quoted-printable soft line breaks undone).
pub fn mailed_token(message: &str, marker: &str) -> String {
    let joined = message.replace("=\n", "");
    let at = joined.find(marker).unwrap_or_else(|| panic!("no {marker} link in {message}")) + marker.len();
    joined[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

/// The token of the first password-reset link in a raw message.
pub fn reset_token(message: &str) -> String {
    mailed_token(message, "/reset-password#")
}

/// A server that mails through `sink`, with links on `http://latchkey.test`, no per-IP limit,
/// and `vars` on top.
pub async fn app_mailing_to(sink: &SmtpSink, vars: &[(&str, &str)]) -> crate::helpers::TestApp {
    let mut all = vec![
        ("SMTP_URL", sink.url.as_str()),
        ("PUBLIC_ORIGIN", "http://latchkey.test"),
        ("IP_RATE_LIMIT", "0"),
    ];
    all.extend_from_slice(vars);
    crate::helpers::spawn_app_with(&all).await
}
