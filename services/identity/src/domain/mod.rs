//! Identity rules with no network or SQL: what a valid registration, password, identity
//! document and staff account are.

pub mod account;
pub mod password;
