//! Home, search results (facets, highlighted snippets, keyset "Berikutnya") and the
//! publication page.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;

use super::html;
use crate::ctx::Ctx;
use crate::routes::catalogue::{self as uc, PublicationView, SearchQuery, SearchView};
use crate::state::AppState;
use crate::web::{Page, PageError, Session};

/// The search form as typed: everything is text, so a malformed year or a 10,000-character
/// query gives a normal page, never a rejection.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(super) struct SearchForm {
    pub q: String,
    pub subject: String,
    pub office: String,
    pub year: String,
    pub digital: String,
    pub printed: String,
    pub cursor: String,
}

/// Longest query passed on (the catalogue refuses longer ones; a page shows them cut).
const MAX_Q: usize = 200;

impl SearchForm {
    fn to_query(&self, limit: u32) -> SearchQuery {
        let year = self
            .year
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|y| (1900..=2100).contains(y));
        SearchQuery {
            q: super::field(&self.q, MAX_Q),
            office: self.office.trim().to_owned(),
            subject: self.subject.trim().to_owned(),
            year_from: year.unwrap_or(0),
            year_to: year.unwrap_or(0),
            has_digital: (self.digital == "1").then_some(true),
            has_printed: (self.printed == "1").then_some(true),
            cursor: self.cursor.clone(),
            limit,
            ..SearchQuery::default()
        }
    }

    fn pairs(&self) -> Vec<(&'static str, &str)> {
        [
            ("q", self.q.as_str()),
            ("subject", &self.subject),
            ("office", &self.office),
            ("year", &self.year),
            ("digital", &self.digital),
            ("printed", &self.printed),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect()
    }

    fn url(pairs: &[(&str, &str)]) -> String {
        format!(
            "/cari?{}",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        )
    }

    /// This search with `key` set to `value` (or cleared when it already is), from page 1.
    pub(super) fn toggle(&self, key: &str, value: &str) -> String {
        let mut p: Vec<(&str, &str)> = self
            .pairs()
            .into_iter()
            .filter(|(k, _)| *k != key)
            .collect();
        if !self.is(key, value) {
            p.push((key, value));
        }
        Self::url(&p)
    }

    pub(super) fn is(&self, key: &str, value: &str) -> bool {
        self.pairs().iter().any(|(k, v)| *k == key && *v == value)
    }

    fn next(&self, cursor: &str) -> String {
        let mut p = self.pairs();
        p.push(("cursor", cursor));
        Self::url(&p)
    }

    /// Filters other than the words, for "Hapus filter".
    pub(super) fn filtered(&self) -> bool {
        self.pairs().iter().any(|(k, _)| *k != "q")
    }

    pub(super) fn clear_filters(&self) -> String {
        Self::url(&[("q", self.q.as_str())])
    }
}

/// A snippet with only its `<mark>` tags kept: everything else is escaped.
pub(in crate::web) fn marked(snippet: &str) -> String {
    let escaped = snippet
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    escaped
        .replace("&lt;mark&gt;", "<mark>")
        .replace("&lt;/mark&gt;", "</mark>")
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    page: Page,
    latest: Option<SearchView>,
}

pub(super) async fn home(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
) -> Result<Response, PageError> {
    let ctx = session.ctx(ctx);
    // The newest publications; the home page still works when the catalogue does not.
    let latest = uc::find(&s, &ctx, SearchForm::default().to_query(6))
        .await
        .ok();
    html(&Home {
        page: Page::new(&s, &session, "Beranda").await,
        latest,
    })
}

/// What a search found, shown whole (`search.html`) or, for htmx, only the results.
struct Found {
    form: SearchForm,
    view: SearchView,
    note: String,
    next: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    page: Page,
    found: Found,
}

#[derive(Template)]
#[template(path = "search_results.html")]
struct SearchResults {
    page: Page,
    found: Found,
}

fn empty_view() -> SearchView {
    SearchView {
        items: Vec::new(),
        facets: uc::FacetsView {
            subject: Vec::new(),
            office: Vec::new(),
            year: Vec::new(),
            language: Vec::new(),
        },
        total: 0,
        total_is_estimate: false,
        next_cursor: String::new(),
        corrected_query: String::new(),
    }
}

