//! Rating a finished visit or a download (the nine SKM elements with the regulation's 1-4
//! labels and the integrity questions), and complaints: new, my list, thread, close/reopen.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::{field, html};
use crate::ctx::Ctx;
use crate::routes::feedback::{
    self as uc, ComplaintList, ComplaintQuery, ComplaintView, QuestionnaireView,
};
use crate::state::AppState;
use crate::web::forms::{FieldErrors, WebForm};
use crate::web::session::see_other;
use crate::web::{Page, PageError, Session};

/// A form's fields as sent (repeated names keep the last value).
#[derive(Debug, Default, Clone)]
pub(super) struct Values(HashMap<String, String>);

impl Values {
    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        Self(pairs.into_iter().take(100).collect())
    }
    pub(super) fn get(&self, name: &str) -> &str {
        self.0.get(name).map_or("", String::as_str)
    }
    pub(super) fn is(&self, name: &str, value: &str) -> bool {
        self.get(name) == value
    }
}

// ---------------------------------------------------------------- rating (SKM)

#[derive(Template)]
#[template(path = "rate.html")]
struct Rate {
    page: Page,
    q: QuestionnaireView,
    values: Values,
    errors: FieldErrors,
}

impl Rate {
    fn score_error(&self, code: &str) -> Option<&str> {
        self.errors.get(&format!("scores.{code}"))
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct RateQuery {
    unduhan: String,
    kunjungan: String,
}

pub(super) async fn rate_form(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Query(q): Query<RateQuery>,
) -> Result<Response, PageError> {
    session.require_user()?;
    let questions = uc::questions(&s, &session.ctx(ctx)).await?;
    let mut values = Values::default();
    values.0.insert("download_id".into(), field(&q.unduhan, 64));
    values.0.insert("visit_id".into(), field(&q.kunjungan, 64));
    html(&Rate {
        page: Page::new(&s, &session, "Beri penilaian").await,
        q: questions,
        values,
        errors: FieldErrors::default(),
    })
}

#[derive(Template)]
#[template(path = "thanks.html")]
struct Thanks {
    page: Page,
    message: String,
}

pub(super) async fn rate(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    session.require_user()?;
    let ctx = session.ctx(ctx);
    let v = Values::from_pairs(pairs);
    let token = v.get("sekali").to_owned();
    if let Some(r) = super::repeated(&s, &token) {
        return r;
    }
    let scores = (1..=9)
        .filter_map(|i| {
            let code = format!("U{i}");
            v.get(&code).parse::<u32>().ok().map(|n| (code, n))
        })
        .collect();
    let body = uc::ResponseBody {
        visit_id: field(v.get("visit_id"), 64),
        download_id: field(v.get("download_id"), 64),
        visit_code: String::new(),
        scores,
        comment: field(v.get("comment"), 2000),
        profile: uc::ProfileBody {
            sex: v.get("sex").to_owned(),
            age_group: v.get("age_group").to_owned(),
            education: v.get("education").to_owned(),
            occupation: v.get("occupation").to_owned(),
        },
        integrity: uc::IntegrityBody {
            fee_asked: v.is("fee_asked", "1"),
            gratuity_offered: v.is("gratuity_offered", "1"),
            favour_asked: v.is("favour_asked", "1"),
            discrimination: v.is("discrimination", "1"),
        },
    };
    match uc::rate(&s, &ctx, body).await {
        Ok(done) => {
            let to = "/nilai/terima-kasih";
            s.web.once.done(&token, to);
            html(&Thanks {
                page: Page::new(&s, &session, "Terima kasih").await,
                message: done.message,
            })
        }
        Err(e) => {
            s.web.once.forget(&token);
            if !FieldErrors::is_form_error(&e) {
                return Err(e.into());
            }
            let mut errors = FieldErrors::from_api(&e);
            if errors.summary.is_empty() {
                errors.summary = "Periksa isian yang ditandai.".into();
            }
            html(&Rate {
                page: Page::new(&s, &session, "Beri penilaian").await,
                q: uc::questions(&s, &ctx).await?,
                values: v,
                errors,
            })
        }
    }
}

pub(super) async fn thanks(
    State(s): State<AppState>,
    session: Session,
) -> Result<Response, PageError> {
    html(&Thanks {
        page: Page::new(&s, &session, "Terima kasih").await,
        message: "Penilaian Anda telah kami terima.".into(),
    })
}

// ---------------------------------------------------------------- complaints

/// The life-cycle states in words.
pub(super) fn status_label(status: &str) -> &'static str {
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

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct CursorQuery {
    cursor: String,
}

pub(super) async fn mine(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Query(q): Query<CursorQuery>,
) -> Result<Response, PageError> {
    session.require_user()?;
    let list = uc::complaints(
        &s,
        &session.ctx(ctx),
        ComplaintQuery {
            office: String::new(),
            status: String::new(),
            cursor: q.cursor,
            limit: 20,
        },
    )
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

pub(super) const CATEGORIES: [(&str, &str); 5] = [
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
    if let Some(r) = super::repeated(&s, &form.sekali) {
        return r;
    }
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
            s.web.once.done(&form.sekali, &to);
            Ok(see_other(&to, Vec::new()))
        }
        Err(e) => {
            s.web.once.forget(&form.sekali);
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
        if role == "visitor" || role.is_empty() {
            "Anda"
        } else {
            "Petugas PST"
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
    if let Some(r) = super::repeated(&s, &form.sekali) {
        return r;
    }
    let ctx = session.ctx(ctx);
    let body = uc::RespondBody {
        text: field(&form.text, 5000),
        tracking_code: String::new(),
    };
    match uc::add_to_thread(&s, &ctx, id.clone(), body).await {
        Ok(c) => {
            let to = format!("/pengaduan/{}#tanggapan", c.id);
            s.web.once.done(&form.sekali, &to);
            Ok(see_other(&to, Vec::new()))
        }
        Err(e) => {
            s.web.once.forget(&form.sekali);
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
