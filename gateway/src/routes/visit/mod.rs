//! Walk-in visits, one module per resource: queue tickets, counter actions, the display
//! board, the guest book, lockers and custody, the service-time report and office setup.

mod board;
mod counters;
mod floor;
mod lockers;
mod reports;
mod setup;
mod tickets;
mod visits;

use utoipa_axum::router::OpenApiRouter;

use pst_proto::visit as pb;

use crate::state::AppState;

pub use board::use_case::board;
pub use board::{BoardView, CallView, CounterView, FlagView, LineView};
pub use counters::{
    CallNextView, RecallBody, TransferBody, call, finish_ticket, recall_ticket, skip_ticket,
    start_ticket, transfer_ticket,
};
pub use floor::{FloorView, floor};
pub use lockers::{CustodyView, LockerBody, LockerView, custody_of, hold_card, lockers_of};
pub use reports::{
    BreachView, DayTimesView, ServiceTimeView, TallyView, VisitTimesView, service_summary,
    service_times,
};
pub use setup::use_case::office_setup;
pub use setup::{CounterSetupView, OfficeSetupView, ServiceTypeView};
pub use tickets::{TakeTicketBody, TicketList, TicketView, take, ticket, tickets_of_me};
pub use visits::{
    CheckoutBody, CreateVisitBody, GuestBookFields, VisitView, check_out, correct_visit,
    open_visit, visit,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(tickets::router())
        .merge(counters::router())
        .merge(board::router())
        .merge(visits::router())
        .merge(lockers::router())
        .merge(reports::router())
        .merge(floor::router())
        .merge(setup::router())
}

fn status_name(s: i32) -> &'static str {
    match pb::TicketStatus::try_from(s) {
        Ok(pb::TicketStatus::Waiting) => "waiting",
        Ok(pb::TicketStatus::Called) => "called",
        Ok(pb::TicketStatus::Skipped) => "skipped",
        Ok(pb::TicketStatus::Serving) => "serving",
        Ok(pb::TicketStatus::Done) => "done",
        _ => "",
    }
}
