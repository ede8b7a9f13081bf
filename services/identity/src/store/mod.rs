//! SQL of the identity database. Every multi-row change runs in one transaction.

pub mod offices;
pub mod throttle;
pub mod tokens;
pub mod users;
