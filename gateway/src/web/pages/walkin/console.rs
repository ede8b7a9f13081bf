//! The front-office console (`/loket`; front office, one counter chosen at sign-in): the
//! lines live, call next / recall / skip / transfer / start / finish (buttons and keyboard
//! shortcuts), the called visitor's card with the 5-minute timer from the guest book, the
//! guest book, the locker grid with ID-card custody, checkout with the feedback code and a
//! QR code to rate on the phone, and the ID cards still held.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use serde::Deserialize;

use super::fields::{FieldSpec, guest_book_fields};
use crate::ctx::Ctx;
use crate::error::ApiError;
use crate::routes::visit::{
    self as uc, BoardView, LockerView, OfficeSetupView, TicketView, VisitView,
};
use crate::state::AppState;
use crate::web::forms::{FieldErrors, Values, WebForm};
use crate::web::pages::html;
use crate::web::session::{cookies, see_other};
use crate::web::{Page, PageError, Session, qr};

const COUNTER_COOKIE: &str = "pst_loket";

/// The signed-in officer's office and chosen counter.
pub(super) struct Desk {
    pub(super) office: String,
    pub(super) counter: Option<String>,
}

pub(super) fn desk(session: &Session, headers: &HeaderMap) -> Result<Desk, PageError> {
    let user = session.require_user()?;
    // The visit service lets the front office (and admins) work a counter; supervisors
    // watch the floor from /supervisor.
    if !matches!(user.role.as_str(), "front_office" | "admin") || user.office.is_empty() {
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
pub(super) struct Extra {
    pub(super) values: Values,
    pub(super) errors: FieldErrors,
    pub(super) notice: String,
    pub(super) to_check_out: String,
    pub(super) checked_out: Option<VisitView>,
}

pub(super) async fn render(
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

pub(super) fn notice(code: &str) -> String {
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
