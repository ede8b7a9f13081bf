//! The signed-in visitor's tickets and visits, with their live status (refreshed in place
//! by htmx while a ticket is still open).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;

use super::html;
use crate::ctx::Ctx;
use crate::routes::visit::{TicketList, TicketView, tickets_of_me};
use crate::state::AppState;
use crate::web::{Page, PageError, Session};

#[derive(Template)]
#[template(path = "tickets.html")]
struct Tickets {
    page: Page,
    list: TicketList,
    next: String,
}

impl Tickets {
    fn status(&self, t: &TicketView) -> String {
        ticket_status(t)
    }

    /// Whether any ticket may still change (the list then refreshes itself).
    fn live(&self) -> bool {
        self.list.items.iter().any(|t| t.status != "done")
    }
}

/// A ticket's state in words, with what the visitor should do.
pub(in crate::web::pages) fn ticket_status(t: &TicketView) -> String {
    match t.status.as_str() {
        "waiting" if t.position == 0 => "Menunggu: Anda berikutnya".to_owned(),
        "waiting" => format!("Menunggu: {} orang di depan Anda", t.position),
        "called" => format!("Dipanggil: silakan ke loket {}", t.counter),
        "skipped" => "Dilewati: hubungi petugas front office".to_owned(),
        "serving" => "Sedang dilayani".to_owned(),
        "done" => "Selesai".to_owned(),
        other => other.to_owned(),
    }
}

pub(super) async fn mine(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Query(q): Query<super::CursorQuery>,
) -> Result<Response, PageError> {
    session.require_user()?;
    let list = tickets_of_me(&s, &session.ctx(ctx), q.page()).await?;
    let next = super::next_page("/akun/kunjungan", &list.next_cursor);
    html(&Tickets {
        page: Page::new(&s, &session, "Antrean dan kunjungan saya").await,
        list,
        next,
    })
}

#[derive(Template)]
#[template(path = "visit_card.html")]
struct Card {
    page: Page,
    card: crate::routes::me::VisitCardView,
    qr: String,
}

/// The visitor's "kartu kunjungan": a QR code the front office scans (10 minutes).
pub(super) async fn card(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
) -> Result<Response, PageError> {
    session.require_user()?;
    let card = crate::routes::me::issue_visit_card(&s, &session.ctx(ctx)).await?;
    html(&Card {
        page: Page::new(&s, &session, "Kartu kunjungan").await,
        qr: crate::web::qr::svg(&card.token, "Kartu kunjungan untuk dipindai petugas"),
        card,
    })
}
