//! Reading-room use of printed publications, and its report per office and period.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use pst_proto::catalogue as pb;

use crate::ctx::Ctx;
use crate::error::{ApiError, ApiJson, ApiQuery, Problem};
use crate::routes::period::PeriodQuery;
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(reading_room_use))
        .routes(routes!(reading_room_report))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UseBody {
    pub office_code: String,
    #[serde(default)]
    pub visit_id: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UseView {
    pub id: String,
    pub publication_id: String,
    pub office_code: String,
    pub used_at: String,
    pub self_service: bool,
}

/// Record that a printed publication was used in the reading room (librarian, or the
/// signed-in visitor scanning it at the shelf).
#[utoipa::path(post, path = "/api/v1/publications/{id}/reading-room-uses", tag = "katalog", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = UseBody, responses((status = 201, body = UseView), (status = 404, body = Problem)))]
async fn reading_room_use(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<UseBody>,
) -> Result<(StatusCode, Json<UseView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(record_use(&s, &ctx, id, b).await?),
    ))
}

/// Use case: one reading-room use of a publication.
pub async fn record_use(
    s: &AppState,
    ctx: &Ctx,
    id: String,
    b: UseBody,
) -> Result<UseView, ApiError> {
    let r = s
        .catalogue
        .clone()
        .record_reading_room_use(ctx.request(pb::ReadingRoomUseInput {
            publication_id: id,
            office_code: b.office_code,
            visit_id: b.visit_id,
        }))
        .await?
        .into_inner();
    Ok(UseView {
        id: r.id,
        publication_id: r.publication_id,
        office_code: r.office_code,
        used_at: r.used_at,
        self_service: r.self_service,
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UsageView {
    pub publication_id: String,
    pub title: String,
    pub uses: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReadingRoomReportView {
    pub office_code: String,
    pub from: String,
    pub to: String,
    pub total: u32,
    pub publications: Vec<UsageView>,
}

/// Reading-room use per publication over a period (supervisor, librarian).
#[utoipa::path(get, path = "/api/v1/offices/{office}/reports/reading-room", tag = "laporan", security(("bearer" = [])),
    params(("office" = String, Path), PeriodQuery), responses((status = 200, body = ReadingRoomReportView), (status = 403, body = Problem)))]
async fn reading_room_report(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(office): Path<String>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> Result<Json<ReadingRoomReportView>, ApiError> {
    Ok(Json(reading_room_uses(&s, &ctx, office, q).await?))
}

/// Use case: reading-room uses per publication over a period.
pub async fn reading_room_uses(
    s: &AppState,
    ctx: &Ctx,
    office: String,
    q: PeriodQuery,
) -> Result<ReadingRoomReportView, ApiError> {
    let r = s
        .catalogue
        .clone()
        .get_reading_room_report(ctx.request(pb::PeriodRequest {
            office_code: office,
            from: q.from,
            to: q.to,
        }))
        .await?
        .into_inner();
    Ok(ReadingRoomReportView {
        office_code: r.office_code,
        from: r.from,
        to: r.to,
        total: r.total,
        publications: r
            .publications
            .into_iter()
            .map(|u| UsageView {
                publication_id: u.publication_id,
                title: u.title,
                uses: u.uses,
            })
            .collect(),
    })
}
