//! Administration of staff accounts: list per office, create, change role / office /
//! active, and a password reset by mail.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::{ADMIN, Desk};
use crate::ctx::Ctx;
use crate::routes::PageQuery;
use crate::routes::admin::{self as uc, StaffBody, StaffList, StaffPatchBody};
use crate::state::AppState;
use crate::web::forms::{FieldErrors, WebForm};
use crate::web::pages::{Posted, field, first_submission, html};
use crate::web::session::see_other;
use crate::web::{Page, PageError, Session};

/// A role in words.
pub(super) fn role_label(r: &str) -> &'static str {
    match r {
        "visitor" => "Pengunjung",
        other => ROLES
            .iter()
            .find(|(k, _)| *k == other)
            .map_or("Lainnya", |(_, v)| v),
    }
}

pub(super) const ROLES: [(&str, &str); 4] = [
    ("front_office", "Petugas front office"),
    ("librarian", "Pustakawan"),
    ("supervisor", "Supervisor"),
    ("admin", "Admin"),
];

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(super) struct StaffQuery {
    kantor: String,
    cursor: String,
    pesan: String,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(super) struct NewStaffForm {
    full_name: String,
    email: String,
    password: String,
    role: String,
    office_code: String,
    phone: String,
    sekali: String,
}

#[derive(Template)]
#[template(path = "staff/admin_staff.html")]
struct Staff {
    page: Page,
    desk: Desk,
    list: StaffList,
    form: NewStaffForm,
    errors: FieldErrors,
    notice: String,
    next: String,
}

impl Staff {
    fn roles(&self) -> &'static [(&'static str, &'static str)] {
        &ROLES
    }
    fn role(&self, r: &str) -> &'static str {
        ROLES
            .iter()
            .find(|(k, _)| *k == r)
            .map_or("Lainnya", |(_, v)| v)
    }
}

/// What the staff page shows besides the list: the new-account form and a message.
struct StaffDraft {
    cursor: String,
    form: NewStaffForm,
    errors: FieldErrors,
    notice: String,
}

async fn staff_page(
    s: &AppState,
    session: &Session,
    ctx: &Ctx,
    desk: Desk,
    d: StaffDraft,
) -> Result<Response, PageError> {
    let StaffDraft {
        cursor,
        form,
        errors,
        notice,
    } = d;
    let list = uc::staff_of(s, ctx, desk.office.clone(), PageQuery { cursor, limit: 50 }).await?;
    let next = if list.next_cursor.is_empty() {
        String::new()
    } else {
        format!(
            "/admin/petugas?{}",
            serde_urlencoded::to_string([
                ("kantor", desk.office.as_str()),
                ("cursor", list.next_cursor.as_str())
            ])
            .unwrap_or_default()
        )
    };
    html(&Staff {
        page: Page::new(s, session, "Petugas").await,
        desk,
        list,
        form,
        errors,
        notice,
        next,
    })
}

pub(super) async fn staff_list(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Query(q): Query<StaffQuery>,
) -> Result<Response, PageError> {
    let desk = super::staff(&session, &ADMIN, &q.kantor)?;
    let notice = match q.pesan.as_str() {
        "dibuat" => {
            "Akun petugas dibuat. Sampaikan kata sandi sementara secara langsung, bukan lewat pesan."
        }
        "diubah" => "Akun petugas diperbarui.",
        "sandi" => {
            "Tautan atur ulang kata sandi dikirim ke e-mail petugas; sesinya sudah diakhiri."
        }
        _ => "",
    };
    let form = NewStaffForm {
        office_code: desk.office.clone(),
        role: "front_office".into(),
        ..NewStaffForm::default()
    };
    staff_page(
        &s,
        &session,
        &session.ctx(ctx),
        desk,
        StaffDraft {
            cursor: q.cursor,
            form,
            errors: FieldErrors::default(),
            notice: notice.into(),
        },
    )
    .await
}

pub(super) async fn create_staff(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    WebForm(form): WebForm<NewStaffForm>,
) -> Result<Response, PageError> {
    let desk = super::staff(&session, &ADMIN, &form.office_code)?;
    let ctx = session.ctx(ctx);
    let pending = match first_submission(&s, &form.sekali) {
        Posted::Act(p) => p,
        Posted::Answered(r) => return Ok(r),
    };
    let body = StaffBody {
        full_name: field(&form.full_name, 120),
        email: field(&form.email, 254),
        password: form.password.chars().take(256).collect(),
        role: field(&form.role, 20),
        office_code: field(&form.office_code, 8),
        phone: field(&form.phone, 30),
    };
    match uc::create_staff(&s, &ctx, body).await {
        Ok(u) => {
            let to = format!("/admin/petugas?kantor={}&pesan=dibuat", u.office_code);
            pending.done(&to);
            Ok(see_other(&to, Vec::new()))
        }
        Err(e) if FieldErrors::is_form_error(&e) => {
            let mut form = form;
            form.password.clear();
            staff_page(
                &s,
                &session,
                &ctx,
                desk,
                StaffDraft {
                    cursor: String::new(),
                    form,
                    errors: FieldErrors::from_api(&e),
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
pub(super) struct ChangeForm {
    role: String,
    office_code: String,
    active: String,
    kantor: String,
    sekali: String,
}

pub(super) async fn change_staff(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path(id): Path<String>,
    WebForm(form): WebForm<ChangeForm>,
) -> Result<Response, PageError> {
    let desk = super::staff(&session, &ADMIN, &form.kantor)?;
    let ctx = session.ctx(ctx);
    let pending = match first_submission(&s, &form.sekali) {
        Posted::Act(p) => p,
        Posted::Answered(r) => return Ok(r),
    };
    let body = StaffPatchBody {
        role: Some(field(&form.role, 20)).filter(|r| !r.is_empty()),
        office_code: Some(field(&form.office_code, 8)).filter(|o| !o.is_empty()),
        active: match form.active.as_str() {
            "1" => Some(true),
            "0" => Some(false),
            _ => None,
        },
        full_name: None,
    };
    match uc::change_staff(&s, &ctx, id, body).await {
        Ok(_) => {
            let to = format!("/admin/petugas?kantor={}&pesan=diubah", desk.office);
            pending.done(&to);
            Ok(see_other(&to, Vec::new()))
        }
        Err(e) if FieldErrors::is_form_error(&e) => {
            let form = NewStaffForm {
                office_code: desk.office.clone(),
                role: "front_office".into(),
                ..NewStaffForm::default()
            };
            let mut errors = FieldErrors::from_api(&e);
            if errors.summary.is_empty() {
                errors.summary = e.1.detail.clone();
            }
            staff_page(
                &s,
                &session,
                &ctx,
                desk,
                StaffDraft {
                    cursor: String::new(),
                    form,
                    errors,
                    notice: String::new(),
                },
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn reset_password(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path(id): Path<String>,
    WebForm(form): WebForm<ChangeForm>,
) -> Result<Response, PageError> {
    let desk = super::staff(&session, &ADMIN, &form.kantor)?;
    let pending = match first_submission(&s, &form.sekali) {
        Posted::Act(p) => p,
        Posted::Answered(r) => return Ok(r),
    };
    uc::reset_password(&s, &session.ctx(ctx), id).await?;
    let to = format!("/admin/petugas?kantor={}&pesan=sandi", desk.office);
    pending.done(&to);
    Ok(see_other(&to, Vec::new()))
}
