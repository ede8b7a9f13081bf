//! The complaint inbox of an office: overdue first, filters by status and due date; a
//! complaint's thread with assign, answer (mailed to the complainant) and status; and
//! recording a complaint that came by suggestion box, LAPOR!, the BPS complaint site or
//! e-mail.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::{Desk, SUPERVISOR, staff};
use crate::ctx::Ctx;
use crate::routes::PageQuery;
use crate::routes::admin::staff_of;
use crate::routes::feedback::{
    self as uc, ComplaintBody, ComplaintList, ComplaintQuery, ComplaintView, RespondBody,
    StatusBody, TrackingQuery,
};
use crate::state::AppState;
use crate::web::forms::{FieldErrors, WebForm};
use crate::web::pages::complaints::{CATEGORIES, status_label};
use crate::web::pages::{Posted, field, first_submission, html};
use crate::web::session::see_other;
use crate::web::{Page, PageError, Session};

pub(super) const CHANNELS: [(&str, &str); 5] = [
    ("app", "Aplikasi PST Pustaka"),
    ("kotak_saran", "Kotak saran"),
    ("lapor", "LAPOR!"),
    ("pengaduan_bps", "Laman pengaduan BPS"),
    ("email", "E-mail"),
];

pub(super) fn channel_label(c: &str) -> &'static str {
    CHANNELS
        .iter()
        .find(|(k, _)| *k == c)
        .map_or("Lainnya", |(_, v)| v)
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(super) struct InboxQuery {
    status: String,
    tenggat: String,
    kantor: String,
    cursor: String,
}

#[derive(Template)]
#[template(path = "staff/inbox.html")]
struct Inbox {
    page: Page,
    desk: Desk,
    q: InboxQuery,
    overdue: ComplaintList,
    list: ComplaintList,
    next: String,
    errors: FieldErrors,
}

impl Inbox {
    fn status(&self, s: &str) -> &'static str {
        status_label(s)
    }
    fn channel(&self, c: &str) -> &'static str {
        channel_label(c)
    }
}

pub(super) async fn list(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Query(q): Query<InboxQuery>,
) -> Result<Response, PageError> {
    let desk = staff(&session, &SUPERVISOR, &q.kantor)?;
    let ctx = session.ctx(ctx);
    let query = |status: &str, due: &str, cursor: &str, limit: u32| ComplaintQuery {
        office: desk.office.clone(),
        status: status.to_owned(),
        due_by: (!due.is_empty()).then(|| due.to_owned()),
        cursor: cursor.to_owned(),
        limit,
    };
    // Overdue ones first, always; then the list as filtered.
    let overdue = uc::complaints(&s, &ctx, query("overdue", "", "", 50)).await?;
    let status = field(&q.status, 20);
    let due = field(&q.tenggat, 10);
    let (list, errors) = match uc::complaints(&s, &ctx, query(&status, &due, &q.cursor, 25)).await {
        Ok(l) => (l, FieldErrors::default()),
        Err(e) if e.0.as_u16() == 422 => {
            let mut errors = FieldErrors::from_api(&e);
            if let Some(m) = errors.get("due_by").map(str::to_owned) {
                errors.add("tenggat", m);
            }
            (
                ComplaintList {
                    items: Vec::new(),
                    next_cursor: String::new(),
                },
                errors,
            )
        }
        Err(e) => return Err(e.into()),
    };
    let next = if list.next_cursor.is_empty() {
        String::new()
    } else {
        format!(
            "/supervisor/pengaduan?{}",
            serde_urlencoded::to_string([
                ("status", status.as_str()),
                ("tenggat", due.as_str()),
                ("kantor", desk.office.as_str()),
                ("cursor", list.next_cursor.as_str())
            ])
            .unwrap_or_default()
        )
    };
    html(&Inbox {
        page: Page::new(&s, &session, "Kotak pengaduan").await,
        desk,
        q,
        overdue,
        list,
        next,
        errors,
    })
}

#[derive(Template)]
#[template(path = "staff/inbox_thread.html")]
struct Thread {
    page: Page,
    desk: Desk,
    c: ComplaintView,
    staff: Vec<(String, String)>,
    errors: FieldErrors,
    notice: String,
}

impl Thread {
    fn status(&self, s: &str) -> &'static str {
        status_label(s)
    }
    fn channel(&self) -> &'static str {
        channel_label(&self.c.channel)
    }
    fn category(&self) -> &'static str {
        CATEGORIES
            .iter()
            .find(|(k, _)| *k == self.c.category)
            .map_or("Lainnya", |(_, v)| v)
    }
    fn who(&self, role: &str) -> &'static str {
        if role == "staff" {
            "Petugas"
        } else {
            "Pengadu"
        }
    }
    fn staff_name(&self, id: &str) -> String {
        self.staff
            .iter()
            .find(|(i, _)| i == id)
            .map_or_else(|| id.to_owned(), |(_, n)| n.clone())
    }
}

