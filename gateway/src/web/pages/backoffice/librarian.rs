//! The librarian's catalogue: the office's list with search and filters, and the printed
//! holdings ready to print.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::publication_form as pf;
use super::{Desk, LIBRARIAN, staff};
use crate::ctx::Ctx;
use crate::routes::catalogue::{self as uc, SearchQuery, SearchView};
use crate::state::AppState;
use crate::web::pages::{field, html};
use crate::web::{Page, PageError, Session};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(super) struct ListQuery {
    q: String,
    subjek: String,
    tahun: String,
    digital: String,
    ditarik: String,
    kantor: String,
    cursor: String,
}

impl ListQuery {
    fn search(&self, office: &str) -> SearchQuery {
        let year = self
            .tahun
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|y| (1900..=2100).contains(y));
        SearchQuery {
            q: field(&self.q, 200),
            office: office.to_owned(),
            subject: field(&self.subjek, 40),
            year_from: year.unwrap_or(0),
            year_to: year.unwrap_or(0),
            has_digital: match self.digital.as_str() {
                "1" => Some(true),
                "0" => Some(false),
                _ => None,
            },
            cursor: self.cursor.clone(),
            limit: 25,
            include_withdrawn: self.ditarik == "1",
            ..SearchQuery::default()
        }
    }

    fn next(&self, cursor: &str) -> String {
        if cursor.is_empty() {
            return String::new();
        }
        let q = serde_urlencoded::to_string([
            ("q", self.q.as_str()),
            ("subjek", &self.subjek),
            ("tahun", &self.tahun),
            ("digital", &self.digital),
            ("ditarik", &self.ditarik),
            ("kantor", &self.kantor),
            ("cursor", cursor),
        ])
        .unwrap_or_default();
        format!("/pustakawan?{q}")
    }
}

#[derive(Template)]
#[template(path = "staff/lib_list.html")]
struct List {
    page: Page,
    desk: Desk,
    q: ListQuery,
    found: SearchView,
    subjects: Vec<(&'static str, String)>,
    next: String,
}

pub(super) async fn list(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let desk = staff(&session, &LIBRARIAN, &q.kantor)?;
    let found = uc::find(&s, &session.ctx(ctx), q.search(&desk.office)).await?;
    let next = q.next(&found.next_cursor);
    html(&List {
        page: Page::new(&s, &session, "Katalog satker").await,
        desk,
        q,
        found,
        subjects: pf::subjects(),
        next,
    })
}

impl List {
    fn access(&self, level: &str) -> &'static str {
        match level {
            "public" => "Umum",
            "registered" => "Terdaftar",
            "staff" => "Petugas",
            _ => "Lainnya",
        }
    }
}

#[derive(Template)]
#[template(path = "staff/lib_print.html")]
struct Holdings {
    page: Page,
    desk: Desk,
    found: SearchView,
    next: String,
}

pub(super) async fn holdings(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let desk = staff(&session, &LIBRARIAN, &q.kantor)?;
    let mut query = q.search(&desk.office);
    query.has_printed = Some(true);
    query.limit = 100;
    query.include_withdrawn = false;
    let found = uc::find(&s, &session.ctx(ctx), query).await?;
    let next = if found.next_cursor.is_empty() {
        String::new()
    } else {
        format!(
            "/pustakawan/cetak?{}",
            serde_urlencoded::to_string([
                ("kantor", desk.office.as_str()),
                ("cursor", found.next_cursor.as_str())
            ])
            .unwrap_or_default()
        )
    };
    html(&Holdings {
        page: Page::new(&s, &session, "Koleksi tercetak").await,
        desk,
        found,
        next,
    })
}
