//! The front-office console (`/loket`; front office, one counter chosen at sign-in): the
//! lines live, call next / recall / skip / transfer / start / finish (buttons and keyboard
//! shortcuts), the called visitor's card with the 5-minute timer from the guest book, the
//! guest book, the locker grid with ID-card custody, checkout with the feedback code and a
//! QR code to rate on the phone, and the ID cards still held.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use serde::Deserialize;

use super::kiosk::{FieldSpec, guest_book_fields, guest_book_of};
use crate::ctx::Ctx;
use crate::error::ApiError;
use crate::routes::visit::{
    self as uc, BoardView, CheckoutBody, CreateVisitBody, CustodyView, LockerBody, LockerView,
    OfficeSetupView, TicketView, VisitView,
};
use crate::state::AppState;
use crate::web::forms::{FieldErrors, Values, WebForm};
use crate::web::pages::{field, html};
use crate::web::session::{cookies, see_other};
use crate::web::{Page, PageError, Session, qr};

const COUNTER_COOKIE: &str = "pst_loket";

/// The signed-in officer's office and chosen counter.
struct Desk {
    office: String,
    counter: Option<String>,
}

fn desk(session: &Session, headers: &HeaderMap) -> Result<Desk, PageError> {
    let user = session.require_user()?;
    if !matches!(user.role.as_str(), "front_office" | "supervisor" | "admin")
        || user.office.is_empty()
    {
        return Err(PageError::from(ApiError::new(
            StatusCode::FORBIDDEN,
            "NOT_FRONT_OFFICE",
            "Konsol loket hanya untuk petugas front office sebuah satker.",
        )));
    }
    Ok(Desk {
        office: user.office.clone(),
        counter: cookies(headers).remove(COUNTER_COOKIE).filter(|c| {
            !c.is_empty() && c.len() <= 16 && c.chars().all(|x| x.is_ascii_alphanumeric())
        }),
    })
}

#[derive(Template)]
#[template(path = "walkin/console.html")]
struct Console {
    page: Page,
    setup: OfficeSetupView,
    counter: String,
    board: BoardView,
    current: Option<TicketView>,
    visit: Option<VisitView>,
    lockers: Vec<LockerView>,
    fields: Vec<FieldSpec>,
    values: Values,
    errors: FieldErrors,
    notice: String,
    /// After finishing: the visit that still needs its checkout.
    to_check_out: Option<VisitView>,
    /// After checkout: the visit with its one-time feedback code, and the QR code to rate.
    checked_out: Option<(VisitView, String)>,
}

impl Console {
    fn counter_name(&self) -> &str {
        self.setup
            .counters
            .iter()
            .find(|c| c.code == self.counter)
            .map_or(self.counter.as_str(), |c| c.name.as_str())
    }

    /// Lines the other counters serve, to transfer the current ticket to.
    fn transfer_targets(&self) -> Vec<(&str, &str)> {
        let current = self.current.as_ref().map(|t| t.service_type.as_str());
        self.setup
            .service_types
            .iter()
            .filter(|t| Some(t.code.as_str()) != current)
            .map(|t| (t.code.as_str(), t.name.as_str()))
            .collect()
    }

    fn status(&self, t: &TicketView) -> &'static str {
        self.state(&t.status)
    }

    /// A ticket state in words.
    fn state(&self, status: &str) -> &'static str {
        match status {
            "waiting" => "menunggu",
            "called" => "dipanggil",
            "skipped" => "dilewati",
            "serving" => "sedang dilayani",
            "done" => "selesai",
            _ => "-",
        }
    }

    fn free_lockers(&self) -> Vec<u32> {
        self.lockers
            .iter()
            .filter(|l| l.state == "free")
            .map(|l| l.number)
            .collect()
    }
}

