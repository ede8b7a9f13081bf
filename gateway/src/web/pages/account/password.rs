//! Forgotten password, resending the verification link, and password reset.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::super::{field, html};
use super::register::TokenForm;
use crate::ctx::Ctx;
use crate::routes::auth::{self as uc};
use crate::state::AppState;
use crate::web::forms::{FieldErrors, WebForm};
use crate::web::session::see_other;
use crate::web::{Page, PageError, Session};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(in crate::web::pages) struct ForgotForm {
    email: String,
}

/// One form with one e-mail field: "forgot password" and "resend verification".
#[derive(Template)]
#[template(path = "email_form.html")]
struct EmailPage {
    page: Page,
    kind: &'static EmailKind,
    form: ForgotForm,
    sent: String,
    errors: FieldErrors,
}

struct EmailKind {
    title: &'static str,
    intro: &'static str,
    action: &'static str,
    button: &'static str,
}

const FORGOT: EmailKind = EmailKind {
    title: "Lupa kata sandi",
    intro: "Masukkan e-mail akun Anda. Kami akan mengirim tautan untuk membuat kata sandi baru.",
    action: "/lupa-sandi",
    button: "Kirim tautan",
};

const RESEND: EmailKind = EmailKind {
    title: "Kirim ulang verifikasi",
    intro: "Belum menerima e-mail verifikasi, atau tautannya kedaluwarsa? Masukkan e-mail yang Anda daftarkan.",
    action: "/kirim-ulang-verifikasi",
    button: "Kirim ulang tautan",
};

async fn email_page(
    s: &AppState,
    session: &Session,
    kind: &'static EmailKind,
    form: ForgotForm,
    outcome: Result<String, FieldErrors>,
) -> Result<Response, PageError> {
    let (sent, errors) = match outcome {
        Ok(m) => (m, FieldErrors::default()),
        Err(e) => (String::new(), e),
    };
    html(&EmailPage {
        page: Page::new(s, session, kind.title).await,
        kind,
        form,
        sent,
        errors,
    })
}

pub(in crate::web::pages) async fn forgot_form(
    State(s): State<AppState>,
    session: Session,
) -> Result<Response, PageError> {
    email_page(
        &s,
        &session,
        &FORGOT,
        ForgotForm::default(),
        Ok(String::new()),
    )
    .await
}

pub(in crate::web::pages) async fn resend_form(
    State(s): State<AppState>,
    session: Session,
    Query(form): Query<ForgotForm>,
) -> Result<Response, PageError> {
    email_page(&s, &session, &RESEND, form, Ok(String::new())).await
}

/// A refused address is shown on the form; anything else is a page.
fn email_outcome(
    r: Result<crate::routes::Message, crate::error::ApiError>,
) -> Result<Result<String, FieldErrors>, PageError> {
    match r {
        Ok(m) => Ok(Ok(m.message)),
        Err(e) if FieldErrors::is_form_error(&e) => Ok(Err(FieldErrors::from_api(&e))),
        Err(e) => Err(e.into()),
    }
}

pub(in crate::web::pages) async fn forgot(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    WebForm(form): WebForm<ForgotForm>,
) -> Result<Response, PageError> {
    let body = uc::EmailBody {
        email: field(&form.email, 254),
    };
    let outcome = email_outcome(uc::request_reset(&s, &ctx, body).await)?;
    email_page(&s, &session, &FORGOT, form, outcome).await
}

pub(in crate::web::pages) async fn resend(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    WebForm(form): WebForm<ForgotForm>,
) -> Result<Response, PageError> {
    let body = uc::EmailBody {
        email: field(&form.email, 254),
    };
    let outcome = email_outcome(uc::resend_link(&s, &ctx, body).await)?;
    email_page(&s, &session, &RESEND, form, outcome).await
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(in crate::web::pages) struct ResetForm {
    token: String,
    new_password: String,
    confirm: String,
}

#[derive(Template)]
#[template(path = "reset.html")]
struct Reset {
    page: Page,
    token: String,
    errors: FieldErrors,
}

pub(in crate::web::pages) async fn reset_form(
    State(s): State<AppState>,
    session: Session,
    Query(q): Query<TokenForm>,
) -> Result<Response, PageError> {
    html(&Reset {
        page: Page::new(&s, &session, "Atur ulang kata sandi").await,
        token: field(&q.token, 200),
        errors: FieldErrors::default(),
    })
}

pub(in crate::web::pages) async fn reset(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    WebForm(f): WebForm<ResetForm>,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::default();
    if f.new_password != f.confirm {
        errors.add("confirm", "Kedua kata sandi tidak sama.");
        errors.summary = "Periksa isian yang ditandai.".into();
    } else {
        let body = uc::ResetConfirmBody {
            token: field(&f.token, 200),
            new_password: f.new_password.chars().take(256).collect(),
        };
        match uc::confirm_reset(&s, &ctx, body).await {
            Ok(_) => return Ok(see_other("/masuk?pesan=sandi-diganti", Vec::new())),
            Err(e) if FieldErrors::is_form_error(&e) || e.0.as_u16() == 404 => {
                errors = FieldErrors::from_api(&e);
            }
            Err(e) => return Err(e.into()),
        }
    }
    html(&Reset {
        page: Page::new(&s, &session, "Atur ulang kata sandi").await,
        token: field(&f.token, 200),
        errors,
    })
}
