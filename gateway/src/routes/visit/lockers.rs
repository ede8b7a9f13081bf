//! Lockers and the identity cards held in custody.

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use pst_proto::visit as pb;

use super::VisitView;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiJson, Problem};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(assign_locker))
        .routes(routes!(lockers))
        .routes(routes!(custody))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CustodyView {
    pub id: String,
    pub locker: u32,
    pub id_type: String,
    /// e.g. `35**********0001`.
    pub id_number_masked: String,
    pub received_at: String,
    pub received_by: String,
    pub returned_at: String,
    pub returned_to: String,
    pub visit_id: String,
    pub visitor_name: String,
    pub ticket_number: String,
}

impl From<pb::Custody> for CustodyView {
    fn from(c: pb::Custody) -> Self {
        Self {
            id: c.id,
            locker: c.locker,
            id_type: c.id_type,
            id_number_masked: c.id_number_masked,
            received_at: c.received_at,
            received_by: c.received_by,
            returned_at: c.returned_at,
            returned_to: c.returned_to,
            visit_id: c.visit_id,
            visitor_name: c.visitor_name,
            ticket_number: c.ticket_number,
        }
    }
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LockerBody {
    pub locker: u32,
    /// ktp, sim, paspor, lainnya (not needed when moving to another locker).
    #[serde(default)]
    pub id_type: String,
    #[serde(default)]
    pub id_number: String,
}

/// Hand a locker over against the visitor's identity card, or move to another locker.
#[utoipa::path(post, path = "/api/v1/visits/{id}/locker", tag = "loker", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = LockerBody, responses((status = 200, body = VisitView), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn assign_locker(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<LockerBody>,
) -> Result<Json<VisitView>, ApiError> {
    Ok(Json(hold_card(&s, &ctx, id, b).await?))
}

/// Use case: hand a locker over against the visitor's identity card, or move to another one.
pub async fn hold_card(
    s: &AppState,
    ctx: &Ctx,
    visit_id: String,
    b: LockerBody,
) -> Result<VisitView, ApiError> {
    let req = pb::AssignLockerRequest {
        visit_id,
        locker: b.locker,
        id_type: b.id_type,
        id_number: b.id_number,
    };
    Ok(s.visit
        .clone()
        .assign_locker(ctx.request(req))
        .await?
        .into_inner()
        .into())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LockerView {
    pub number: u32,
    /// free, occupied, out_of_service.
    pub state: String,
    pub ticket_number: String,
}

/// The office's lockers (front office, supervisor).
#[utoipa::path(get, path = "/api/v1/offices/{office}/lockers", tag = "loker", security(("bearer" = [])), params(("office" = String, Path)),
    responses((status = 200, body = Vec<LockerView>), (status = 403, body = Problem)))]
async fn lockers(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(office): Path<String>,
) -> Result<Json<Vec<LockerView>>, ApiError> {
    Ok(Json(lockers_of(&s, &ctx, office).await?))
}

/// Use case: an office's lockers.
pub async fn lockers_of(
    s: &AppState,
    ctx: &Ctx,
    office: String,
) -> Result<Vec<LockerView>, ApiError> {
    let res = s
        .visit
        .clone()
        .list_lockers(ctx.request(pb::OfficeRequest {
            office_code: office,
        }))
        .await?
        .into_inner();
    Ok(res
        .lockers
        .into_iter()
        .map(|l| LockerView {
            number: l.number,
            state: l.state,
            ticket_number: l.ticket_number,
        })
        .collect())
}

/// Identity cards held right now: the end-of-day list (front office, supervisor).
#[utoipa::path(get, path = "/api/v1/offices/{office}/custody", tag = "loker", security(("bearer" = [])), params(("office" = String, Path)),
    responses((status = 200, body = Vec<CustodyView>), (status = 403, body = Problem)))]
async fn custody(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(office): Path<String>,
) -> Result<Json<Vec<CustodyView>>, ApiError> {
    Ok(Json(custody_of(&s, &ctx, office).await?))
}

/// Use case: the identity cards an office holds right now.
pub async fn custody_of(
    s: &AppState,
    ctx: &Ctx,
    office: String,
) -> Result<Vec<CustodyView>, ApiError> {
    let res = s
        .visit
        .clone()
        .list_custody(ctx.request(pb::OfficeRequest {
            office_code: office,
        }))
        .await?
        .into_inner();
    Ok(res.held.into_iter().map(Into::into).collect())
}
