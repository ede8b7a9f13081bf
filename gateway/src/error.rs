//! Every error the gateway answers is `application/problem+json` (RFC 9457) with a stable
//! `code`, the offending `errors[].field`s and an Indonesian `detail`. gRPC statuses and
//! JSON rejections both come through here; logging happens in the trace middleware.

use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tonic::Code;
use tonic_types::StatusExt as _;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// A problem document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    /// Stable machine-readable code, e.g. `EMAIL_TAKEN`.
    pub code: String,
    /// What went wrong, in Indonesian.
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u64>,
}

#[derive(Debug)]
pub struct ApiError(pub StatusCode, pub Problem);

impl ApiError {
    pub fn new(status: StatusCode, code: &str, detail: impl Into<String>) -> Self {
        Self(
            status,
            Problem {
                type_: format!(
                    "https://pst.bps.go.id/problems/{}",
                    code.to_ascii_lowercase().replace('_', "-")
                ),
                title: status.canonical_reason().unwrap_or("Error").to_owned(),
                status: status.as_u16(),
                code: code.to_owned(),
                detail: detail.into(),
                errors: Vec::new(),
                retry_after_secs: None,
            },
        )
    }

    /// One invalid field, as the services answer it (422 `VALIDATION_FAILED`).
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_FAILED",
            format!("Data tidak valid: {field}."),
        )
        .with_field(field, message)
    }

    pub fn with_field(mut self, field: &str, message: impl Into<String>) -> Self {
        self.1.errors.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
        self
    }
}

fn http_status(code: Code) -> StatusCode {
    match code {
        Code::Ok => StatusCode::OK,
        Code::InvalidArgument => StatusCode::UNPROCESSABLE_ENTITY,
        Code::OutOfRange => StatusCode::PAYLOAD_TOO_LARGE,
        Code::NotFound => StatusCode::NOT_FOUND,
        Code::AlreadyExists | Code::Aborted | Code::FailedPrecondition => StatusCode::CONFLICT,
        Code::Unauthenticated => StatusCode::UNAUTHORIZED,
        Code::PermissionDenied => StatusCode::FORBIDDEN,
        Code::ResourceExhausted => StatusCode::TOO_MANY_REQUESTS,
        Code::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        Code::DeadlineExceeded => StatusCode::GATEWAY_TIMEOUT,
        Code::Unimplemented => StatusCode::NOT_IMPLEMENTED,
        Code::Cancelled => StatusCode::from_u16(499).expect("BUG: 499 is a valid status"),
        Code::Unknown | Code::Internal | Code::DataLoss => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<tonic::Status> for ApiError {
    fn from(s: tonic::Status) -> Self {
        // The channel's own deadline ends a call as "cancelled"; it is a timeout.
        let s = if s.code() == Code::Cancelled && s.message().contains("Timeout expired") {
            tonic::Status::deadline_exceeded(s.message().to_owned())
        } else {
            s
        };
        let status = http_status(s.code());
        let details = s.get_error_details();
        let (code, detail) = match (details.error_info(), s.code()) {
            (Some(info), _) => (info.reason.clone(), s.message().to_owned()),
            // A status without our details did not come from a PST service's own logic:
            // the backend is down, timed out, or the transport failed.
            (None, Code::Unavailable) => (
                "SERVICE_UNAVAILABLE".to_owned(),
                "Layanan sedang tidak tersedia; coba lagi sebentar lagi.".to_owned(),
            ),
            (None, Code::DeadlineExceeded) => (
                "BACKEND_TIMEOUT".to_owned(),
                "Layanan terlalu lama menjawab; coba lagi.".to_owned(),
            ),
            (None, _) => (
                "INTERNAL".to_owned(),
                "Terjadi kesalahan internal; silakan coba lagi.".to_owned(),
            ),
        };
        let mut err = ApiError::new(status, &code, detail);
        if let Some(bad) = details.bad_request() {
            for v in &bad.field_violations {
                err = err.with_field(&v.field, v.description.clone());
            }
        }
        err.1.retry_after_secs = details
            .error_info()
            .and_then(|i| i.metadata.get("retry_after_secs"))
            .and_then(|v| v.parse().ok());
        err
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let retry = self.1.retry_after_secs;
        let mut res = (self.0, axum::Json(self.1)).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(secs) = retry
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        res
    }
}

/// `axum::Json` whose rejections are problem documents.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_ascii_lowercase()
            })
            .is_some_and(|m| {
                m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
            });
        if !json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UNSUPPORTED_MEDIA_TYPE",
                "Kirim isi permintaan sebagai JSON (Content-Type: application/json).",
            ));
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|r| {
                if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::new(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "BODY_TOO_LARGE",
                        "Isi permintaan terlalu besar.",
                    )
                } else {
                    ApiError::new(
                        StatusCode::BAD_REQUEST,
                        "BAD_REQUEST",
                        "Isi permintaan tidak dapat dibaca.",
                    )
                }
            })?;
        // No text anywhere may carry a NUL character (Postgres cannot store it).
        if bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000")) {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "INVALID_CHARACTER",
                "Teks tidak boleh memuat karakter NUL (\\u0000).",
            ));
        }
        // A whole number written with a fraction (`6.0`) is an integer in JSON Schema terms:
        // read it as one.
        let mut value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|_| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "MALFORMED_JSON",
                "Isi permintaan bukan JSON yang valid.",
            )
        })?;
        integral_floats(&mut value);
        serde_path_to_error::deserialize::<_, T>(value)
            .map(Self)
            .map_err(body_error)
    }
}

