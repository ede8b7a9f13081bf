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
    /// The ticket at the counter: only for the office's own staff, empty on the public board.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub ticket_id: String,
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
    /// Set when this update is a call or a recall: what the board shows big and announces.
    pub call: Option<CallView>,
}

/// A call to a counter, with how the board says it aloud.
#[derive(Debug, Serialize, ToSchema)]
pub struct CallView {
    pub number: String,
    pub counter: String,
    pub counter_name: String,
    pub recall: bool,
    /// Words and voice clips; absent when the number or counter cannot be read with clips.
    pub announcement: Option<crate::web::voice::Announcement>,
}

/// The call an update reports: the visit service words a call "Nomor P-007 dipanggil ke
/// Loket 1" and a recall "Panggilan ulang: nomor P-007 ke Loket 1"; the counter that now
/// shows that number as called is the one called to.
fn call_of(last_event: &str, counters: &[CounterView]) -> Option<CallView> {
    let recall = last_event.starts_with("Panggilan ulang");
    if !recall && !last_event.contains(" dipanggil ke ") {
        return None;
    }
    let c = counters.iter().find(|c| {
        c.status == "called"
            && !c.number.is_empty()
            && last_event.split([' ', ':']).any(|w| w == c.number)
    })?;
    Some(CallView {
        number: c.number.clone(),
        counter: c.counter.clone(),
        counter_name: c.name.clone(),
        recall,
        announcement: crate::web::voice::announce(&c.number, &c.name),
    })
}

impl From<pb::Board> for BoardView {
    fn from(b: pb::Board) -> Self {
        let counters: Vec<CounterView> = b
            .counters
            .into_iter()
            .map(|c| CounterView {
                status: status_name(c.status).to_owned(),
                counter: c.counter,
                name: c.name,
                number: c.number,
                ticket_id: c.ticket_id,
            })
            .collect();
        Self {
            call: call_of(&b.last_event, &counters),
            office_code: b.office_code,
            service_day: b.service_day,
            counters,
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
    Ok(Json(use_case::board(&s, &ctx, office).await?))
}

/// The use case sits in a module of its own: the route handler above already has its name.
pub(super) mod use_case {
    use super::{BoardView, pb};
    use crate::ctx::Ctx;
    use crate::error::ApiError;
    use crate::state::AppState;

    /// Use case: an office's current board.
    pub async fn board(s: &AppState, ctx: &Ctx, office: String) -> Result<BoardView, ApiError> {
        Ok(s.visit
            .clone()
            .get_board(ctx.request(pb::GetBoardRequest {
                office_code: office,
            }))
            .await?
            .into_inner()
            .into())
    }
}

/// Server-sent events for display boards: a `board` event with the whole board now and on
/// every change (and every few seconds, so promise flags move).
#[utoipa::path(get, path = "/api/v1/offices/{office}/queue/stream", tag = "antrean", params(("office" = String, Path)),
    responses((status = 200, content_type = "text/event-stream", description = "`event: board` with a BoardView as data"), (status = 404, body = Problem),
        (status = 429, body = Problem, description = "Too many live streams from this address or for this office")))]
async fn board_stream(
    State(s): State<AppState>,
    ctx: Ctx,
    Path(office): Path<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    // Held as long as the stream is open (the closure below owns it).
    let slot = s.streams.acquire(&ctx.client_ip, &office)?;
    let mut req = ctx.request(pb::GetBoardRequest {
        office_code: office,
    });
    // A stream lives long: no per-call deadline beyond the connection itself.
    req.set_timeout(std::time::Duration::from_secs(24 * 3600));
    let stream = s.visit_stream.clone().stream_board(req).await?.into_inner();
    let events = stream.map(move |item| {
        let _open = &slot;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn counter(code: &str, number: &str, status: &str) -> CounterView {
        CounterView {
            counter: code.into(),
            name: format!("Loket {}", &code[1..]),
            ticket_id: String::new(),
            number: number.into(),
            status: status.into(),
        }
    }

    #[test]
    fn calls_and_recalls_are_found_in_an_update() {
        let counters = [
            counter("L1", "P-007", "serving"),
            counter("L2", "P-008", "called"),
        ];
        let call = call_of("Nomor P-008 dipanggil ke Loket 2", &counters).expect("call");
        assert_eq!((call.counter.as_str(), call.recall), ("L2", false));
        assert_eq!(
            call.announcement.expect("words").text,
            "Nomor antrian P delapan, silakan ke loket dua"
        );
        let again = call_of("Panggilan ulang: nomor P-008 ke Loket 2", &counters).expect("recall");
        assert!(again.recall);
        assert!(call_of("Nomor P-009 diambil (Perpustakaan)", &counters).is_none());
        assert!(call_of("", &counters).is_none());
        assert!(
            call_of("Nomor P-007 dipanggil ke Loket 1", &counters).is_none(),
            "not called any more"
        );
    }
}
