//! Forms at the kiosk: the guest book for one's ticket, rating a finished visit with the
//! checkout code on an on-screen keypad, and an anonymous complaint.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use crate::ctx::Ctx;
use crate::routes::feedback::{self as feedback, QuestionnaireView};
use crate::routes::visit::{CreateVisitBody, open_visit, ticket as ticket_of};
use crate::state::AppState;
use crate::web::forms::{FieldErrors, Values, WebForm};
use crate::web::pages::{field, html, rating};
use crate::web::{Page, PageError, Session};

use super::fields::{FieldSpec, choice, guest_book_fields, guest_book_of, long, text};
use super::kiosk::message;
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
    let pending = match super::super::first_submission(&s, v.get("sekali")) {
        super::super::Posted::Act(p) => p,
        super::super::Posted::Answered(answer) => return Ok(answer),
    };
    let body = CreateVisitBody {
        ticket_id: ticket.clone(),
        guest_book: guest_book_of(&v),
        visit_card: String::new(),
    };
    match open_visit(&s, &ctx, body).await {
        Ok(visit) => {
            let to = format!("/kiosk/{office}/tiket/{ticket}");
            pending.done(&to);
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
    let pending = match super::super::first_submission(&s, v.get("sekali")) {
        super::super::Posted::Act(p) => p,
        super::super::Posted::Answered(answer) => return Ok(answer),
    };
    match feedback::rate(&s, &ctx, rating::response_body(&v)).await {
        Ok(done) => {
            pending.done(&format!("/kiosk/{office}"));
            message(&s, &session, office, "Terima kasih", &done.message, "").await
        }
        Err(e) => {
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
    let pending = match super::super::first_submission(&s, v.get("sekali")) {
        super::super::Posted::Act(p) => p,
        super::super::Posted::Answered(answer) => return Ok(answer),
    };
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
            pending.done(&format!("/kiosk/{office}"));
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
