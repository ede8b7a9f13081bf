//! The supervisor's live tiles as server-sent events: the floor is counted again whenever
//! the office's board changes (a number taken, called, served) and every few seconds (so
//! "at risk" moves with the clock), and sent only when it changed.

use std::convert::Infallible;

use axum::extract::{Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::{Stream, StreamExt as _};
use serde::Deserialize;

use super::{SUPERVISOR, staff};
use crate::ctx::Ctx;
use crate::routes::visit::{FloorView, floor};
use crate::state::AppState;
use crate::web::{PageError, Session};
use pst_proto::visit as pb;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct LiveQuery {
    kantor: String,
}

/// The floor's numbers as the page's tiles name them.
fn event(f: &FloorView) -> Event {
    Event::default()
        .event("lantai")
        .json_data(serde_json::json!({
            "waiting": f.waiting,
            "serving": f.serving,
            "at_risk": f.at_risk,
            "past_promise": f.past_promise,
            "cards_held": f.cards_held,
            "visits_today": f.visits_today,
            "as_of": f.as_of,
        }))
        .unwrap_or_else(|_| Event::default().event("galat").data("angka tidak terbaca"))
}

pub(super) async fn tiles(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Query(q): Query<LiveQuery>,
) -> Result<Response, PageError> {
    let desk = staff(&session, &SUPERVISOR, &q.kantor)?;
    let slot = s.streams.acquire(&ctx.client_ip, &desk.office)?;
    let ctx = session.ctx(ctx);
    let first = floor(&s, &ctx, desk.office.clone()).await?;
    let mut req = ctx.request(pb::GetBoardRequest {
        office_code: desk.office.clone(),
    });
    req.set_timeout(std::time::Duration::from_secs(24 * 3600));
    let board = s.visit_stream.clone().stream_board(req).await?.into_inner();
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let updates = futures::stream::unfold(
        (board, tick, s, ctx, desk.office, first.clone()),
        |(mut board, mut tick, s, ctx, office, last)| async move {
            loop {
                tokio::select! {
                    item = board.next() => match item {
                        Some(Ok(_)) => {}
                        // The board stream ended (the service restarted): so does this one,
                        // and the browser reconnects.
                        _ => return None,
                    },
                    _ = tick.tick() => {}
                }
                // The session's token ends with it: the browser reconnects and the page's
                // session middleware gives the new request a fresh token.
                let now = floor(&s, &ctx, office.clone()).await.ok()?;
                if now != last {
                    return Some((now.clone(), (board, tick, s, ctx, office, now)));
                }
            }
        },
    );
    let stream: std::pin::Pin<Box<dyn Stream<Item = Result<Event, Infallible>> + Send>> = Box::pin(
        futures::stream::once(async move { Ok(event(&first)) }).chain(updates.map(move |f| {
            let _open = &slot;
            Ok(event(&f))
        })),
    );
    Ok(Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response())
}
