//! The display board, as JSON and as server-sent events.

use std::convert::Infallible;

use axum::Json;
use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::{Stream, StreamExt as _};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use pst_proto::visit as pb;

use super::status_name;
use crate::ctx::Ctx;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(board))
        .routes(routes!(board_stream))
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
