//! The one error type of every service, turned into a `tonic::Status` in exactly one
//! place. The status carries a stable machine `code` (google.rpc.ErrorInfo reason), the
//! offending fields (google.rpc.BadRequest) and an Indonesian message; internal causes are
//! logged with their chain and never sent to clients.

use std::collections::HashMap;

use tonic::Code;
use tonic_types::{ErrorDetails, StatusExt};

/// The `domain` of every ErrorInfo we send.
pub const ERROR_DOMAIN: &str = "pst.bps.go.id";

/// A field that failed validation, with an Indonesian message for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldViolation {
    pub field: String,
    pub message: String,
}

impl FieldViolation {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// One or more fields are invalid.
    #[error("validation failed: {0:?}")]
    Validation(Vec<FieldViolation>),
    #[error("{code}: {detail}")]
    NotFound { code: &'static str, detail: String },
    /// A uniqueness or state conflict; `field` names the offending field when there is one.
    #[error("{code}: {detail}")]
    Conflict {
        code: &'static str,
        detail: String,
        field: Option<&'static str>,
    },
    /// The action is not allowed in the current state (e.g. finishing a ticket twice).
    #[error("{code}: {detail}")]
    FailedPrecondition { code: &'static str, detail: String },
    #[error("{code}: {detail}")]
    Unauthenticated { code: &'static str, detail: String },
    #[error("{code}: {detail}")]
    PermissionDenied { code: &'static str, detail: String },
    #[error("{code}: {detail} (retry after {retry_after_secs}s)")]
    TooManyRequests {
        code: &'static str,
        detail: String,
        retry_after_secs: u64,
    },
    #[error("{code}: {detail}")]
    Unavailable { code: &'static str, detail: String },
    /// Content that cannot be accepted as a whole (a damaged or unsafe file), with its
    /// stable code: gRPC INVALID_ARGUMENT, HTTP 422.
    #[error("{code}: {detail}")]
    Rejected { code: &'static str, detail: String },
    /// Content larger than the configured limit: gRPC OUT_OF_RANGE, HTTP 413.
    #[error("{code}: {detail}")]
    TooLarge { code: &'static str, detail: String },
    /// Stored data that should be there is gone (a lost file): gRPC DATA_LOSS, HTTP 500 with
    /// its own code, so it is not mistaken for an outage to retry.
    #[error("{code}: {detail}")]
    DataLoss { code: &'static str, detail: String },
    /// Anything unexpected; logged, and reported to the client only as an internal error.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldViolation::new(field, message)])
    }

    pub fn unauthenticated(detail: impl Into<String>) -> Self {
        Self::Unauthenticated {
            code: "UNAUTHENTICATED",
            detail: detail.into(),
        }
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::PermissionDenied {
            code: "FORBIDDEN",
            detail: detail.into(),
        }
    }

    pub fn internal(e: impl Into<anyhow::Error>) -> Self {
        Self::Internal(e.into())
    }

    /// The stable code clients may branch on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation(_) => "VALIDATION_FAILED",
            Self::NotFound { code, .. }
            | Self::Conflict { code, .. }
            | Self::FailedPrecondition { code, .. }
            | Self::Unauthenticated { code, .. }
            | Self::PermissionDenied { code, .. }
            | Self::TooManyRequests { code, .. }
            | Self::Unavailable { code, .. }
            | Self::Rejected { code, .. }
            | Self::TooLarge { code, .. }
            | Self::DataLoss { code, .. } => code,
            Self::Internal(_) => "INTERNAL",
        }
    }
}

/// SQLSTATEs that mean the database cannot be reached right now, not that the query was
/// wrong: connection exceptions (08), shutdown and recovery (57P01-57P03), too many
/// connections (53300), and the service's database missing (3D000). A protocol violation
/// (08P01) is our bug, not an outage.
fn unreachable_state(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => d.code().is_some_and(|c| {
            (c.starts_with("08") && c != "08P01")
                || matches!(c.as_ref(), "57P01" | "57P02" | "57P03" | "53300" | "3D000")
        }),
        _ => false,
    }
}

impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => {
                tracing::error!(error = %e, "database unavailable");
                Self::Unavailable {
                    code: "DATABASE_UNAVAILABLE",
                    detail: "Basis data sedang tidak tersedia; coba lagi sebentar lagi.".into(),
                }
            }
            _ if unreachable_state(&e) => {
                tracing::error!(error = %e, "database unavailable");
                Self::Unavailable {
                    code: "DATABASE_UNAVAILABLE",
                    detail: "Basis data sedang tidak tersedia; coba lagi sebentar lagi.".into(),
                }
            }
            _ => Self::Internal(e.into()),
        }
    }
}

impl From<AppError> for tonic::Status {
    fn from(err: AppError) -> Self {
        let code = err.code();
        let mut details = ErrorDetails::new();
        let mut meta = HashMap::new();
        let (status_code, message) = match err {
            AppError::Validation(violations) => {
                for v in &violations {
                    details.add_bad_request_violation(v.field.clone(), v.message.clone());
                }
                let fields: Vec<_> = violations.iter().map(|v| v.field.as_str()).collect();
                (
                    Code::InvalidArgument,
                    format!("Data tidak valid: {}.", fields.join(", ")),
                )
            }
            AppError::NotFound { detail, .. } => (Code::NotFound, detail),
            AppError::Conflict { detail, field, .. } => {
                if let Some(f) = field {
                    details.add_bad_request_violation(f, detail.clone());
                }
                (Code::AlreadyExists, detail)
            }
            AppError::FailedPrecondition { detail, .. } => (Code::FailedPrecondition, detail),
            AppError::Unauthenticated { detail, .. } => (Code::Unauthenticated, detail),
            AppError::PermissionDenied { detail, .. } => (Code::PermissionDenied, detail),
            AppError::TooManyRequests {
                detail,
                retry_after_secs,
                ..
            } => {
                meta.insert("retry_after_secs".to_owned(), retry_after_secs.to_string());
                (Code::ResourceExhausted, detail)
            }
            AppError::Unavailable { detail, .. } => (Code::Unavailable, detail),
            AppError::Rejected { detail, .. } => (Code::InvalidArgument, detail),
            AppError::TooLarge { detail, .. } => (Code::OutOfRange, detail),
            AppError::DataLoss { detail, .. } => (Code::DataLoss, detail),
            AppError::Internal(cause) => {
                tracing::error!(error = ?cause, "internal error");
                (
                    Code::Internal,
                    "Terjadi kesalahan internal; silakan coba lagi.".to_owned(),
                )
            }
        };
        details.set_error_info(code, ERROR_DOMAIN, meta);
        tonic::Status::with_error_details(status_code, message, details)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_becomes_invalid_argument_with_field_violations_and_code() {
        let status: tonic::Status = AppError::Validation(vec![
            FieldViolation::new("email", "Format e-mail tidak valid."),
            FieldViolation::new("id_number", "NIK harus 16 digit angka."),
        ])
        .into();
        assert_eq!(status.code(), Code::InvalidArgument);
        let details = status.get_error_details();
        let bad = details.bad_request().expect("bad request details");
        assert_eq!(bad.field_violations.len(), 2);
        assert_eq!(bad.field_violations[1].field, "id_number");
        assert_eq!(
            details.error_info().expect("info").reason,
            "VALIDATION_FAILED"
        );
    }

    #[test]
    fn internal_errors_hide_their_cause() {
        let status: tonic::Status =
            AppError::internal(anyhow::anyhow!("password=hunter2 leaked")).into();
        assert_eq!(status.code(), Code::Internal);
        assert!(!status.message().contains("hunter2"));
    }

    #[test]
    fn throttling_carries_retry_after() {
        let status: tonic::Status = AppError::TooManyRequests {
            code: "LOGIN_THROTTLED",
            detail: "Coba lagi.".into(),
            retry_after_secs: 42,
        }
        .into();
        assert_eq!(status.code(), Code::ResourceExhausted);
        let info = status
            .get_error_details()
            .error_info()
            .cloned()
            .expect("info");
        assert_eq!(
            info.metadata.get("retry_after_secs").map(String::as_str),
            Some("42")
        );
    }
}
