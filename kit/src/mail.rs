//! Outgoing mail. SMTP through lettre when `mail.smtp_url` is set; otherwise every message
//! is written as an `.eml` file into `mail.outbox_dir`, so the flows work on a fresh
//! machine and tests can read what was sent.

use std::path::PathBuf;

use anyhow::Context as _;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret as _;

use crate::config::MailSettings;

#[derive(Clone)]
pub enum Mailer {
    Outbox {
        dir: PathBuf,
        from: String,
    },
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: String,
    },
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Outbox { dir, .. } => write!(f, "Mailer::Outbox({})", dir.display()),
            Self::Smtp { .. } => f.write_str("Mailer::Smtp"),
        }
    }
}

impl Mailer {
    pub fn from_settings(s: &MailSettings) -> anyhow::Result<Self> {
        let url = s.smtp_url.expose_secret();
        if url.is_empty() {
            let dir = PathBuf::from(&s.outbox_dir);
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("creating mail outbox {}", dir.display()))?;
            Ok(Self::Outbox {
                dir,
                from: s.from.clone(),
            })
        } else {
            let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .context("mail.smtp_url is not a valid SMTP URL")?
                .build();
            Ok(Self::Smtp {
                transport,
                from: s.from.clone(),
            })
        }
    }

    /// Sends a plain-text message.
    pub async fn send(&self, to: &str, subject: &str, body: String) -> anyhow::Result<()> {
        let from = match self {
            Self::Outbox { from, .. } | Self::Smtp { from, .. } => from,
        };
        let message = Message::builder()
            .from(from.parse().context("mail.from is not a valid address")?)
            .to(to.parse().context("recipient address")?)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .context("building message")?;
        match self {
            Self::Outbox { dir, .. } => {
                let name = format!(
                    "{}-{}.eml",
                    chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ"),
                    uuid::Uuid::new_v4()
                );
                let tmp = dir.join(format!(".{name}.tmp"));
                // Write then rename, so a reader never sees half a message.
                tokio::fs::write(&tmp, message.formatted())
                    .await
                    .context("writing outbox file")?;
                tokio::fs::rename(&tmp, dir.join(&name))
                    .await
                    .context("publishing outbox file")?;
                tracing::info!(file = %name, "mail written to outbox");
            }
            Self::Smtp { transport, .. } => {
                transport
                    .send(message)
                    .await
                    .context("sending mail over SMTP")?;
                tracing::info!("mail sent over SMTP");
            }
        }
        Ok(())
    }
}

/// Can a message be addressed to `to` at all (a syntactically valid mailbox)?
pub fn deliverable(to: &str) -> bool {
    to.parse::<lettre::Address>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn outbox_messages_are_whole_eml_files_with_greppable_links() {
        let dir = std::env::temp_dir().join(format!("pst-mailer-{}", uuid::Uuid::new_v4()));
        let settings = MailSettings {
            from: "PST BPS Kota Lubuklinggau <no-reply@pst.test>".into(),
            smtp_url: secrecy::SecretString::from(String::new()),
            outbox_dir: dir.display().to_string(),
        };
        let mailer = Mailer::from_settings(&settings).expect("outbox");
        let link = format!(
            "http://127.0.0.1:8080/verifikasi-email?token={}",
            "A".repeat(43)
        );

        mailer
            .send(
                "siti@example.id",
                "Verifikasi",
                format!("Yth. Siti Ñ,\n\n{link}\n"),
            )
            .await
            .expect("send");

        let files: Vec<_> = std::fs::read_dir(&dir)
            .expect("dir")
            .map(|e| e.expect("entry").path())
            .collect();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].extension().and_then(|e| e.to_str()), Some("eml"));
        let text = std::fs::read_to_string(&files[0]).expect("ascii");
        assert!(text.contains("To: siti@example.id"));
        assert!(
            text.contains("Content-Transfer-Encoding: quoted-printable"),
            "{text}"
        );
        assert!(
            text.replace("=\r\n", "")
                .replace("=3D", "=")
                .contains(&link),
            "{text}"
        );
    }
}
