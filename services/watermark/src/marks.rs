//! What a stamped copy says and proves: the visible lines, and the signed mark
//! (HMAC-SHA256 over the copy's id, kind, document, user and time) that cannot be forged
//! without the service's key.

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac as _};
use sha2::Sha256;
use uuid::Uuid;

use crate::pdf::text::{DOWNLOAD_LABEL, READ_LABEL};

/// A copy is a download (attachment) or a reading session (inline).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Download,
    Read,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "download" | "" => Some(Self::Download),
            "read" => Some(Self::Read),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Download => "download",
            Self::Read => "read",
        }
    }
}

/// Signs and checks marks.
#[derive(Clone)]
pub struct Signer {
    key: [u8; 32],
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signer(..)")
    }
}

/// What a mark covers.
#[derive(Debug, Clone)]
pub struct Signed<'a> {
    pub code: &'a str,
    pub kind: Kind,
    pub document_sha256: &'a str,
    pub user_id: Uuid,
    pub issued_at: DateTime<Utc>,
}

impl Signed<'_> {
    fn message(&self) -> String {
        format!(
            "pst-mark-v1|{}|{}|{}|{}|{}",
            self.code,
            self.kind.as_str(),
            self.document_sha256,
            self.user_id,
            issued(self.issued_at)
        )
    }
}

/// The time as written in the mark.
pub fn issued(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl Signer {
    pub fn new(key: [u8; 32]) -> Self {
        Self { key }
    }

    fn mac(&self) -> Hmac<Sha256> {
        <Hmac<Sha256> as hmac::Mac>::new_from_slice(&self.key)
            .expect("BUG: HMAC takes any key length")
    }

    /// Hex of the first 16 bytes of the HMAC.
    pub fn sign(&self, s: &Signed<'_>) -> String {
        let mut mac = self.mac();
        mac.update(s.message().as_bytes());
        hex::encode(&mac.finalize().into_bytes()[..16])
    }

    /// Whether `signature` is the mark of `s` (compared in constant time).
    pub fn verify(&self, s: &Signed<'_>, signature: &str) -> bool {
        let Ok(sig) = hex::decode(signature.trim()) else {
            return false;
        };
        if sig.len() != 16 {
            return false;
        }
        let mut mac = self.mac();
        mac.update(s.message().as_bytes());
        mac.verify_truncated_left(&sig).is_ok()
    }
}

/// Short zone name for an office's IANA zone.
pub fn zone_label(tz: &str) -> &'static str {
    match tz {
        "Asia/Makassar" => "WITA",
        "Asia/Jayapura" => "WIT",
        _ => "WIB",
    }
}

/// Who and what the visible stamp names.
#[derive(Debug, Clone)]
pub struct Stamp<'a> {
    pub kind: Kind,
    pub office_name: &'a str,
    pub user_name: &'a str,
    pub user_email: &'a str,
    pub at: DateTime<Utc>,
    pub tz: chrono_tz::Tz,
    pub code: &'a str,
    pub verify_url: &'a str,
}

/// The visible lines, in Indonesian, at the bottom of every page.
pub fn lines(s: &Stamp<'_>) -> Vec<String> {
    let local = s.at.with_timezone(&s.tz);
    let when = format!(
        "{} {}",
        local.format("%d-%m-%Y %H:%M"),
        zone_label(s.tz.name())
    );
    let (label, verb) = match s.kind {
        Kind::Download => (DOWNLOAD_LABEL, "Diunduh oleh"),
        Kind::Read => (READ_LABEL, "Dibaca daring oleh"),
    };
    vec![
        format!(
            "{} - {verb} {} <{}> - {when}",
            s.office_name, s.user_name, s.user_email
        ),
        format!(
            "{label}{} - TIDAK UNTUK DIPERJUALBELIKAN (tidak untuk diperjualbelikan)",
            s.code
        ),
        format!("Verifikasi: {}", s.verify_url),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed(code: &str) -> Signed<'_> {
        Signed {
            code,
            kind: Kind::Download,
            document_sha256: "ab",
            user_id: Uuid::nil(),
            issued_at: DateTime::parse_from_rfc3339("2026-11-29T07:40:00Z")
                .unwrap()
                .to_utc(),
        }
    }

    #[test]
    fn a_mark_verifies_only_for_what_it_signed() {
        let signer = Signer::new([7; 32]);
        let sig = signer.sign(&signed("AB12CD34"));
        assert_eq!(sig.len(), 32);
        assert!(signer.verify(&signed("AB12CD34"), &sig));
        assert!(!signer.verify(&signed("AB12CD35"), &sig));
        assert!(!Signer::new([8; 32]).verify(&signed("AB12CD34"), &sig));
        assert!(!signer.verify(&signed("AB12CD34"), "zz"));
    }

    #[test]
    fn lines_name_the_user_the_office_time_and_id() {
        let at = DateTime::parse_from_rfc3339("2026-11-29T07:40:00Z")
            .unwrap()
            .to_utc();
        let l = lines(&Stamp {
            kind: Kind::Download,
            office_name: "BPS Kota Lubuklinggau",
            user_name: "Budi",
            user_email: "budi@example.id",
            at,
            tz: chrono_tz::Asia::Jakarta,
            code: "AB12CD34",
            verify_url: "http://x/v",
        });
        assert!(l[0].contains("BPS Kota Lubuklinggau") && l[0].contains("29-11-2026 14:40 WIB"));
        assert!(l[0].contains("budi@example.id"));
        assert!(l[1].starts_with("ID unduhan: AB12CD34"));
        assert!(l[1].contains("tidak untuk diperjualbelikan"));
    }
}
