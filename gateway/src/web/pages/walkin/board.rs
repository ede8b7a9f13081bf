//! The display board (`/board/{office}`): drawn once on the server, then live from the
//! queue's event stream in `board.js`, with the voice call.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use crate::ctx::Ctx;
use crate::routes::visit::{BoardView, OfficeSetupView, board as board_now, office_setup};
use crate::state::AppState;
use crate::web::pages::html;
use crate::web::{Page, PageError, Session, assets};

#[derive(Template)]
#[template(path = "walkin/board.html")]
struct Board {
    page: Page,
    setup: OfficeSetupView,
    board: BoardView,
    /// `clips` (recorded words) or `browser` (the browser's id-ID voice where one exists).
    voice: &'static str,
}

impl Board {
    /// `name=url` of every voice clip, for board.js.
    fn clip_urls(&self) -> String {
        assets::names()
            .filter_map(|n| {
                let clip = n.strip_prefix("suara/")?.strip_suffix(".ogg")?;
                Some(format!("{clip}={}", assets::url(n)))
            })
            .collect::<Vec<_>>()
            .join(",")
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct BoardQuery {
    /// `browser`: the office prefers the browser's id-ID voice.
    suara: String,
}

pub(super) async fn board(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path(office): Path<String>,
    Query(q): Query<BoardQuery>,
) -> Result<Response, PageError> {
    let setup = office_setup(&s, &ctx, office.clone()).await?;
    let board = board_now(&s, &ctx, office).await?;
    html(&Board {
        page: Page::new(&s, &session, format!("Papan antrean {}", setup.name)).await,
        voice: if q.suara == "browser" {
            "browser"
        } else {
            "clips"
        },
        setup,
        board,
    })
}