async fn draw_thread(
    s: &AppState,
    session: &Session,
    ctx: &Ctx,
    id: String,
    errors: FieldErrors,
    notice: String,
) -> Result<Response, PageError> {
    let c = uc::complaint(
        s,
        ctx,
        id,
        TrackingQuery {
            tracking_code: String::new(),
        },
    )
    .await?;
    let desk = staff(session, &SUPERVISOR, &c.office_code)?;
    let staff = staff_of(
        s,
        ctx,
        desk.office.clone(),
        PageQuery {
            cursor: String::new(),
            limit: 200,
        },
    )
    .await
    .map(|l| {
        l.items
            .into_iter()
            .filter(|u| u.active)
            .map(|u| {
                (
                    u.id,
                    format!(
                        "{} ({})",
                        u.full_name,
                        super::admin_staff::role_label(&u.role)
                    ),
                )
            })
            .collect()
    })
    .unwrap_or_default();
    html(&Thread {
        page: Page::new(s, session, "Pengaduan").await,
        desk,
        c,
        staff,
        errors,
        notice,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ThreadQuery {
    pesan: String,
}

pub(super) async fn thread(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<ThreadQuery>,
) -> Result<Response, PageError> {
    staff(&session, &SUPERVISOR, "")?;
    let notice = match q.pesan.as_str() {
        "terkirim" => "Jawaban tersimpan dan dikirim ke e-mail pengadu.",
        "status" => "Status pengaduan diperbarui.",
        "dicatat" => {
            "Pengaduan tercatat. Tenggat verifikasi dan tindak lanjut dihitung dalam hari kerja."
        }
        _ => "",
    };
    draw_thread(
        &s,
        &session,
        &session.ctx(ctx),
        id,
        FieldErrors::default(),
        notice.into(),
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct AnswerForm {
    text: String,
    pesan_terlihat: String,
    sekali: String,
}

pub(super) async fn answer(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path(id): Path<String>,
    WebForm(form): WebForm<AnswerForm>,
) -> Result<Response, PageError> {
    staff(&session, &SUPERVISOR, "")?;
    let ctx = session.ctx(ctx);
    let pending = match first_submission(&s, &form.sekali) {
        Posted::Act(p) => p,
        Posted::Answered(r) => return Ok(r),
    };
    let body = RespondBody {
        text: field(&form.text, 5000),
        tracking_code: String::new(),
        expected_messages: form.pesan_terlihat.trim().parse().ok(),
    };
    match uc::add_to_thread(&s, &ctx, id.clone(), body).await {
        Ok(_) => {
            let to = format!("/supervisor/pengaduan/{id}?pesan=terkirim");
            pending.done(&to);
            Ok(see_other(&to, Vec::new()))
        }
        Err(e) if FieldErrors::is_form_error(&e) => {
            let mut errors = FieldErrors::from_api(&e);
            if e.1.code == "COMPLAINT_THREAD_CHANGED" {
                errors.summary = e.1.detail.clone();
                errors.add("text", "Belum terkirim; baca tanggapan terbaru di atas.");
            }
            draw_thread(&s, &session, &ctx, id, errors, String::new()).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct StatusForm {
    status: String,
    assigned_to: String,
    sekali: String,
}

pub(super) async fn change(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path(id): Path<String>,
    WebForm(form): WebForm<StatusForm>,
) -> Result<Response, PageError> {
    staff(&session, &SUPERVISOR, "")?;
    let ctx = session.ctx(ctx);
    let pending = match first_submission(&s, &form.sekali) {
        Posted::Act(p) => p,
        Posted::Answered(r) => return Ok(r),
    };
    let body = StatusBody {
        status: field(&form.status, 20),
        assigned_to: field(&form.assigned_to, 64),
        tracking_code: String::new(),
    };
    match uc::move_complaint(&s, &ctx, id.clone(), body).await {
        Ok(_) => {
            let to = format!("/supervisor/pengaduan/{id}?pesan=status");
            pending.done(&to);
            Ok(see_other(&to, Vec::new()))
        }
        Err(e) if FieldErrors::is_form_error(&e) => {
            let errors = FieldErrors::from_api(&e);
            draw_thread(&s, &session, &ctx, id, errors, String::new()).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(super) struct OfflineForm {
    channel: String,
    category: String,
    text: String,
    contact_name: String,
    contact_email: String,
    kantor: String,
    sekali: String,
}

#[derive(Template)]
#[template(path = "staff/inbox_new.html")]
struct NewOffline {
    page: Page,
    desk: Desk,
    form: OfflineForm,
    errors: FieldErrors,
}

impl NewOffline {
    fn channels(&self) -> &'static [(&'static str, &'static str)] {
        &CHANNELS[1..]
    }
    fn categories(&self) -> &'static [(&'static str, &'static str)] {
        &CATEGORIES
    }
}

pub(super) async fn new_form(
    State(s): State<AppState>,
    session: Session,
    Query(q): Query<InboxQuery>,
) -> Result<Response, PageError> {
    let desk = staff(&session, &SUPERVISOR, &q.kantor)?;
    html(&NewOffline {
        page: Page::new(&s, &session, "Catat pengaduan luring").await,
        desk,
        form: OfflineForm {
            channel: "kotak_saran".into(),
            category: "layanan".into(),
            ..OfflineForm::default()
        },
        errors: FieldErrors::default(),
    })
}

pub(super) async fn create(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    WebForm(form): WebForm<OfflineForm>,
) -> Result<Response, PageError> {
    let desk = staff(&session, &SUPERVISOR, &form.kantor)?;
    let pending = match first_submission(&s, &form.sekali) {
        Posted::Act(p) => p,
        Posted::Answered(r) => return Ok(r),
    };
    let body = ComplaintBody {
        channel: field(&form.channel, 20),
        category: field(&form.category, 20),
        text: field(&form.text, 5000),
        office_code: desk.office.clone(),
        reference_kind: String::new(),
        reference_id: String::new(),
        contact_email: field(&form.contact_email, 254),
        contact_name: field(&form.contact_name, 120),
    };
    match uc::file_complaint(&s, &session.ctx(ctx), body).await {
        Ok(c) => {
            let to = format!("/supervisor/pengaduan/{}?pesan=dicatat", c.id);
            pending.done(&to);
            Ok(see_other(&to, Vec::new()))
        }
        Err(e) if FieldErrors::is_form_error(&e) => html(&NewOffline {
            page: Page::new(&s, &session, "Catat pengaduan luring").await,
            desk,
            form,
            errors: FieldErrors::from_api(&e),
        }),
        Err(e) => Err(e.into()),
    }
}
