//! The walk-in screens: the kiosk at the door, the display board in the waiting room, and
//! the front-office console at the counter; plus the public status page a ticket's QR code
//! opens.

mod board;
mod console;
mod console_actions;
mod fields;
mod kiosk;
mod kiosk_forms;

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
            get(kiosk_forms::guest_book_form).post(kiosk_forms::guest_book),
        )
        .route(
            "/kiosk/{office}/nilai",
            get(kiosk_forms::rate_form).post(kiosk_forms::rate),
        )
        .route(
            "/kiosk/{office}/pengaduan",
            get(kiosk_forms::complaint_form).post(kiosk_forms::complaint),
        )
        .route("/loket", get(console::console))
        .route("/loket/pilih", post(console::choose))
        .route("/loket/panggil", post(console_actions::call_next))
        .route("/loket/tiket/{id}/{action}", post(console_actions::act))
        .route("/loket/buku-tamu", post(console_actions::guest_book))
        .route("/loket/kunjungan/{id}", post(console_actions::correct))
        .route("/loket/kunjungan/{id}/loker", post(console_actions::locker))
        .route(
            "/loket/kunjungan/{id}/selesai",
            post(console_actions::checkout),
        )
        .route("/loket/titipan", get(console_actions::custody))
}
