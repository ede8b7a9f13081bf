//! The reading-room quick form: find the publication as you type, record one use.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{Desk, LIBRARIAN, staff};
use crate::ctx::Ctx;
use crate::routes::catalogue::{self as uc, SearchQuery, SearchView, UseBody};
use crate::state::AppState;
use crate::web::forms::{FieldErrors, WebForm};
use crate::web::pages::{Posted, field, first_submission, html};
use crate::web::session::see_other;
use crate::web::{Page, PageError, Session};

#[derive(Template)]
#[template(path = "staff/lib_reading.html")]
struct Reading {
    page: Page,
    desk: Desk,
    notice: String,
    errors: FieldErrors,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ReadingQuery {
    kantor: String,
    tercatat: String,
}

pub(super) async fn reading_form(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Query(q): Query<ReadingQuery>,
) -> Result<Response, PageError> {
    let desk = staff(&session, &LIBRARIAN, &q.kantor)?;
    // The notice names the publication from the catalogue, not text from the address.
    let notice = if q.tercatat.is_empty() {
        String::new()
    } else {
        match uc::publication(&s, &session.ctx(ctx), field(&q.tercatat, 64)).await {
            Ok(p) => format!(
                "Penggunaan ruang baca tercatat: {}.",
                p.fields.title.unwrap_or_default()
            ),
            Err(_) => String::new(),
        }
    };
    html(&Reading {
        page: Page::new(&s, &session, "Penggunaan ruang baca").await,
        desk,
        notice,
        errors: FieldErrors::default(),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct UseForm {
    publication_id: String,
    visit_id: String,
    kantor: String,
    sekali: String,
}

pub(super) async fn record_use(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    WebForm(form): WebForm<UseForm>,
) -> Result<Response, PageError> {
    let desk = staff(&session, &LIBRARIAN, &form.kantor)?;
    let ctx = session.ctx(ctx);
    let pending = match first_submission(&s, &form.sekali) {
        Posted::Act(p) => p,
        Posted::Answered(r) => return Ok(r),
    };
    let id = field(&form.publication_id, 64);
    let mut errors = FieldErrors::default();
    if id.is_empty() {
        errors.add(
            "publication_id",
            "Pilih publikasi dari daftar hasil pencarian.",
        );
    } else {
        let body = UseBody {
            office_code: desk.office.clone(),
            visit_id: field(&form.visit_id, 64),
        };
        match uc::record_use(&s, &ctx, id.clone(), body).await {
            Ok(_) => {
                let to = format!(
                    "/pustakawan/ruang-baca?{}",
                    serde_urlencoded::to_string([
                        ("kantor", desk.office.as_str()),
                        ("tercatat", id.as_str())
                    ])
                    .unwrap_or_default()
                );
                pending.done(&to);
                return Ok(see_other(&to, Vec::new()));
            }
            Err(e) if FieldErrors::is_form_error(&e) || e.0.as_u16() == 404 => {
                errors = FieldErrors::from_api(&e);
                if errors.summary.is_empty() || e.0.as_u16() == 404 {
                    errors.add(
                        "publication_id",
                        "Publikasi tidak ditemukan atau sudah ditarik.",
                    );
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    errors.summary = "Penggunaan belum tercatat; periksa isian di bawah.".into();
    html(&Reading {
        page: Page::new(&s, &session, "Penggunaan ruang baca").await,
        desk,
        notice: String::new(),
        errors,
    })
}

#[derive(Template)]
#[template(path = "staff/lib_reading_options.html")]
struct Options {
    found: SearchView,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct FindQuery {
    judul: String,
    kantor: String,
}

/// As the librarian types: up to 8 matching printed publications of the office (htmx).
pub(super) async fn find_for_reading(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Query(q): Query<FindQuery>,
) -> Result<Response, PageError> {
    let desk = staff(&session, &LIBRARIAN, &q.kantor)?;
    let text = field(&q.judul, 200);
    if text.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
        return Ok(axum::response::Html(String::new()).into_response());
    }
    let query = SearchQuery {
        q: text,
        office: desk.office,
        limit: 8,
        ..SearchQuery::default()
    };
    let found = uc::find(&s, &session.ctx(ctx), query).await?;
    html(&Options { found })
}
