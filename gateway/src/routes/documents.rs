//! Softcopies: upload, stamped copies to read or download (with HTTP ranges), verifying a
//! copy, and the user's own downloads. Bodies stream through in both directions; the
//! watermark service checks every permission itself and logs every copy. With direct
//! delivery the gateway reads the stored original itself (read-only) and appends the
//! bytes the service granted; otherwise the service streams the whole copy.

use std::time::Duration;

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures::stream::BoxStream;
use futures::{StreamExt as _, TryStreamExt as _};
use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use pst_kit::AppError;
use pst_kit::storage::{self, Storage};
use pst_proto::watermark as pb;

use super::PageQuery;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiQuery, Problem};
use crate::state::AppState;

/// How long an upload or a verification may take (a 200 MB file on a slow link).
const UPLOAD_TIMEOUT: Duration = Duration::from_secs(30 * 60);

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(read))
        .routes(routes!(download))
        .routes(routes!(check_code))
        .routes(routes!(my_downloads))
}

/// Routes whose request bodies are documents: no body limit but the configured document
/// size, and a long deadline.
pub fn upload_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload))
        .routes(routes!(verify))
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::GATEWAY_TIMEOUT,
            UPLOAD_TIMEOUT,
        ))
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

#[derive(Debug, Serialize, ToSchema)]
pub struct DownloadView {
    pub id: String,
    /// The short id printed on every page.
    pub code: String,
    /// `download` or `read`.
    pub kind: String,
    pub publication_id: String,
    pub publication_title: String,
    pub document_id: String,
    pub user_id: String,
    pub user_name: String,
    pub user_email: String,
    pub office_code: String,
    pub issued_at: String,
    pub client_ip: String,
    pub user_agent: String,
}

