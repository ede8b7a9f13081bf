//! Downloads per publication of an office over a period.

use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use pst_proto::watermark as pb;

use crate::ctx::Ctx;
use crate::error::{ApiError, ApiQuery, Problem};
use crate::routes::period::PeriodQuery;
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(download_report))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DownloadCountView {
    pub publication_id: String,
    pub title: String,
    pub downloads: u32,
    /// Distinct signed-in users.
    pub users: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DownloadReportView {
    pub office_code: String,
    pub from: String,
    pub to: String,
    pub total: u32,
    /// The 20 most downloaded publications.
    pub publications: Vec<DownloadCountView>,
}

/// Downloads per publication over a period (supervisor, librarian or admin).
#[utoipa::path(get, path = "/api/v1/offices/{office}/reports/downloads", tag = "laporan", security(("bearer" = [])),
    params(("office" = String, Path), PeriodQuery),
    responses((status = 200, body = DownloadReportView), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn download_report(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(office): Path<String>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> Result<Json<DownloadReportView>, ApiError> {
    Ok(Json(downloads(&s, &ctx, office, q).await?))
}

/// Use case: downloads per publication.
pub async fn downloads(
    s: &AppState,
    ctx: &Ctx,
    office: String,
    q: PeriodQuery,
) -> Result<DownloadReportView, ApiError> {
    let r = s
        .watermark
        .clone()
        .get_download_report(ctx.request(pb::DownloadReportRequest {
            office_code: office,
            from: q.from,
            to: q.to,
        }))
        .await?
        .into_inner();
    Ok(DownloadReportView {
        office_code: r.office_code,
        from: r.from,
        to: r.to,
        total: r.total,
        publications: r
            .publications
            .into_iter()
            .map(|p| DownloadCountView {
                publication_id: p.publication_id,
                title: p.title,
                downloads: p.downloads,
                users: p.users,
            })
            .collect(),
    })
}