/// `6.0` → `6`, anywhere in `v` (within the range of an i64 or u64).
fn integral_floats(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64()
                && f.fract() == 0.0
            {
                if f >= 0.0 && f < u64::MAX as f64 {
                    *v = serde_json::Value::from(f as u64);
                } else if f < 0.0 && f >= i64::MIN as f64 {
                    *v = serde_json::Value::from(f as i64);
                }
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(integral_floats),
        serde_json::Value::Object(o) => o.values_mut().for_each(integral_floats),
        _ => {}
    }
}

/// A body that is JSON but not of the expected shape: 422 naming the field.
fn body_error(e: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    // As axum words it: `field.path: what is wrong`.
    let msg = match e.path().to_string().as_str() {
        "." => e.inner().to_string(),
        path => format!("{path}: {}", e.inner()),
    };
    let mut err = ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "INVALID_BODY",
        format!("Isi permintaan tidak sesuai: {msg}"),
    );
    if let Some(field) = offending_field(&msg) {
        let message = if msg.contains("unknown field") {
            "Kolom tidak dikenal."
        } else {
            "Kolom wajib ada atau bertipe salah."
        };
        err = err.with_field(&field, message);
    }
    err
}

/// The field serde complained about: `unknown field `x``, `missing field `x``, or a path
/// prefix like `x: invalid type`.
fn offending_field(msg: &str) -> Option<String> {
    for marker in ["unknown field `", "missing field `"] {
        if let Some(rest) = msg.split(marker).nth(1) {
            return rest.split('`').next().map(str::to_owned);
        }
    }
    let body = msg.split_once(": ").map(|(_, b)| b)?;
    let (path, _) = body.split_once(": ")?;
    (!path.contains(' ')).then(|| path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_channel_deadline_is_a_gateway_timeout_not_a_cancelled_request() {
        let ApiError(code, problem) = tonic::Status::cancelled("Timeout expired").into();
        assert_eq!(
            (code, problem.code.as_str()),
            (StatusCode::GATEWAY_TIMEOUT, "BACKEND_TIMEOUT")
        );
        let ApiError(code, _) = tonic::Status::cancelled("the client went away").into();
        assert_eq!(code.as_u16(), 499);
    }

    #[test]
    fn status_details_become_problem_fields_and_code() {
        let status: tonic::Status =
            pst_kit::AppError::Validation(vec![pst_kit::FieldViolation::new(
                "id_number",
                "NIK harus 16 digit.",
            )])
            .into();
        let ApiError(code, problem) = status.into();
        assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(problem.code, "VALIDATION_FAILED");
        assert_eq!(problem.errors[0].field, "id_number");
    }

    #[test]
    fn a_bare_unavailable_status_is_a_503_with_a_clear_message() {
        let ApiError(code, problem) = tonic::Status::unavailable("tcp connect error").into();
        assert_eq!(code, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(problem.code, "SERVICE_UNAVAILABLE");
        assert!(!problem.detail.contains("tcp"));
    }

    #[test]
    fn serde_messages_name_the_field() {
        assert_eq!(offending_field("Failed to deserialize the JSON body into the target type: unknown field `nik`, expected one of `email`").as_deref(), Some("nik"));
        assert_eq!(offending_field("Failed to deserialize the JSON body into the target type: missing field `email` at line 1").as_deref(), Some("email"));
        assert_eq!(offending_field("Failed to deserialize the JSON body into the target type: id_type: unknown variant `x`").as_deref(), Some("id_type"));
    }
}

/// `axum::extract::Query` whose rejections are problem documents.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<S, T> axum::extract::FromRequestParts<S> for ApiQuery<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Self(v)),
            Err(rejection) => {
                let msg = rejection.body_text();
                let mut err = ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "INVALID_QUERY",
                    format!("Parameter alamat tidak sesuai: {msg}"),
                );
                if let Some(field) = offending_field(&msg) {
                    err = err.with_field(&field, "Parameter wajib ada atau bertipe salah.");
                }
                Err(err)
            }
        }
    }
}
