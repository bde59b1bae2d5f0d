//! Where mail goes: an SMTP server (lettre, as `SMTP_URL` says: `smtp://` plain or with
//! `?tls=required` for STARTTLS, `smtps://` for TLS), or, without `SMTP_URL`, the server log
//! (links redacted, unless the deployment is plain-http development).

use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::templates::with_link;
use crate::db::entities::outbox;

/// How long one SMTP conversation may take.
const SMTP_TIMEOUT: Duration = Duration::from_secs(15);

/// Why a mail was not sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError {
    /// The server refused it for good (a 5xx answer, a bad address): do not retry.
    pub permanent: bool,
    /// For the operator; never holds the link.
    pub message: String,
}

/// The configured way out.
pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    /// No `SMTP_URL`: mail is written to the log at `info`; its link only when `show_links`.
    Log {
        show_links: bool,
    },
}

impl Mailer {
    /// From `SMTP_URL` (if any) and `MAIL_FROM` (checked at start-up).
    ///
    /// # Errors
    /// A URL or sender lettre cannot use; the message never repeats the URL.
    pub fn new(smtp_url: Option<&str>, from: &str, show_links: bool) -> Result<Self, String> {
        let Some(url) = smtp_url else { return Ok(Self::Log { show_links }) };
        let from = from.parse::<Mailbox>().map_err(|e| format!("MAIL_FROM: {e}"))?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("SMTP_URL cannot be used: {}", e.to_string().replace(url, "<SMTP_URL>")))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        Ok(Self::Smtp { transport, from })
    }

    /// Sends one mail of the outbox.
    ///
    /// # Errors
    /// [`SendError`], permanent or not.
    pub async fn send(&self, mail: &outbox::Model) -> Result<(), SendError> {
        match self {
            Self::Smtp { transport, from } => {
                let message = build_message(mail, from.clone())?;
                transport
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| SendError { permanent: e.is_permanent(), message: format!("SMTP: {e}") })
            }
            Self::Log { show_links } => {
                let link = show_links.then_some(mail.link.as_deref()).flatten();
                tracing::info!(
                    to = %mail.recipient,
                    subject = %mail.subject,
                    body = %with_link(&mail.text_body, link, false),
                    "mail (SMTP_URL is not set: written here instead)"
                );
                Ok(())
            }
        }
    }
}

fn build_message(mail: &outbox::Model, from: Mailbox) -> Result<Message, SendError> {
    let refused = |message: String| SendError { permanent: true, message };
    let to = mail.recipient.parse::<Mailbox>().map_err(|e| refused(format!("recipient: {e}")))?;
    let link = mail.link.as_deref();
    Message::builder()
        .from(from)
        .to(to)
        .subject(mail.subject.clone())
        .multipart(MultiPart::alternative_plain_html(
            with_link(&mail.text_body, link, false),
            with_link(&mail.html_body, link, true),
        ))
        .map_err(|e| refused(format!("message: {e}")))
}