#[derive(Template)]
#[template(path = "walkin/console_choose.html")]
struct Choose {
    page: Page,
    setup: OfficeSetupView,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(in crate::web::pages) struct ConsoleQuery {
    pesan: String,
    /// A visit just finished, to check out.
    checkout: String,
}

pub(in crate::web::pages) async fn console(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    headers: HeaderMap,
    Query(q): Query<ConsoleQuery>,
) -> Result<Response, PageError> {
    let desk = desk(&session, &headers)?;
    let ctx = session.ctx(ctx);
    let setup = uc::office_setup(&s, &ctx, desk.office.clone()).await?;
    let Some(counter) = desk
        .counter
        .filter(|c| setup.counters.iter().any(|x| &x.code == c))
    else {
        return html(&Choose {
            page: Page::new(&s, &session, "Pilih loket").await,
            setup,
        });
    };
    let more = Extra {
        notice: notice(&q.pesan),
        to_check_out: q.checkout.clone(),
        ..Extra::default()
    };
    render(&s, &session, &ctx, setup, counter, more).await
}

/// What a console page shows beyond the counter's state.
#[derive(Default)]
struct Extra {
    values: Values,
    errors: FieldErrors,
    notice: String,
    to_check_out: String,
    checked_out: Option<VisitView>,
}

async fn render(
    s: &AppState,
    session: &Session,
    ctx: &Ctx,
    setup: OfficeSetupView,
    counter: String,
    more: Extra,
) -> Result<Response, PageError> {
    let office = setup.office_code.clone();
    let board = uc::board(s, ctx, office.clone()).await?;
    // The ticket at this counter, from the staff view of the board: a reload resumes it.
    let current_id = board
        .counters
        .iter()
        .find(|c| c.counter == counter)
        .map(|c| c.ticket_id.clone())
        .filter(|id| !id.is_empty());
    let current = match current_id {
        Some(id) => Some(uc::ticket(s, ctx, id).await?),
        None => None,
    };
    let visit = match current
        .as_ref()
        .map(|t| t.visit_id.clone())
        .filter(|v| !v.is_empty())
    {
        Some(id) => Some(uc::visit(s, ctx, id).await?),
        None => None,
    };
    let lockers = uc::lockers_of(s, ctx, office.clone()).await?;
    let to_check_out = match more.to_check_out.as_str() {
        "" => None,
        id => Some(uc::visit(s, ctx, id.to_owned()).await?).filter(|v| v.ended_at.is_empty()),
    };
    let checked_out = more.checked_out.map(|v| {
        let link = format!(
            "{}/kiosk/{}/nilai?kode={}",
            s.web.public_url, v.office_code, v.feedback_code
        );
        let code = qr::svg(&link, "Kode QR untuk memberi penilaian di ponsel");
        (v, code)
    });
    let mut values = more.values;
    if let Some(v) = &visit {
        prefill(&mut values, v);
    }
    html(&Console {
        page: Page::new(s, session, "Konsol loket").await,
        notice: more.notice,
        fields: guest_book_fields(),
        errors: more.errors,
        setup,
        counter,
        board,
        current,
        visit,
        lockers,
        values,
        to_check_out,
        checked_out,
    })
}

/// The guest-book form shows the entry as it stands (for corrections).
fn prefill(values: &mut Values, v: &VisitView) {
    let g = &v.guest_book;
    for (name, value) in [
        ("name", &g.name),
        ("email", &g.email),
        ("phone", &g.phone),
        ("sex", &g.sex),
        ("age_group", &g.age_group),
        ("education", &g.education),
        ("occupation", &g.occupation),
        ("institution_type", &g.institution_type),
        ("institution_name", &g.institution_name),
        ("purpose", &g.purpose),
        ("data_needed", &g.data_needed),
    ] {
        if values.get(name).is_empty()
            && let Some(value) = value
        {
            values.set(name, value.clone());
        }
    }
}

fn notice(code: &str) -> String {
    match code {
        "kosong" => "Tidak ada antrean yang menunggu untuk loket ini.",
        "dipanggil" => "Nomor dipanggil. Papan antrean mengumumkannya.",
        "ulang" => "Nomor dipanggil ulang.",
        "dilewati" => "Nomor dilewati.",
        "dialihkan" => "Nomor dialihkan ke layanan lain.",
        "mulai" => "Pelayanan dimulai.",
        "selesai" => {
            "Pelayanan selesai. Lakukan checkout saat pengunjung mengambil kartu identitasnya."
        }
        "buku-tamu" => "Buku tamu tersimpan.",
        "diperbaiki" => "Buku tamu diperbarui.",
        "loker" => "Kartu identitas dititipkan; loker tercatat.",
        "checkout" => "Checkout selesai.",
        _ => "",
    }
    .to_owned()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(in crate::web::pages) struct ChooseForm {
    counter: String,
}

/// Keeps the chosen counter in a cookie of this browser (the counter's PC).
pub(in crate::web::pages) async fn choose(
    State(s): State<AppState>,
    WebForm(f): WebForm<ChooseForm>,
) -> Result<Response, PageError> {
    let c: String = f
        .counter
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(16)
        .collect();
    let secure = if s.web.secure_cookies { "; Secure" } else { "" };
    let cookie = HeaderValue::from_str(&format!(
        "{COUNTER_COOKIE}={c}; Path=/loket; Max-Age=31536000; HttpOnly; SameSite=Lax{secure}"
    ))
    .map_err(|_| PageError::internal("counter cookie"))?;
    Ok(see_other("/loket", vec![cookie]))
}

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
