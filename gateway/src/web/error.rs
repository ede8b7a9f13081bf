//! What a person sees when something goes wrong: an Indonesian page that says what happened
//! and what to do, with the right status, never a stack trace or raw JSON. Problem
//! documents produced under web paths (rate limit, body limit, deadlines) are turned into
//! such pages too.

use askama::Template;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use super::Page;
use crate::error::{ApiError, Problem};

/// Marker on a response that asks the session middleware for a sign-in redirect.
#[derive(Debug, Clone, Copy)]
pub struct NeedsSignIn;

#[derive(Debug)]
pub enum PageError {
    /// A backend's answer, shown as a page by its status.
    Api(Box<ApiError>),
    /// Not signed in (or the session ended): go to sign-in, then come back.
    SignIn,
    /// The form's CSRF token is missing or wrong.
    Csrf,
    NotFound,
}

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        Self::Api(Box::new(e))
    }
}

impl From<tonic::Status> for PageError {
    fn from(s: tonic::Status) -> Self {
        Self::Api(Box::new(s.into()))
    }
}

impl PageError {
    pub fn unavailable() -> Self {
        Self::Api(Box::new(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "SERVICE_UNAVAILABLE",
            "Layanan sedang tidak tersedia; coba lagi sebentar lagi.",
        )))
    }

    pub fn internal(why: &str) -> Self {
        tracing::error!(why, "web page failed");
        Self::Api(Box::new(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL",
            "Terjadi kesalahan internal.",
        )))
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    page: Page,
    heading: &'a str,
    message: &'a str,
    hint: &'a str,
    code: &'a str,
}

fn render(status: StatusCode, heading: &str, message: &str, hint: &str, code: &str) -> Response {
    let page = ErrorPage {
        page: Page::bare(heading),
        heading,
        message,
        hint,
        code,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "error page failed to render");
            (status, "Terjadi kesalahan.").into_response()
        }
    }
}

/// The page for a problem document (from a backend, or from a gateway layer).
pub fn problem_page(status: StatusCode, p: &Problem) -> Response {
    let (heading, hint) = match status.as_u16() {
        400 | 422 => (
            "Permintaan tidak dapat diproses",
            "Periksa kembali isian Anda lalu coba lagi.",
        ),
        401 => (
            "Silakan masuk",
            "Sesi Anda telah berakhir atau Anda belum masuk.",
        ),
        403 => (
            "Akses ditolak",
            "Akun Anda tidak berhak membuka halaman ini. Masuk dengan akun lain bila perlu.",
        ),
        404 => (
            "Halaman tidak ditemukan",
            "Periksa alamatnya, atau mulai dari pencarian.",
        ),
        409 => (
            "Tidak dapat dilakukan sekarang",
            "Muat ulang halaman untuk melihat keadaan terbaru.",
        ),
        413 => (
            "Isian terlalu besar",
            "Perkecil isian atau berkas lalu kirim lagi.",
        ),
        429 => (
            "Terlalu banyak permintaan",
            "Tunggu sebentar, lalu coba lagi.",
        ),
        502..=504 => (
            "Layanan sedang tidak tersedia",
            "Bukan kesalahan Anda. Coba lagi dalam beberapa menit; isian Anda belum tersimpan.",
        ),
        _ => (
            "Terjadi kesalahan",
            "Coba lagi. Bila berulang, hubungi petugas PST dengan menyebut kode di bawah.",
        ),
    };
    let mut res = render(status, heading, &p.detail, hint, &p.code);
    if let Some(secs) = p.retry_after_secs
        && let Ok(v) = HeaderValue::from_str(&secs.to_string())
    {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    res
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            Self::Api(e) if e.0 == StatusCode::UNAUTHORIZED => sign_in_marker(),
            Self::SignIn => sign_in_marker(),
            Self::Api(e) => {
                let ApiError(status, problem) = *e;
                if status.is_server_error() {
                    tracing::warn!(code = %problem.code, detail = %problem.detail, "web page shows a backend failure");
                }
                problem_page(status, &problem)
            }
            Self::Csrf => render(
                StatusCode::FORBIDDEN,
                "Formulir kedaluwarsa",
                "Formulir ini tidak dapat diterima karena token keamanannya tidak cocok atau sudah kedaluwarsa.",
                "Kembali ke halaman sebelumnya, muat ulang, lalu kirim lagi. Isian Anda belum tersimpan.",
                "CSRF_FAILED",
            ),
            Self::NotFound => not_found_page(),
        }
    }
}

fn sign_in_marker() -> Response {
    let mut res = StatusCode::UNAUTHORIZED.into_response();
    res.extensions_mut().insert(NeedsSignIn);
    res
}

pub fn not_found_page() -> Response {
    render(
        StatusCode::NOT_FOUND,
        "Halaman tidak ditemukan",
        "Alamat yang Anda buka tidak ada di PST Pustaka.",
        "Periksa alamatnya, atau mulai dari pencarian di beranda.",
        "NOT_FOUND",
    )
}

/// The sign-in redirect that brings the user back to `back` afterwards.
pub fn to_sign_in(back: &str) -> Response {
    let q = serde_urlencoded::to_string([("kembali", back)]).unwrap_or_default();
    super::session::see_other(&format!("/masuk?{q}"), Vec::new())
}

/// Turns problem documents that reach a web page (from rate limits, body limits and
/// deadlines layered in front of it) into Indonesian pages.
pub async fn problems_as_pages(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if !is_problem {
        return res;
    }
    let (parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(v) => {
            let mut p = ApiError::new(
                parts.status,
                v["code"].as_str().unwrap_or("ERROR"),
                v["detail"].as_str().unwrap_or("Terjadi kesalahan."),
            )
            .1;
            p.retry_after_secs = v["retry_after_secs"].as_u64();
            problem_page(parts.status, &p)
        }
        Err(_) => Response::from_parts(parts, Body::from(bytes)),
    }
}
