//! The visitor portal's pages, one module per resource; each handler calls the use case
//! its JSON twin calls and renders the same view with a template.

mod account;
mod backoffice;
mod catalogue;

pub(super) use catalogue::marked;
mod complaint_contact;
mod complaints;
mod documents;
mod rating;
mod visit;
mod walkin;

use askama::Template;
use axum::Router;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};

use super::PageError;
use super::forms::{Pending, Submission};
use super::session::see_other;
use crate::state::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(catalogue::home))
        .route("/cari", get(catalogue::search))
        .route("/publikasi/{id}", get(catalogue::publication))
        .route("/publikasi/{id}/baca", get(documents::reader))
        .route("/publikasi/{id}/berkas", get(documents::reading_copy))
        .route("/publikasi/{id}/unduh", post(documents::download))
        .route("/cek", get(documents::check_form))
        .route("/cek/{code}", get(documents::check))
        .route("/akun/unduhan", get(documents::mine))
        .route("/akun/kunjungan", get(visit::mine))
        .route("/akun/kartu-kunjungan", get(visit::card))
        .route(
            "/daftar",
            get(account::register_form).post(account::register),
        )
        .route("/daftar/terkirim", get(account::registered))
        .route(
            "/verifikasi-email",
            get(account::verify_form).post(account::verify),
        )
        .route(
            "/kirim-ulang-verifikasi",
            get(account::resend_form).post(account::resend),
        )
        .route("/masuk", get(account::sign_in_form).post(account::sign_in))
        .route("/keluar", post(account::sign_out))
        .route(
            "/lupa-sandi",
            get(account::forgot_form).post(account::forgot),
        )
        .route(
            "/atur-ulang-sandi",
            get(account::reset_form).post(account::reset),
        )
        .route("/akun", get(account::profile).post(account::update_profile))
        .route(
            "/akun/sandi",
            get(account::password_form).post(account::password),
        )
        .route("/nilai", get(rating::rate_form).post(rating::rate))
        .route("/nilai/terima-kasih", get(rating::thanks))
        .route("/pengaduan", get(complaints::mine))
        .route(
            "/pengaduan/baru",
            get(complaints::new_form).post(complaints::create),
        )
        .route(
            "/pengaduan/konfirmasi",
            get(complaint_contact::form).post(complaint_contact::confirm),
        )
        .route("/pengaduan/{id}", get(complaints::thread))
        .route("/pengaduan/{id}/tanggapan", post(complaints::respond))
        .route("/pengaduan/{id}/status", post(complaints::change_status))
        .merge(walkin::routes())
        .merge(backoffice::routes())
}

/// Pages whose bodies are documents (no form limit; the document size bounds them).
pub(super) fn document_routes() -> Router<AppState> {
    backoffice::document_routes()
}

/// A posted form: act on it (then `done`), or it was (or is being) handled already and
/// this is the answer.
pub(super) enum Posted<'a> {
    Act(Pending<'a>),
    Answered(Response),
}

pub(super) fn first_submission<'a>(s: &'a AppState, token: &str) -> Posted<'a> {
    match s.web.once.begin(token) {
        Submission::First(p) => Posted::Act(p),
        Submission::Done(to) => Posted::Answered(see_other(&to, Vec::new())),
        Submission::InProgress => Posted::Answered(
            PageError::from(crate::error::ApiError::new(
                axum::http::StatusCode::CONFLICT,
                "FORM_IN_PROGRESS",
                "Formulir ini sedang diproses. Tunggu sebentar lalu muat ulang halaman.",
            ))
            .into_response(),
        ),
    }
}

/// `?cursor=` of a list page (each list shows 20 a page).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct CursorQuery {
    cursor: String,
}

impl CursorQuery {
    pub(super) fn page(self) -> crate::routes::PageQuery {
        crate::routes::PageQuery {
            cursor: self.cursor,
            limit: 20,
        }
    }
}

/// The link to a list's next page (empty at the end).
pub(super) fn next_page(path: &str, cursor: &str) -> String {
    if cursor.is_empty() {
        return String::new();
    }
    let q = serde_urlencoded::to_string([("cursor", cursor)]).unwrap_or_default();
    format!("{path}?{q}")
}

/// A rendered template as a page.
pub(super) fn html(t: &impl Template) -> Result<Response, PageError> {
    t.render()
        .map(|h| Html(h).into_response())
        .map_err(|e| PageError::internal(&format!("template failed: {e}")))
}

/// A form field of text: trimmed, and bounded so a pasted novel cannot grow memory.
pub(super) fn field(v: &str, max: usize) -> String {
    v.trim().chars().take(max).collect()
}

/// `tanaman_pangan` -> `Tanaman pangan`.
pub(super) fn humanize(code: &str) -> String {
    let s = code.replace('_', " ");
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_as_words_and_fields_are_bounded() {
        assert_eq!(humanize("tanaman_pangan"), "Tanaman pangan");
        assert_eq!(humanize(""), "");
        assert_eq!(field("  abcdef ", 3), "abc");
    }
}
