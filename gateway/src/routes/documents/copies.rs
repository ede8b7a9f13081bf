//! Stamped copies to read (inline, with HTTP ranges) or download. The watermark service
//! checks and logs every copy. With direct delivery the gateway reads the stored original
//! itself (read-only) and appends the bytes the service granted; otherwise the service
//! streams the whole copy.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;
use futures::stream::BoxStream;
use futures::{StreamExt as _, TryStreamExt as _};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use pst_kit::AppError;
use pst_kit::storage::{self, Storage};
use pst_proto::watermark as pb;

use crate::ctx::Ctx;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(read))
        .routes(routes!(download))
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