impl From<pb::Download> for DownloadView {
    fn from(d: pb::Download) -> Self {
        Self {
            id: d.id,
            code: d.code,
            kind: d.kind,
            publication_id: d.publication_id,
            publication_title: d.publication_title,
            document_id: d.document_id,
            user_id: d.user_id,
            user_name: d.user_name,
            user_email: d.user_email,
            office_code: d.office_code,
            issued_at: d.issued_at,
            client_ip: d.client_ip,
            user_agent: d.user_agent,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
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
    require_pdf(headers)?;
    if let Some(len) = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        && len > max
    {
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
    let first = pb::UploadChunk {
        publication_id: id,
        filename: if q.filename.is_empty() {
            "dokumen.pdf".into()
        } else {
            q.filename
        },
        data: Default::default(),
    };
    let (stream, failed) = body_stream(&headers, body, s.max_upload_bytes, first)?;
    let mut client = s.watermark.clone();
    let d = tokio::select! {
        r = client.upload_document(ctx.request(stream)) => r?.into_inner(),
        Ok(e) = failed => return Err(e),
    };
    let status = if d.duplicate {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((
        status,
        Json(DocumentView {
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
        }),
    )
        .into_response())
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
    let first = pb::UploadChunk {
        filename: "verifikasi.pdf".into(),
        ..Default::default()
    };
    let (stream, failed) = body_stream(&headers, body, s.max_upload_bytes, first)?;
    let mut client = s.watermark.clone();
    let v = tokio::select! {
        r = client.verify(ctx.request(stream)) => r?.into_inner(),
        Ok(e) = failed => return Err(e),
    };
    Ok(Json(VerifyView {
        verdict: v.verdict,
        detail: v.detail,
        download: v.download.map(DownloadView::from),
    }))
}

/// `bytes=a-b`, `bytes=a-` or `bytes=-n`; anything else (several ranges, other units)
/// is answered with the whole copy, as RFC 9110 allows.
pub fn parse_range(h: Option<&HeaderValue>) -> Option<(Option<u64>, Option<u64>)> {
    let v = h?.to_str().ok()?.trim();
    let spec = v.strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (a, b) = spec.split_once('-')?;
    let a = a.trim();
    let b = b.trim();
    match (a.is_empty(), b.is_empty()) {
        (false, _) => {
            let start: u64 = a.parse().ok()?;
            let end: Option<u64> = if b.is_empty() {
                None
            } else {
                Some(b.parse().ok()?)
            };
            // An end before the start makes the header invalid: ignored (RFC 9110 14.2).
            if end.is_some_and(|e| e < start) {
                return None;
            }
            Some((Some(start), end))
        }
        (true, false) => Some((None, Some(b.parse().ok()?))),
        (true, true) => None,
    }
}

type CopyBody = BoxStream<'static, Result<Bytes, std::io::Error>>;

/// A copy refused by the watermark service; a range outside the copy is 416.
fn refused(e: tonic::Status) -> ApiError {
    let mut err = ApiError::from(e);
    if err.1.code == "RANGE_NOT_SATISFIABLE" {
        err.0 = StatusCode::RANGE_NOT_SATISFIABLE;
        err.1.status = 416;
    }
    err
}

/// Asks the watermark service for a copy: it checks and logs it, then sends a head and
/// bytes — all of them (`stream`), or, when this gateway reads document storage itself
/// (`direct`), only those appended to the stored original, which is read here (one
/// network hop and two copies of every byte of the original fewer).
async fn issue(
    s: &AppState,
    ctx: Ctx,
    req: pb::FetchRequest,
) -> Result<(pb::FetchHead, CopyBody), ApiError> {
    let mut client = s.watermark.clone();
    let answer = match &s.documents {
        Some(_) => client.grant(ctx.request(req)).await,
        None => client.fetch(ctx.request(req)).await,
    };
    let mut stream = answer.map_err(refused)?.into_inner();
    let head = match stream.message().await? {
        Some(pb::FetchChunk {
            part: Some(pb::fetch_chunk::Part::Head(h)),
        }) => h,
        _ => return Err(incomplete()),
    };
    let rest = stream
        .into_stream()
        .filter_map(|m| async move {
            match m {
                Ok(pb::FetchChunk {
                    part: Some(pb::fetch_chunk::Part::Data(b)),
                }) => Some(Ok(b)),
                Ok(_) => None,
                Err(e) => {
                    tracing::warn!(error = %e.message(), "document stream failed mid-way");
                    Some(Err(std::io::Error::other(e.message().to_owned())))
                }
            }
        })
        .boxed();
    let Some(storage) = &s.documents else {
        return Ok((head, rest));
    };
    let original = stored_part(storage, &head).await.inspect_err(|e| {
        // The copy is logged; this gateway could not read what the service could.
        tracing::error!(download = %head.download_id, code = %head.code, key = %head.object_key, error = %e.1.detail,
            "a logged copy could not be sent: this gateway cannot read document storage");
    })?;
    Ok((head, original.chain(rest).boxed()))
}

/// The original's part of a granted copy, read from storage. A grant that does not add up
/// (or names anything but a stored document) is a backend fault, refused before any header
/// is sent; an object this gateway cannot find is its storage's fault, not the client's.
async fn stored_part(storage: &Storage, head: &pb::FetchHead) -> Result<CopyBody, ApiError> {
    let (from, to) = (head.original_start, head.original_end);
    if from > to || (from < to && (from != head.start || to > head.end + 1)) {
        return Err(incomplete());
    }
    if from == to {
        return Ok(futures::stream::empty().boxed());
    }
    let key = Storage::parse_key(&head.object_key).ok_or_else(incomplete)?;
    let body = storage
        .open_copy(&key, Some(from..to), Vec::new())
        .await
        .map_err(|e| {
            let e = match e {
                AppError::NotFound { .. } => storage::unavailable("object not found"),
                other => other,
            };
            ApiError::from(tonic::Status::from(e))
        })?;
    Ok(body
        .map_err(|e| {
            tracing::warn!(error = %e, "reading a document from storage failed mid-way");
            std::io::Error::other(e.to_string())
        })
        .boxed())
}

fn incomplete() -> ApiError {
    ApiError::new(
        StatusCode::BAD_GATEWAY,
        "BAD_BACKEND_RESPONSE",
        "Layanan dokumen memberi jawaban yang tidak lengkap.",
    )
}

/// Use case: a stamped copy (`read`: inline, with ranges; `download`: whole, attached),
/// checked and logged by the watermark service before its first byte.
pub async fn copy(
    s: AppState,
    ctx: Ctx,
    id: String,
    kind: &'static str,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    // Ranges for reading sessions only (the same bytes all day); a download is a new copy
    // on every request, so it is always sent whole.
    let range = if kind == "read" {
        parse_range(headers.get(header::RANGE))
    } else {
        None
    };
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let req = pb::FetchRequest {
        publication_id: id,
        kind: kind.into(),
        range_start: range.and_then(|r| r.0),
        range_end: range.and_then(|r| r.1),
        user_agent,
    };
    let (head, body) = issue(&s, ctx, req).await?;
    let disposition = if kind == "read" {
        "inline"
    } else {
        "attachment"
    };
    let mut res = Response::new(Body::from_stream(body));
    let partial = range.is_some();
    *res.status_mut() = if partial {
        StatusCode::PARTIAL_CONTENT
    } else {
        StatusCode::OK
    };
    let h = res.headers_mut();
    let mut set = |k: header::HeaderName, v: String| {
        if let Ok(v) = HeaderValue::from_str(&v) {
            h.insert(k, v);
        }
    };
    set(header::CONTENT_TYPE, "application/pdf".into());
    set(
        header::CONTENT_LENGTH,
        (head.end + 1 - head.start).to_string(),
    );
    set(
        header::CONTENT_DISPOSITION,
        format!("{disposition}; filename=\"{}\"", head.filename),
    );
    set(
        header::ACCEPT_RANGES,
        if kind == "read" { "bytes" } else { "none" }.into(),
    );
    set(header::ETAG, head.etag);
    set(header::CACHE_CONTROL, "private, no-store".into());
    if partial {
        set(
            header::CONTENT_RANGE,
            format!("bytes {}-{}/{}", head.start, head.end, head.total_size),
        );
    }
    set(header::HeaderName::from_static("x-download-id"), head.code);
    Ok(res)
}

/// A copy stamped for reading online (signed-in users the access level admits), shown
/// inline; supports `Range` so a viewer can open any page first. One reading session per
/// user, document and day: every request of the day gets the same bytes.
#[utoipa::path(get, path = "/api/v1/publications/{id}/read", tag = "dokumen", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, content_type = "application/pdf", description = "Stamped copy"),
        (status = 206, content_type = "application/pdf", description = "The requested range"),
        (status = 401, body = Problem), (status = 404, body = Problem), (status = 416, body = Problem), (status = 503, body = Problem)))]
async fn read(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    copy(s, ctx, id, "read", headers).await
}

/// Download a copy stamped on every page with the user's name, e-mail, time and a download
/// id (logged before the first byte is sent).
#[utoipa::path(get, path = "/api/v1/publications/{id}/download", tag = "dokumen", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, content_type = "application/pdf", description = "Stamped copy"),
        (status = 401, body = Problem), (status = 404, body = Problem), (status = 503, body = Problem)))]
