//! The link mailed to an anonymous complaint's contact address: one button confirms it.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::{field, html};
use crate::ctx::Ctx;
use crate::routes::feedback::confirm_contact;
use crate::state::AppState;
use crate::web::forms::{FieldErrors, WebForm};
use crate::web::{Page, PageError, Session};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct TokenForm {
    token: String,
}

#[derive(Template)]
#[template(path = "complaint_contact.html")]
struct Confirm {
    page: Page,
    token: String,
    done: bool,
    error: String,
}

pub(super) async fn form(
    State(s): State<AppState>,
    session: Session,
    Query(q): Query<TokenForm>,
) -> Result<Response, PageError> {
    html(&Confirm {
        page: Page::new(&s, &session, "Konfirmasi e-mail pengaduan").await,
        token: field(&q.token, 200),
        done: false,
        error: String::new(),
    })
}

pub(super) async fn confirm(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    WebForm(f): WebForm<TokenForm>,
) -> Result<Response, PageError> {
    let token = field(&f.token, 200);
    let (done, error) = match confirm_contact(&s, &ctx, token.clone()).await {
        Ok(_) => (true, String::new()),
        Err(e) if FieldErrors::is_form_error(&e) => (false, e.1.detail),
        Err(e) => return Err(e.into()),
    };
    html(&Confirm {
        page: Page::new(&s, &session, "Konfirmasi e-mail pengaduan").await,
        token,
        done,
        error,
    })
}
