//! Uploading a publication's softcopy, and verifying a PDF's mark. The request body, a
//! PDF, streams through to the watermark service, up to the configured document size.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures::StreamExt as _;
use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use pst_proto::watermark as pb;

use super::log::DownloadView;
use crate::ctx::Ctx;
use crate::drain::drain;
use crate::error::{ApiError, ApiQuery, Problem};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload))
        .routes(routes!(verify))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentView {
    pub id: String,
    pub publication_id: String,
    pub office_code: String,
    pub sha256: String,
    pub size_bytes: u64,
    pub pages: u32,
    /// Cross-reference kind of the file: `table` or `stream`.
    pub xref_kind: String,
    pub linearized: bool,
    pub created_at: String,
    /// The same file was already stored for this publication; nothing new was kept.
    pub duplicate: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    /// Original file name, kept for the librarian's reference.
    #[serde(default)]
    pub filename: String,
}

// ApiError is what every handler returns; these helpers run once per request.
#[allow(clippy::result_large_err)]
fn require_pdf(headers: &HeaderMap) -> Result<(), ApiError> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if ct.split(';').next().map(str::trim) == Some("application/pdf") {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UNSUPPORTED_MEDIA_TYPE",
            "Kirim berkas PDF dengan Content-Type: application/pdf.",
        ))
    }
}

fn too_large(max: u64) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "DOCUMENT_TOO_LARGE",
        format!("Berkas melebihi batas {} MB.", max.div_ceil(1 << 20)),
    )
}

/// The body's pieces as upload chunks, up to `max` bytes. On failure the error goes
/// through `fail` and the stream stays pending for ever: the caller cancels the call
/// instead of completing it with a truncated file.
struct LimitedBody {
    body: axum::body::BodyDataStream,
    seen: u64,
    max: u64,
    fail: Option<oneshot::Sender<ApiError>>,
}

impl Drop for LimitedBody {
    /// A call that ended before the body did (the service refused it, or the limit was
    /// passed): what the client still sends is drained, not left to break its pipe.
    fn drop(&mut self) {
        let rest = std::mem::replace(&mut self.body, Body::empty().into_data_stream());
        drain(rest);
    }
}

impl futures::Stream for LimitedBody {
    type Item = pb::UploadChunk;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        if self.fail.is_none() {
            return Poll::Pending;
        }
        let err = match futures::ready!(self.body.poll_next_unpin(cx)) {
            None => return Poll::Ready(None),
            Some(Ok(bytes)) => {
                self.seen += bytes.len() as u64;
                if self.seen <= self.max {
                    return Poll::Ready(Some(pb::UploadChunk {
                        data: bytes,
                        ..Default::default()
                    }));
                }
                too_large(self.max)
            }
            Some(Err(e)) => {
                tracing::info!(error = %e, "upload body failed");
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "UPLOAD_INCOMPLETE",
                    "Unggahan terputus sebelum selesai; tidak ada yang disimpan.",
                )
            }
        };
        if let Some(tx) = self.fail.take() {
            let _ = tx.send(err);
        }
        Poll::Pending
    }
}

type Upload = (
    futures::stream::Chain<
        futures::stream::Iter<std::array::IntoIter<pb::UploadChunk, 1>>,
        LimitedBody,
    >,
    oneshot::Receiver<ApiError>,
);

/// The request body as a client-streaming request, `first` first. A body that fails (the
/// client went away) or passes the limit reports through the receiver and the stream
/// never ends, so the caller cancels the call and the service keeps nothing.
#[allow(clippy::result_large_err)]
fn body_stream(
    headers: &HeaderMap,
    body: Body,
    max: u64,
    first: pb::UploadChunk,
) -> Result<Upload, ApiError> {
    if let Err(e) = require_pdf(headers) {
        drain(body.into_data_stream());
        return Err(e);
    }
    if let Some(len) = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        && len > max
    {
        drain(body.into_data_stream());
        return Err(too_large(max));
    }
    let (fail_tx, fail_rx) = oneshot::channel::<ApiError>();
    let data = LimitedBody {
        body: body.into_data_stream(),
        seen: 0,
        max,
        fail: Some(fail_tx),
    };
    let stream = futures::stream::iter([first]).chain(data);
    Ok((stream, fail_rx))
}

