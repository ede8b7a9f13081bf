//! `?from=&to=` of the report routes.

use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PeriodQuery {
    /// First day, YYYY-MM-DD (office local date).
    pub from: String,
    /// Last day, inclusive.
    pub to: String,
}
