//! One catalogue entry: a new one, its edit form (with its softcopy, printed copies,
//! withdrawal and history), and the actions on it. Only changed fields are sent, from the
//! version the librarian loaded, so a concurrent edit is refused instead of undone.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::publication_form::{self as pf, PubForm};
use super::{Desk, LIBRARIAN, staff};
use crate::ctx::Ctx;
use crate::routes::catalogue::{self as uc, HistoryView, HoldingBody, PublicationView};
use crate::state::AppState;
use crate::web::forms::{FieldErrors, WebForm};
use crate::web::pages::{Posted, field, first_submission, html};
use crate::web::session::see_other;
use crate::web::{Page, PageError, Session};

#[derive(Template)]
#[template(path = "staff/lib_form.html")]
struct Form {
    page: Page,
    desk: Desk,
    form: PubForm,
    errors: FieldErrors,
    /// None for a new entry.
    entry: Option<PublicationView>,
    history: Option<HistoryView>,
    notice: String,
    subjects: Vec<(&'static str, String)>,
    /// The largest softcopy the office accepts, in MB.
    max_upload_mb: u64,
}

impl Form {
    fn languages(&self) -> &'static [(&'static str, &'static str)] {
        &pf::LANGUAGES
    }
    fn access(&self) -> &'static [(&'static str, &'static str)] {
        &pf::ACCESS
    }
    fn label(&self, name: &str) -> &'static str {
        pf::label(name)
    }
    fn action(&self, a: &str) -> &'static str {
        match a {
            "create" => "Dibuat",
            "update" => "Diubah",
            "withdraw" => "Ditarik",
            "link_document" => "Softcopy diunggah",
            "add_holding" => "Eksemplar cetak ditambah",
            "import" => "Diimpor dari CSV",
            _ => "Perubahan lain",
        }
    }
}

/// The form as it is drawn: what was typed, its errors, the entry and its history (when
/// editing), and a message.
struct Draft {
    form: PubForm,
    errors: FieldErrors,
    entry: Option<PublicationView>,
    history: Option<HistoryView>,
    notice: String,
}

