//! Counter actions on a ticket: call next, recall, skip, transfer, start and finish.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use pst_proto::visit as pb;

use super::TicketView;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiJson, Problem};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(call_next))
        .routes(routes!(recall))
        .routes(routes!(skip))
        .routes(routes!(transfer))
        .routes(routes!(start))
        .routes(routes!(finish))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CallNextView {
    /// Absent when nobody of the counter's lines is waiting.
    pub ticket: Option<TicketView>,
    pub message: String,
}

/// Call the oldest waiting ticket of the counter's lines (front office).
#[utoipa::path(post, path = "/api/v1/offices/{office}/counters/{counter}/call-next", tag = "loket", security(("bearer" = [])),
    params(("office" = String, Path), ("counter" = String, Path)),
    responses((status = 200, body = CallNextView), (status = 403, body = Problem), (status = 404, body = Problem), (status = 503, body = Problem)))]
async fn call_next(
    State(s): State<AppState>,
    ctx: Ctx,
    Path((office, counter)): Path<(String, String)>,
) -> Result<Json<CallNextView>, ApiError> {
    Ok(Json(call(&s, &ctx, office, counter).await?))
}

/// Use case: call the oldest waiting ticket of a counter's lines.
pub async fn call(
    s: &AppState,
    ctx: &Ctx,
    office: String,
    counter: String,
) -> Result<CallNextView, ApiError> {
    let res = s
        .visit
        .clone()
        .call_next(ctx.request(pb::CallNextRequest {
            office_code: office,
            counter,
        }))
        .await?
        .into_inner();
    let message = match &res.ticket {
        Some(t) => format!("Nomor {} dipanggil.", t.number),
        None => "Tidak ada antrean yang menunggu.".to_owned(),
    };
    Ok(CallNextView {
        ticket: res.ticket.map(Into::into),
        message,
    })
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecallBody {
    /// Counter calling a skipped ticket back (default: its last counter).
    #[serde(default)]
    pub counter: String,
}

/// Call a ticket again (at most 3 calls), or call a skipped ticket back within its grace.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/recall", tag = "loket", security(("bearer" = [])), params(("id" = String, Path)),
    request_body(content = RecallBody, content_type = "application/json"),
    responses((status = 200, body = TicketView), (status = 409, body = Problem)))]
async fn recall(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<TicketView>, ApiError> {
    // The body is optional: an empty one means "at the ticket's last counter".
    let b: RecallBody = if body.iter().all(u8::is_ascii_whitespace) {
        RecallBody::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "INVALID_BODY",
                format!("Isi permintaan tidak sesuai: {e}"),
            )
        })?
    };
    Ok(Json(recall_ticket(&s, &ctx, id, b).await?))
}

/// Use case: call a ticket again, or call a skipped ticket back.
pub async fn recall_ticket(
    s: &AppState,
    ctx: &Ctx,
    id: String,
    b: RecallBody,
) -> Result<TicketView, ApiError> {
    Ok(s.visit
        .clone()
        .recall(ctx.request(pb::TicketActionRequest {
            ticket_id: id,
            counter: b.counter,
        }))
        .await?
        .into_inner()
        .into())
}

/// Mark a called ticket as not present (skip / no-show).
#[utoipa::path(post, path = "/api/v1/tickets/{id}/skip", tag = "loket", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = TicketView), (status = 409, body = Problem)))]
async fn skip(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Json<TicketView>, ApiError> {
    Ok(Json(skip_ticket(&s, &ctx, id).await?))
}

/// Use case: mark a called ticket as not present.
pub async fn skip_ticket(s: &AppState, ctx: &Ctx, id: String) -> Result<TicketView, ApiError> {
    Ok(s.visit
        .clone()
        .skip(ctx.request(pb::TicketActionRequest {
            ticket_id: id,
            counter: String::new(),
        }))
        .await?
        .into_inner()
        .into())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferBody {
    pub service_type: String,
}

/// Move a ticket to another line, keeping its place in the order of arrival.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/transfer", tag = "loket", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = TransferBody, responses((status = 200, body = TicketView), (status = 409, body = Problem)))]
async fn transfer(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<TransferBody>,
) -> Result<Json<TicketView>, ApiError> {
    Ok(Json(transfer_ticket(&s, &ctx, id, b).await?))
}

/// Use case: move a ticket to another line.
pub async fn transfer_ticket(
    s: &AppState,
    ctx: &Ctx,
    id: String,
    b: TransferBody,
) -> Result<TicketView, ApiError> {
    Ok(s.visit
        .clone()
        .transfer(ctx.request(pb::TransferRequest {
            ticket_id: id,
            service_type: b.service_type,
        }))
        .await?
        .into_inner()
        .into())
}

/// Start serving a called ticket.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/start", tag = "loket", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = TicketView), (status = 409, body = Problem)))]
async fn start(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Json<TicketView>, ApiError> {
    Ok(Json(start_ticket(&s, &ctx, id).await?))
}

/// Use case: start serving a called ticket.
pub async fn start_ticket(s: &AppState, ctx: &Ctx, id: String) -> Result<TicketView, ApiError> {
    Ok(s.visit
        .clone()
        .start_service(ctx.request(pb::TicketActionRequest {
            ticket_id: id,
            counter: String::new(),
        }))
        .await?
        .into_inner()
        .into())
}

/// Finish serving a ticket.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/finish", tag = "loket", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = TicketView), (status = 409, body = Problem)))]
async fn finish(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Json<TicketView>, ApiError> {
    Ok(Json(finish_ticket(&s, &ctx, id).await?))
}

/// Use case: finish serving a ticket.
pub async fn finish_ticket(s: &AppState, ctx: &Ctx, id: String) -> Result<TicketView, ApiError> {
    Ok(s.visit
        .clone()
        .finish_service(ctx.request(pb::TicketActionRequest {
            ticket_id: id,
            counter: String::new(),
        }))
        .await?
        .into_inner()
        .into())
}
