//! Feedback, one module per resource: the satisfaction survey (SKM), complaints
//! (pengaduan), and the reports on both (the IKM index, complaint statistics).

mod complaints;
mod contact;
mod reports;
mod survey;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub use complaints::{
    ComplaintBody, ComplaintList, ComplaintQuery, ComplaintView, MessageView, RespondBody,
    StatusBody, TrackingQuery, add_to_thread, complaint, complaints, file_complaint,
    move_complaint,
};
pub use contact::{ContactConfirmed, ContactTokenBody, confirm as confirm_contact};
pub use reports::{
    ComplaintReportView, CountView, ElementResultView, IkmView, IntegrityCounts, complaint_stats,
    complaints_csv, ikm, ikm_csv,
};
pub use survey::{
    ChoiceView, ElementView, IntegrityBody, ProfileBody, QuestionnaireView, ResponseBody,
    Submitted, questions, rate,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(survey::router())
        .merge(complaints::router())
        .merge(contact::router())
        .merge(reports::router())
}