/// Upload the publication's softcopy (librarian of its office). The body is the PDF
/// (`application/pdf`), up to the configured size (default 200 MiB), streamed through:
/// validated (not encrypted, no JavaScript or embedded files, page tree, decompression
/// limits), hashed, stored and linked to the catalogue entry. A failed upload stores
/// nothing.
#[utoipa::path(post, path = "/api/v1/publications/{id}/document", tag = "dokumen", security(("bearer" = [])),
    params(("id" = String, Path), UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/pdf"),
    responses((status = 201, body = DocumentView), (status = 200, body = DocumentView, description = "The same file was already stored"),
        (status = 403, body = Problem), (status = 409, body = Problem), (status = 413, body = Problem),
        (status = 415, body = Problem), (status = 422, body = Problem), (status = 503, body = Problem)))]
async fn upload(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<UploadQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let d = store_softcopy(&s, &ctx, id, q.filename, &headers, body).await?;
    let status = if d.duplicate {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(d)).into_response())
}

/// Use case: stream a PDF body to the watermark service as the publication's softcopy.
pub async fn store_softcopy(
    s: &AppState,
    ctx: &Ctx,
    id: String,
    filename: String,
    headers: &HeaderMap,
    body: Body,
) -> Result<DocumentView, ApiError> {
    let first = pb::UploadChunk {
        publication_id: id,
        filename: if filename.is_empty() {
            "dokumen.pdf".into()
        } else {
            filename.chars().take(200).collect()
        },
        data: Default::default(),
    };
    let (stream, failed) = body_stream(headers, body, s.max_upload_bytes, first)?;
    let mut client = s.watermark.clone();
    let d = tokio::select! {
        r = client.upload_document(ctx.request(stream)) => r?.into_inner(),
        Ok(e) = failed => return Err(e),
    };
    Ok(DocumentView {
        id: d.id,
        publication_id: d.publication_id,
        office_code: d.office_code,
        sha256: d.sha256,
        size_bytes: d.size_bytes,
        pages: d.pages,
        xref_kind: d.xref_kind,
        linearized: d.linearized,
        created_at: d.created_at,
        duplicate: d.duplicate,
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VerifyView {
    /// `intact`, `stripped` (mark removed, found by the printed id), `forged` or `unknown`.
    pub verdict: String,
    pub detail: String,
    pub download: Option<DownloadView>,
}

/// Which download a PDF came from, and whether its mark is intact (staff). The body is
/// the PDF (`application/pdf`).
#[utoipa::path(post, path = "/api/v1/documents/verify", tag = "dokumen", security(("bearer" = [])),
    request_body(content = Vec<u8>, content_type = "application/pdf"),
    responses((status = 200, body = VerifyView), (status = 403, body = Problem), (status = 413, body = Problem),
        (status = 415, body = Problem), (status = 422, body = Problem)))]
async fn verify(
    State(s): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<VerifyView>, ApiError> {
    Ok(Json(verify_copy(&s, &ctx, &headers, body).await?))
}

/// Use case: stream a PDF body to the watermark service and get its verdict.
pub async fn verify_copy(
    s: &AppState,
    ctx: &Ctx,
    headers: &HeaderMap,
    body: Body,
) -> Result<VerifyView, ApiError> {
    let first = pb::UploadChunk {
        filename: "verifikasi.pdf".into(),
        ..Default::default()
    };
    let (stream, failed) = body_stream(headers, body, s.max_upload_bytes, first)?;
    let mut client = s.watermark.clone();
    let v = tokio::select! {
        r = client.verify(ctx.request(stream)) => r?.into_inner(),
        Ok(e) = failed => return Err(e),
    };
    Ok(VerifyView {
        verdict: v.verdict,
        detail: v.detail,
        download: v.download.map(DownloadView::from),
    })
}
