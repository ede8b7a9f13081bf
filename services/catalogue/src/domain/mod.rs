//! Catalogue rules with no network or SQL: identifiers BPS publications carry (ISBN, ISSN,
//! catalogue number), the subject groups, publication input checks, and typo correction
//! against the vocabulary.

pub mod identifiers;
pub mod publication;
pub mod subjects;
pub mod vocabulary;
