//! Signing in and out.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;

use super::super::{field, html};
use crate::ctx::Ctx;
use crate::routes::auth::{self as uc};
use crate::state::AppState;
use crate::web::forms::{FieldErrors, WebForm};
use crate::web::session::{clear_tokens, refresh_token, safe_back, see_other, start_session};
use crate::web::{Page, PageError, Session};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(in crate::web::pages) struct SignInForm {
    email: String,
    password: String,
    kembali: String,
    pesan: String,
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignIn {
    page: Page,
    form: SignInForm,
    notice: &'static str,
    errors: FieldErrors,
}

pub(super) fn notice(code: &str) -> &'static str {
    match code {
        "sandi-diganti" => "Kata sandi telah diganti. Silakan masuk dengan kata sandi baru.",
        "keluar" => "Anda telah keluar.",
        "terverifikasi" => "E-mail berhasil diverifikasi. Silakan masuk.",
        _ => "",
    }
}

pub(in crate::web::pages) async fn sign_in_form(
    State(s): State<AppState>,
    session: Session,
    Query(mut form): Query<SignInForm>,
) -> Result<Response, PageError> {
    form.kembali = safe_back(&form.kembali);
    html(&SignIn {
        page: Page::new(&s, &session, "Masuk").await,
        notice: notice(&form.pesan),
        form,
        errors: FieldErrors::default(),
    })
}

pub(in crate::web::pages) async fn sign_in(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    WebForm(mut form): WebForm<SignInForm>,
) -> Result<Response, PageError> {
    let body = uc::LoginBody {
        email: field(&form.email, 254),
        password: form.password.chars().take(256).collect(),
    };
    match uc::sign_in(&s, &ctx, body).await {
        Ok(pair) => Ok(see_other(
            &safe_back(&form.kembali),
            start_session(s.web.secure_cookies, s.web.refresh_ttl_secs, &pair),
        )),
        Err(e) if matches!(e.0.as_u16(), 401 | 403 | 409 | 422 | 429) => {
            form.password.clear();
            form.kembali = safe_back(&form.kembali);
            html(&SignIn {
                page: Page::new(&s, &session, "Masuk").await,
                form,
                notice: "",
                errors: FieldErrors::from_api(&e),
            })
        }
        Err(e) => Err(e.into()),
    }
}

pub(in crate::web::pages) async fn sign_out(
    State(s): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    if let Some(rt) = refresh_token(&headers)
        && let Err(e) = uc::sign_out(&s, &ctx, uc::RefreshBody { refresh_token: rt }).await
    {
        // The cookies go anyway; the refresh token then expires on its own.
        tracing::warn!(code = %e.1.code, "logout could not revoke the refresh token");
    }
    Ok(see_other(
        "/masuk?pesan=keluar",
        clear_tokens(s.web.secure_cookies),
    ))
}
