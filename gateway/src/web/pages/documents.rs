//! The reader (PDF.js over range requests), the stamped copies themselves (read inline,
//! download as a form post), the signed-in user's downloads, and the public check of a
//! printed download id that every stamped page's QR code points to.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::html;
use crate::ctx::Ctx;
use crate::routes::catalogue::{self as catalogue, PublicationView};
use crate::routes::documents::{self as uc, CodeView, DownloadList};
use crate::state::AppState;
use crate::web::session::see_other;
use crate::web::{Page, PageError, Session};

#[derive(Template)]
#[template(path = "reader.html")]
struct Reader {
    page: Page,
    p: PublicationView,
}

pub(super) async fn reader(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    session.require_user()?;
    let p = catalogue::publication(&s, &session.ctx(ctx), id).await?;
    if !p.has_digital {
        return Err(PageError::NotFound);
    }
    let title = format!("Baca: {}", p.fields.title.as_deref().unwrap_or_default());
    html(&Reader {
        page: Page::new(&s, &session, title).await,
        p,
    })
}

/// The reading copy's bytes for the reader, with ranges (the browser session's token).
pub(super) async fn reading_copy(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    copy(s, session, ctx, id, "read", headers).await
}

/// A new stamped copy to keep (a form post: each one is logged as a download).
pub(super) async fn download(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    copy(s, session, ctx, id, "download", headers).await
}

async fn copy(
    s: AppState,
    session: Session,
    ctx: Ctx,
    id: String,
    kind: &'static str,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    session.require_user()?;
    Ok(uc::copy(s, session.ctx(ctx), id, kind, headers).await?)
}

#[derive(Template)]
#[template(path = "downloads.html")]
struct Downloads {
    page: Page,
    list: DownloadList,
    next: String,
}

pub(super) async fn mine(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Query(q): Query<super::CursorQuery>,
) -> Result<Response, PageError> {
    session.require_user()?;
    let list = uc::downloads_of_me(&s, &session.ctx(ctx), q.page()).await?;
    let next = super::next_page("/akun/unduhan", &list.next_cursor);
    html(&Downloads {
        page: Page::new(&s, &session, "Unduhan dan bacaan saya").await,
        list,
        next,
    })
}

#[derive(Template)]
#[template(path = "check.html")]
struct Check {
    page: Page,
    code: String,
    result: Option<CodeView>,
    error: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct CheckForm {
    kode: String,
}

/// `/cek?kode=`: the form, or straight to the verdict for a typed id.
pub(super) async fn check_form(
    State(s): State<AppState>,
    session: Session,
    Query(f): Query<CheckForm>,
) -> Result<Response, PageError> {
    // Printed ids are letters and digits: anything else typed around them (spaces, a
    // pasted "ID unduhan:") is dropped, so the id is safe as a path segment.
    let code: String = f
        .kode
        .rsplit(':')
        .next()
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(40)
        .collect();
    if !code.is_empty() {
        return Ok(see_other(&format!("/cek/{code}"), Vec::new()));
    }
    html(&Check {
        page: Page::new(&s, &session, "Cek keaslian salinan").await,
        code,
        result: None,
        error: String::new(),
    })
}

/// The page a stamped page's QR code opens: genuine or unknown, no personal data.
pub(super) async fn check(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let code = super::field(&code, 40);
    let (result, error) = match uc::verify_code(&s, &ctx, code.clone()).await {
        Ok(v) => (Some(v), String::new()),
        Err(e) if e.0.as_u16() == 422 || e.0.as_u16() == 404 => (None, e.1.detail),
        Err(e) => return Err(e.into()),
    };
    let page = Page::new(&s, &session, "Cek keaslian salinan").await;
    Ok(html(&Check {
        page,
        code,
        result,
        error,
    })?
    .into_response())
}
