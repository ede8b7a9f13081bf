//! Offices, staff accounts and the audit trail. The identity service (offices, staff,
//! audit) and the visit service (an office's walk-in setup) decide who may do what (admin;
//! supervisors read their own office); the gateway only forwards.

pub mod audit;
pub mod offices;
pub mod staff;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

pub use audit::{AuditList, AuditQuery, AuditView, audit_trail};
pub use offices::{OfficeBody, OfficeView, SetupBody, save_office, save_setup};
pub use staff::{
    StaffBody, StaffList, StaffPatchBody, change_staff, create_staff, reset_password, staff_of,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(offices::router())
        .merge(staff::router())
        .merge(audit::router())
}
