//! Registration and e-mail verification.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::super::{field, html};
use crate::ctx::Ctx;
use crate::routes::auth::{self as uc, IdType};
use crate::state::AppState;
use crate::web::forms::{FieldErrors, WebForm};
use crate::web::session::see_other;
use crate::web::{Page, PageError, Session};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(in crate::web::pages) struct RegisterForm {
    full_name: String,
    email: String,
    password: String,
    phone: String,
    institution: String,
    occupation: String,
    id_type: String,
    id_number: String,
    sekali: String,
}

#[derive(Template)]
#[template(path = "register.html")]
struct Register {
    page: Page,
    form: RegisterForm,
    errors: FieldErrors,
}

pub(in crate::web::pages) async fn register_form(
    State(s): State<AppState>,
    session: Session,
) -> Result<Response, PageError> {
    html(&Register {
        page: Page::new(&s, &session, "Daftar").await,
        form: RegisterForm {
            id_type: "ktp".into(),
            ..RegisterForm::default()
        },
        errors: FieldErrors::default(),
    })
}

fn id_type(v: &str) -> Option<IdType> {
    match v {
        "ktp" => Some(IdType::Ktp),
        "sim" => Some(IdType::Sim),
        "paspor" => Some(IdType::Paspor),
        "lainnya" => Some(IdType::Lainnya),
        _ => None,
    }
}

pub(in crate::web::pages) async fn register(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    WebForm(mut form): WebForm<RegisterForm>,
) -> Result<Response, PageError> {
    let pending = match super::super::first_submission(&s, &form.sekali) {
        super::super::Posted::Act(p) => p,
        super::super::Posted::Answered(answer) => return Ok(answer),
    };
    let mut errors = FieldErrors::default();
    let kind = id_type(&form.id_type);
    if kind.is_none() {
        errors.add("id_type", "Pilih jenis kartu identitas.");
    }
    let result = match kind {
        Some(id_type) => Some(
            uc::register_account(
                &s,
                &ctx,
                uc::RegisterBody {
                    full_name: field(&form.full_name, 200),
                    email: field(&form.email, 254),
                    password: form.password.chars().take(256).collect(),
                    phone: field(&form.phone, 30),
                    institution: field(&form.institution, 200),
                    occupation: field(&form.occupation, 100),
                    id_type,
                    id_number: field(&form.id_number, 40),
                },
            )
            .await,
        ),
        None => None,
    };
    match result {
        Some(Ok(_)) => {
            let to = format!(
                "/daftar/terkirim?{}",
                serde_urlencoded::to_string([("email", field(&form.email, 254))])
                    .unwrap_or_default()
            );
            pending.done(&to);
            Ok(see_other(&to, Vec::new()))
        }
        Some(Err(e)) if !FieldErrors::is_form_error(&e) => Err(e.into()),
        other => {
            if let Some(Err(e)) = other {
                errors = FieldErrors::from_api(&e);
            } else {
                errors.summary = "Periksa isian yang ditandai.".into();
            }
            form.password.clear();
            html(&Register {
                page: Page::new(&s, &session, "Daftar").await,
                form,
                errors,
            })
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(in crate::web::pages) struct EmailQuery {
    email: String,
}

#[derive(Template)]
#[template(path = "registered.html")]
struct Registered {
    page: Page,
    email: String,
}

pub(in crate::web::pages) async fn registered(
    State(s): State<AppState>,
    session: Session,
    Query(q): Query<EmailQuery>,
) -> Result<Response, PageError> {
    html(&Registered {
        page: Page::new(&s, &session, "Periksa e-mail Anda").await,
        email: field(&q.email, 254),
    })
}

// ---------------------------------------------------------------- verification

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(in crate::web::pages) struct TokenForm {
    pub(super) token: String,
}

#[derive(Template)]
#[template(path = "verify.html")]
struct Verify {
    page: Page,
    token: String,
    done: bool,
    error: String,
}

/// The link in the mail opens a page with one button: mail scanners that follow links do
/// not verify an address on their own.
pub(in crate::web::pages) async fn verify_form(
    State(s): State<AppState>,
    session: Session,
    Query(q): Query<TokenForm>,
) -> Result<Response, PageError> {
    html(&Verify {
        page: Page::new(&s, &session, "Verifikasi e-mail").await,
        token: field(&q.token, 200),
        done: false,
        error: String::new(),
    })
}

pub(in crate::web::pages) async fn verify(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    WebForm(f): WebForm<TokenForm>,
) -> Result<Response, PageError> {
    let token = field(&f.token, 200);
    let (done, error) = match uc::verify_address(
        &s,
        &ctx,
        uc::TokenBody {
            token: token.clone(),
        },
    )
    .await
    {
        Ok(_) => (true, String::new()),
        Err(e) if FieldErrors::is_form_error(&e) || e.0.as_u16() == 404 => (false, e.1.detail),
        Err(e) => return Err(e.into()),
    };
    html(&Verify {
        page: Page::new(&s, &session, "Verifikasi e-mail").await,
        token,
        done,
        error,
    })
}
