//! The mails, from the templates in `mail/templates/` (a plain-text and an HTML body each).
//! A template holds `{{name}}` where a value goes; `{{link}}` is filled only when the mail is
//! sent (see `mail`), everything else when it is queued.

use crate::db::outbox::NewMail;

/// A mail ready to queue: bodies with `{{link}}` still in them, and the link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub link: Option<String>,
}

impl Composed {
    /// As the outbox stores it.
    pub fn as_new_mail(&self) -> NewMail<'_> {
        NewMail {
            recipient: &self.recipient,
            subject: &self.subject,
            text_body: &self.text_body,
            html_body: &self.html_body,
            link: self.link.as_deref(),
        }
    }
}

const VERIFY_TEXT: &str = include_str!("templates/email_verification.txt");
const VERIFY_HTML: &str = include_str!("templates/email_verification.html");

/// The verification mail: `link` opens `/verify-email` with the token in its fragment.
pub fn email_verification(recipient: &str, link: String, valid_for_secs: i64) -> Composed {
    let hours = (valid_for_secs / 3_600).to_string();
    let values = [("hours", hours.as_str())];
    Composed {
        recipient: recipient.to_owned(),
        subject: "Confirm your Latchkey address".to_owned(),
        text_body: fill(VERIFY_TEXT, &values, false),
        html_body: fill(VERIFY_HTML, &values, true),
        link: Some(link),
    }
}

const RESET_TEXT: &str = include_str!("templates/password_reset.txt");
const RESET_HTML: &str = include_str!("templates/password_reset.html");

/// The password-reset mail: `link` opens `/reset-password` with the token in its fragment.
pub fn password_reset(recipient: &str, link: String, valid_for_secs: i64) -> Composed {
    let minutes = (valid_for_secs / 60).to_string();
    let values = [("minutes", minutes.as_str())];
    Composed {
        recipient: recipient.to_owned(),
        subject: "Reset your Latchkey password".to_owned(),
        text_body: fill(RESET_TEXT, &values, false),
        html_body: fill(RESET_HTML, &values, true),
        link: Some(link),
    }
}

const CHANGE_TEXT: &str = include_str!("templates/email_change_confirm.txt");
const CHANGE_HTML: &str = include_str!("templates/email_change_confirm.html");

/// The confirmation of an email change, to the new address: `link` opens
/// `/confirm-email-change` with the token in its fragment.
pub fn email_change_confirm(recipient: &str, link: String, valid_for_secs: i64) -> Composed {
    let hours = (valid_for_secs / 3_600).to_string();
    let values = [("hours", hours.as_str())];
    Composed {
        recipient: recipient.to_owned(),
        subject: "Confirm your new Latchkey address".to_owned(),
        text_body: fill(CHANGE_TEXT, &values, false),
        html_body: fill(CHANGE_HTML, &values, true),
        link: Some(link),
    }
}

const CHANGE_NOTICE_TEXT: &str = include_str!("templates/email_change_notice.txt");
const CHANGE_NOTICE_HTML: &str = include_str!("templates/email_change_notice.html");

/// The notice of an email change, to the address the account has now (no token in it).
pub fn email_change_notice(recipient: &str, new_email: &str, origin: &str) -> Composed {
    let values = [("new_email", new_email), ("origin", origin)];
    Composed {
        recipient: recipient.to_owned(),
        subject: "Your Latchkey address is being changed".to_owned(),
        text_body: fill(CHANGE_NOTICE_TEXT, &values, false),
        html_body: fill(CHANGE_NOTICE_HTML, &values, true),
        link: None,
    }
}

/// What a new-device notice tells about the sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInFacts {
    /// When, in words (UTC).
    pub when: String,
    /// The browser and OS, in words.
    pub device: String,
    /// The client's address.
    pub ip: String,
    /// The factors used, in words ("password and authenticator code").
    pub how: String,
}

const NEW_DEVICE_TEXT: &str = include_str!("templates/new_device.txt");
const NEW_DEVICE_HTML: &str = include_str!("templates/new_device.html");

/// The new-device notice: `link` opens `/report-sign-in` with the token in its fragment.
pub fn new_device(recipient: &str, facts: &SignInFacts, link: String) -> Composed {
    let values = [
        ("when", facts.when.as_str()),
        ("device", facts.device.as_str()),
        ("ip", facts.ip.as_str()),
        ("how", facts.how.as_str()),
    ];
    Composed {
        recipient: recipient.to_owned(),
        subject: "New sign-in to your Latchkey account".to_owned(),
        text_body: fill(NEW_DEVICE_TEXT, &values, false),
        html_body: fill(NEW_DEVICE_HTML, &values, true),
        link: Some(link),
    }
}

