//! The floor of an office right now, for the supervisor's live tiles.

use axum::Json;
use axum::extract::{Path, State};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use pst_proto::visit as pb;

use crate::ctx::Ctx;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_floor))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FloorView {
    pub office_code: String,
    /// Tickets waiting (or called, not yet at the counter).
    pub waiting: u32,
    pub serving: u32,
    /// Guest book filled, service not started, more than 80 % of the promise gone.
    pub at_risk: u32,
    /// ... and past the promise.
    pub past_promise: u32,
    /// Identity cards held in lockers now.
    pub cards_held: u32,
    pub visits_today: u32,
    pub promise_secs: u32,
    /// When this was counted, in the office's zone.
    pub as_of: String,
}

/// The floor right now: waiting, being served, the promise at risk or past, cards held
/// (office staff).
#[utoipa::path(get, path = "/api/v1/offices/{office}/floor", tag = "antrean", security(("bearer" = [])),
    params(("office" = String, Path)),
    responses((status = 200, body = FloorView), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn get_floor(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(office): Path<String>,
) -> Result<Json<FloorView>, ApiError> {
    Ok(Json(floor(&s, &ctx, office).await?))
}

/// Use case: the floor of an office.
pub async fn floor(s: &AppState, ctx: &Ctx, office: String) -> Result<FloorView, ApiError> {
    let f = s
        .visit
        .clone()
        .get_floor(ctx.request(pb::OfficeRequest {
            office_code: office,
        }))
        .await?
        .into_inner();
    Ok(FloorView {
        office_code: f.office_code,
        waiting: f.waiting,
        serving: f.serving,
        at_risk: f.at_risk,
        past_promise: f.past_promise,
        cards_held: f.cards_held,
        visits_today: f.visits_today,
        promise_secs: f.promise_secs,
        as_of: f.as_of,
    })
}
