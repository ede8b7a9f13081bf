//! Softcopies, one module per concern: upload and verification (request bodies stream in),
//! stamped copies to read or download (bodies stream out, with HTTP ranges), and the
//! download log (checking a printed id, the user's own downloads). The watermark service
//! checks every permission itself and logs every copy.

mod copies;
mod log;
mod report;
mod upload;

use std::time::Duration;

use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub use copies::{copy, parse_range};
pub use log::{CodeView, DownloadList, DownloadView, downloads_of_me, verify_code};
pub use report::{DownloadCountView, DownloadReportView, downloads};
pub use upload::{DocumentView, UploadQuery, VerifyView, store_softcopy, verify_copy};

/// How long an upload or a verification may take (a 200 MB file on a slow link).
const UPLOAD_TIMEOUT: Duration = Duration::from_secs(30 * 60);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(copies::router())
        .merge(log::router())
        .merge(report::router())
}

/// Routes whose request bodies are documents: no body limit but the configured document
/// size, and a long deadline.
pub fn upload_router() -> OpenApiRouter<AppState> {
    upload::router()
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::GATEWAY_TIMEOUT,
            UPLOAD_TIMEOUT,
        ))
}
