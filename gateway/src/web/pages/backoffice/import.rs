//! CSV import with a preview and a row-by-row error table, all-or-nothing or partial; and
//! the export in the same columns.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::publication_form::label;
use super::{Desk, LIBRARIAN, staff};
use crate::ctx::Ctx;
use crate::routes::catalogue::{self as uc, ImportQuery, ImportView};
use crate::state::AppState;
use crate::web::forms::{FieldErrors, WebForm};
use crate::web::pages::{Posted, first_submission, html};
use crate::web::{Page, PageError, Session};

/// One refused row in words.
#[derive(Debug, Clone)]
pub(super) struct RowProblem {
    /// 1-based data row (the header is the file's first line).
    pub row: u32,
    pub field: &'static str,
    pub message: String,
}

/// `rows[12].isbn` -> row 12, "ISBN"; anything else is about the whole file (row 0).
pub(super) fn row_problems(view: &ImportView) -> Vec<RowProblem> {
    view.errors
        .iter()
        .map(|e| {
            let (row, field) = e
                .field
                .strip_prefix("rows[")
                .and_then(|r| r.split_once("]."))
                .and_then(|(n, f)| Some((n.parse().ok()?, f)))
                .unwrap_or((0, e.field.as_str()));
            RowProblem {
                row,
                field: label(field),
                message: e.message.clone(),
            }
        })
        .collect()
}

/// The largest CSV the catalogue service takes in one import.
const MAX_CSV: usize = 4 * 1024 * 1024;

#[derive(Template)]
#[template(path = "staff/lib_import.html")]
struct Import {
    page: Page,
    desk: Desk,
    csv: String,
    /// What the last step did: "", "pratinjau", "semua", "sebagian".
    mode: String,
    result: Option<ImportView>,
    problems: Vec<RowProblem>,
    errors: FieldErrors,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct OfficeQuery {
    kantor: String,
}

pub(super) async fn form(
    State(s): State<AppState>,
    session: Session,
    Query(q): Query<OfficeQuery>,
) -> Result<Response, PageError> {
    let desk = staff(&session, &LIBRARIAN, &q.kantor)?;
    html(&Import {
        page: Page::new(&s, &session, "Impor katalog dari CSV").await,
        desk,
        csv: String::new(),
        mode: String::new(),
        result: None,
        problems: Vec::new(),
        errors: FieldErrors::default(),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ImportForm {
    csv: String,
    mode: String,
    kantor: String,
    sekali: String,
}

pub(super) async fn submit(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    WebForm(form): WebForm<ImportForm>,
) -> Result<Response, PageError> {
    let desk = staff(&session, &LIBRARIAN, &form.kantor)?;
    let page = Page::new(&s, &session, "Impor katalog dari CSV").await;
    let mode = match form.mode.as_str() {
        m @ ("semua" | "sebagian") => m.to_owned(),
        _ => "pratinjau".to_owned(),
    };
    let draw = |mode: String, result: Option<ImportView>, errors: FieldErrors, csv: String| {
        let problems = result.as_ref().map(row_problems).unwrap_or_default();
        html(&Import {
            page: page.clone(),
            desk: desk.clone(),
            csv,
            mode,
            result,
            problems,
            errors,
        })
    };
    let mut errors = FieldErrors::default();
    if form.csv.trim().is_empty() {
        errors.add("csv", "Pilih berkas CSV atau tempel isinya.");
    } else if form.csv.len() > MAX_CSV {
        errors.add(
            "csv",
            "Berkas CSV maksimal 4 MB (sekitar 10.000 baris); pecah menjadi beberapa berkas.",
        );
    } else if form.csv.contains('\u{fffd}') {
        errors.add(
            "csv",
            "Berkas bukan teks UTF-8 (ada karakter yang tidak terbaca). Simpan ulang dari spreadsheet sebagai \"CSV UTF-8\", lalu coba lagi.",
        );
    }
    if errors.any() {
        errors.summary = "Berkas belum dapat diperiksa.".into();
        return draw(String::new(), None, errors, form.csv);
    }
    // Only a real import is a one-time action; a preview may be asked again.
    let pending = if mode == "pratinjau" {
        None
    } else {
        match first_submission(&s, &form.sekali) {
            Posted::Act(p) => Some(p),
            Posted::Answered(r) => return Ok(r),
        }
    };
    let q = ImportQuery {
        partial: mode == "sebagian",
        dry_run: mode == "pratinjau",
    };
    match uc::import_csv(&s, &session.ctx(ctx), form.csv.clone().into_bytes(), &q).await {
        Ok(view) => {
            if let Some(p) = pending {
                // A page, not a redirect: the result is shown once; a second click sees
                // the form in progress or this step's outcome.
                p.done("/pustakawan/impor");
            }
            let keep = if mode == "pratinjau" || (mode == "semua" && !view.errors.is_empty()) {
                form.csv
            } else {
                String::new()
            };
            draw(mode, Some(view), FieldErrors::default(), keep)
        }
        Err(e) if FieldErrors::is_form_error(&e) || e.0.as_u16() == 413 => {
            let mut errors = FieldErrors::from_api(&e);
            if let Some(m) = errors.get("csv").map(str::to_owned) {
                errors.summary = m;
            }
            draw(String::new(), None, errors, form.csv)
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn export(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Query(q): Query<OfficeQuery>,
) -> Result<Response, PageError> {
    let desk = staff(&session, &LIBRARIAN, &q.kantor)?;
    Ok(uc::export_csv(&s, &session.ctx(ctx), desk.office).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::FieldError;

    #[test]
    fn row_errors_read_as_rows_and_field_names() {
        let v = ImportView {
            imported: 0,
            errors: vec![
                FieldError {
                    field: "rows[12].isbn".into(),
                    message: "ISBN tidak valid".into(),
                },
                FieldError {
                    field: "csv".into(),
                    message: "Maksimal 10000 baris".into(),
                },
            ],
            dry_run: true,
        };
        let p = row_problems(&v);
        assert_eq!((p[0].row, p[0].field), (12, "ISBN"));
        assert_eq!((p[1].row, p[1].field), (0, "Berkas CSV"));
    }
}