async fn form_page(
    s: &AppState,
    session: &Session,
    desk: Desk,
    title: &str,
    d: Draft,
) -> Result<Response, PageError> {
    let Draft {
        form,
        errors,
        entry,
        history,
        notice,
    } = d;
    html(&Form {
        page: Page::new(s, session, title).await,
        desk,
        form,
        errors,
        entry,
        history,
        notice,
        subjects: pf::subjects(),
        max_upload_mb: s.max_upload_bytes / (1024 * 1024),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct OfficeQuery {
    kantor: String,
}

pub(super) async fn new_form(
    State(s): State<AppState>,
    session: Session,
    Query(q): Query<OfficeQuery>,
) -> Result<Response, PageError> {
    let desk = staff(&session, &LIBRARIAN, &q.kantor)?;
    let title = "Publikasi baru";
    form_page(
        &s,
        &session,
        desk,
        title,
        Draft {
            form: PubForm::blank(),
            errors: FieldErrors::default(),
            entry: None,
            history: None,
            notice: String::new(),
        },
    )
    .await
}

fn form_errors(bad: Vec<(&'static str, String)>) -> FieldErrors {
    let mut e = FieldErrors::default();
    for (f, m) in bad {
        e.add(f, m);
    }
    e.summary = "Periksa isian yang ditandai di bawah.".into();
    e
}

pub(super) async fn create(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Query(q): Query<OfficeQuery>,
    WebForm(form): WebForm<PubForm>,
) -> Result<Response, PageError> {
    let desk = staff(&session, &LIBRARIAN, &q.kantor)?;
    let pending = match first_submission(&s, &form.sekali) {
        Posted::Act(p) => p,
        Posted::Answered(r) => return Ok(r),
    };
    let fields = match form.fields(&desk.office) {
        Ok(f) => f,
        Err(bad) => {
            return form_page(
                &s,
                &session,
                desk,
                "Publikasi baru",
                Draft {
                    form,
                    errors: form_errors(bad),
                    entry: None,
                    history: None,
                    notice: String::new(),
                },
            )
            .await;
        }
    };
    match uc::add(&s, &session.ctx(ctx), fields).await {
        Ok(p) => {
            let to = format!("/pustakawan/publikasi/{}?disimpan=1", p.id);
            pending.done(&to);
            Ok(see_other(&to, Vec::new()))
        }
        Err(e) if FieldErrors::is_form_error(&e) => {
            form_page(
                &s,
                &session,
                desk,
                "Publikasi baru",
                Draft {
                    form,
                    errors: FieldErrors::from_api(&e),
                    entry: None,
                    history: None,
                    notice: String::new(),
                },
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct EditQuery {
    disimpan: String,
    pesan: String,
}

fn notice_of(q: &EditQuery) -> String {
    match (q.disimpan.as_str(), q.pesan.as_str()) {
        ("1", _) => "Perubahan tersimpan.".into(),
        (_, "tetap") => "Tidak ada isian yang berubah; tidak ada yang disimpan.".into(),
        (_, "ditarik") => "Publikasi ditarik dari katalog. Alasannya tercatat di riwayat.".into(),
        (_, "eksemplar") => "Eksemplar cetak tercatat.".into(),
        _ => String::new(),
    }
}

pub(super) async fn edit_form(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<EditQuery>,
) -> Result<Response, PageError> {
    let user_office = session.require_user()?.office.clone();
    let ctx = session.ctx(ctx);
    let p = uc::publication(&s, &ctx, id.clone()).await?;
    let office = p.fields.office_code.clone().unwrap_or(user_office);
    let desk = staff(&session, &LIBRARIAN, &office)?;
    let history = uc::history(&s, &ctx, id).await.ok();
    let title = p.fields.title.clone().unwrap_or_default();
    form_page(
        &s,
        &session,
        desk,
        &title,
        Draft {
            form: PubForm::of(&p),
            errors: FieldErrors::default(),
            entry: Some(p),
            history,
            notice: notice_of(&q),
        },
    )
    .await
}

pub(super) async fn save(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path(id): Path<String>,
    WebForm(form): WebForm<PubForm>,
) -> Result<Response, PageError> {
    session.require_user()?;
    let ctx = session.ctx(ctx);
    let pending = match first_submission(&s, &form.sekali) {
        Posted::Act(p) => p,
        Posted::Answered(r) => return Ok(r),
    };
    let now = uc::publication(&s, &ctx, id.clone()).await?;
    let office = now.fields.office_code.clone().unwrap_or_default();
    let desk = staff(&session, &LIBRARIAN, &office)?;
    let title = now.fields.title.clone().unwrap_or_default();
    let redraw = |form: PubForm, errors: FieldErrors, now: PublicationView| {
        let (s, session, desk, title, ctx, id) =
            (&s, &session, desk.clone(), title.clone(), &ctx, id.clone());
        async move {
            let history = uc::history(s, ctx, id).await.ok();
            form_page(
                s,
                session,
                desk,
                &title,
                Draft {
                    form,
                    errors,
                    entry: Some(now),
                    history,
                    notice: String::new(),
                },
            )
            .await
        }
    };
    let fields = match form.fields(&office) {
        Ok(f) => f,
        Err(bad) => return redraw(form, form_errors(bad), now).await,
    };
    let patch = pf::changed_only(fields, &now.fields);
    if pf::is_empty(&patch) {
        let to = format!("/pustakawan/publikasi/{id}?pesan=tetap");
        pending.done(&to);
        return Ok(see_other(&to, Vec::new()));
    }
    match uc::change(&s, &ctx, id.clone(), patch, form.versi.clone()).await {
        Ok(_) => {
            let to = format!("/pustakawan/publikasi/{id}?disimpan=1");
            pending.done(&to);
            Ok(see_other(&to, Vec::new()))
        }
        Err(e) if FieldErrors::is_form_error(&e) => {
            let mut errors = FieldErrors::from_api(&e);
            if e.1.code == "PUBLICATION_CHANGED" {
                // Keep the librarian's text; the summary says what happened and what to do.
                errors.summary = e.1.detail.clone();
            }
            redraw(form, errors, now).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The entry's page again, as it is now, with `errors` from an action on it.
async fn redraw_entry(
    s: &AppState,
    session: &Session,
    ctx: &Ctx,
    id: String,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let now = uc::publication(s, ctx, id.clone()).await?;
    let desk = staff(
        session,
        &LIBRARIAN,
        now.fields.office_code.as_deref().unwrap_or_default(),
    )?;
    let history = uc::history(s, ctx, id).await.ok();
    let title = now.fields.title.clone().unwrap_or_default();
    form_page(
        s,
        session,
        desk,
        &title,
        Draft {
            form: PubForm::of(&now),
            errors,
            entry: Some(now),
            history,
            notice: String::new(),
        },
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct WithdrawForm {
    reason: String,
    sekali: String,
}

pub(super) async fn withdraw(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path(id): Path<String>,
    WebForm(form): WebForm<WithdrawForm>,
) -> Result<Response, PageError> {
    session.require_user()?;
    let ctx = session.ctx(ctx);
    let pending = match first_submission(&s, &form.sekali) {
        Posted::Act(p) => p,
        Posted::Answered(r) => return Ok(r),
    };
    match uc::withdraw_one(&s, &ctx, id.clone(), field(&form.reason, 500)).await {
        Ok(_) => {
            let to = format!("/pustakawan/publikasi/{id}?pesan=ditarik");
            pending.done(&to);
            Ok(see_other(&to, Vec::new()))
        }
        Err(e) if FieldErrors::is_form_error(&e) => {
            let mut errors = FieldErrors::from_api(&e);
            if let Some(m) = errors.get("reason").map(str::to_owned) {
                errors.add("withdraw_reason", m);
            }
            redraw_entry(&s, &session, &ctx, id, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct HoldingForm {
    call_number: String,
    shelf: String,
    copies: String,
    condition: String,
    sekali: String,
}

pub(super) async fn add_holding(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path(id): Path<String>,
    WebForm(form): WebForm<HoldingForm>,
) -> Result<Response, PageError> {
    session.require_user()?;
    let ctx = session.ctx(ctx);
    let pending = match first_submission(&s, &form.sekali) {
        Posted::Act(p) => p,
        Posted::Answered(r) => return Ok(r),
    };
    let body = HoldingBody {
        call_number: field(&form.call_number, 60),
        shelf: field(&form.shelf, 60),
        copies: form.copies.trim().parse().unwrap_or(0),
        condition: field(&form.condition, 20),
    };
    match uc::hold(&s, &ctx, id.clone(), body).await {
        Ok(_) => {
            let to = format!("/pustakawan/publikasi/{id}?pesan=eksemplar");
            pending.done(&to);
            Ok(see_other(&to, Vec::new()))
        }
        Err(e) if FieldErrors::is_form_error(&e) => {
            redraw_entry(&s, &session, &ctx, id, FieldErrors::from_api(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}
