//! Walk-in visits: queue numbers, counters, the display board (JSON and server-sent
//! events), the guest book, lockers and custody, and the service-time report.

use std::convert::Infallible;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::{Stream, StreamExt as _};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use pst_proto::visit as pb;

use crate::ctx::Ctx;
use crate::error::{ApiError, ApiJson, ApiQuery, Problem};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(take_ticket))
        .routes(routes!(get_ticket))
        .routes(routes!(call_next))
        .routes(routes!(recall))
        .routes(routes!(skip))
        .routes(routes!(transfer))
        .routes(routes!(start))
        .routes(routes!(finish))
        .routes(routes!(board))
        .routes(routes!(board_stream))
        .routes(routes!(create_visit))
        .routes(routes!(get_visit, patch_visit))
        .routes(routes!(assign_locker))
        .routes(routes!(checkout))
        .routes(routes!(lockers))
        .routes(routes!(custody))
        .routes(routes!(service_time_report))
        .routes(routes!(office_setup))
}

fn status_name(s: i32) -> &'static str {
    match pb::TicketStatus::try_from(s) {
        Ok(pb::TicketStatus::Waiting) => "waiting",
        Ok(pb::TicketStatus::Called) => "called",
        Ok(pb::TicketStatus::Skipped) => "skipped",
        Ok(pb::TicketStatus::Serving) => "serving",
        Ok(pb::TicketStatus::Done) => "done",
        _ => "",
    }
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

#[derive(Debug, Deserialize, ToSchema)]
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
    let req = pb::TakeTicketRequest {
        office_code: office,
        service_type: b.service_type,
        device_id: b.device_id,
    };
    Ok((
        StatusCode::CREATED,
        Json(
            s.visit
                .clone()
                .take_ticket(ctx.request(req))
                .await?
                .into_inner()
                .into(),
        ),
    ))
}

/// A ticket (its owner, the office's staff, or the kiosk holding an anonymous ticket's id).
#[utoipa::path(get, path = "/api/v1/tickets/{id}", tag = "antrean", params(("id" = String, Path)),
    responses((status = 200, body = TicketView), (status = 404, body = Problem)))]
