//! Ticket states, numbers and the transitions a counter may make.

use pst_kit::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Waiting,
    Called,
    Skipped,
    Serving,
    Done,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Called => "called",
            Self::Skipped => "skipped",
            Self::Serving => "serving",
            Self::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Waiting,
            Self::Called,
            Self::Skipped,
            Self::Serving,
            Self::Done,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }

    /// The wire enum value.
    pub fn to_pb(self) -> i32 {
        match self {
            Self::Waiting => 1,
            Self::Called => 2,
            Self::Skipped => 3,
            Self::Serving => 4,
            Self::Done => 5,
        }
    }

    /// Indonesian, for messages.
    pub fn label(self) -> &'static str {
        match self {
            Self::Waiting => "menunggu",
            Self::Called => "dipanggil",
            Self::Skipped => "dilewati",
            Self::Serving => "sedang dilayani",
            Self::Done => "selesai",
        }
    }
}

/// `P-007`: the service prefix and the daily number, at least three digits.
pub fn display_number(prefix: &str, number: i32) -> String {
    format!("{prefix}-{number:03}")
}

fn wrong_state(action: &str, status: Status) -> AppError {
    AppError::FailedPrecondition {
        code: "TICKET_WRONG_STATE",
        detail: format!(
            "Nomor antrean ini sedang {}; tidak dapat {action}.",
            status.label()
        ),
    }
}

/// Recall: a called ticket again (within the call limit), or a skipped one within its grace.
pub fn check_recall(
    status: Status,
    calls: u32,
    max_calls: u32,
    skipped_secs_ago: Option<i64>,
    grace_secs: u32,
) -> Result<(), AppError> {
    match status {
        Status::Called if calls >= max_calls => Err(AppError::FailedPrecondition {
            code: "RECALL_LIMIT",
            detail: format!(
                "Nomor ini sudah dipanggil {calls} kali (batas {max_calls}); lewati atau layani."
            ),
        }),
        Status::Called => Ok(()),
        Status::Skipped => match skipped_secs_ago {
            Some(s) if s <= i64::from(grace_secs) => Ok(()),
            _ => Err(AppError::FailedPrecondition {
                code: "SKIP_GRACE_EXPIRED",
                detail: format!(
                    "Batas waktu {} menit untuk kembali setelah dilewati sudah habis; ambil nomor baru.",
                    grace_secs / 60
                ),
            }),
        },
        other => Err(wrong_state("dipanggil ulang", other)),
    }
}

pub fn check_skip(status: Status) -> Result<(), AppError> {
    match status {
        Status::Called => Ok(()),
        other => Err(wrong_state("dilewati", other)),
    }
}

pub fn check_start(status: Status) -> Result<(), AppError> {
    match status {
        Status::Called => Ok(()),
        other => Err(wrong_state("mulai dilayani", other)),
    }
}

pub fn check_finish(status: Status) -> Result<(), AppError> {
    match status {
        Status::Serving => Ok(()),
        Status::Done => Err(AppError::FailedPrecondition {
            code: "TICKET_ALREADY_FINISHED",
            detail: "Layanan untuk nomor ini sudah selesai.".into(),
        }),
        other => Err(wrong_state("diselesaikan", other)),
    }
}

/// Transfer to another line: only while not yet being served.
pub fn check_transfer(status: Status) -> Result<(), AppError> {
    match status {
        Status::Waiting | Status::Called | Status::Skipped => Ok(()),
        other => Err(wrong_state("dipindahkan", other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_prefix_and_three_digits() {
        assert_eq!(display_number("P", 7), "P-007");
        assert_eq!(display_number("K", 1234), "K-1234");
    }

    #[test]
    fn recall_respects_the_limit_and_the_grace() {
        assert!(check_recall(Status::Called, 2, 3, None, 600).is_ok());
        assert_eq!(
            check_recall(Status::Called, 3, 3, None, 600)
                .unwrap_err()
                .code(),
            "RECALL_LIMIT"
        );
        assert!(check_recall(Status::Skipped, 1, 3, Some(599), 600).is_ok());
        assert_eq!(
            check_recall(Status::Skipped, 1, 3, Some(601), 600)
                .unwrap_err()
                .code(),
            "SKIP_GRACE_EXPIRED"
        );
        assert_eq!(
            check_recall(Status::Waiting, 0, 3, None, 600)
                .unwrap_err()
                .code(),
            "TICKET_WRONG_STATE"
        );
    }

    #[test]
    fn finishing_twice_has_its_own_code() {
        assert!(check_finish(Status::Serving).is_ok());
        assert_eq!(
            check_finish(Status::Done).unwrap_err().code(),
            "TICKET_ALREADY_FINISHED"
        );
        assert_eq!(
            check_start(Status::Waiting).unwrap_err().code(),
            "TICKET_WRONG_STATE"
        );
    }
}
