//! Complaints of the signed-in visitor: new, my list, the thread, close / reopen.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::{CursorQuery, field, html};
use crate::ctx::Ctx;
use crate::routes::feedback::{self as uc, ComplaintList, ComplaintQuery, ComplaintView};
use crate::state::AppState;
use crate::web::forms::{FieldErrors, WebForm};
use crate::web::session::see_other;
use crate::web::{Page, PageError, Session};

/// The life-cycle states in words.
pub(in crate::web::pages) fn status_label(status: &str) -> &'static str {
    match status {
        "received" => "Diterima",
        "in_progress" => "Diproses",
        "answered" => "Dijawab",
        "closed" => "Ditutup",
        "reopened" => "Dibuka kembali",
        _ => "Lainnya",
    }
}

#[derive(Template)]
#[template(path = "complaints.html")]
struct Complaints {
    page: Page,
    list: ComplaintList,
    next: String,
}

impl Complaints {
    fn status(&self, s: &str) -> &'static str {
        status_label(s)
    }
}

pub(super) async fn mine(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Query(q): Query<CursorQuery>,
) -> Result<Response, PageError> {
    session.require_user()?;
    let list = uc::complaints(&s, &session.ctx(ctx), {
        let p = q.page();
        ComplaintQuery {
            office: String::new(),
            status: String::new(),
            due_by: None,
            cursor: p.cursor,
            limit: p.limit,
        }
    })
    .await?;
    let next = super::next_page("/pengaduan", &list.next_cursor);
    html(&Complaints {
        page: Page::new(&s, &session, "Pengaduan saya").await,
        list,
        next,
    })
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(super) struct ComplaintForm {
    office_code: String,
    category: String,
    text: String,
    reference_kind: String,
    reference_id: String,
    sekali: String,
}

#[derive(Template)]
#[template(path = "complaint_new.html")]
struct NewComplaint {
    page: Page,
    form: ComplaintForm,
    offices: Vec<(String, String)>,
    errors: FieldErrors,
}

pub(in crate::web::pages) const CATEGORIES: [(&str, &str); 5] = [
    ("layanan", "Layanan"),
    ("petugas", "Petugas"),
    ("fasilitas", "Fasilitas"),
    ("data", "Data dan publikasi"),
    ("lainnya", "Lainnya"),
];

impl NewComplaint {
    fn categories(&self) -> &'static [(&'static str, &'static str)] {
        &CATEGORIES
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct NewQuery {
    kantor: String,
    publikasi: String,
}

pub(super) async fn new_form(
    State(s): State<AppState>,
    session: Session,
    Query(q): Query<NewQuery>,
) -> Result<Response, PageError> {
    session.require_user()?;
    let page = Page::new(&s, &session, "Pengaduan baru").await;
    let office = if q.kantor.is_empty() {
        "1674".to_owned()
    } else {
        field(&q.kantor, 8)
    };
    let publication = field(&q.publikasi, 64);
    html(&NewComplaint {
        offices: page.office_list(),
        page,
        form: ComplaintForm {
            office_code: office,
            category: "layanan".into(),
            reference_kind: if publication.is_empty() {
                String::new()
            } else {
                "publication".into()
            },
            reference_id: publication,
            ..ComplaintForm::default()
        },
        errors: FieldErrors::default(),
    })
}

pub(super) async fn create(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    WebForm(form): WebForm<ComplaintForm>,
) -> Result<Response, PageError> {
    session.require_user()?;
    let pending = match super::first_submission(&s, &form.sekali) {
        super::Posted::Act(p) => p,
        super::Posted::Answered(answer) => return Ok(answer),
    };
    let body = uc::ComplaintBody {
        channel: "app".into(),
        category: field(&form.category, 40),
        text: field(&form.text, 5000),
        office_code: field(&form.office_code, 8),
        reference_kind: field(&form.reference_kind, 40),
        reference_id: field(&form.reference_id, 64),
        contact_email: String::new(),
        contact_name: String::new(),
    };
    match uc::file_complaint(&s, &session.ctx(ctx), body).await {
        Ok(c) => {
            let to = format!("/pengaduan/{}", c.id);
            pending.done(&to);
            Ok(see_other(&to, Vec::new()))
        }
        Err(e) => {
            if !FieldErrors::is_form_error(&e) {
                return Err(e.into());
            }
            let page = Page::new(&s, &session, "Pengaduan baru").await;
            html(&NewComplaint {
                offices: page.office_list(),
                page,
                form,
                errors: FieldErrors::from_api(&e),
            })
        }
    }
}

#[derive(Template)]
#[template(path = "complaint.html")]
struct Thread {
    page: Page,
    c: ComplaintView,
    errors: FieldErrors,
}

impl Thread {
    fn status(&self) -> &'static str {
        status_label(&self.c.status)
    }
    fn category(&self) -> &'static str {
        CATEGORIES
            .iter()
            .find(|(k, _)| *k == self.c.category)
            .map_or("Lainnya", |(_, v)| v)
    }
    /// A closed complaint takes no more replies (reopen it first).
    fn accepts_replies(&self) -> bool {
        self.c.status != "closed"
    }
    fn who(&self, role: &str) -> &'static str {
        if role == "staff" {
            "Petugas PST"
        } else {
            "Anda"
        }
    }
}

pub(super) async fn thread(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    session.require_user()?;
    let c = uc::complaint(
        &s,
        &session.ctx(ctx),
        id,
        uc::TrackingQuery {
            tracking_code: String::new(),
        },
    )
    .await?;
    html(&Thread {
        page: Page::new(&s, &session, "Pengaduan").await,
        c,
        errors: FieldErrors::default(),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct RespondForm {
    text: String,
    sekali: String,
}

pub(super) async fn respond(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path(id): Path<String>,
    WebForm(form): WebForm<RespondForm>,
) -> Result<Response, PageError> {
    session.require_user()?;
    let pending = match super::first_submission(&s, &form.sekali) {
        super::Posted::Act(p) => p,
        super::Posted::Answered(answer) => return Ok(answer),
    };
    let ctx = session.ctx(ctx);
    let body = uc::RespondBody {
        text: field(&form.text, 5000),
        tracking_code: String::new(),
        expected_messages: None,
    };
    match uc::add_to_thread(&s, &ctx, id.clone(), body).await {
        Ok(c) => {
            let to = format!("/pengaduan/{}#tanggapan", c.id);
            pending.done(&to);
            Ok(see_other(&to, Vec::new()))
        }
        Err(e) => {
            if !FieldErrors::is_form_error(&e) {
                return Err(e.into());
            }
            let c = uc::complaint(
                &s,
                &ctx,
                id,
                uc::TrackingQuery {
                    tracking_code: String::new(),
                },
            )
            .await?;
            html(&Thread {
                page: Page::new(&s, &session, "Pengaduan").await,
                c,
                errors: FieldErrors::from_api(&e),
            })
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct StatusForm {
    status: String,
}

/// The complainant closes a complaint, or reopens it.
pub(super) async fn change_status(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path(id): Path<String>,
    WebForm(form): WebForm<StatusForm>,
) -> Result<Response, PageError> {
    session.require_user()?;
    let status = match form.status.as_str() {
        "closed" | "reopened" => form.status,
        _ => return Err(PageError::NotFound),
    };
    let body = uc::StatusBody {
        status,
        assigned_to: String::new(),
        tracking_code: String::new(),
    };
    let c = uc::move_complaint(&s, &session.ctx(ctx), id, body).await?;
    Ok(see_other(&format!("/pengaduan/{}", c.id), Vec::new()))
}
