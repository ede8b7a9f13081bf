//! Catalogue rules with no network or SQL: identifiers BPS publications carry (ISBN, ISSN,
//! catalogue number) and the subject groups.
//!
//! The catalogue service itself (publications, holdings, reading-room use, search) is the
//! work of its own issue; these rules are its first, tested part.

pub mod identifiers;
pub mod publication;
pub mod subjects;