pub(super) async fn search(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    headers: HeaderMap,
    Query(form): Query<SearchForm>,
) -> Result<Response, PageError> {
    let ctx = session.ctx(ctx);
    let mut note = String::new();
    if form.q.trim().chars().count() > MAX_Q {
        note = format!("Kata kunci dipotong menjadi {MAX_Q} karakter pertama.");
    }
    let view = match uc::find(&s, &ctx, form.to_query(20)).await {
        Ok(v) => v,
        // Words the catalogue cannot search for (only punctuation, a bad filter) give an
        // empty result with the reason, like any search that finds nothing.
        Err(e) if e.0.as_u16() == 422 => {
            note =
                e.1.errors
                    .first()
                    .map_or(e.1.detail.clone(), |f| f.message.clone());
            empty_view()
        }
        Err(e) => return Err(e.into()),
    };
    let next = if view.next_cursor.is_empty() {
        String::new()
    } else {
        form.next(&view.next_cursor)
    };
    let title = if form.q.trim().is_empty() {
        "Cari publikasi".to_owned()
    } else {
        format!("Hasil pencarian: {}", super::field(&form.q, 60))
    };
    let page = Page::new(&s, &session, title).await;
    let found = Found {
        form,
        view,
        note,
        next,
    };
    // htmx asks for the results only; a history restore (Back) needs the whole page.
    let partial = headers.contains_key("hx-request")
        && !headers.contains_key("hx-boosted")
        && !headers.contains_key("hx-history-restore-request");
    let mut res = if partial {
        html(&SearchResults { page, found })?
    } else {
        html(&SearchPage { page, found })?
    };
    res.headers_mut().insert(
        axum::http::header::VARY,
        axum::http::HeaderValue::from_static("HX-Request"),
    );
    Ok(res)
}

#[derive(Template)]
#[template(path = "publication.html")]
struct PublicationPage {
    page: Page,
    p: PublicationView,
    f: uc::PublicationFields,
    access: &'static str,
    signed_in: bool,
}

impl PublicationPage {
    /// Every BPS field that has a value, labelled in Indonesian.
    fn rows(&self) -> Vec<(&'static str, String)> {
        let f = &self.f;
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let years = match (f.year_from.unwrap_or(0), f.year_to.unwrap_or(0)) {
            (0, 0) => String::new(),
            (a, b) if a == b || a == 0 => b.to_string(),
            (a, 0) => a.to_string(),
            (a, b) => format!("{a}-{b}"),
        };
        let language = match f.language.as_deref() {
            Some("id") => "Indonesia",
            Some("en") => "Inggris",
            Some("id-en") => "Indonesia dan Inggris",
            _ => "",
        };
        [
            (
                "Subjek",
                self.page.words(f.subject.as_deref().unwrap_or_default()),
            ),
            (
                "Kantor penerbit",
                self.page
                    .office(f.office_code.as_deref().unwrap_or_default()),
            ),
            ("Tahun data", years),
            ("Tanggal rilis", text(&f.release_date)),
            ("Nomor katalog", text(&f.catalogue_number)),
            ("Nomor publikasi", text(&f.publication_number)),
            ("ISSN", text(&f.issn)),
            ("ISBN", text(&f.isbn)),
            ("Bahasa", language.to_owned()),
            (
                "Jumlah halaman",
                f.pages
                    .filter(|p| *p > 0)
                    .map(|p| p.to_string())
                    .unwrap_or_default(),
            ),
            (
                "Kata kunci",
                f.keywords.clone().unwrap_or_default().join(", "),
            ),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect()
    }
}

pub(super) async fn publication(
    State(s): State<AppState>,
    session: Session,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let ctx = session.ctx(ctx);
    let p = uc::publication(&s, &ctx, id).await?;
    let f = p.fields.clone();
    let access = match f.access_level.as_deref() {
        Some("public") => "Terbuka untuk umum",
        Some("registered") => "Untuk pengguna terdaftar",
        Some("staff") => "Hanya untuk petugas",
        _ => "",
    };
    html(&PublicationPage {
        page: Page::new(&s, &session, f.title.clone().unwrap_or_default()).await,
        signed_in: session.user.is_some(),
        access,
        f,
        p,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_keep_only_their_marks() {
        assert_eq!(
            marked("Inflasi <mark>Kota</mark> <script>x</script> & \"a\""),
            "Inflasi <mark>Kota</mark> &lt;script&gt;x&lt;/script&gt; &amp; &quot;a&quot;"
        );
    }

    #[test]
    fn facet_links_toggle_one_filter_and_start_over() {
        let f = SearchForm {
            q: "inflasi kota".into(),
            subject: "inflasi".into(),
            cursor: "abc".into(),
            ..SearchForm::default()
        };
        assert_eq!(
            f.toggle("year", "2024"),
            "/cari?q=inflasi+kota&subject=inflasi&year=2024"
        );
        assert_eq!(f.toggle("subject", "inflasi"), "/cari?q=inflasi+kota");
        assert!(f.filtered());
        let q = SearchForm {
            year: "20x4".into(),
            q: "x".repeat(500),
            ..SearchForm::default()
        }
        .to_query(20);
        assert_eq!((q.year_from, q.q.len()), (0, MAX_Q));
    }
}
