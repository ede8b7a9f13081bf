//! The kiosk at the door (`/kiosk/{office}`: touch, no keyboard, no account): take a number
//! and print it, fill the guest book for one's ticket, rate a finished visit with the
//! checkout code, file a complaint. And `/antrean/{id}`, the ticket's live status that its
//! QR code opens on a phone.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use crate::ctx::Ctx;
use crate::error::ApiError;
use crate::routes::feedback::{self as feedback, QuestionnaireView};
use crate::routes::visit::{
    CreateVisitBody, GuestBookFields, OfficeSetupView, TakeTicketBody, TicketView, board,
    office_setup, open_visit, take as take_ticket, ticket as ticket_of,
};
use crate::state::AppState;
use crate::web::forms::{FieldErrors, Values, WebForm};
use crate::web::pages::{field, html, rating};
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

async fn message(
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
fn friendly(e: &ApiError) -> Option<(&'static str, String)> {
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

// ---------------------------------------------------------------- forms at the kiosk

/// One field of a kiosk form: text, long text, or a choice.
pub(in crate::web::pages) struct FieldSpec {
    pub(in crate::web::pages) name: &'static str,
    pub(in crate::web::pages) label: &'static str,
    pub(in crate::web::pages) long: bool,
    pub(in crate::web::pages) choices: Vec<(&'static str, &'static str)>,
}

const fn text(name: &'static str, label: &'static str) -> FieldSpec {
    FieldSpec {
        name,
        label,
        long: false,
        choices: Vec::new(),
    }
}

fn long(name: &'static str, label: &'static str) -> FieldSpec {
    FieldSpec {
        long: true,
        ..text(name, label)
    }
}

fn choice(
    name: &'static str,
    label: &'static str,
    choices: &[(&'static str, &'static str)],
) -> FieldSpec {
    FieldSpec {
        choices: choices.to_vec(),
        ..text(name, label)
    }
}

/// The guest book's fields, with the service's vocabularies.
pub(in crate::web::pages) fn guest_book_fields() -> Vec<FieldSpec> {
    vec![
        text("name", "Nama lengkap"),
        text("phone", "Nomor telepon (boleh kosong)"),
        text("email", "E-mail (boleh kosong)"),
        choice(
            "sex",
            "Jenis kelamin",
            &[("L", "Laki-laki"), ("P", "Perempuan")],
        ),
        choice(
            "age_group",
            "Kelompok umur",
            &[
                ("<20", "< 20 tahun"),
                ("20-29", "20-29 tahun"),
                ("30-39", "30-39 tahun"),
                ("40-49", "40-49 tahun"),
                ("50-59", "50-59 tahun"),
                ("60+", "60 tahun ke atas"),
            ],
        ),
        choice(
            "education",
            "Pendidikan terakhir",
            &[
                ("SD", "SD"),
                ("SMP", "SMP"),
                ("SMA", "SMA/SMK"),
                ("D1-D3", "D1-D3"),
                ("D4/S1", "D4/S1"),
                ("S2", "S2"),
                ("S3", "S3"),
            ],
        ),
        text("occupation", "Pekerjaan"),
        choice(
            "institution_type",
            "Jenis instansi",
            &[
                ("pemerintah", "Pemerintah"),
                ("swasta", "Swasta"),
                ("pendidikan", "Pendidikan"),
                ("bumn", "BUMN/BUMD"),
                ("lainnya", "Lainnya"),
            ],
        ),
        text("institution_name", "Nama instansi"),
        long("purpose", "Keperluan kunjungan"),
        long("data_needed", "Data yang dicari (boleh kosong)"),
    ]
}

/// Guest-book fields from a form, only those filled in.
pub(in crate::web::pages) fn guest_book_of(v: &Values) -> GuestBookFields {
    let f = |name: &str, max: usize| Some(field(v.get(name), max)).filter(|x| !x.is_empty());
    GuestBookFields {
        name: f("name", 120),
        email: f("email", 254),
        phone: f("phone", 30),
        sex: f("sex", 2),
        age_group: f("age_group", 8),
        education: f("education", 8),
        occupation: f("occupation", 100),
        institution_type: f("institution_type", 20),
        institution_name: f("institution_name", 200),
        purpose: f("purpose", 1000),
        data_needed: f("data_needed", 1000),
    }
}

#[derive(Template)]
#[template(path = "walkin/kiosk_form.html")]
struct KioskForm<'a> {
    page: Page,
    office: String,
    heading: &'a str,
    intro: &'a str,
    action: String,
    button: &'a str,
    fields: Vec<FieldSpec>,
    values: Values,
    errors: FieldErrors,
}

pub(in crate::web::pages) async fn guest_book_form(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path((office, ticket)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let t = ticket_of(&s, &ctx, ticket).await?;
    html(&KioskForm {
        page: Page::new(&s, &session, "Buku tamu").await,
        heading: "Buku tamu",
        intro: &format!(
            "Untuk nomor antrean {}. Data Anda dijaga kerahasiaannya.",
            t.number
        ),
        action: format!("/kiosk/{office}/buku-tamu/{}", t.id),
        button: "Simpan buku tamu",
        office,
        fields: guest_book_fields(),
        values: Values::default(),
        errors: FieldErrors::default(),
    })
}

pub(in crate::web::pages) async fn guest_book(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path((office, ticket)): Path<(String, String)>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let v = Values::from_pairs(pairs);
    if let Some(r) = super::super::repeated(&s, v.get("sekali")) {
        return r;
    }
    let body = CreateVisitBody {
        ticket_id: ticket.clone(),
        guest_book: guest_book_of(&v),
        visit_card: String::new(),
    };
    match open_visit(&s, &ctx, body).await {
        Ok(visit) => {
            let to = format!("/kiosk/{office}/tiket/{ticket}");
            s.web.once.done(v.get("sekali"), &to);
            message(
                &s,
                &session,
                office,
                "Buku tamu tersimpan",
                &format!(
                    "Terima kasih. Silakan menunggu nomor {} dipanggil, lalu serahkan kartu identitas di front office untuk loker.",
                    visit.ticket_number
                ),
                "",
            )
            .await
        }
        Err(e) => {
            s.web.once.forget(v.get("sekali"));
            if !FieldErrors::is_form_error(&e) {
                return Err(e.into());
            }
            html(&KioskForm {
                page: Page::new(&s, &session, "Buku tamu").await,
                heading: "Buku tamu",
                intro: "",
                action: format!("/kiosk/{office}/buku-tamu/{ticket}"),
                button: "Simpan buku tamu",
                office,
                fields: guest_book_fields(),
                values: v,
                errors: FieldErrors::from_api(&e).without_prefix("guest_book."),
            })
        }
    }
}

#[derive(Template)]
#[template(path = "walkin/kiosk_rate.html")]
struct Rate {
    page: Page,
    office: String,
    action: String,
    q: QuestionnaireView,
    values: Values,
    errors: FieldErrors,
}

impl Rate {
    /// The keys of the code keypad: the letters and digits checkout codes use.
    fn keys(&self) -> Vec<char> {
        "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".chars().collect()
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(in crate::web::pages) struct CodeQuery {
    kode: String,
}

/// Without a code: the keypad. With one: the SKM form for that visit.
pub(in crate::web::pages) async fn rate_form(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path(office): Path<String>,
    Query(q): Query<CodeQuery>,
) -> Result<Response, PageError> {
    let mut values = Values::default();
    values.set("visit_code", field(&q.kode, 16).to_ascii_uppercase());
    html(&Rate {
        page: Page::new(&s, &session, "Beri penilaian").await,
        action: format!("/kiosk/{office}/nilai"),
        office,
        q: feedback::questions(&s, &ctx).await?,
        values,
        errors: FieldErrors::default(),
    })
}

pub(in crate::web::pages) async fn rate(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path(office): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let mut v = Values::from_pairs(pairs);
    if let Some(r) = super::super::repeated(&s, v.get("sekali")) {
        return r;
    }
    match feedback::rate(&s, &ctx, rating::response_body(&v)).await {
        Ok(done) => {
            s.web
                .once
                .done(v.get("sekali"), &format!("/kiosk/{office}"));
            message(&s, &session, office, "Terima kasih", &done.message, "").await
        }
        Err(e) => {
            s.web.once.forget(v.get("sekali"));
            if !FieldErrors::is_form_error(&e) && e.0.as_u16() != 404 {
                return Err(e.into());
            }
            let errors = FieldErrors::from_api(&e);
            // A code that is not one: back to the keypad with the reason.
            if e.0.as_u16() == 404 || errors.get("visit_code").is_some() {
                v.set("visit_code", "");
            }
            let mut errors = errors;
            if v.get("visit_code").is_empty() && errors.get("visit_code").is_none() {
                errors.add("visit_code", e.1.detail.clone());
            }
            html(&Rate {
                page: Page::new(&s, &session, "Beri penilaian").await,
                action: format!("/kiosk/{office}/nilai"),
                office,
                q: feedback::questions(&s, &ctx).await?,
                values: v,
                errors,
            })
        }
    }
}

pub(in crate::web::pages) async fn complaint_form(
    State(s): State<AppState>,
    session: Session,
    Path(office): Path<String>,
) -> Result<Response, PageError> {
    html(&KioskForm {
        page: Page::new(&s, &session, "Sampaikan pengaduan").await,
        heading: "Sampaikan pengaduan",
        intro: "Nama dan e-mail boleh dikosongkan. Anda akan menerima kode untuk menanyakan tindak lanjutnya.",
        action: format!("/kiosk/{office}/pengaduan"),
        button: "Kirim pengaduan",
        office,
        fields: complaint_fields(),
        values: Values::default(),
        errors: FieldErrors::default(),
    })
}

fn complaint_fields() -> Vec<FieldSpec> {
    vec![
        choice(
            "category",
            "Kategori",
            &crate::web::pages::complaints::CATEGORIES,
        ),
        long("text", "Isi pengaduan"),
        text("contact_name", "Nama (boleh kosong)"),
        text("contact_email", "E-mail untuk jawaban (boleh kosong)"),
    ]
}

pub(in crate::web::pages) async fn complaint(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path(office): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let v = Values::from_pairs(pairs);
    if let Some(r) = super::super::repeated(&s, v.get("sekali")) {
        return r;
    }
    let body = feedback::ComplaintBody {
        channel: "app".into(),
        category: field(v.get("category"), 40),
        text: field(v.get("text"), 5000),
        office_code: office.clone(),
        reference_kind: String::new(),
        reference_id: String::new(),
        contact_email: field(v.get("contact_email"), 254),
        contact_name: field(v.get("contact_name"), 120),
    };
    match feedback::file_complaint(&s, &ctx, body).await {
        Ok(c) => {
            s.web
                .once
                .done(v.get("sekali"), &format!("/kiosk/{office}"));
            message(
                &s,
                &session,
                office,
                "Pengaduan diterima",
                "Terima kasih. Simpan kode pelacakan di bawah untuk menanyakan tindak lanjutnya kepada petugas.",
                &c.tracking_code,
            )
            .await
        }
        Err(e) => {
            s.web.once.forget(v.get("sekali"));
            if !FieldErrors::is_form_error(&e) {
                return Err(e.into());
            }
            html(&KioskForm {
                page: Page::new(&s, &session, "Sampaikan pengaduan").await,
                heading: "Sampaikan pengaduan",
                intro: "",
                action: format!("/kiosk/{office}/pengaduan"),
                button: "Kirim pengaduan",
                office,
                fields: complaint_fields(),
                values: v,
                errors: FieldErrors::from_api(&e),
            })
        }
    }
}
