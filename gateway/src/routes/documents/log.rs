//! The download log as users see it: whether a printed id is a genuine copy (public), and
//! the signed-in user's own downloads and reading sessions.

use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use pst_proto::watermark as pb;

use crate::ctx::Ctx;
use crate::error::{ApiError, ApiQuery, Problem};
use crate::routes::PageQuery;
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(check_code))
        .routes(routes!(my_downloads))
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
