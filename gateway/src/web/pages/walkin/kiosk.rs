//! The kiosk at the door (`/kiosk/{office}`: touch, no keyboard, no account): take a number
//! and print it; and `/antrean/{id}`, the ticket's live status that its QR code opens.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use crate::ctx::Ctx;
use crate::error::ApiError;
use crate::routes::visit::{
    OfficeSetupView, TakeTicketBody, TicketView, board, office_setup, take as take_ticket,
    ticket as ticket_of,
};
use crate::state::AppState;
use crate::web::forms::WebForm;
use crate::web::pages::{field, html};
use crate::web::session::see_other;
use crate::web::{Page, PageError, Session, qr};

#[derive(Template)]
#[template(path = "walkin/kiosk_start.html")]
struct Start {
    page: Page,
    setup: OfficeSetupView,
    notice: &'static str,
}

pub(in crate::web::pages) async fn start(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path(office): Path<String>,
) -> Result<Response, PageError> {
    let setup = office_setup(&s, &ctx, office).await?;
    html(&Start {
        page: Page::new(&s, &session, "Ambil nomor antrean").await,
        setup,
        notice: "",
    })
}

#[derive(Template)]
#[template(path = "walkin/kiosk_message.html")]
struct Message<'a> {
    page: Page,
    office: String,
    heading: &'a str,
    message: &'a str,
    code: &'a str,
}

pub(super) async fn message(
    s: &AppState,
    session: &Session,
    office: String,
    heading: &str,
    message: &str,
    code: &str,
) -> Result<Response, PageError> {
    html(&Message {
        page: Page::new(s, session, heading).await,
        office,
        heading,
        message,
        code,
    })
}

/// A refusal the kiosk explains on a friendly screen (limits, a closed office, bad input);
/// anything else (the service down) is the error page.
pub(super) fn friendly(e: &ApiError) -> Option<(&'static str, String)> {
    match e.0.as_u16() {
        429 => Some((
            "Mohon tunggu sebentar",
            format!(
                "{} Jika perlu bantuan, silakan menghubungi petugas.",
                e.1.detail
            ),
        )),
        404 | 409 | 422 => Some(("Belum dapat dilayani", e.1.detail.clone())),
        _ => None,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(in crate::web::pages) struct TakeForm {
    service_type: String,
    device_id: String,
}

pub(in crate::web::pages) async fn take(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path(office): Path<String>,
    WebForm(f): WebForm<TakeForm>,
) -> Result<Response, PageError> {
    let body = TakeTicketBody {
        service_type: field(&f.service_type, 40),
        device_id: field(&f.device_id, 40),
    };
    match take_ticket(&s, &ctx, office.clone(), body).await {
        Ok(t) => Ok(see_other(
            &format!("/kiosk/{office}/tiket/{}?cetak=1", t.id),
            Vec::new(),
        )),
        Err(e) => match friendly(&e) {
            Some((heading, text)) => message(&s, &session, office, heading, &text, "").await,
            None => Err(e.into()),
        },
    }
}

#[derive(Template)]
#[template(path = "walkin/kiosk_ticket.html")]
struct Ticket {
    page: Page,
    setup: OfficeSetupView,
    t: TicketView,
    estimate_secs: u32,
    qr: String,
    print: &'static str,
}

impl Ticket {
    fn service_name(&self) -> &str {
        self.setup
            .service_types
            .iter()
            .find(|x| x.code == self.t.service_type)
            .map_or(self.t.service_type.as_str(), |x| x.name.as_str())
    }

    fn estimate_mins(&self) -> u32 {
        self.estimate_secs.div_ceil(60)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(in crate::web::pages) struct TicketQuery {
    cetak: String,
}

pub(in crate::web::pages) async fn ticket(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path((office, id)): Path<(String, String)>,
    Query(q): Query<TicketQuery>,
) -> Result<Response, PageError> {
    let t = ticket_of(&s, &ctx, id).await?;
    if t.office_code != office {
        return Err(PageError::NotFound);
    }
    let setup = office_setup(&s, &ctx, office.clone()).await?;
    let estimate_secs = board(&s, &ctx, office)
        .await
        .ok()
        .and_then(|b| {
            b.lines
                .iter()
                .find(|l| l.service_type == t.service_type)
                .map(|l| l.estimated_wait_secs)
        })
        .unwrap_or(0);
    let link = format!("{}/antrean/{}", s.web.public_url, t.id);
    html(&Ticket {
        page: Page::new(&s, &session, format!("Nomor {}", t.number)).await,
        qr: qr::svg(&link, &format!("Kode QR status antrean {}", t.number)),
        print: if q.cetak == "1" { "1" } else { "0" },
        estimate_secs,
        setup,
        t,
    })
}

#[derive(Template)]
#[template(path = "walkin/ticket_status.html")]
struct Status {
    page: Page,
    t: TicketView,
}

impl Status {
    fn status(&self) -> String {
        crate::web::pages::visit::ticket_status(&self.t)
    }
}

/// The live status of a ticket (anyone holding its id: the QR code on the printed ticket).
pub(in crate::web::pages) async fn status(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let t = ticket_of(&s, &session.ctx(ctx), id).await?;
    html(&Status {
        page: Page::new(&s, &session, format!("Antrean {}", t.number)).await,
        t,
    })
}
