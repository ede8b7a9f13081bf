//! Queue tickets: taking a number, reading a ticket.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use pst_proto::visit as pb;

use super::status_name;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiJson, ApiQuery, Problem};
use crate::routes::PageQuery;
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(take_ticket))
        .routes(routes!(get_ticket))
        .routes(routes!(my_tickets))
}

/// A queue ticket. Times are in the office's zone (e.g. `+07:00` for WIB).
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketView {
    pub id: String,
    pub office_code: String,
    /// e.g. `P-007`.
    pub number: String,
    pub service_type: String,
    /// waiting, called, skipped, serving, done.
    pub status: String,
    pub counter: String,
    pub call_count: u32,
    pub position: u32,
    pub service_day: String,
    pub taken_at: String,
    pub called_at: String,
    pub started_at: String,
    pub finished_at: String,
    pub visit_id: String,
}

impl From<pb::Ticket> for TicketView {
    fn from(t: pb::Ticket) -> Self {
        Self {
            status: status_name(t.status).to_owned(),
            id: t.id,
            office_code: t.office_code,
            number: t.number,
            service_type: t.service_type,
            counter: t.counter,
            call_count: t.call_count,
            position: t.position,
            service_day: t.service_day,
            taken_at: t.taken_at,
            called_at: t.called_at,
            started_at: t.started_at,
            finished_at: t.finished_at,
            visit_id: t.visit_id,
        }
    }
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TakeTicketBody {
    /// e.g. `perpustakaan` or `konsultasi`.
    pub service_type: String,
    /// Kiosk identifier (rate limiting of anonymous tickets).
    #[serde(default)]
    pub device_id: String,
}

/// Take a queue number (kiosk: no sign-in; signed-in visitors: one open ticket a day).
#[utoipa::path(post, path = "/api/v1/offices/{office}/tickets", tag = "antrean", request_body = TakeTicketBody,
    params(("office" = String, Path)),
    responses((status = 201, body = TicketView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 429, body = Problem), (status = 503, body = Problem)))]
async fn take_ticket(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(office): Path<String>,
    ApiJson(b): ApiJson<TakeTicketBody>,
) -> Result<(StatusCode, Json<TicketView>), ApiError> {
    Ok((StatusCode::CREATED, Json(take(&s, &ctx, office, b).await?)))
}

/// Use case: take a queue number at an office.
pub async fn take(
    s: &AppState,
    ctx: &Ctx,
    office: String,
    b: TakeTicketBody,
) -> Result<TicketView, ApiError> {
    let req = pb::TakeTicketRequest {
        office_code: office,
        service_type: b.service_type,
        device_id: b.device_id,
    };
    Ok(s.visit
        .clone()
        .take_ticket(ctx.request(req))
        .await?
        .into_inner()
        .into())
}

/// A ticket (its owner, the office's staff, or the kiosk holding an anonymous ticket's id).
#[utoipa::path(get, path = "/api/v1/tickets/{id}", tag = "antrean", params(("id" = String, Path)),
    responses((status = 200, body = TicketView), (status = 404, body = Problem)))]
async fn get_ticket(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Json<TicketView>, ApiError> {
    Ok(Json(ticket(&s, &ctx, id).await?))
}

/// Use case: one ticket.
pub async fn ticket(s: &AppState, ctx: &Ctx, id: String) -> Result<TicketView, ApiError> {
    Ok(s.visit
        .clone()
        .get_ticket(ctx.request(pb::GetTicketRequest { ticket_id: id }))
        .await?
        .into_inner()
        .into())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TicketList {
    pub items: Vec<TicketView>,
    pub next_cursor: String,
}

/// The signed-in user's own tickets with their live status (and the visit each led to),
/// newest first.
#[utoipa::path(get, path = "/api/v1/me/tickets", tag = "me", security(("bearer" = [])), params(PageQuery),
    responses((status = 200, body = TicketList), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn my_tickets(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<TicketList>, ApiError> {
    Ok(Json(tickets_of_me(&s, &ctx, q).await?))
}

/// Use case: the signed-in user's own tickets, newest first.
pub async fn tickets_of_me(s: &AppState, ctx: &Ctx, q: PageQuery) -> Result<TicketList, ApiError> {
    let r = s
        .visit
        .clone()
        .list_my_tickets(ctx.request(pb::ListMyTicketsRequest {
            cursor: q.cursor,
            limit: q.limit,
        }))
        .await?
        .into_inner();
    Ok(TicketList {
        items: r.tickets.into_iter().map(TicketView::from).collect(),
        next_cursor: r.next_cursor,
    })
}
