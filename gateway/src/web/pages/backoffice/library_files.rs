//! Files the librarian sends: a publication's softcopy (with upload progress in the page)
//! and a leaked copy to verify. Bodies are the PDF itself, sent by the page's script with
//! the CSRF header; the answer is an HTML fragment the script puts in place, errors
//! included (in Indonesian, with their status).

use askama::Template;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::{LIBRARIAN, staff};
use crate::ctx::Ctx;
use crate::error::ApiError;
use crate::routes::documents::{self as docs, DocumentView, VerifyView};
use crate::state::AppState;
use crate::web::pages::html;
use crate::web::{Page, PageError, Session};

#[derive(Template)]
#[template(path = "staff/lib_upload_answer.html")]
struct UploadAnswer {
    doc: Option<DocumentView>,
    error: String,
    /// The entry's version after the upload linked it: the page's edit form takes it, so
    /// the librarian's next save is not refused as a concurrent change.
    version: String,
}

#[derive(Template)]
#[template(path = "staff/lib_verdict.html")]
struct Verdict {
    v: Option<VerifyView>,
    error: String,
    page: Page,
}

impl Verdict {
    fn word(&self, verdict: &str) -> &'static str {
        verdict_word(verdict)
    }
}

/// The verdict as the librarian reads it.
pub(super) fn verdict_word(v: &str) -> &'static str {
    match v {
        "intact" => "Asli",
        "stripped" => "Diubah (tanda air dihapus)",
        "forged" => "Dipalsukan",
        _ => "Tidak dikenal",
    }
}

/// A fragment with the refusal in words, under the status the API would send.
fn refused(e: &ApiError, body: String) -> Response {
    (e.0, Html(body)).into_response()
}

fn message(e: &ApiError) -> String {
    let mut m = e.1.detail.clone();
    for f in &e.1.errors {
        if !m.contains(&f.message) {
            m.push(' ');
            m.push_str(&f.message);
        }
    }
    m
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct UploadQuery {
    nama: String,
}

pub(super) async fn upload(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<UploadQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, PageError> {
    staff(&session, &LIBRARIAN, "")?;
    let ctx = session.ctx(ctx);
    match docs::store_softcopy(&s, &ctx, id.clone(), q.nama, &headers, body).await {
        Ok(doc) => {
            let version = crate::routes::catalogue::publication(&s, &ctx, id)
                .await
                .map(|p| p.updated_at)
                .unwrap_or_default();
            html(&UploadAnswer {
                doc: Some(doc),
                error: String::new(),
                version,
            })
        }
        Err(e) => {
            let t = UploadAnswer {
                doc: None,
                error: message(&e),
                version: String::new(),
            };
            Ok(refused(&e, t.render().unwrap_or_default()))
        }
    }
}

pub(super) async fn verify_form(
    State(s): State<AppState>,
    session: Session,
) -> Result<Response, PageError> {
    let desk = staff(&session, &["librarian", "supervisor", "admin"], "")?;
    html(&VerifyPage {
        page: Page::new(&s, &session, "Verifikasi salinan").await,
        desk,
    })
}

#[derive(Template)]
#[template(path = "staff/lib_verify.html")]
struct VerifyPage {
    page: Page,
    desk: super::Desk,
}

pub(super) async fn verify(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, PageError> {
    staff(&session, &["librarian", "supervisor", "admin"], "")?;
    let page = Page::new(&s, &session, "Verifikasi salinan").await;
    match docs::verify_copy(&s, &session.ctx(ctx), &headers, body).await {
        Ok(v) => html(&Verdict {
            v: Some(v),
            error: String::new(),
            page,
        }),
        Err(e) => {
            let t = Verdict {
                v: None,
                error: message(&e),
                page,
            };
            Ok(refused(&e, t.render().unwrap_or_default()))
        }
    }
}