async fn download(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    copy(s, ctx, id, "download", headers).await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CodeView {
    pub valid: bool,
    pub kind: String,
    pub publication_title: String,
    pub office_code: String,
    pub issued_at: String,
}

/// Whether a printed id (the QR code on every page points here) is a genuine copy. Public;
/// no personal data.
#[utoipa::path(get, path = "/api/v1/documents/verify/{code}", tag = "dokumen",
    params(("code" = String, Path)),
    responses((status = 200, body = CodeView), (status = 422, body = Problem)))]
async fn check_code(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Json<CodeView>, ApiError> {
    Ok(Json(verify_code(&s, &ctx, code).await?))
}

/// Use case: is a printed download id a genuine copy (public, no personal data)?
pub async fn verify_code(s: &AppState, ctx: &Ctx, code: String) -> Result<CodeView, ApiError> {
    let c = s
        .watermark
        .clone()
        .check_code(ctx.request(pb::CheckCodeRequest { code }))
        .await?
        .into_inner();
    Ok(CodeView {
        valid: c.valid,
        kind: c.kind,
        publication_title: c.publication_title,
        office_code: c.office_code,
        issued_at: c.issued_at,
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DownloadList {
    pub items: Vec<DownloadView>,
    pub next_cursor: String,
}

/// The signed-in user's own downloads and reading sessions, newest first.
#[utoipa::path(get, path = "/api/v1/me/downloads", tag = "me", security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = DownloadList), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn my_downloads(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<DownloadList>, ApiError> {
    Ok(Json(downloads_of_me(&s, &ctx, q).await?))
}

/// Use case: the signed-in user's downloads and reading sessions, newest first.
pub async fn downloads_of_me(
    s: &AppState,
    ctx: &Ctx,
    q: PageQuery,
) -> Result<DownloadList, ApiError> {
    let r = s
        .watermark
        .clone()
        .list_my_downloads(ctx.request(pb::ListMyDownloadsRequest {
            cursor: q.cursor,
            limit: q.limit,
        }))
        .await?
        .into_inner();
    Ok(DownloadList {
        items: r.downloads.into_iter().map(DownloadView::from).collect(),
        next_cursor: r.next_cursor,
    })
}
