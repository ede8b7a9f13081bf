//! Complaints: channels, categories, text limits, and who may move a complaint from which
//! status to which.

use pst_kit::AppError;

pub const CHANNELS: [&str; 5] = ["app", "kotak_saran", "lapor", "pengaduan_bps", "email"];
pub const CATEGORIES: [&str; 5] = ["layanan", "petugas", "fasilitas", "data", "lainnya"];
pub const REFERENCE_KINDS: [&str; 3] = ["visit", "publication", "download"];
pub const MAX_TEXT: usize = 5000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Received,
    InProgress,
    Answered,
    Closed,
    Reopened,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Self::Received,
        Self::InProgress,
        Self::Answered,
        Self::Closed,
        Self::Reopened,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::InProgress => "in_progress",
            Self::Answered => "answered",
            Self::Closed => "closed",
            Self::Reopened => "reopened",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn is_open(self) -> bool {
        !matches!(self, Self::Closed | Self::Answered)
    }
}

/// Who asks for a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Staff,
    Complainant,
}

/// Whether `actor` may move a complaint from `from` to `to`. A complainant may accept an
/// answer (close) or reopen within `reopen_window_ok`; only staff work on complaints.
pub fn check_transition(
    actor: Actor,
    from: Status,
    to: Status,
    reopen_window_ok: bool,
) -> Result<(), AppError> {
    use Status::*;
    let allowed = match actor {
        Actor::Staff => matches!(
            (from, to),
            (Received | Reopened, InProgress)
                | (Received | InProgress | Reopened, Answered)
                | (Received | InProgress | Answered | Reopened, Closed)
        ),
        Actor::Complainant => match (from, to) {
            (Answered, Closed) => true,
            (Answered | Closed, Reopened) => {
                if !reopen_window_ok {
                    return Err(AppError::FailedPrecondition {
                        code: "REOPEN_WINDOW_PASSED",
                        detail: "Batas waktu untuk membuka kembali pengaduan ini sudah lewat; ajukan pengaduan baru.".into(),
                    });
                }
                true
            }
            _ => false,
        },
    };
    if allowed {
        Ok(())
    } else {
        Err(AppError::FailedPrecondition {
            code: "ILLEGAL_STATUS_CHANGE",
            detail: format!(
                "Status pengaduan tidak dapat diubah dari '{}' ke '{}' oleh {}.",
                from.as_str(),
                to.as_str(),
                match actor {
                    Actor::Staff => "petugas",
                    Actor::Complainant => "pelapor",
                }
            ),
        })
    }
}

/// One of `allowed`, or the message listing them.
pub fn one_of(value: &str, allowed: &[&str]) -> Result<String, String> {
    let v = value.trim();
    if allowed.contains(&v) {
        Ok(v.to_owned())
    } else {
        Err(format!("Pilihan: {}.", allowed.join(", ")))
    }
}

/// 10 to 5,000 characters (a 50 kB text is refused).
pub fn text(field: &str, value: &str) -> Result<String, AppError> {
    let v = value.trim();
    let n = v.chars().count();
    if n < 10 {
        return Err(AppError::field(field, "Tuliskan minimal 10 karakter."));
    }
    if n > MAX_TEXT {
        return Err(AppError::field(
            field,
            format!("Maksimal {MAX_TEXT} karakter."),
        ));
    }
    Ok(v.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    #[test]
    fn a_visitor_cannot_put_a_closed_complaint_back_in_progress() {
        let err = check_transition(Actor::Complainant, Closed, InProgress, true).unwrap_err();
        assert_eq!(err.code(), "ILLEGAL_STATUS_CHANGE");
    }

    #[test]
    fn the_complainant_reopens_only_within_the_window() {
        assert!(check_transition(Actor::Complainant, Answered, Reopened, true).is_ok());
        assert!(check_transition(Actor::Complainant, Closed, Reopened, true).is_ok());
        assert_eq!(
            check_transition(Actor::Complainant, Closed, Reopened, false)
                .unwrap_err()
                .code(),
            "REOPEN_WINDOW_PASSED"
        );
        assert!(check_transition(Actor::Complainant, Answered, Closed, true).is_ok());
    }

    #[test]
    fn staff_follow_the_life_cycle() {
        assert!(check_transition(Actor::Staff, Received, InProgress, false).is_ok());
        assert!(check_transition(Actor::Staff, Reopened, InProgress, false).is_ok());
        assert!(check_transition(Actor::Staff, Answered, Closed, false).is_ok());
        assert!(check_transition(Actor::Staff, Closed, InProgress, false).is_err());
        assert!(check_transition(Actor::Staff, Received, Reopened, false).is_err());
    }

    #[test]
    fn texts_have_limits() {
        assert!(text("text", "terlalu").is_err());
        assert!(text("text", &"x".repeat(50_000)).is_err());
        assert!(text("text", "Koleksi tercetak tahun 2023 belum tersedia di rak.").is_ok());
    }
}
