//! The catalogue, one module per resource: publications (search, entries, holdings),
//! reading-room use, and CSV import and export.

mod csv;
mod entries;
mod publications;
mod reading_room;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub use csv::{ExportQuery, ImportQuery, ImportView, export_csv, import_csv};
pub use entries::{
    HistoryEntryView, HistoryView, HoldingBody, WithdrawBody, history, hold, withdraw_one,
};
pub use publications::{
    FacetView, FacetsView, HitView, HoldingView, PublicationFields, PublicationView, SearchQuery,
    SearchView, add, change, find, publication,
};
pub use reading_room::{
    ReadingRoomReportView, UsageView, UseBody, UseView, reading_room_uses, record_use,
};

/// The CSV import and export: larger bodies and a longer deadline than other routes (see
/// `lib.rs`: merged outside the API's own request deadline).
pub fn bulk_router() -> OpenApiRouter<AppState> {
    csv::router()
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(publications::router())
        .merge(entries::router())
        .merge(reading_room::router())
}