async fn get_ticket(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Json<TicketView>, ApiError> {
    Ok(Json(
        s.visit
            .clone()
            .get_ticket(ctx.request(pb::GetTicketRequest { ticket_id: id }))
            .await?
            .into_inner()
            .into(),
    ))
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
    Ok(Json(CallNextView {
        ticket: res.ticket.map(Into::into),
        message,
    }))
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
    Ok(Json(
        s.visit
            .clone()
            .recall(ctx.request(pb::TicketActionRequest {
                ticket_id: id,
                counter: b.counter,
            }))
            .await?
            .into_inner()
            .into(),
    ))
}

/// Mark a called ticket as not present (skip / no-show).
#[utoipa::path(post, path = "/api/v1/tickets/{id}/skip", tag = "loket", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = TicketView), (status = 409, body = Problem)))]
async fn skip(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Json<TicketView>, ApiError> {
    Ok(Json(
        s.visit
            .clone()
            .skip(ctx.request(pb::TicketActionRequest {
                ticket_id: id,
                counter: String::new(),
            }))
            .await?
            .into_inner()
            .into(),
    ))
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
    Ok(Json(
        s.visit
            .clone()
            .transfer(ctx.request(pb::TransferRequest {
                ticket_id: id,
                service_type: b.service_type,
            }))
            .await?
            .into_inner()
            .into(),
    ))
}

/// Start serving a called ticket.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/start", tag = "loket", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = TicketView), (status = 409, body = Problem)))]
async fn start(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Json<TicketView>, ApiError> {
    Ok(Json(
        s.visit
            .clone()
            .start_service(ctx.request(pb::TicketActionRequest {
                ticket_id: id,
                counter: String::new(),
            }))
            .await?
            .into_inner()
            .into(),
    ))
}

/// Finish serving a ticket.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/finish", tag = "loket", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = TicketView), (status = 409, body = Problem)))]
async fn finish(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Json<TicketView>, ApiError> {
    Ok(Json(
        s.visit
            .clone()
            .finish_service(ctx.request(pb::TicketActionRequest {
                ticket_id: id,
                counter: String::new(),
            }))
            .await?
            .into_inner()
            .into(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CounterView {
    pub counter: String,
    pub name: String,
    pub number: String,
    pub status: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LineView {
    pub service_type: String,
    pub name: String,
    pub prefix: String,
    pub waiting: u32,
    pub estimated_wait_secs: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FlagView {
    pub number: String,
    pub waited_secs: u32,
    /// at_risk (past 4 min) or breached (past 5 min).
    pub level: String,
}

/// The display board.
#[derive(Debug, Serialize, ToSchema)]
pub struct BoardView {
    pub office_code: String,
    pub service_day: String,
    pub counters: Vec<CounterView>,
    pub lines: Vec<LineView>,
    pub flags: Vec<FlagView>,
    pub generated_at: String,
    /// e.g. `10:05 WIB`.
    pub local_time: String,
    pub last_event: String,
}

impl From<pb::Board> for BoardView {
    fn from(b: pb::Board) -> Self {
        Self {
            office_code: b.office_code,
            service_day: b.service_day,
            counters: b
                .counters
                .into_iter()
                .map(|c| CounterView {
                    status: status_name(c.status).to_owned(),
                    counter: c.counter,
                    name: c.name,
                    number: c.number,
                })
                .collect(),
            lines: b
                .lines
                .into_iter()
                .map(|l| LineView {
                    service_type: l.service_type,
                    name: l.name,
                    prefix: l.prefix,
                    waiting: l.waiting,
                    estimated_wait_secs: l.estimated_wait_secs,
                })
                .collect(),
            flags: b
                .flags
                .into_iter()
                .map(|f| FlagView {
                    number: f.number,
                    waited_secs: f.waited_secs,
                    level: f.level,
                })
                .collect(),
            generated_at: b.generated_at,
            local_time: b.local_time,
            last_event: b.last_event,
        }
    }
}

/// The current board: now serving per counter, waiting count and estimated wait per line.
#[utoipa::path(get, path = "/api/v1/offices/{office}/queue", tag = "antrean", params(("office" = String, Path)),
    responses((status = 200, body = BoardView), (status = 404, body = Problem), (status = 503, body = Problem)))]
async fn board(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(office): Path<String>,
) -> Result<Json<BoardView>, ApiError> {
    Ok(Json(
        s.visit
            .clone()
            .get_board(ctx.request(pb::GetBoardRequest {
                office_code: office,
            }))
            .await?
            .into_inner()
            .into(),
    ))
}

/// Server-sent events for display boards: a `board` event with the whole board now and on
/// every change (and every few seconds, so promise flags move).
#[utoipa::path(get, path = "/api/v1/offices/{office}/queue/stream", tag = "antrean", params(("office" = String, Path)),
    responses((status = 200, content_type = "text/event-stream", description = "`event: board` with a BoardView as data"), (status = 404, body = Problem)))]
async fn board_stream(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(office): Path<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let mut req = ctx.request(pb::GetBoardRequest {
        office_code: office,
    });
    // A stream lives long: no per-call deadline beyond the connection itself.
    req.set_timeout(std::time::Duration::from_secs(24 * 3600));
    let stream = s.visit_stream.clone().stream_board(req).await?.into_inner();
    let events = stream.map(|item| {
        Ok(match item {
            Ok(board) => Event::default()
                .event("board")
                .json_data(BoardView::from(board))
                .unwrap_or_else(|_| {
                    Event::default()
                        .event("error")
                        .data("papan tidak dapat dibaca")
                }),
            Err(status) => Event::default().event("error").data(status.message()),
        })
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}

/// Guest-book fields (all optional in a correction).
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GuestBookFields {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// L or P.
    pub sex: Option<String>,
    /// <20, 20-29, 30-39, 40-49, 50-59, 60+.
    pub age_group: Option<String>,
    /// SD, SMP, SMA, D1-D3, D4/S1, S2, S3.
    pub education: Option<String>,
    pub occupation: Option<String>,
    /// pemerintah, swasta, pendidikan, bumn, lembaga_internasional, perorangan, lainnya.
    pub institution_type: Option<String>,
    pub institution_name: Option<String>,
    pub purpose: Option<String>,
    pub data_needed: Option<String>,
}

impl GuestBookFields {
    fn present(&self) -> Vec<String> {
        let mut v = Vec::new();
        macro_rules! f { ($($n:ident),*) => { $( if self.$n.is_some() { v.push(stringify!($n).to_owned()); } )* }; }
        f!(
            name,
            email,
            phone,
            sex,
            age_group,
            education,
            occupation,
            institution_type,
            institution_name,
            purpose,
            data_needed
        );
        v
    }

    fn into_pb(self) -> pb::GuestBook {
        pb::GuestBook {
            name: self.name.unwrap_or_default(),
            email: self.email.unwrap_or_default(),
            phone: self.phone.unwrap_or_default(),
            sex: self.sex.unwrap_or_default(),
            age_group: self.age_group.unwrap_or_default(),
            education: self.education.unwrap_or_default(),
            occupation: self.occupation.unwrap_or_default(),
            institution_type: self.institution_type.unwrap_or_default(),
            institution_name: self.institution_name.unwrap_or_default(),
            purpose: self.purpose.unwrap_or_default(),
            data_needed: self.data_needed.unwrap_or_default(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateVisitBody {
    pub ticket_id: String,
    pub guest_book: GuestBookFields,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CustodyView {
    pub id: String,
    pub locker: u32,
    pub id_type: String,
    /// e.g. `3573********0001`.
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

/// A visit and its guest-book entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct VisitView {
    pub id: String,
    pub office_code: String,
    pub ticket_id: String,
    pub ticket_number: String,
    pub service_day: String,
    pub guest_book: GuestBookFields,
    pub guest_book_at: String,
    pub service_started_at: String,
    /// Seconds from the guest book to the start of service.
    pub wait_secs: Option<u32>,
    pub ended_at: String,
    pub custody: Option<CustodyView>,
    /// Only in the checkout answer: the one-time code to rate this visit at the kiosk.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub feedback_code: String,
}

impl From<pb::Visit> for VisitView {
    fn from(v: pb::Visit) -> Self {
        let g = v.guest_book.unwrap_or_default();
        Self {
            id: v.id,
            office_code: v.office_code,
            ticket_id: v.ticket_id,
            ticket_number: v.ticket_number,
            service_day: v.service_day,
            guest_book: GuestBookFields {
                name: Some(g.name),
                email: Some(g.email),
                phone: Some(g.phone),
                sex: Some(g.sex),
                age_group: Some(g.age_group),
                education: Some(g.education),
                occupation: Some(g.occupation),
                institution_type: Some(g.institution_type),
                institution_name: Some(g.institution_name),
                purpose: Some(g.purpose),
                data_needed: Some(g.data_needed),
            },
            guest_book_at: v.guest_book_at,
            service_started_at: v.service_started_at,
            wait_secs: v.wait_secs,
            ended_at: v.ended_at,
            custody: v.custody.map(Into::into),
            feedback_code: v.feedback_code,
        }
    }
}

/// Fill the guest book for a ticket (kiosk, the visitor, or front office); a signed-in
/// visitor's empty fields come from their account.
#[utoipa::path(post, path = "/api/v1/visits", tag = "buku tamu", request_body = CreateVisitBody,
    responses((status = 201, body = VisitView), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn create_visit(
    State(s): State<AppState>,
    ctx: Ctx,
    ApiJson(b): ApiJson<CreateVisitBody>,
) -> Result<(StatusCode, Json<VisitView>), ApiError> {
    let req = pb::CreateVisitRequest {
        ticket_id: b.ticket_id,
        guest_book: Some(b.guest_book.into_pb()),
    };
    Ok((
        StatusCode::CREATED,
        Json(
            s.visit
                .clone()
                .create_visit(ctx.request(req))
                .await?
                .into_inner()
                .into(),
        ),
    ))
}

/// A visit (the visitor's own, or the office's staff).
#[utoipa::path(get, path = "/api/v1/visits/{id}", tag = "buku tamu", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = VisitView), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn get_visit(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Json<VisitView>, ApiError> {
    Ok(Json(
        s.visit
            .clone()
            .get_visit(ctx.request(pb::GetVisitRequest { visit_id: id }))
            .await?
            .into_inner()
            .into(),
    ))
}

/// Correct a guest-book entry (front office); only the fields sent change.
#[utoipa::path(patch, path = "/api/v1/visits/{id}", tag = "buku tamu", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = GuestBookFields, responses((status = 200, body = VisitView), (status = 422, body = Problem)))]
async fn patch_visit(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<GuestBookFields>,
) -> Result<Json<VisitView>, ApiError> {
    let fields = b.present();
    if fields.is_empty() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_FAILED",
            "Tidak ada kolom yang diubah.",
        )
        .with_field("guest_book", "Kirim minimal satu kolom."));
    }
    let req = pb::UpdateVisitRequest {
        visit_id: id,
        guest_book: Some(b.into_pb()),
        fields,
    };
    Ok(Json(
        s.visit
            .clone()
            .update_visit(ctx.request(req))
            .await?
            .into_inner()
            .into(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
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
    let req = pb::AssignLockerRequest {
        visit_id: id,
        locker: b.locker,
        id_type: b.id_type,
        id_number: b.id_number,
    };
    Ok(Json(
        s.visit
            .clone()
            .assign_locker(ctx.request(req))
            .await?
            .into_inner()
            .into(),
    ))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckoutBody {
    /// The identity card held in custody is handed back now.
    #[serde(default)]
    pub id_returned: bool,
    /// To whom (default: the visitor).
    #[serde(default)]
    pub returned_to: String,
}

/// End the visit: the identity card is returned and the locker freed; the visit can then be rated.
#[utoipa::path(post, path = "/api/v1/visits/{id}/checkout", tag = "loker", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = CheckoutBody, responses((status = 200, body = VisitView), (status = 409, body = Problem)))]
async fn checkout(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<CheckoutBody>,
) -> Result<Json<VisitView>, ApiError> {
    let req = pb::CheckoutRequest {
        visit_id: id,
        id_returned: b.id_returned,
        returned_to: b.returned_to,
    };
    Ok(Json(
        s.visit
            .clone()
            .checkout(ctx.request(req))
            .await?
            .into_inner()
            .into(),
    ))
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
    let res = s
        .visit
        .clone()
        .list_lockers(ctx.request(pb::OfficeRequest {
            office_code: office,
        }))
        .await?
        .into_inner();
    Ok(Json(
        res.lockers
            .into_iter()
            .map(|l| LockerView {
                number: l.number,
                state: l.state,
                ticket_number: l.ticket_number,
            })
            .collect(),
    ))
}

/// Identity cards held right now: the end-of-day list (front office, supervisor).
#[utoipa::path(get, path = "/api/v1/offices/{office}/custody", tag = "loker", security(("bearer" = [])), params(("office" = String, Path)),
    responses((status = 200, body = Vec<CustodyView>), (status = 403, body = Problem)))]
async fn custody(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(office): Path<String>,
) -> Result<Json<Vec<CustodyView>>, ApiError> {
    let res = s
        .visit
        .clone()
        .list_custody(ctx.request(pb::OfficeRequest {
            office_code: office,
        }))
        .await?
        .into_inner();
    Ok(Json(res.held.into_iter().map(Into::into).collect()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PeriodQuery {
    /// First day, YYYY-MM-DD (office local date).
    pub from: String,
    /// Last day, inclusive.
    pub to: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BreachView {
    pub ticket_number: String,
    pub service_day: String,
    pub counter: String,
    pub wait_secs: u32,
    pub visit_id: String,
}

/// The 5-minute promise over a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceTimeView {
    pub office_code: String,
    pub from: String,
    pub to: String,
    pub visits: u32,
    pub served: u32,
    pub median_wait_secs: f64,
    pub p90_wait_secs: f64,
    /// Share of served visits started within the promise (0..1).
    pub within_promise_share: f64,
    pub promise_secs: u32,
    pub breaches: Vec<BreachView>,
}

/// The service-time report (supervisor). JSON, or CSV with `Accept: text/csv`.
#[utoipa::path(get, path = "/api/v1/offices/{office}/reports/service-time", tag = "laporan", security(("bearer" = [])),
    params(("office" = String, Path), PeriodQuery),
    responses((status = 200, body = ServiceTimeView), (status = 200, content_type = "text/csv", description = "CSV"), (status = 403, body = Problem), (status = 422, body = Problem)))]
async fn service_time_report(
    State(s): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(office): Path<String>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> Result<Response, ApiError> {
    let r = s
        .visit
        .clone()
        .get_service_time_report(ctx.request(pb::ServiceTimeReportRequest {
            office_code: office,
            from: q.from,
            to: q.to,
        }))
        .await?
        .into_inner();
    let view = ServiceTimeView {
        office_code: r.office_code,
        from: r.from,
        to: r.to,
        visits: r.visits,
        served: r.served,
        median_wait_secs: r.median_wait_secs,
        p90_wait_secs: r.p90_wait_secs,
        within_promise_share: r.within_promise_share,
        promise_secs: r.promise_secs,
        breaches: r
            .breaches
            .into_iter()
            .map(|b| BreachView {
                ticket_number: b.ticket_number,
                service_day: b.service_day,
                counter: b.counter,
                wait_secs: b.wait_secs,
                visit_id: b.visit_id,
            })
            .collect(),
    };
    if crate::csv::wants_csv(&headers) {
        let mut w = crate::csv::Writer::new(&[
            "bagian",
            "satker",
            "tanggal",
            "nomor",
            "loket",
            "tunggu_detik",
            "keterangan",
        ]);
        w.row(&[
            "ringkasan",
            &view.office_code,
            &format!("{} s.d. {}", view.from, view.to),
            "",
            "",
            &format!("{:.0}", view.median_wait_secs),
            &format!(
                "kunjungan={} dilayani={} median={:.0}s p90={:.0}s tepat_waktu={:.1}%",
                view.visits,
                view.served,
                view.median_wait_secs,
                view.p90_wait_secs,
                view.within_promise_share * 100.0
            ),
        ]);
        for b in &view.breaches {
            w.row(&[
                "pelanggaran",
                &view.office_code,
                &b.service_day,
                &b.ticket_number,
                &b.counter,
                &b.wait_secs.to_string(),
                &format!("lebih dari {} menit", view.promise_secs / 60),
            ]);
        }
        return Ok(w.into_response(&format!(
            "waktu-layanan-{}-{}-{}.csv",
            view.office_code, view.from, view.to
        )));
    }
    Ok(Json(view).into_response())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceTypeView {
    pub code: String,
    pub prefix: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CounterSetupView {
    pub code: String,
    pub name: String,
    pub service_types: Vec<String>,
}

/// What a kiosk needs: lines, counters, hours and time zone of an office.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfficeSetupView {
    pub office_code: String,
    pub name: String,
    pub time_zone: String,
    pub opens_at: String,
    pub closes_at: String,
    pub open_days: Vec<u32>,
    pub service_types: Vec<ServiceTypeView>,
    pub counters: Vec<CounterSetupView>,
    pub lockers: u32,
}

/// An office's queue setup (public).
#[utoipa::path(get, path = "/api/v1/offices/{office}/setup", tag = "antrean", params(("office" = String, Path)),
    responses((status = 200, body = OfficeSetupView), (status = 404, body = Problem)))]
async fn office_setup(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(office): Path<String>,
) -> Result<Json<OfficeSetupView>, ApiError> {
    let o = s
        .visit
        .clone()
        .get_office_setup(ctx.request(pb::OfficeRequest {
            office_code: office,
        }))
        .await?
        .into_inner();
    Ok(Json(OfficeSetupView {
        office_code: o.office_code,
        name: o.name,
        time_zone: o.time_zone,
        opens_at: o.opens_at,
        closes_at: o.closes_at,
        open_days: o.open_days,
        service_types: o
            .service_types
            .into_iter()
            .map(|t| ServiceTypeView {
                code: t.code,
                prefix: t.prefix,
                name: t.name,
            })
            .collect(),
        counters: o
            .counters
            .into_iter()
            .map(|c| CounterSetupView {
                code: c.code,
                name: c.name,
                service_types: c.service_types,
            })
            .collect(),
        lockers: o.lockers,
    }))
}
