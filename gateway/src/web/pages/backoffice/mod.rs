//! The back office: the librarian (`/pustakawan`), the supervisor (`/supervisor`) and the
//! administrator (`/admin`). Pages check the role here only to show a clear page; every
//! action is authorised again by the service that performs it.

mod admin_audit;
mod admin_offices;
mod admin_staff;
pub(super) mod charts;
mod entry;
mod import;
mod inbox;
mod librarian;
mod library_files;
mod live;
mod publication_form;
mod reading_room;
mod report;
mod report_csv;
mod report_parts;
mod supervisor;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, post};

use crate::error::ApiError;
use crate::state::AppState;
use crate::web::{PageError, Session};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/pustakawan", get(librarian::list))
        .route("/pustakawan/baru", get(entry::new_form).post(entry::create))
        .route(
            "/pustakawan/publikasi/{id}",
            get(entry::edit_form).post(entry::save),
        )
        .route("/pustakawan/publikasi/{id}/tarik", post(entry::withdraw))
        .route(
            "/pustakawan/publikasi/{id}/eksemplar",
            post(entry::add_holding),
        )
        .route("/pustakawan/cetak", get(librarian::holdings))
        .route(
            "/pustakawan/ruang-baca",
            get(reading_room::reading_form).post(reading_room::record_use),
        )
        .route(
            "/pustakawan/ruang-baca/cari",
            get(reading_room::find_for_reading),
        )
        .route("/pustakawan/ekspor", get(import::export))
        .route("/pustakawan/verifikasi", get(library_files::verify_form))
        .route("/supervisor", get(supervisor::dashboard))
        .route("/supervisor/langsung", get(live::tiles))
        .route("/supervisor/laporan", get(report::page))
        .route("/supervisor/laporan/{part}", get(report_csv::download))
        .route("/supervisor/pengaduan", get(inbox::list))
        .route(
            "/supervisor/pengaduan/baru",
            get(inbox::new_form).post(inbox::create),
        )
        .route("/supervisor/pengaduan/{id}", get(inbox::thread))
        .route("/supervisor/pengaduan/{id}/jawab", post(inbox::answer))
        .route("/supervisor/pengaduan/{id}/status", post(inbox::change))
        .route("/admin", get(admin_offices::offices))
        .route(
            "/admin/satker/{code}",
            get(admin_offices::setup_form).post(admin_offices::save_setup),
        )
        .route(
            "/admin/petugas",
            get(admin_staff::staff_list).post(admin_staff::create_staff),
        )
        .route("/admin/petugas/{id}", post(admin_staff::change_staff))
        .route(
            "/admin/petugas/{id}/sandi",
            post(admin_staff::reset_password),
        )
        .route("/admin/audit", get(admin_audit::audit))
        // A CSV of up to 4 MiB travels in the form (and again, checked, in the preview).
        .merge(
            Router::new()
                .route("/pustakawan/impor", get(import::form).post(import::submit))
                .layer(DefaultBodyLimit::max(IMPORT_FORM_LIMIT)),
        )
}

/// Document bodies (a softcopy, a copy to verify): streamed, bounded by the document size.
pub(super) fn document_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/pustakawan/publikasi/{id}/softcopy",
            post(library_files::upload),
        )
        .route("/pustakawan/verifikasi", post(library_files::verify))
}

const IMPORT_FORM_LIMIT: usize = 12 * 1024 * 1024;

/// The signed-in staff member of one of `roles`, with the office they work for (an admin,
/// who has none, works for `chosen`, or 1674).
pub(super) fn staff(session: &Session, roles: &[&str], chosen: &str) -> Result<Desk, PageError> {
    let user = session.require_user()?;
    if !roles.contains(&user.role.as_str()) {
        return Err(PageError::from(ApiError::new(
            StatusCode::FORBIDDEN,
            "NOT_ALLOWED",
            "Halaman ini hanya untuk petugas dengan peran yang sesuai. Masuk dengan akun petugas lain.",
        )));
    }
    let office = if user.role == "admin" {
        let c = chosen.trim();
        if c.len() == 4 && c.bytes().all(|b| b.is_ascii_digit()) {
            c.to_owned()
        } else {
            "1674".to_owned()
        }
    } else {
        user.office.clone()
    };
    Ok(Desk {
        role: user.role.clone(),
        office,
    })
}

#[derive(Debug, Clone)]
pub(super) struct Desk {
    pub role: String,
    pub office: String,
}

pub(super) const LIBRARIAN: [&str; 2] = ["librarian", "admin"];
pub(super) const SUPERVISOR: [&str; 2] = ["supervisor", "admin"];
pub(super) const ADMIN: [&str; 1] = ["admin"];
