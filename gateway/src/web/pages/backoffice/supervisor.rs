//! The supervisor's live dashboard: tiles for the floor right now, kept current by
//! server-sent events (`/supervisor/langsung`).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::{Desk, SUPERVISOR, staff};
use crate::ctx::Ctx;
use crate::routes::visit::{FloorView, floor};
use crate::state::AppState;
use crate::web::pages::html;
use crate::web::{Page, PageError, Session};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct OfficeQuery {
    kantor: String,
}

#[derive(Template)]
#[template(path = "staff/supervisor.html")]
struct Dashboard {
    page: Page,
    desk: Desk,
    f: FloorView,
}

pub(super) async fn dashboard(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Query(q): Query<OfficeQuery>,
) -> Result<Response, PageError> {
    let desk = staff(&session, &SUPERVISOR, &q.kantor)?;
    let f = floor(&s, &session.ctx(ctx), desk.office.clone()).await?;
    html(&Dashboard {
        page: Page::new(&s, &session, "Pantauan layanan").await,
        desk,
        f,
    })
}
