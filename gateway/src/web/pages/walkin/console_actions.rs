//! The console's actions: call next, recall / skip / transfer / start / finish, the guest
//! book and its corrections, the ID card to a locker, checkout, and the cards still held.
//! Each answers with the console again (a redirect, or the page with the refusal on top).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;

use super::fields::guest_book_of;
use crate::ctx::Ctx;
use crate::error::ApiError;
use crate::routes::visit::{self as uc, CheckoutBody, CreateVisitBody, CustodyView, LockerBody};
use crate::state::AppState;
use crate::web::forms::{FieldErrors, Values, WebForm};
use crate::web::pages::{field, html};
use crate::web::session::see_other;
use crate::web::{Page, PageError, Session};

use super::console::{Extra, desk, notice, render};
fn back(pesan: &str) -> Response {
    see_other(&format!("/loket?pesan={pesan}"), Vec::new())
}

/// An action refused by the service: the console again, with the reason on top.
async fn refused(
    s: &AppState,
    session: &Session,
    ctx: &Ctx,
    headers: &HeaderMap,
    e: ApiError,
    values: Values,
) -> Result<Response, PageError> {
    if !FieldErrors::is_form_error(&e) && e.0.as_u16() != 404 {
        return Err(e.into());
    }
    let desk = desk(session, headers)?;
    let setup = uc::office_setup(s, ctx, desk.office.clone()).await?;
    let more = Extra {
        values,
        errors: FieldErrors::from_api(&e).without_prefix("guest_book."),
        ..Extra::default()
    };
    render(
        s,
        session,
        ctx,
        setup,
        desk.counter.unwrap_or_default(),
        more,
    )
    .await
}

pub(in crate::web::pages) async fn call_next(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let desk = desk(&session, &headers)?;
    let ctx = session.ctx(ctx);
    let Some(counter) = desk.counter else {
        return Ok(see_other("/loket", Vec::new()));
    };
    match uc::call(&s, &ctx, desk.office, counter).await {
        Ok(r) if r.ticket.is_some() => Ok(back("dipanggil")),
        Ok(_) => Ok(back("kosong")),
        Err(e) => refused(&s, &session, &ctx, &headers, e, Values::default()).await,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(in crate::web::pages) struct ActionForm {
    service_type: String,
}

/// recall, skip, transfer, start, finish of the counter's ticket.
pub(in crate::web::pages) async fn act(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    headers: HeaderMap,
    Path((id, action)): Path<(String, String)>,
    WebForm(f): WebForm<ActionForm>,
) -> Result<Response, PageError> {
    let desk = desk(&session, &headers)?;
    let ctx = session.ctx(ctx);
    let counter = desk.counter.unwrap_or_default();
    let r = match action.as_str() {
        "ulang" => uc::recall_ticket(&s, &ctx, id, uc::RecallBody { counter })
            .await
            .map(|_| "ulang".to_owned()),
        "lewati" => uc::skip_ticket(&s, &ctx, id)
            .await
            .map(|_| "dilewati".to_owned()),
        "alihkan" => uc::transfer_ticket(
            &s,
            &ctx,
            id,
            uc::TransferBody {
                service_type: field(&f.service_type, 40),
            },
        )
        .await
        .map(|_| "dialihkan".to_owned()),
        "mulai" => uc::start_ticket(&s, &ctx, id)
            .await
            .map(|_| "mulai".to_owned()),
        "selesai" => uc::finish_ticket(&s, &ctx, id).await.map(|t| {
            if t.visit_id.is_empty() {
                "selesai".to_owned()
            } else {
                format!("selesai&checkout={}", t.visit_id)
            }
        }),
        _ => return Err(PageError::NotFound),
    };
    match r {
        Ok(pesan) => Ok(back(&pesan)),
        Err(e) => refused(&s, &session, &ctx, &headers, e, Values::default()).await,
    }
}

pub(in crate::web::pages) async fn guest_book(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    headers: HeaderMap,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    desk(&session, &headers)?;
    let ctx = session.ctx(ctx);
    let v = Values::from_pairs(pairs);
    let body = CreateVisitBody {
        ticket_id: field(v.get("ticket_id"), 64),
        guest_book: guest_book_of(&v),
        visit_card: field(v.get("visit_card"), 4000),
    };
    match uc::open_visit(&s, &ctx, body).await {
        Ok(_) => Ok(back("buku-tamu")),
        Err(e) => refused(&s, &session, &ctx, &headers, e, v).await,
    }
}

pub(in crate::web::pages) async fn correct(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    desk(&session, &headers)?;
    let ctx = session.ctx(ctx);
    let v = Values::from_pairs(pairs);
    match uc::correct_visit(&s, &ctx, id, guest_book_of(&v)).await {
        Ok(_) => Ok(back("diperbaiki")),
        Err(e) => refused(&s, &session, &ctx, &headers, e, v).await,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(in crate::web::pages) struct LockerForm {
    locker: String,
    id_type: String,
    id_number: String,
}

pub(in crate::web::pages) async fn locker(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
    WebForm(f): WebForm<LockerForm>,
) -> Result<Response, PageError> {
    desk(&session, &headers)?;
    let ctx = session.ctx(ctx);
    let body = LockerBody {
        locker: f.locker.trim().parse().unwrap_or(0),
        id_type: field(&f.id_type, 10),
        id_number: field(&f.id_number, 40),
    };
    match uc::hold_card(&s, &ctx, id, body).await {
        Ok(_) => Ok(back("loker")),
        Err(e) => {
            let mut v = Values::default();
            v.set("locker", f.locker);
            v.set("id_type", f.id_type);
            refused(&s, &session, &ctx, &headers, e, v).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(in crate::web::pages) struct CheckoutForm {
    id_returned: String,
}

/// Checkout: the ID card goes back, the locker is freed; the page shows the one-time
/// feedback code and a QR code to rate on the phone.
pub(in crate::web::pages) async fn checkout(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
    WebForm(f): WebForm<CheckoutForm>,
) -> Result<Response, PageError> {
    let desk = desk(&session, &headers)?;
    let ctx = session.ctx(ctx);
    let body = CheckoutBody {
        id_returned: f.id_returned == "1",
        ..CheckoutBody::default()
    };
    match uc::check_out(&s, &ctx, id, body).await {
        // The feedback code exists only in this answer: shown now, never kept here.
        Ok(v) => {
            let setup = uc::office_setup(&s, &ctx, desk.office.clone()).await?;
            let more = Extra {
                notice: notice("checkout"),
                checked_out: Some(v),
                ..Extra::default()
            };
            render(
                &s,
                &session,
                &ctx,
                setup,
                desk.counter.unwrap_or_default(),
                more,
            )
            .await
        }
        Err(e) => refused(&s, &session, &ctx, &headers, e, Values::default()).await,
    }
}

#[derive(Template)]
#[template(path = "walkin/custody.html")]
struct Custody {
    page: Page,
    office: String,
    held: Vec<CustodyView>,
}

/// The ID cards still held (end of day: who still has to collect their card).
pub(in crate::web::pages) async fn custody(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let desk = desk(&session, &headers)?;
    let ctx = session.ctx(ctx);
    let held = uc::custody_of(&s, &ctx, desk.office.clone()).await?;
    html(&Custody {
        page: Page::new(&s, &session, "Kartu identitas yang masih dititipkan").await,
        office: desk.office,
        held: held
            .into_iter()
            .filter(|c| c.returned_at.is_empty())
            .collect(),
    })
}
