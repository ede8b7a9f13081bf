//! `/api/v1` routes, each documented for the OpenAPI document.

pub mod admin;
pub mod auth;
pub mod catalogue;
pub mod documents;
pub mod feedback;
pub mod health;
pub mod me;
pub mod period;
pub mod visit;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An account as the API shows it. The identity number is always masked.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: String,
    pub full_name: String,
    pub email: String,
    pub phone: String,
    pub institution: String,
    pub occupation: String,
    /// ktp, sim, paspor, lainnya, or empty for staff.
    pub id_type: String,
    /// e.g. `35**********0001`.
    pub id_number_masked: String,
    pub role: String,
    pub office_code: String,
    pub email_verified: bool,
    pub active: bool,
    pub created_at: String,
}

pub fn id_type_name(v: i32) -> &'static str {
    match v {
        1 => "ktp",
        2 => "sim",
        3 => "paspor",
        4 => "lainnya",
        _ => "",
    }
}

impl From<pst_proto::identity::User> for UserView {
    fn from(u: pst_proto::identity::User) -> Self {
        Self {
            id: u.id,
            full_name: u.full_name,
            email: u.email,
            phone: u.phone,
            institution: u.institution,
            occupation: u.occupation,
            id_type: id_type_name(u.id_type).to_owned(),
            id_number_masked: u.id_number_masked,
            role: u.role,
            office_code: u.office_code,
            email_verified: u.email_verified,
            active: u.active,
            created_at: u.created_at,
        }
    }
}

/// `?cursor=&limit=` of list routes.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// Opaque cursor from the previous page's `next_cursor`.
    #[serde(default)]
    pub cursor: String,
    /// Page size, 1-200 (default 50).
    #[serde(default)]
    pub limit: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Message {
    pub message: String,
}

pub fn message(m: &str) -> axum::Json<Message> {
    axum::Json(Message {
        message: m.to_owned(),
    })
}
