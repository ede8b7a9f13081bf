//! The catalogue, one module per resource: publications (search, entries, holdings),
//! reading-room use, and CSV import and export.

mod csv;
mod publications;
mod reading_room;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub use csv::{ExportQuery, ImportQuery, ImportView};
pub use publications::{
    FacetView, FacetsView, HitView, HoldingBody, HoldingView, PublicationFields, PublicationView,
    SearchQuery, SearchView, WithdrawBody, find, publication,
};
pub use reading_room::{ReadingRoomReportView, UsageView, UseBody, UseView};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(publications::router())
        .merge(reading_room::router())
        .merge(csv::router())
}