const NOTICE_TEXT: &str = include_str!("templates/security_notice.txt");
const NOTICE_HTML: &str = include_str!("templates/security_notice.html");

/// What a security notice is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountChange {
    PasswordChanged,
    PasswordReset,
    TwoStepOn,
    TwoStepOff,
    PasskeyAdded,
    PasskeyRemoved,
}

impl AccountChange {
    fn words(self) -> (&'static str, &'static str) {
        match self {
            Self::PasswordChanged => ("Your Latchkey password was changed", "The password was changed"),
            Self::PasswordReset => ("Your Latchkey password was reset", "The password was reset by mail"),
            Self::TwoStepOn => ("Two-step sign-in is on", "Two-step sign-in was turned on"),
            Self::TwoStepOff => ("Two-step sign-in is off", "Two-step sign-in was turned off"),
            Self::PasskeyAdded => ("A passkey was added to your Latchkey account", "A passkey was added"),
            Self::PasskeyRemoved => {
                ("A passkey was removed from your Latchkey account", "A passkey was removed")
            }
        }
    }
}

/// The notice of a change to how the account signs in, to its address (no token in it): what,
/// when, from what browser and where (`facts.how` is not shown).
pub fn security_notice(
    recipient: &str,
    change: AccountChange,
    facts: &SignInFacts,
    origin: &str,
) -> Composed {
    let (subject, what) = change.words();
    let values = [
        ("what", what),
        ("when", facts.when.as_str()),
        ("device", facts.device.as_str()),
        ("ip", facts.ip.as_str()),
        ("origin", origin),
    ];
    Composed {
        recipient: recipient.to_owned(),
        subject: subject.to_owned(),
        text_body: fill(NOTICE_TEXT, &values, false),
        html_body: fill(NOTICE_HTML, &values, true),
        link: None,
    }
}

/// `template` with each `{{name}}` of `values` replaced (HTML-escaped for an HTML body);
/// `{{link}}` stays for [`with_link`].
pub fn fill(template: &str, values: &[(&str, &str)], html: bool) -> String {
    values.iter().fold(template.to_owned(), |body, (name, value)| {
        let value = if html { escape_html(value) } else { (*value).to_owned() };
        body.replace(&format!("{{{{{name}}}}}"), &value)
    })
}

/// A body with its link in place (HTML-escaped for an HTML body), or `redacted` instead.
pub fn with_link(body: &str, link: Option<&str>, html: bool) -> String {
    let link = link.unwrap_or("[link redacted]");
    body.replace("{{link}}", &if html { escape_html(link) } else { link.to_owned() })
}

/// Text made safe to put in HTML, in an element or an attribute.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reset_mail_says_how_long_it_is_valid_and_gets_its_link_only_when_sent() {
        let mail = password_reset("ada@example.com", "https://x.test/reset-password#t0k".into(), 3_600);
        assert!(mail.text_body.contains("60 minutes") && mail.html_body.contains("60 minutes"));
        assert!(!mail.text_body.contains("t0k") && mail.text_body.contains("{{link}}"));
        let sent = with_link(&mail.html_body, mail.link.as_deref(), true);
        assert!(sent.contains("href=\"https://x.test/reset-password#t0k\""), "{sent}");
        assert!(with_link(&mail.text_body, None, false).contains("[link redacted]"));
    }

    #[test]
    fn a_new_device_notice_says_when_what_and_where_with_its_values_escaped() {
        let facts = SignInFacts {
            when: "2026-12-03 10:00 UTC".into(),
            device: "<Chrome> on Linux".into(),
            ip: "203.0.113.9".into(),
            how: "password".into(),
        };
        let mail = new_device("ada@example.com", &facts, "https://x.test/report-sign-in#t0k".into());
        for body in [&mail.text_body, &mail.html_body] {
            assert!(body.contains("2026-12-03 10:00 UTC") && body.contains("203.0.113.9"), "{body}");
            assert!(!body.contains("t0k"));
        }
        assert!(mail.text_body.contains("<Chrome> on Linux"));
        assert!(mail.html_body.contains("&lt;Chrome&gt; on Linux") && !mail.html_body.contains("<Chrome>"));
    }

    #[test]
    fn an_email_change_notice_names_the_new_address_and_carries_no_link() {
        let mail = email_change_notice("old@example.com", "new@example.com", "https://x.test");
        assert_eq!(mail.link, None);
        assert!(
            mail.text_body.contains("new@example.com") && mail.html_body.contains("https://x.test/account")
        );
    }

    #[test]
    fn values_are_escaped_in_html() {
        assert_eq!(fill("<p>{{x}}</p>", &[("x", "<b>&\"")], true), "<p>&lt;b&gt;&amp;&quot;</p>");
        assert_eq!(fill("{{x}}", &[("x", "<b>")], false), "<b>");
    }
}
