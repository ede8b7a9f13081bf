//! The walk-in screens: the kiosk at the door, the display board in the waiting room, and
//! the front-office console at the counter; plus the public status page a ticket's QR code
//! opens.

mod board;
mod console;
mod kiosk;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/board/{office}", get(board::board))
        .route("/antrean/{id}", get(kiosk::status))
        .route("/kiosk/{office}", get(kiosk::start))
        .route("/kiosk/{office}/ambil", post(kiosk::take))
        .route("/kiosk/{office}/tiket/{id}", get(kiosk::ticket))
        .route(
            "/kiosk/{office}/buku-tamu/{ticket}",
            get(kiosk::guest_book_form).post(kiosk::guest_book),
        )
        .route(
            "/kiosk/{office}/nilai",
            get(kiosk::rate_form).post(kiosk::rate),
        )
        .route(
            "/kiosk/{office}/pengaduan",
            get(kiosk::complaint_form).post(kiosk::complaint),
        )
        .route("/loket", get(console::console))
        .route("/loket/pilih", post(console::choose))
        .route("/loket/panggil", post(console::call_next))
        .route("/loket/tiket/{id}/{action}", post(console::act))
        .route("/loket/buku-tamu", post(console::guest_book))
        .route("/loket/kunjungan/{id}", post(console::correct))
        .route("/loket/kunjungan/{id}/loker", post(console::locker))
        .route("/loket/kunjungan/{id}/selesai", post(console::checkout))
        .route("/loket/titipan", get(console::custody))
}
